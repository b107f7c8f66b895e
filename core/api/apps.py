from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Shared machinery of the REST API; installs the write tracker behind ETag and Last-Modified."""

    name = "core.api"
    label = "core_api"
    verbose_name = "REST-API"

    def ready(self):
        from . import caching, schema  # noqa: F401  (schema registers drf-spectacular extensions)

        caching.install_write_tracker()
