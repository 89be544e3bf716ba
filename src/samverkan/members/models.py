from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.domain.money import format_number
from samverkan.members.validators import validate_kommunkod, validate_orgnr


class OrganisationForm(models.TextChoices):
    FEDERATION = "kommunalforbund", _("Kommunalförbund")
    JOINT_COMMITTEE = "gemensam_namnd", _("Gemensam nämnd")
    AGREEMENT = "avtalssamverkan", _("Avtalssamverkan")


class Federation(models.Model):
    """The cooperation body. One instance hosts several; every other row hangs off one."""

    slug = models.SlugField(_("kortnamn"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    organisation_form = models.CharField(_("organisationsform"), max_length=20, choices=OrganisationForm.choices)
    orgnr = models.CharField(_("organisationsnummer"), max_length=11, validators=[validate_orgnr])
    vat_number = models.CharField(_("momsregistreringsnummer"), max_length=14, blank=True)
    f_skatt = models.BooleanField(_("godkänd för F-skatt"), default=True)
    street = models.CharField(_("utdelningsadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=6, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    bankgiro = models.CharField(_("bankgiro"), max_length=12, blank=True)
    peppol_id = models.CharField(_("Peppol-id"), max_length=50, blank=True)
    host_municipality = models.CharField(_("värdkommun"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("förbund")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A municipality's membership of one federation (the same municipality may be in several)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("namn"), max_length=200)
    kommunkod = models.CharField(_("kommunkod"), max_length=4, validators=[validate_kommunkod])
    orgnr = models.CharField(_("organisationsnummer"), max_length=11, validators=[validate_orgnr])
    street = models.CharField(_("fakturaadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=6, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    invoice_email = models.EmailField(_("e-post för faktura"), blank=True)
    peppol_id = models.CharField(
        _("Peppol-id"), max_length=50, blank=True, help_text=_("Tomt betyder 0007:organisationsnummer.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        constraints = [
            models.UniqueConstraint(fields=["federation", "kommunkod"], name="member_once_per_federation"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def peppol_participant(self) -> str:
        return self.peppol_id or f"0007:{self.orgnr.replace('-', '')}"


class MembershipPeriod(models.Model):
    """From when to when a member belongs; several periods allow leaving and rejoining."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("inträde"))
    end = models.DateField(_("utträde"), null=True, blank=True)

    class Meta:
        ordering = ["member", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.start}–{self.end or ''}"


class Service(models.Model):
    """A task a member can hand over to the federation (kundtjänst, växel, IT-drift …)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("kod"))
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("verksamhet")
        constraints = [models.UniqueConstraint(fields=["federation", "code"], name="service_code_unique")]

    def __str__(self) -> str:
        return self.name


class HandOver(models.Model):
    """A member hands a service over from `start` (to `end`); partial hand-overs say how much."""

    class Extent(models.TextChoices):
        FULL = "full", _("Helt")
        PARTIAL = "partial", _("Delvis")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="handovers")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("verksamhet")
    )
    start = models.DateField(_("från"))
    end = models.DateField(_("till"), null=True, blank=True)
    extent = models.CharField(_("omfattning"), max_length=10, choices=Extent.choices, default=Extent.FULL)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        ordering = ["member", "service", "start"]
        verbose_name = _("överlämnad verksamhet")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="handover_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.service} ({self.start}–{self.end or ''})"


class Department(models.Model):
    """A member's administration (förvaltning); its invoice reference is the buyer reference."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("namn"), max_length=200)
    code = models.CharField(_("kod"), max_length=20, blank=True)
    invoice_reference = models.CharField(_("fakturareferens"), max_length=100)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["member", "name"]
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        constraints = [models.UniqueConstraint(fields=["member", "name"], name="department_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.member})"


class Contact(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    is_invoice_contact = models.BooleanField(_("fakturakontakt"), default=False)

    class Meta:
        ordering = ["member", "name"]
        verbose_name = _("kontaktperson")

    def __str__(self) -> str:
        return self.name


class FigureKind(models.TextChoices):
    POPULATION = "population", _("Folkmängd")
    USERS = "users", _("Antal användare")


class MemberFigure(models.Model):
    """A counted figure per member on a reference date: SCB population (1 Nov), users …"""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(_("slag"), max_length=20, choices=FigureKind.choices)
    reference_date = models.DateField(_("referensdatum"))
    value = models.PositiveIntegerField(_("värde"))
    source = models.CharField(_("källa"), max_length=100, blank=True)

    class Meta:
        ordering = ["member", "kind", "reference_date"]
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "reference_date"], name="figure_once_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.reference_date}: {format_number(self.value)}"
