"""Health endpoints for load balancers and orchestrators.

``/health/live/``: liveness, the process answers; touches nothing (a restart would not cure a database outage).
``/health/`` (also ``/health/ready/``): readiness, database, cache, broker and migrations, as JSON. 200 when
everything a request needs is there. The broker is reported but does not make the portal unhealthy: without Redis,
pages and API keep serving and report rebuilds catch up later (degraded, not down). Anonymous callers learn only
"ok" or "fehler" per check; exception text (host names, driver messages) only signed-in staff.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


_migrationen_vollstaendig = False


def _migrations():
    # Building a MigrationExecutor reads every migration file: once per process is enough, since migrations are
    # applied before a release's processes start. Only success is remembered, so a node started before
    # `migrate` becomes ready as soon as it has run.
    global _migrationen_vollstaendig
    if _migrationen_vollstaendig:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    offen = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if offen:
        raise RuntimeError(f"{len(offen)} Migration(en) nicht angewendet")
    _migrationen_vollstaendig = True


def _cache():
    key = "health:probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("Cache liefert geschriebenen Wert nicht zurück")


def _broker():
    if not settings.REDIS_URL:
        return "inline"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    return "ok"


CHECKS = {
    "datenbank": (_database, True),
    "migrationen": (_migrations, True),
    "cache": (_cache, False),
    "broker": (_broker, False),
}


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def health(request):
    details = request.user.is_authenticated and request.user.is_staff
    ergebnis, gesund, beeintraechtigt = {}, True, False
    for name, (check, kritisch) in CHECKS.items():
        start = time.perf_counter()
        try:
            wert = check() or "ok"
        except Exception as exc:  # noqa: BLE001 - every failure is a finding, reported by name
            wert = f"fehler: {exc.__class__.__name__}: {exc}"[:200] if details else "fehler"
            gesund = gesund and not kritisch
            beeintraechtigt = True
        ergebnis[name] = {"status": wert, "ms": round((time.perf_counter() - start) * 1000, 1)}
    status = "ok" if not beeintraechtigt else ("beeintraechtigt" if gesund else "fehler")
    return JsonResponse({"status": status, "pruefungen": ergebnis}, status=200 if gesund else 503)
