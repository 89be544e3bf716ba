"""One ticket: reporting it, its page, its plain-text export and its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.forms import add_service_errors
from samverkan.core.params import id_or_none
from samverkan.core.permissions import capability_required, has_capability
from samverkan.portal import forms, selectors
from samverkan.portal.models import SurveyResponse, Ticket, TicketLink
from samverkan.portal.policies import ANSWER_SURVEY, CREATE_TICKET, VIEW_TICKETS, WORK_DESK
from samverkan.portal.services import attachments, tickets
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
    user = request.user
    ticket = selectors.ticket_get(user, pk)
    desk_user = has_capability(user, WORK_DESK)
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
                "status_form": forms.StatusForm(ticket=ticket, initial={"status": ticket.status}),
                "assign_form": forms.AssignForm(
                    user=user, initial={"assignee": ticket.assignee_id, "team": ticket.team_id}
                ),
                "classify_form": forms.ClassifyForm(
                    ticket=ticket,
                    user=user,
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
