from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Shared machinery of the REST API."""

    name = "core.api"
    label = "core_api"
    verbose_name = "REST-API"

    def ready(self):
        from . import schema  # noqa: F401  (schema registers drf-spectacular extensions)
