"""The REST API for dashboards (``/api/v1/``): shared machinery; the resources live in ``<app>/api/``."""
