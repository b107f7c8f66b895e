from django.apps import AppConfig


class RedaktionConfig(AppConfig):
    """People who edit: roles, their Land or Kommune (Redaktionszuordnung), the rules, login and second factor.

    Sits below ``catalog`` in the layers: it names catalog's models only as strings ("catalog.Zustaendigkeit").
    """

    name = "redaktion"
    verbose_name = "Redaktion"
