"""Feed links and the "Folgen" form for the Kommune, Themenfeld and Leistung pages."""

from django import template

from opendata.models import Abonnement

register = template.Library()


@register.inclusion_tag("opendata/_folgen.html", takes_context=True)
def folgen_formular(context, kommune=None, themenfeld=None):
    """The follow/unfollow form, only for logged-in staff users.

    Anonymous visitors get nothing (no form, no CSRF token), so their pages stay in the page cache; and the tag
    touches the database only for staff users.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff and user.is_active):
        return {"anzeigen": False}
    if kommune is not None:
        folgt = Abonnement.objects.filter(user=user, kommune=kommune).exists()
        ziel = {"art": "kommune", "kennung": kommune.schluessel}
    else:
        folgt = Abonnement.objects.filter(user=user, themenfeld=themenfeld).exists()
        ziel = {"art": "themenfeld", "kennung": themenfeld.slug}
    return {"anzeigen": True, "folgt": folgt, "request": request, **ziel}
