"""Diagnostic task of the portal itself."""

import socket

from celery import shared_task

from .observability import request_id_var


@shared_task(name="ozgportal.diagnose", queue="default", acks_late=True, time_limit=30)
def diagnose() -> dict:
    """Answer which worker ran it and under which request id: checks broker, worker and log correlation."""
    return {"worker": socket.gethostname(), "request_id": request_id_var.get()}
