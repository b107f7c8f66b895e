from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Shared machinery of the REST API; installs the write tracker behind ETag and Last-Modified."""

    name = "core.api"
    label = "core_api"
    verbose_name = "REST-API"

    def ready(self):
        # In ready(): both need the app registry and settings loaded; schema registers drf-spectacular extensions.
        from . import caching, schema  # noqa: F401

        caching.install_write_tracker()
