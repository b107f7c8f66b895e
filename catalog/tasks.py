"""Celery tasks of the catalogue: the stock of pages and API answers (``catalog.vorrat``)."""

from celery import shared_task

from . import vorrat


@shared_task(name=vorrat.TASK)
def seitenvorrat(alle: bool = False) -> dict:
    """Rebuild what changed since the last run; ``alle``: fill the whole stock (each current entry costs a read)."""
    if not isinstance(alle, bool):
        # A task argument from the broker or the admin's schedule: refused with what and where, not guessed.
        raise ValueError(f"catalog.seitenvorrat: „alle“ muss true oder false sein, nicht {alle!r}")
    if not vorrat.an():
        return {"aus": True}
    if alle:
        return vorrat.alle_auffuellen()
    return vorrat.erneuern()
