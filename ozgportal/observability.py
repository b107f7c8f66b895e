"""Request ids and structured logs.

Every request gets an id (taken from X-Request-ID when a proxy sets a sane one, else a new UUID). It is sent back
in the response, written into every log line of that request, and carried into the Celery tasks the request
enqueues, so one id follows a change from the admin form to the report rebuild.
"""

import contextvars
import json
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

from core.proxy import client_ip

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# The client address as core.proxy resolves it (TRUSTED_PROXIES), so logs name the visitor, not the proxy.
client_ip_var: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="-")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        rid = given if _VALID_ID.match(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs 4xx/5xx responses (django.request) after the middleware chain
        # has returned, and those lines must carry the id too. The next request sets its own.
        request_id_var.set(rid)
        client_ip_var.set(client_ip(request) or "-")
        request.request_id = rid
        response = self.get_response(request)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        record.client_ip = client_ip_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (Loki, ELK) parse without configuration."""

    def format(self, record):
        entry = {
            "zeit": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "client_ip": getattr(record, "client_ip", client_ip_var.get()),
            "nachricht": record.getMessage(),
        }
        if record.exc_info:
            entry["ausnahme"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


@before_task_publish.connect
def _attach_request_id(headers=None, **kwargs):
    if headers is not None and "request_id" not in headers:
        headers["request_id"] = request_id_var.get()


_task_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect
def _restore_request_id(task_id=None, task=None, **kwargs):
    rid = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
    if rid:  # an eager task runs inside the request and already has its id
        _task_tokens[task_id] = request_id_var.set(rid)


@task_postrun.connect
def _clear_request_id(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
