"""Forms of the meeting pages: a meeting, an agenda item, the notice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.scoping import ScopedForm
from samverkan.governance.models import AgendaItemKind, Body, Case, CaseDocument, MeetingStatus
from samverkan.governance.selectors.meetings import agenda_cases_for, agenda_documents_for, meeting_bodies_for


class MeetingFieldsForm(forms.Form):
    """The fields a meeting shares between planning it and changing it."""

    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Klockan från"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(label=_("Klockan till"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    topics = forms.CharField(
        label=_("Planerade ämnen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ett ämne per rad, till exempel ”Verksamhetsberättelse 2013”."),
    )


class MeetingForm(ScopedForm, MeetingFieldsForm):
    scoped_fields = {"body": meeting_bodies_for}

    body = forms.ModelChoiceField(label=_("Organ"), queryset=Body.objects.none())
    field_order = ["body", "date", "start_time", "end_time", "place", "topics"]


class MeetingEditForm(MeetingFieldsForm):
    """Editing keeps the body; the status may be set to planned, held or cancelled."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.CANCELLED)],
    )


class AgendaItemForm(ScopedForm, forms.Form):
    scoped_fields = {"case": agenda_cases_for, "documents": agenda_documents_for}

    kind = forms.ChoiceField(label=_("Slag"), choices=AgendaItemKind.choices, initial=AgendaItemKind.CASE)
    case = forms.ModelChoiceField(
        label=_("Ärende i diariet"),
        queryset=Case.objects.none(),
        required=False,
        help_text=_("Krävs för en punkt av slaget ärende."),
    )
    title = forms.CharField(
        label=_("Rubrik"), max_length=300, required=False, help_text=_("Tomt: ärendets ärendemening.")
    )
    proposal = forms.CharField(label=_("Förslag till beslut"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    presenter = forms.CharField(label=_("Föredragande"), max_length=200, required=False)
    documents = forms.ModelMultipleChoiceField(
        label=_("Handlingar"),
        queryset=CaseDocument.objects.none(),
        required=False,
        help_text=_("Handlingar i punktens ärende."),
    )
    dispatch_to = forms.CharField(
        label=_("Beslut skickas till"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En mottagare per rad."),
    )
    extra = forms.BooleanField(label=_("Extra ärende"), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:  # editing: only the item's own case's documents
            self.fields["documents"].queryset = self.fields["documents"].queryset.filter(case=case)
        self.fields["documents"].label_from_instance = _document_label


def _document_label(doc: CaseDocument) -> str:
    label = f"{doc.case.number}:{doc.sequence} {doc.title}"
    return f"{label} ({_('sekretess')} {doc.secrecy})" if doc.secrecy else label


class NoticeForm(forms.Form):
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när kallelsen skickas igen: varför (ändrad föredragningslista, ny handling …)."),
    )
