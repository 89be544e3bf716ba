from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import User
from samverkan.core.permissions import has_capability
from samverkan.core.scoping import ScopedForm
from samverkan.core.selectors import users_with_role
from samverkan.domain import ticket_workflow as workflow
from samverkan.members.models import Department, Member
from samverkan.members.selectors import departments_for, member_from_query, members_for
from samverkan.portal.models import (
    Category,
    Channel,
    ImpactChoices,
    PriorityChoices,
    StandardText,
    Status,
    Team,
    TicketType,
    UrgencyChoices,
)
from samverkan.portal.policies import WORK_DESK, WRITE_INTERNAL_COMMENT
from samverkan.portal.selectors import teams_for


def desk_agents_for(user):
    """Who a ticket may be assigned to: the desk of the user's own federation."""
    if not user.is_authenticated:
        return User.objects.none()
    return users_with_role(user.federation_id, *WORK_DESK.roles).order_by("username")


def categories_for(user):
    return Category.objects.filter(team__in=teams_for(user)).select_related("team")


class TicketCreateForm(ScopedForm, forms.Form):
    scoped_fields = {
        "team": teams_for,
        "category": categories_for,
        "member": members_for,
        "department": departments_for,
    }

    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    team = forms.ModelChoiceField(label=_("Vart gäller det?"), queryset=Team.objects.none())
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.none(), required=False)
    type = forms.ChoiceField(label=_("Typ"), choices=TicketType.choices, initial=TicketType.INCIDENT)
    member = forms.ModelChoiceField(label=_("Medlem"), queryset=Member.objects.none())
    department = forms.ModelChoiceField(label=_("Förvaltning"), queryset=Department.objects.none(), required=False)
    impact = forms.TypedChoiceField(label=_("Hur många berörs?"), choices=ImpactChoices, coerce=int, initial=3)
    urgency = forms.TypedChoiceField(label=_("Hur brådskande är det?"), choices=UrgencyChoices, coerce=int, initial=2)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial=Channel.PORTAL)
    requester_name = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    requester_email = forms.EmailField(label=_("Kontaktens e-post"), required=False)
    order_reference = forms.CharField(label=_("Beställningsreferens"), max_length=100, required=False)
    attachment = forms.FileField(label=_("Bilaga"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not has_capability(user, WORK_DESK):
            # Requesters report through the portal for themselves.
            for name in ("channel", "requester_name", "requester_email"):
                del self.fields[name]
            if user.department_id:
                self.fields["member"].initial = user.department.member_id
                self.fields["department"].initial = user.department_id
            elif user.member_id:
                self.fields["member"].initial = user.member_id

    def clean(self):
        data = super().clean()
        category, team = data.get("category"), data.get("team")
        if category and team and category.team_id != team.pk:
            self.add_error("category", _("Kategorin hör inte till valt team."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 5}))
    internal = forms.BooleanField(label=_("Intern anteckning (syns inte för beställaren)"), required=False)
    attachment = forms.FileField(label=_("Bilaga"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_capability(user, WRITE_INTERNAL_COMMENT):
            del self.fields["internal"]


def agent_name(user) -> str:
    """Agents are offered by their names ("Marie Ahlqvist"), as comments are signed, not by user name."""
    return user.get_full_name() or user.username


class ReplyForm(ScopedForm, forms.Form):
    """The one reply box of the ticket page. Agents also get the internal switch, the new status
    and the assignee, sent with the same button; requesters only write and attach."""

    scoped_fields = {"assignee": desk_agents_for}
    field_order = ["body", "status", "assignee", "attachment", "internal"]

    body = forms.CharField(label=_("Svar"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    internal = forms.BooleanField(label=_("Intern anteckning (syns inte för beställaren)"), required=False)
    attachment = forms.FileField(label=_("Bilaga"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=(), required=False)  # empty: leave as it is
    assignee = forms.ModelChoiceField(label=_("Handläggare"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, ticket, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("status", ticket.status)
        initial.setdefault("assignee", ticket.assignee_id)
        super().__init__(*args, user=user, **kwargs)
        self.ticket = ticket
        self.fields["assignee"].label_from_instance = agent_name
        if has_capability(user, WORK_DESK):
            offered = (ticket.status, *workflow.moves(ticket.state, workflow.Party.DESK))
            self.fields["status"].choices = [(status, Status(status).label) for status in offered]
        else:
            for name in ("status", "assignee"):
                del self.fields[name]
        if not has_capability(user, WRITE_INTERNAL_COMMENT):
            del self.fields["internal"]

    def reply(self) -> dict:
        """The keyword arguments of ``services.replies.ticket_reply`` for this form's data."""
        data = self.cleaned_data
        upload = data.get("attachment")
        reply = {
            "body": data.get("body", ""),
            "internal": data.get("internal", False),
            "files": (upload,) if upload else (),
        }
        if "status" in self.fields:
            reply["status"] = data["status"] or None
            reply["assignee"] = data.get("assignee")
            # a post without the field (not the page's own form) leaves the assignee alone
            reply["change_assignee"] = "assignee" in self.data and data.get("assignee") != self.ticket.assignee
        return reply


class StatusForm(forms.Form):
    """The statuses the desk may move this ticket to now (``domain.ticket_workflow``), its own first."""

    status = forms.ChoiceField(label=_("Ny status"), choices=())

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        offered = (ticket.status, *workflow.moves(ticket.state, workflow.Party.DESK))
        self.fields["status"].choices = [(status, Status(status).label) for status in offered]


class AssignForm(ScopedForm, forms.Form):
    scoped_fields = {"assignee": desk_agents_for, "team": teams_for}

    assignee = forms.ModelChoiceField(label=_("Handläggare"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].label_from_instance = agent_name


class ClassifyForm(ScopedForm, forms.Form):
    scoped_fields = {"category": categories_for}

    impact = forms.TypedChoiceField(label=_("Påverkan"), choices=ImpactChoices, coerce=int)
    urgency = forms.TypedChoiceField(label=_("Brådska"), choices=UrgencyChoices, coerce=int)
    type = forms.ChoiceField(label=_("Typ"), choices=TicketType.choices)
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.none(), required=False)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = self.fields["category"].queryset.filter(team_id=ticket.team_id)


class TimeForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minuter"), min_value=1, max_value=24 * 60)
    day = forms.DateField(label=_("Datum"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    billable = forms.BooleanField(label=_("Debiterbar"), required=False, initial=True)
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)


class ReferenceForm(forms.Form):
    other = forms.IntegerField(label=_("Ärendenummer"), min_value=1)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Varför ska ärendet öppnas igen?"), max_length=1000)


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Hur nöjd är du med hur ärendet hanterades? (1 = inte alls, 10 = mycket)"),
        choices=[(i, str(i)) for i in range(1, 11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StandardTextForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"team": teams_for}

    class Meta:
        model = StandardText
        fields = ["title", "team", "body", "active"]
        help_texts = {"body": _("Platshållare: {namn}, {arende}, {rubrik}, {handlaggare}, {team}, {medlem}.")}


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Namn på vyn"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False)


class FilterForm(ScopedForm, forms.Form):
    """The desk's queue filters; field names are the query parameters."""

    scoped_fields = {"team": teams_for}

    q = forms.CharField(label=_("Sök"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), ("open", _("Alla öppna")), *Status.choices]
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Alla"))
    priority = forms.ChoiceField(label=_("Prioritet"), choices=[("", _("Alla")), *PriorityChoices], required=False)
    channel = forms.ChoiceField(label=_("Kanal"), choices=[("", _("Alla")), *Channel.choices], required=False)
    type = forms.ChoiceField(label=_("Typ"), choices=[("", _("Alla")), *TicketType.choices], required=False)
    assignee = forms.ChoiceField(
        label=_("Handläggare"),
        required=False,
        choices=[("", _("Alla")), ("me", _("Mina")), ("none", _("Ej tilldelade"))],
    )
    breached = forms.BooleanField(label=_("Bara överskridna"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        if not has_capability(user, WORK_DESK):
            for name in ("assignee", "breached", "team", "priority"):
                del self.fields[name]

    def filters(self) -> dict:
        """The chosen filters; `?medlem=<id>` (the member page's link) narrows to one of the
        user's members and is a 404 for any other id."""
        member = member_from_query(self.user, self.data.get("medlem")) if self.is_bound else None
        if not self.is_valid():
            return {"member": member.pk} if member else {}
        data = dict(self.cleaned_data)
        if data.get("team"):
            data["team"] = data["team"].pk
        if member is not None:
            data["member"] = member.pk
        return {k: v for k, v in data.items() if v}


# --- An order is a ticket (issue 16, helper B): the order form moved here from the catalogue,
# whose pages may not open the ticket that placing an order opens.
class OrderForm(ScopedForm, forms.Form):
    """Orders for the user's active departments; the item's own order fields are added."""

    scoped_fields = {"department": departments_for}

    department = forms.ModelChoiceField(label=_("Förvaltning"), queryset=Department.objects.none())
    quantity = forms.DecimalField(label=_("Antal"), min_value=0, max_digits=12, decimal_places=4, initial=1)
    requested_date = forms.DateField(
        label=_("Önskat leveransdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    delivery_address = forms.CharField(label=_("Leveransadress"), max_length=300, required=False)
    invoice_reference = forms.CharField(
        label=_("Fakturareferens"), max_length=100, required=False, help_text=_("Tomt: förvaltningens fakturareferens.")
    )
    note = forms.CharField(label=_("Meddelande"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        departments = self.fields["department"].queryset = self.fields["department"].queryset.filter(active=True)
        if departments.count() == 1:
            self.fields["department"].initial = departments.first()
        for index, label in enumerate(item.order_fields):
            self.fields[f"field_{index}"] = forms.CharField(label=label, max_length=200)
        self.item = item

    def form_data(self) -> dict[str, str]:
        return {label: self.cleaned_data[f"field_{i}"] for i, label in enumerate(self.item.order_fields)}


class OrderDeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("Leveransdatum"))
    asset_id = forms.IntegerField(label=_("Inventarie-id (valfritt)"), required=False, min_value=1)
