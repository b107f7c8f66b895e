"""Feed links and the "Folgen" form for the Kommune, Themenfeld and Leistung pages."""

from django import template
from django.conf import settings

from opendata.models import Abonnement

register = template.Library()


@register.simple_tag(takes_context=True)
def folgen_formular(context, kommune=None, themenfeld=None):
    """The follow/unfollow form (``opendata/_folgen.html``), only for logged-in staff users.

    Anonymous visitors get nothing (no form, no CSRF token), so their pages stay in the page cache; and the tag
    touches the database and renders the form's template only for staff users.
    """
    request = context.get("request")
    # Staff users are signed in with a session: without its cookie the visitor is anonymous, and the user (a lazy
    # object that loads the session and runs the OTP check) is not looked at on the pages that most visitors see.
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff and user.is_active):
        return ""
    if kommune is not None:
        folgt = Abonnement.objects.filter(user=user, kommune=kommune).exists()
        ziel = {"art": "kommune", "kennung": kommune.schluessel}
    else:
        folgt = Abonnement.objects.filter(user=user, themenfeld=themenfeld).exists()
        ziel = {"art": "themenfeld", "kennung": themenfeld.slug}
    # Rendered the way an inclusion tag renders its template: a fresh context with the page's CSRF token.
    formular = context.new({"anzeigen": True, "folgt": folgt, "request": request, **ziel})
    if (csrf_token := context.get("csrf_token")) is not None:
        formular["csrf_token"] = csrf_token
    return context.template.engine.get_template("opendata/_folgen.html").render(formular)
