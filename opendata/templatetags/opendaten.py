"""Feed links and the "Folgen" form for the Kommune, Themenfeld and Leistung pages."""

from django import template

from opendata.models import Abonnement

register = template.Library()


@register.simple_tag(takes_context=True)
def folgen_formular(context, kommune=None, themenfeld=None):
    """The follow/unfollow form (``opendata/_folgen.html``), only for logged-in staff users.

    Anonymous visitors get nothing (no form, no CSRF token), so their pages stay in the page cache; and the tag
    touches the database and renders the form's template only for staff users.
    """
    request = context.get("request")
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
