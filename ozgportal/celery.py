"""The one Celery app. Without REDIS_URL, settings make every task run inline (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ozgportal.settings.dev")

app = Celery("ozgportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Carries the request id from the enqueuing request into the task's log lines (signal handlers).
from . import observability  # noqa: E402, F401
