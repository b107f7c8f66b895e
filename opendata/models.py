"""Subscriptions to changes: webhooks for dashboards (with their delivery log) and e-mail follows for staff."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ZustellStatus
from .ziele import url_pruefen


def neues_geheimnis() -> str:
    return secrets.token_hex(32)


class WebhookAbo(models.Model):
    """A dashboard's subscription: changes (history events) are POSTed to ``url``, signed with ``geheimnis``.

    Optionally narrowed to one Themenfeld and/or one Land; both empty means every change. Each delivery gets the
    next ``sequenz`` number of this subscription, and deliveries go out one after another in that order.
    """

    name = models.CharField(_("Name"), max_length=200, help_text=_("Wer die Nachrichten empfängt, z. B. Dashboard XY."))
    url = models.URLField(
        _("Empfänger-Adresse"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Nur http:// oder https://; erhält je Änderung ein POST mit JSON."),
    )
    geheimnis = models.CharField(
        _("Geheimnis"),
        max_length=128,
        default=neues_geheimnis,
        help_text=_(
            "Schlüssel für die Signatur X-OZG-Signatur: sha256=HMAC-SHA256(Geheimnis, Zeitstempel + '.' + Inhalt)."
        ),
    )
    themenfeld = models.ForeignKey(
        "catalog.Themenfeld",
        verbose_name=_("nur Themenfeld"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    land = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("nur Land"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        limit_choices_to={"ebene": "land"},
        related_name="+",
        help_text=_("Leer: alle Länder. Gesetzt: nur Änderungen mit Bezug zu diesem Land (ohne bundesweite)."),
    )
    aktiv = models.BooleanField(_("aktiv"), default=True)
    sequenz = models.PositiveBigIntegerField(
        _("letzte Sequenznummer"), default=0, editable=False, help_text=_("Zuletzt vergebene Nummer.")
    )
    angelegt_am = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook-Abo")
        verbose_name_plural = _("Webhook-Abos")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.url:
            try:
                url_pruefen(self.url)
            except ValidationError as fehler:
                raise ValidationError({"url": fehler.messages}) from fehler


class WebhookZustellung(models.Model):
    """One event for one webhook subscription: what was (or will be) sent, how often, and with which result."""

    abo = models.ForeignKey(WebhookAbo, verbose_name=_("Abo"), on_delete=models.CASCADE, related_name="zustellungen")
    sequenz = models.PositiveBigIntegerField(_("Sequenznummer"))
    ereignis_id = models.CharField(_("Ereignis"), max_length=100, help_text=_("Modell und Historien-ID."))
    aenderung = models.ForeignKey(
        "core.Aenderung",
        verbose_name=_("Eintrag im Änderungsprotokoll"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the log may be pruned one day; the number stays meaningful
    )
    inhalt = models.TextField(_("Inhalt (JSON)"), help_text=_("Genau die Bytes, die gesendet werden."))
    status = models.CharField(_("Status"), max_length=20, choices=ZustellStatus.choices, default=ZustellStatus.OFFEN)
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    statuscode = models.PositiveSmallIntegerField(_("HTTP-Status"), null=True, blank=True)
    fehler = models.TextField(_("Fehler"), blank=True)
    naechster_versuch = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    angelegt_am = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    zugestellt_am = models.DateTimeField(_("zugestellt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook-Zustellung")
        verbose_name_plural = _("Webhook-Zustellungen")
        ordering = ["abo", "sequenz"]
        constraints = [
            models.UniqueConstraint(fields=["abo", "sequenz"], name="webhookzustellung_sequenz_je_abo"),
            # Exactly one delivery per subscription and change, however often the relay or a task runs again.
            models.UniqueConstraint(fields=["abo", "aenderung"], name="webhookzustellung_einmal_je_aenderung"),
        ]
        indexes = [models.Index(fields=["status", "naechster_versuch"], name="webhookzustellung_faellig")]

    def __str__(self):
        return f"{self.abo} #{self.sequenz} ({self.get_status_display()})"


class Abonnement(models.Model):
    """A staff user follows a Kommune (any level, including a Land) or a Themenfeld and gets an e-mail on changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Benutzer"), on_delete=models.CASCADE, related_name="abonnements"
    )
    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.CASCADE, null=True, blank=True
    )
    kommune = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Kommune oder Land"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Änderungen dieser Gebietskörperschaft und aller darunter."),
    )
    angelegt_am = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement (E-Mail)")
        verbose_name_plural = _("Abonnements (E-Mail)")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(themenfeld__isnull=True, kommune__isnull=False)
                | Q(themenfeld__isnull=False, kommune__isnull=True),
                name="abonnement_themenfeld_oder_kommune",
                violation_error_message=_("Ein Abonnement folgt entweder einem Themenfeld oder einer Kommune."),
            ),
            models.UniqueConstraint(fields=["user", "themenfeld"], name="abonnement_themenfeld_eindeutig"),
            models.UniqueConstraint(fields=["user", "kommune"], name="abonnement_kommune_eindeutig"),
        ]

    def __str__(self):
        return f"{self.user} → {self.themenfeld or self.kommune}"


class EmailAusgang(models.Model):
    """One follower's e-mail, stored in the relay's transaction and sent afterwards (a transactional outbox).

    Sent by ``opendata.emails_senden`` after the commit and retried by every run of the relay (the minute sweep,
    or the next writing commit without Redis) with exponential backoff, until ``EMAIL_MAX_VERSUCHE`` attempts.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Benutzer"), on_delete=models.SET_NULL, null=True, blank=True
    )
    empfaenger = models.EmailField(_("Empfänger"))
    betreff = models.CharField(_("Betreff"), max_length=200)
    text = models.TextField(_("Text"))
    aenderung_bis = models.BigIntegerField(_("bis Eintrag im Änderungsprotokoll"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=ZustellStatus.choices, default=ZustellStatus.OFFEN)
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    fehler = models.TextField(_("Fehler"), blank=True)
    naechster_versuch = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    angelegt_am = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    gesendet_am = models.DateTimeField(_("gesendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail (Ausgang)")
        verbose_name_plural = _("E-Mails (Ausgang)")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "naechster_versuch"], name="emailausgang_faellig")]

    def __str__(self):
        return f"{self.empfaenger}: {self.betreff} ({self.get_status_display()})"
