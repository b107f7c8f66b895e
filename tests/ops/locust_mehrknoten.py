"""Locust users for tests/ops/test_mehrknoten.py: the multi-node paths, through the test's nginx on 127.0.0.1
(the only host: ``--host``, set by the test). Not a test module (pytest collects only ``test_*.py``).

A request fails unless it is answered 200 with exactly the bytes its Content-Length announced. requests (urllib3 2)
raises for a body cut short, and locust counts that as a failure; the check here says it once more without
relying on that. ``Accept-Encoding: identity``: a compressed body's length is not the one to compare.
"""

from locust import HttpUser, between, task

PFADE = ["/", "/labore/", "/api/v1/lagen/", "/api/v1/leistungen/10000/", "/opendaten/labore.csv", "/health/live/"]


class Besucher(HttpUser):
    wait_time = between(0.01, 0.05)

    @task
    def rundgang(self):
        for pfad in PFADE:
            with self.client.get(
                pfad, name=pfad, headers={"Accept-Encoding": "identity"}, timeout=30, catch_response=True
            ) as antwort:
                if antwort.error:  # no answer, or cut short: locust records the exception as the failure
                    continue
                angekuendigt = antwort.headers.get("Content-Length")
                if antwort.status_code != 200:
                    antwort.failure(f"Status {antwort.status_code}")
                elif angekuendigt is not None and len(antwort.content) != int(angekuendigt):
                    antwort.failure(f"{len(antwort.content)} von {angekuendigt} Bytes")
