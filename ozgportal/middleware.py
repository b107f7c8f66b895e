"""Security middleware that Django does not ship."""

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string


class AllowedMethodsMiddleware:
    """Reject HTTP methods the portal never uses (TRACE, CONNECT, …) before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = set(settings.ALLOWED_HTTP_METHODS)

    def __call__(self, request):
        if request.method not in self.allowed:
            return HttpResponseNotAllowed(sorted(self.allowed))
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy: the portal needs no camera, microphone, location, payment or USB."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """With the database down, answer 503 with a plain German page instead of a stack trace or a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and _database_down():
            html = render_to_string("503.html")
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "60"
            return response
        return None


def _database_down() -> bool:
    """Tell an outage (no connection) from an error in one query, which stays a 500 and gets logged."""
    from django.db import connection

    try:
        connection.close()
        connection.ensure_connection()
    except DatabaseError:
        return True
    return False
