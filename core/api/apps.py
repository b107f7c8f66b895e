from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Shared machinery of the REST API; installs the write tracker behind ETag and Last-Modified."""

    name = "ozgportal.api"
    label = "ozgportal_api"
    verbose_name = "REST-API"

    def ready(self):
        from . import caching, schema  # noqa: F401  (schema registers drf-spectacular extensions)

        caching.install_write_tracker()
