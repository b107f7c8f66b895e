from django.http import Http404
from django.utils.translation import gettext as _

from rest_framework.negotiation import DefaultContentNegotiation

from .exceptions import ParameterError


class ContentNegotiation(DefaultContentNegotiation):
    """``?format=`` with an unknown value is a bad parameter (400), not a missing page (DRF's 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404 as exc:
            formate = ", ".join(r.format for r in renderers if r.format != "problem")
            fehler = _("Unbekanntes Format; möglich: %(formate)s.") % {"formate": formate}
            raise ParameterError({"format": [fehler]}) from exc
