"""The forms on a ticket's page: each posts, calls one service and returns to the ticket."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages
from samverkan.core.permissions import capability_required
from samverkan.portal import forms, selectors
from samverkan.portal.policies import ANSWER_SURVEY, COMMENT_ON_TICKET, REOPEN_TICKET, VIEW_TICKETS, WORK_DESK
from samverkan.portal.services import comments, followers, surveys, tickets, time_entries, workflow


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
            add_error_messages(request, exc)
        else:
            if message:
                messages.success(request, message)
    return redirect("portal:ticket-detail", pk=pk)


@capability_required(COMMENT_ON_TICKET)
@require_POST
def ticket_comment(request, pk: int):
    def act(ticket, data):
        upload = data.get("attachment")
        comments.comment_add(
            acting_user=request.user,
            ticket=ticket,
            body=data["body"],
            internal=data.get("internal", False),
            files=(upload,) if upload else (),
        )
        return _("Kommentaren är sparad.")

    return _post_action(request, pk, forms.CommentForm, act, form_kwargs=lambda t: {"user": request.user})


@capability_required(WORK_DESK)
@require_POST
def ticket_status(request, pk: int):
    def act(ticket, data):
        workflow.ticket_change_status(acting_user=request.user, ticket=ticket, status=data["status"])
        return _("Status ändrad.")

    return _post_action(request, pk, forms.StatusForm, act, form_kwargs=lambda t: {"ticket": t})


@capability_required(WORK_DESK)
@require_POST
def ticket_assign(request, pk: int):
    def act(ticket, data):
        tickets.ticket_assign(acting_user=request.user, ticket=ticket, assignee=data["assignee"], team=data["team"])
        return _("Tilldelning sparad.")

    return _post_action(request, pk, forms.AssignForm, act, form_kwargs=lambda t: {"user": request.user})


@capability_required(WORK_DESK)
@require_POST
def ticket_classify(request, pk: int):
    def act(ticket, data):
        tickets.ticket_classify(
            acting_user=request.user,
            ticket=ticket,
            impact=data["impact"],
            urgency=data["urgency"],
            type=data["type"],
            category=data["category"],
        )
        return _("Klassning sparad.")

    return _post_action(request, pk, forms.ClassifyForm, act, form_kwargs=lambda t: {"ticket": t, "user": request.user})


@capability_required(WORK_DESK)
@require_POST
def ticket_time(request, pk: int):
    def act(ticket, data):
        time_entries.time_entry_add(acting_user=request.user, ticket=ticket, **data)
        return _("Tiden är rapporterad.")

    return _post_action(request, pk, forms.TimeForm, act)


@capability_required(WORK_DESK)
@require_POST
def ticket_merge(request, pk: int):
    def act(ticket, data):
        target = selectors.ticket_get(request.user, data["other"])
        tickets.ticket_merge(acting_user=request.user, source=ticket, target=target)
        return _("Ärendet har slagits samman med %(ref)s.") % {"ref": target.reference}

    return _post_action(request, pk, forms.ReferenceForm, act)


@capability_required(WORK_DESK)
@require_POST
def ticket_link(request, pk: int):
    def act(ticket, data):
        other = selectors.ticket_get(request.user, data["other"])
        tickets.ticket_link(acting_user=request.user, ticket=ticket, other=other)
        return _("Ärendena är länkade.")

    return _post_action(request, pk, forms.ReferenceForm, act)


@capability_required(REOPEN_TICKET)
@require_POST
def ticket_reopen(request, pk: int):
    def act(ticket, data):
        workflow.ticket_reopen(acting_user=request.user, ticket=ticket, reason=data["reason"])
        return _("Ärendet är öppnat igen.")

    return _post_action(request, pk, forms.ReopenForm, act)


@capability_required(ANSWER_SURVEY)
@require_POST
def ticket_survey(request, pk: int):
    def act(ticket, data):
        surveys.survey_answer(acting_user=request.user, ticket=ticket, score=data["score"], comment=data["comment"])
        return _("Tack för ditt svar!")

    return _post_action(request, pk, forms.SurveyForm, act)


@capability_required(VIEW_TICKETS)
@require_POST
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
        followers.follower_set(acting_user=request.user, ticket=ticket, user=user, follow=follow)
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        if user == request.user:
            messages.success(request, _("Du följer ärendet.") if follow else _("Du följer inte längre ärendet."))
        else:
            messages.success(request, _("%(name)s följer nu ärendet.") % {"name": user.get_full_name() or user})
    return redirect("portal:ticket-detail", pk=pk)
