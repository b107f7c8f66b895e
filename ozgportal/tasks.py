"""Tasks of the portal itself (diagnosis). Run on the default queue (CELERY_TASK_DEFAULT_QUEUE)."""

import socket

from celery import shared_task

from .observability import request_id_var


@shared_task(name="ozgportal.diagnose", acks_late=True, time_limit=30)  # queue "default" (task default)
def diagnose() -> dict:
    """Answer which worker ran it and under which request id: checks broker, worker and log correlation."""
    return {"worker": socket.gethostname(), "request_id": request_id_var.get()}
