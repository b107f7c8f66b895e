"""The change log (transactional outbox) and the relay's per-consumer cursors."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Aenderung(models.Model):
    """One changed row, written in the same transaction as the change itself.

    ``id`` is the sequence: strictly increasing, and (thanks to the writers' lock, see ``core.aenderungen``)
    committed in id order, so "everything up to id N" is a well-defined data state.
    """

    class Aktion(models.TextChoices):
        ANGELEGT = "angelegt", _("angelegt")
        GEAENDERT = "geaendert", _("geändert")
        GELOESCHT = "geloescht", _("gelöscht")

    id = models.BigAutoField(primary_key=True)
    modell = models.CharField(_("Modell"), max_length=100, help_text=_("App-Label und Modell, z. B. catalog.Leistung."))
    schluessel = models.CharField(_("öffentlicher Schlüssel"), max_length=200, blank=True)
    objekt_id = models.BigIntegerField(_("Primärschlüssel"), null=True)
    aktion = models.CharField(_("Aktion"), max_length=10, choices=Aktion.choices)
    vorher = models.JSONField(_("vorher"), null=True, blank=True, encoder=DjangoJSONEncoder)
    nachher = models.JSONField(_("nachher"), null=True, blank=True, encoder=DjangoJSONEncoder)
    historie_id = models.BigIntegerField(_("Historien-Zeile"), null=True, blank=True)
    wie = models.CharField(
        _("wie"), max_length=20, help_text=_("admin, import, bulk, api, command, revert, phasenstand, seed, task …")
    )
    wer = models.CharField(_("wer"), max_length=200, blank=True, help_text=_("Benutzer-ID oder API-Schlüssel."))
    user_id = models.IntegerField(_("Benutzer"), null=True, blank=True)
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"))
    #: Whole seconds since the epoch, strictly greater than any earlier transaction's: Last-Modified.
    sekunde = models.BigIntegerField(_("Sekunde"))
    # No index: nothing looks entries up by it, and an import writes thousands of entries with the same value (the
    # entries of one transaction are contiguous in id anyway, see core.aenderungen).
    transaktion = models.CharField(_("Transaktion"), max_length=32)
    land_ars = models.CharField(_("Land (ARS)"), max_length=2, blank=True)
    gebiet_ars = models.CharField(_("Gebietskörperschaft (ARS)"), max_length=12, blank=True)
    themenfeld = models.CharField(_("Themenfeld"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Änderung")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["id"]

    def __str__(self):
        return f"#{self.id} {self.modell} {self.schluessel or self.objekt_id} {self.aktion}"


class Konsumentenstand(models.Model):
    """How far one consumer of the relay has read the log; advanced in the transaction of its work."""

    name = models.CharField(_("Konsument"), max_length=100, primary_key=True)
    letzte_id = models.BigIntegerField(_("zuletzt verarbeitet"), default=0)
    fehlversuche = models.PositiveIntegerField(_("Fehlversuche in Folge"), default=0)
    fehler = models.TextField(_("letzter Fehler"), blank=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Konsumentenstand")
        verbose_name_plural = _("Konsumentenstände")

    def __str__(self):
        return f"{self.name} bei #{self.letzte_id}"


class Neubauauftrag(models.Model):
    """A rebuild that the data needs (a report, an open-data file), recorded durably in the relay's transaction.

    The relay consumer raises ``gewuenscht_bis`` (the log entry up to which the data must be reflected) and queues
    the task; the task, when it starts, notes what it covers and, when it has finished, raises ``erledigt_bis``.
    A message lost with a killed worker leaves ``erledigt_bis < gewuenscht_bis``: the minute sweep
    (``core.relay.nachholen``) queues it again once nothing happened for ``NEUBAU_NACHHOLEN_SEKUNDEN``.
    """

    schluessel = models.CharField(_("Auftrag"), max_length=150, primary_key=True, help_text=_("z. B. bericht:labore"))
    task = models.CharField(_("Celery-Task"), max_length=100)
    argumente = models.JSONField(_("Argumente"), default=dict, encoder=DjangoJSONEncoder)
    gewuenscht_bis = models.BigIntegerField(_("gewünscht bis Eintrag"), default=0)
    erledigt_bis = models.BigIntegerField(_("erledigt bis Eintrag"), default=0)
    eingereiht_am = models.DateTimeField(_("eingereiht am"), null=True, blank=True)
    begonnen_am = models.DateTimeField(_("begonnen am"), null=True, blank=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Neubau-Auftrag")
        verbose_name_plural = _("Neubau-Aufträge")

    def __str__(self):
        return f"{self.schluessel}: bis #{self.gewuenscht_bis}, erledigt #{self.erledigt_bis}"
