"""One ticket: reporting it, its page, its plain-text export and its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_service_errors
from samverkan.core.params import id_or_none
from samverkan.core.permissions import capability_required, has_capability
from samverkan.portal import forms, selectors
from samverkan.portal.models import SurveyResponse, Ticket, TicketLink
from samverkan.portal.policies import (
    ANSWER_SURVEY,
    COMMENT_ON_TICKET,
    CREATE_TICKET,
    MANAGE_STANDARD_TEXTS,
    VIEW_TICKETS,
    WORK_DESK,
)
from samverkan.portal.services import attachments, replies, tickets
from samverkan.portal.sla import SlaContext
from samverkan.portal.texts import render_standard_text


@capability_required(CREATE_TICKET)
def ticket_create(request):
    form = forms.TicketCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment", None)
        try:
            ticket = tickets.ticket_create(acting_user=request.user, **data)
            if upload:
                attachments.attachment_add(acting_user=request.user, ticket=ticket, upload=upload)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:  # reporting outside one's own organisation: say so on the form
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ärendet %(ref)s är registrerat.") % {"ref": ticket.reference})
            return redirect("portal:ticket-detail", pk=ticket.pk)
    return render(request, "core/form.html", {"form": form, "title": _("Nytt ärende"), "multipart": True})


@capability_required(VIEW_TICKETS)
def ticket_detail(request, pk: int):
    """The ticket page: the conversation with one reply box on the left, the properties and the
    less-used actions on the right. ``?standardtext=<id>`` starts the reply with that text."""
    user = request.user
    ticket = selectors.ticket_get(user, pk)
    initial_body = ""
    standard_text = id_or_none(request.GET.get("standardtext")) if has_capability(user, WORK_DESK) else None
    if standard_text:
        text = get_object_or_404(selectors.standard_texts_for(user), pk=standard_text)
        initial_body = render_standard_text(text.body, ticket=ticket, agent=user)
    form = forms.ReplyForm(ticket=ticket, user=user, initial={"body": initial_body})
    return _page(request, ticket, form)


@capability_required(COMMENT_ON_TICKET)
@require_POST
def ticket_reply(request, pk: int):
    """The reply box's one button. "Infoga" without JavaScript posts here too: the chosen standard
    text is appended to what was typed and the page shown again, nothing saved."""
    user = request.user
    ticket = selectors.ticket_get(user, pk)
    if request.POST.get("insert") and has_capability(user, WORK_DESK):
        data = request.POST.copy()
        if request.POST.get("standardtext"):
            data["body"] = _with_standard_text(user, ticket, data.get("body", ""), request.POST["standardtext"])
        return _page(request, ticket, forms.ReplyForm(initial=data.dict(), ticket=ticket, user=user))
    form = forms.ReplyForm(request.POST, request.FILES or None, ticket=ticket, user=user)
    if form.is_valid():
        try:
            replies.ticket_reply(acting_user=user, ticket=ticket, **form.reply())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Svaret är skickat."))
            return redirect("portal:ticket-detail", pk=pk)
    return _page(request, ticket, form)


@capability_required(MANAGE_STANDARD_TEXTS)
def standard_text_insert(request, pk: int):
    """The chosen standard text filled in for this ticket, as plain text for the reply box's
    script to insert at the cursor (htmx GET); another federation's text is a 404."""
    ticket = selectors.ticket_get(request.user, pk)
    body = _with_standard_text(request.user, ticket, "", request.GET.get("standardtext"))
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def _with_standard_text(user, ticket: Ticket, typed: str, text_id) -> str:
    text = get_object_or_404(selectors.standard_texts_for(user, ticket.team), pk=id_or_none(text_id) or 0)
    filled = render_standard_text(text.body, ticket=ticket, agent=user)
    return f"{typed.rstrip()}\n\n{filled}" if typed.strip() else filled


def _page(request, ticket: Ticket, reply_form):
    user = request.user
    desk_user = has_capability(user, WORK_DESK)
    links = TicketLink.objects.filter(from_ticket=ticket) | TicketLink.objects.filter(to_ticket=ticket)
    linked = selectors.tickets_for(user).filter(
        pk__in=[link.to_ticket_id if link.from_ticket_id == ticket.pk else link.from_ticket_id for link in links]
    )
    files = list(selectors.attachments_for(user, ticket))
    context = {
        "title": f"{ticket.reference} {ticket.title}",
        "ticket": ticket,
        "sla": SlaContext().state(ticket),
        "comments": [(c, [a for a in files if a.comment_id == c.pk]) for c in selectors.comments_for(user, ticket)],
        "ticket_files": [a for a in files if a.comment_id is None],
        "desk": desk_user,
        "reply_form": reply_form,
        "can_reply": ticket.is_open or desk_user or reply_form.is_bound,  # a refused reply shows why
        "order": selectors.ticket_order(user, ticket),
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
                # the sidebar's forms get their own ids: the reply box has an "assignee" too
                "assign_form": forms.AssignForm(
                    user=user, initial={"assignee": ticket.assignee_id, "team": ticket.team_id}, auto_id="assign_%s"
                ),
                "classify_form": forms.ClassifyForm(
                    ticket=ticket,
                    user=user,
                    auto_id="classify_%s",
                    initial={
                        "impact": ticket.impact,
                        "urgency": ticket.urgency,
                        "type": ticket.type,
                        "category": ticket.category_id,
                    },
                ),
                "time_form": forms.TimeForm(auto_id="time_%s"),
                "standard_texts": selectors.standard_texts_for(user, ticket.team),
                "time_entries": ticket.time_entries.select_related("user"),
                "history": _history(ticket),
            }
        )
    if has_capability(user, ANSWER_SURVEY) and ticket.state.finished and context["survey"] is None:
        context["survey_form"] = forms.SurveyForm()
    if ticket.state.finished:
        context["reopen_form"] = forms.ReopenForm()
    return render(request, "portal/ticket_detail.html", context)


def _history(ticket: Ticket):
    from samverkan.core.models import AuditEvent

    return AuditEvent.objects.filter(object_type="portal.Ticket", object_id=str(ticket.pk)).order_by("at")[:100]


@capability_required(VIEW_TICKETS)
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


@capability_required(VIEW_TICKETS)
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
