from django.apps import AppConfig


class OzgportalConfig(AppConfig):
    name = "ozgportal"
    verbose_name = "OZG-Portal"
