"""Pages of the service portal (requesters) and the desk (agents). Thin: parse, call, render."""

from __future__ import annotations

import csv
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.params import id_or_none, year_or
from samverkan.core.permissions import role_required
from samverkan.portal import forms, selectors, services
from samverkan.portal.models import Channel, Status, SurveyResponse, Ticket, TicketLink, TicketType
from samverkan.portal.selectors import DESK_ROLES, TICKET_READERS, is_desk
from samverkan.portal.sla import SlaContext
from samverkan.portal.texts import render_standard_text

PAGE_SIZE = 50
MAX_PAGE = 100_000


class SlicePage:
    """A page without COUNT(*): fetch one row more than shown to know if there is a next page.

    Counting a department's or the federation's tickets costs a scan of all of them, which on
    a million tickets dominates the page; queues are read from the top anyway.
    """

    def __init__(self, queryset, number: str | None, size: int = PAGE_SIZE):
        try:
            # Bounded: a huge page number would overflow the database's OFFSET.
            self.number = min(max(1, int(number or 1)), MAX_PAGE)
        except ValueError:
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.object_list = rows[:size]
        self._has_next = len(rows) > size

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _badge(state) -> dict:
    """Label and CSS class of a list row's SLA badge, computed here so the row template stays cheap."""
    if state.paused:
        return {"css": "", "label": _("Pausad"), "due_at": state.due_at}
    if state.badge in ("bad", "warn"):
        label = _("SLA överskriden") if state.badge == "bad" else _("SLA varning")
        return {"css": state.badge, "label": label, "due_at": state.due_at}
    return {"css": "ok", "label": _("Inom SLA") if state.running else _("SLA uppfylld"), "due_at": state.due_at}


def _with_sla(tickets) -> list[tuple[Ticket, dict]]:
    context, now = SlaContext(), timezone.now()
    return [(ticket, _badge(context.list_state(ticket, now))) for ticket in tickets]


def _local(moment) -> str:
    """Same text as the template filter ``date:"Y-m-d H:i"`` (local time), without the filter's cost."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _list_rows(tickets) -> list[dict]:
    """Everything a list row shows, as plain strings (escaped by the template as usual).

    A page is 50 rows × 11 cells; resolving attributes, choice labels, localized numbers
    and dates in the template costs more than the query, so it is done once here. Ids are
    plain digits (not localized "1 000"), as links and form values need.
    """
    statuses = {value: str(label) for value, label in Status.choices}
    rows = []
    for ticket, sla in _with_sla(tickets):
        organisation = ticket.member_name
        if ticket.department_name:
            organisation = f"{organisation} / {ticket.department_name}"
        rows.append(
            {
                "id": str(ticket.pk),
                "reference": ticket.reference,
                "title": ticket.title,
                "status": statuses.get(ticket.status, ticket.status),
                "priority": str(ticket.priority),
                "team": ticket.team.name,
                "organisation": organisation,
                "assignee": ticket.assignee_username or "–",
                "created": _local(ticket.created_at),
                "due": _local(sla["due_at"]) or "–",
                "sla_css": sla["css"],
                "sla_label": sla["label"],
            }
        )
    return rows


def _filter_controls(form, teams: list) -> list[dict]:
    """The filter form as plain data for a hand-written template loop.

    Rendering ~35 widgets and options through Django's per-widget templates costs more than
    the whole ticket query; this gives the same controls (names, ids, labels, chosen values,
    aria-invalid on errors) at a fraction of the cost.
    """
    controls = []
    for field in form:
        widget = field.field.widget
        control = {
            "name": field.html_name,
            "id": field.id_for_label,
            "label": field.label,
            "invalid": bool(field.errors),
        }
        value = field.value()
        if getattr(widget, "input_type", None) == "checkbox":
            control.update(kind="checkbox", checked=bool(value))
        elif hasattr(field.field, "choices"):
            if hasattr(field.field, "queryset"):  # the team choice: teams already fetched for the page
                choices = [("", field.field.empty_label or "")] + [(team.pk, str(team)) for team in teams]
            else:
                choices = field.field.choices
            chosen = "" if value is None else str(value)
            control.update(
                kind="select",
                options=[{"value": str(v), "label": label, "selected": str(v) == chosen} for v, label in choices],
            )
        else:
            control.update(kind="text", type=getattr(widget, "input_type", "text"), value=value or "")
        controls.append(control)
    return controls


@role_required(*TICKET_READERS)
def home(request):
    return redirect("portal:desk" if is_desk(request.user) else "portal:my-tickets")


def _ticket_list(request, *, mine: bool, title: str, template: str):
    filter_form = forms.FilterForm(request.GET or None, user=request.user)
    tickets = selectors.ticket_list_rows(request.user, filters=filter_form.filters(), mine=mine)
    page = SlicePage(tickets, request.GET.get("sida"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "sida"])
    desk_user = is_desk(request.user)
    teams = list(selectors.teams_for(request.user)) if desk_user else []
    return render(
        request,
        template,
        {
            "title": title,
            "page": page,
            "rows": _list_rows(page.object_list),
            "filter_controls": _filter_controls(filter_form, teams),
            "mine": mine,
            "desk": desk_user,
            "query": query,
            "saved_views": selectors.saved_views_for(request.user) if desk_user else (),
            "statuses": Status.choices,
            "teams": teams,
            "select_label": _("Välj"),
            # One reverse() instead of one per row: …/arenden/<pk>/.
            "detail_prefix": reverse("portal:ticket-detail", args=[0])[:-2],
        },
    )


@role_required(*TICKET_READERS)
def my_tickets(request):
    return _ticket_list(request, mine=True, title=_("Mina ärenden"), template="portal/ticket_list.html")


@role_required(*TICKET_READERS)
def ticket_list(request):
    title = _("Ärendekö") if is_desk(request.user) else _("Ärenden för min organisation")
    return _ticket_list(request, mine=False, title=title, template="portal/ticket_list.html")


@role_required(*DESK_ROLES)
def desk(request):
    if not request.GET:
        return redirect(f"{request.path}?status=open")
    return _ticket_list(request, mine=False, title=_("Ärendekö"), template="portal/ticket_list.html")


@role_required(*TICKET_READERS)
def ticket_export(request):
    """CSV of the list the user sees: public fields only, whatever the role."""
    filter_form = forms.FilterForm(request.GET or None, user=request.user)
    tickets = selectors.ticket_list(request.user, filters=filter_form.filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="arenden.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Ärende"),
            _("Rubrik"),
            _("Status"),
            _("Prioritet"),
            _("Kanal"),
            _("Typ"),
            _("Team"),
            _("Medlem"),
            _("Förvaltning"),
            _("Skapad"),
            _("Löst"),
        ]
    )
    for t in tickets.iterator(chunk_size=2000):
        writer.writerow(
            [
                t.pk,
                t.title,
                t.get_status_display(),
                t.priority,
                t.get_channel_display(),
                t.get_type_display(),
                t.team.name,
                t.member.name,
                t.department.name if t.department else "",
                timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(t.resolved_at).strftime("%Y-%m-%d %H:%M") if t.resolved_at else "",
            ]
        )
    return response


@role_required(*TICKET_READERS)
def ticket_create(request):
    form = forms.TicketCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment", None)
        try:
            ticket = services.ticket_create(acting_user=request.user, **data)
            if upload:
                services.attachment_add(acting_user=request.user, ticket=ticket, upload=upload)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Du får inte göra detta."))
        else:
            messages.success(request, _("Ärendet %(ref)s är registrerat.") % {"ref": ticket.reference})
            return redirect("portal:ticket-detail", pk=ticket.pk)
    return render(request, "portal/form.html", {"form": form, "title": _("Nytt ärende"), "multipart": True})


@role_required(*TICKET_READERS)
def ticket_detail(request, pk: int):
    user = request.user
    ticket = selectors.ticket_get(user, pk)
    desk_user = is_desk(user)
    initial_body = ""
    standard_text = id_or_none(request.GET.get("standardtext")) if desk_user else None
    if standard_text:
        text = get_object_or_404(selectors.standard_texts_for(user), pk=standard_text)
        initial_body = render_standard_text(text.body, ticket=ticket, agent=user)
    links = TicketLink.objects.filter(from_ticket=ticket) | TicketLink.objects.filter(to_ticket=ticket)
    linked = selectors.tickets_for(user).filter(
        pk__in=[link.to_ticket_id if link.from_ticket_id == ticket.pk else link.from_ticket_id for link in links]
    )
    context = {
        "title": f"{ticket.reference} {ticket.title}",
        "ticket": ticket,
        "sla": SlaContext().state(ticket),
        "comments": selectors.comments_for(user, ticket),
        "attachments": selectors.attachments_for(user, ticket),
        "desk": desk_user,
        "comment_form": forms.CommentForm(user=user, initial={"body": initial_body}),
        "following": ticket.followers.filter(user=user).exists(),
        "followers": ticket.followers.select_related("user"),
        "follower_candidates": selectors.follower_candidates(ticket),
        "linked": linked,
        "merged": selectors.tickets_for(user).filter(merged_into=ticket),
        "survey": SurveyResponse.objects.filter(ticket=ticket).first(),
    }
    if desk_user:
        context.update(
            {
                "status_form": forms.StatusForm(initial={"status": ticket.status}),
                "assign_form": forms.AssignForm(
                    user=user, initial={"assignee": ticket.assignee_id, "team": ticket.team_id}
                ),
                "classify_form": forms.ClassifyForm(
                    ticket=ticket,
                    initial={
                        "impact": ticket.impact,
                        "urgency": ticket.urgency,
                        "type": ticket.type,
                        "category": ticket.category_id,
                    },
                ),
                "time_form": forms.TimeForm(),
                "reference_form": forms.ReferenceForm(),
                "standard_texts": selectors.standard_texts_for(user, ticket.team),
                "time_entries": ticket.time_entries.select_related("user"),
                "history": _history(ticket),
            }
        )
    elif ticket.status in (Status.RESOLVED, Status.CLOSED) and context["survey"] is None and not ticket.merged_into_id:
        context["survey_form"] = forms.SurveyForm()
    if ticket.status in (Status.RESOLVED, Status.CLOSED) and not ticket.merged_into_id:
        context["reopen_form"] = forms.ReopenForm()
    return render(request, "portal/ticket_detail.html", context)


def _history(ticket: Ticket):
    from samverkan.core.models import AuditEvent

    return AuditEvent.objects.filter(object_type="portal.Ticket", object_id=str(ticket.pk)).order_by("at")[:100]


def _post_action(request, pk: int, form_class, action, *, form_kwargs=None):
    ticket = selectors.ticket_get(request.user, pk)
    form = form_class(request.POST, request.FILES or None, **(form_kwargs(ticket) if form_kwargs else {}))
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {error}".strip())
    else:
        try:
            message = action(ticket, form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            if message:
                messages.success(request, message)
    return redirect("portal:ticket-detail", pk=pk)


@require_POST
@role_required(*TICKET_READERS)
def ticket_comment(request, pk: int):
    def act(ticket, data):
        upload = data.get("attachment")
        services.comment_add(
            acting_user=request.user,
            ticket=ticket,
            body=data["body"],
            internal=data.get("internal", False),
            files=(upload,) if upload else (),
        )
        return _("Kommentaren är sparad.")

    return _post_action(request, pk, forms.CommentForm, act, form_kwargs=lambda t: {"user": request.user})


@require_POST
@role_required(*DESK_ROLES)
def ticket_status(request, pk: int):
    def act(ticket, data):
        services.ticket_change_status(acting_user=request.user, ticket=ticket, status=data["status"])
        return _("Status ändrad.")

    return _post_action(request, pk, forms.StatusForm, act)


@require_POST
@role_required(*DESK_ROLES)
def ticket_assign(request, pk: int):
    def act(ticket, data):
        services.ticket_assign(acting_user=request.user, ticket=ticket, assignee=data["assignee"], team=data["team"])
        return _("Tilldelning sparad.")

    return _post_action(request, pk, forms.AssignForm, act, form_kwargs=lambda t: {"user": request.user})


@require_POST
@role_required(*DESK_ROLES)
def ticket_classify(request, pk: int):
    def act(ticket, data):
        services.ticket_classify(
            acting_user=request.user,
            ticket=ticket,
            impact=data["impact"],
            urgency=data["urgency"],
            type=data["type"],
            category=data["category"],
        )
        return _("Klassning sparad.")

    return _post_action(request, pk, forms.ClassifyForm, act, form_kwargs=lambda t: {"ticket": t})


@require_POST
@role_required(*DESK_ROLES)
def ticket_time(request, pk: int):
    def act(ticket, data):
        services.time_entry_add(acting_user=request.user, ticket=ticket, **data)
        return _("Tiden är rapporterad.")

    return _post_action(request, pk, forms.TimeForm, act)


@require_POST
@role_required(*DESK_ROLES)
def ticket_merge(request, pk: int):
    def act(ticket, data):
        target = selectors.ticket_get(request.user, data["other"])
        services.ticket_merge(acting_user=request.user, source=ticket, target=target)
        return _("Ärendet har slagits samman med %(ref)s.") % {"ref": target.reference}

    return _post_action(request, pk, forms.ReferenceForm, act)


@require_POST
@role_required(*DESK_ROLES)
def ticket_link(request, pk: int):
    def act(ticket, data):
        other = selectors.ticket_get(request.user, data["other"])
        services.ticket_link(acting_user=request.user, ticket=ticket, other=other)
        return _("Ärendena är länkade.")

    return _post_action(request, pk, forms.ReferenceForm, act)


@require_POST
@role_required(*TICKET_READERS)
def ticket_reopen(request, pk: int):
    def act(ticket, data):
        services.ticket_reopen(acting_user=request.user, ticket=ticket, reason=data["reason"])
        return _("Ärendet är öppnat igen.")

    return _post_action(request, pk, forms.ReopenForm, act)


@require_POST
@role_required(*TICKET_READERS)
def ticket_survey(request, pk: int):
    def act(ticket, data):
        try:
            services.survey_answer(
                acting_user=request.user, ticket=ticket, score=data["score"], comment=data["comment"]
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None
        return _("Tack för ditt svar!")

    return _post_action(request, pk, forms.SurveyForm, act)


@require_POST
@role_required(*TICKET_READERS)
def ticket_follow(request, pk: int):
    ticket = selectors.ticket_get(request.user, pk)
    follow = request.POST.get("follow") == "1"
    user = request.user
    if request.POST.get("user"):
        candidates = {str(u.pk): u for u in selectors.follower_candidates(ticket)}
        user = candidates.get(request.POST["user"])
        if user is None:
            messages.error(request, _("Personen kan inte följa ärendet."))
            return redirect("portal:ticket-detail", pk=pk)
    try:
        services.follower_set(acting_user=request.user, ticket=ticket, user=user, follow=follow)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if user == request.user:
            messages.success(request, _("Du följer ärendet.") if follow else _("Du följer inte längre ärendet."))
        else:
            messages.success(request, _("%(name)s följer nu ärendet.") % {"name": user.get_full_name() or user})
    return redirect("portal:ticket-detail", pk=pk)


@role_required(*TICKET_READERS)
def ticket_print(request, pk: int):
    """Plain-text export of one ticket with the comments this user may see."""
    ticket = selectors.ticket_get(request.user, pk)
    lines = [
        f"{ticket.reference} {ticket.title}",
        f"{_('Status')}: {ticket.get_status_display()}",
        f"{_('Medlem')}: {ticket.member.name}",
        "",
        ticket.description,
        "",
    ]
    for comment in selectors.comments_for(request.user, ticket):
        marker = f" [{_('intern')}]" if comment.internal else ""
        lines += [
            f"--- {timezone.localtime(comment.created_at):%Y-%m-%d %H:%M} {comment.author_name}{marker}",
            comment.body,
            "",
        ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arende-{ticket.pk}.txt"'
    return response


@role_required(*TICKET_READERS)
def attachment_download(request, pk: int):
    attachment = selectors.attachment_get(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@role_required(*DESK_ROLES)
def bulk_action(request):
    ids = [pk for pk in map(id_or_none, request.POST.getlist("ticket")) if pk]
    tickets = selectors.tickets_for(request.user).filter(pk__in=ids)
    action, value = request.POST.get("action", ""), request.POST.get("value") or None
    if action == "team" and value:
        value = get_object_or_404(selectors.teams_for(request.user), pk=id_or_none(value) or 0)
    try:
        if action == "status" and value not in Status.values:
            raise ValidationError(_("Välj en giltig status."))
        changed, errors = services.tickets_bulk_update(
            acting_user=request.user, tickets=tickets, action=action, value=value
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s ärenden ändrade.") % {"n": changed})
        for error in errors:
            messages.error(request, error)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/portal/") else "portal:desk")


@require_POST
@role_required(*DESK_ROLES)
def saved_view_save(request):
    form = forms.SavedViewForm(request.POST)
    if form.is_valid():
        view = services.saved_view_save(
            acting_user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
        messages.success(request, _("Vyn %(name)s är sparad.") % {"name": view.name})
        return redirect(f"{_desk_url()}?{view.query}")
    messages.error(request, _("Ge vyn ett namn."))
    return redirect("portal:desk")


@require_POST
@role_required(*DESK_ROLES)
def saved_view_delete(request, pk: int):
    view = get_object_or_404(selectors.saved_views_for(request.user), pk=pk)
    view.delete()
    messages.success(request, _("Vyn är borttagen."))
    return redirect("portal:desk")


def _desk_url() -> str:
    return reverse("portal:desk")


@role_required(*DESK_ROLES)
def standard_text_list(request):
    texts = selectors.standard_texts_for(request.user).select_related("team")
    return render(request, "portal/standard_texts.html", {"title": _("Standardtexter"), "texts": texts})


@role_required(*DESK_ROLES)
def standard_text_edit(request, pk: int | None = None):
    instance = get_object_or_404(selectors.standard_texts_for(request.user), pk=pk) if pk else None
    form = forms.StandardTextForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_text_save(
                acting_user=request.user, federation=request.user.federation, instance=instance, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Standardtexten är sparad."))
            return redirect("portal:standard-texts")
    return render(request, "portal/form.html", {"form": form, "title": _("Standardtext")})


@role_required(*DESK_ROLES)
def statistics(request):
    year = year_or(request.GET.get("ar"), timezone.localdate().year)
    user = request.user
    by_channel = selectors.ticket_counts(user, year=year, by="channel")
    channel_labels = dict(Channel.choices)
    it_channels = {row["key"]: row["n"] for row in selectors.ticket_counts(user, year=year, by="channel", team="it")}
    context = {
        "title": _("Ärendestatistik %(year)s") % {"year": year},
        "year": year,
        "years": range(year - 3, year + 2),
        "by_channel": [(channel_labels.get(r["key"], r["key"]), r["n"]) for r in by_channel],
        "by_type": selectors.ticket_counts(user, year=year, by="type"),
        "by_team": selectors.ticket_counts(user, year=year, by="team"),
        "by_member": selectors.ticket_counts(user, year=year, by="member"),
        "by_month": selectors.ticket_counts(user, year=year, by="month"),
        "response": selectors.sla_attainment(user, year=year, kind="response"),
        "resolution": selectors.sla_attainment(user, year=year, kind="resolution"),
        "nki": selectors.nki_per_team(user, year=year),
        "it_table": {
            "total": sum(it_channels.values()),
            "phone": it_channels.get(Channel.PHONE, 0),
            "portal": it_channels.get(Channel.PORTAL, 0),
            "visit": it_channels.get(Channel.VISIT, 0),
            "email": it_channels.get(Channel.EMAIL, 0),
        },
        "type_labels": dict(TicketType.choices),
    }
    return render(request, "portal/statistics.html", context)


@role_required(*DESK_ROLES)
def time_report(request):
    """Billable time per member/department in a period — what the invoice run will bill."""
    try:
        start = date.fromisoformat(request.GET.get("fran", ""))
        end = date.fromisoformat(request.GET.get("till", ""))
    except ValueError:
        today = timezone.localdate()
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    rows = selectors.billable_time(request.user.federation, start, end) if request.user.federation else []
    return render(
        request,
        "portal/time_report.html",
        {
            "title": _("Debiterbar tid"),
            "rows": rows,
            "start": start,
            "end": end,
            "total": sum(r.minutes for r in rows),
        },
    )
