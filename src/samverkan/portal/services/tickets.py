"""Creating tickets and the desk's work on them: assignment, classification, merging, links."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.catalogue.models import Order
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.models import User
from samverkan.core.permissions import has_capability, require
from samverkan.domain.priority import priority_for
from samverkan.domain.ticket_workflow import Event
from samverkan.members.models import Department, Member
from samverkan.portal import notifications
from samverkan.portal.models import Category, Channel, Comment, Follower, Team, Ticket, TicketLink, TicketType
from samverkan.portal.policies import CREATE_TICKET, WORK_DESK
from samverkan.portal.selectors import tickets_for
from samverkan.portal.services.comments import author_name
from samverkan.portal.services.followers import add_follower
from samverkan.portal.services.ticket_state import party_of, refresh_sla, take_step


def _priority(impact: int, urgency: int) -> int:
    try:
        return priority_for(impact, urgency)
    except ValueError as exc:
        raise ValidationError(_("Påverkan och brådska ska vara 1–3.")) from exc


@transaction.atomic
def ticket_create(
    *,
    acting_user,
    member: Member,
    team: Team,
    title: str,
    description: str = "",
    department: Department | None = None,
    channel: str = Channel.PORTAL,
    type: str = TicketType.INCIDENT,
    category: Category | None = None,
    impact: int = 3,
    urgency: int = 2,
    requester: User | None = None,
    requester_name: str = "",
    requester_email: str = "",
    order_reference: str = "",
    created_at: datetime | None = None,
) -> Ticket:
    """The desk reports for anyone in the federation; others for themselves, and only tickets
    they will see (the tickets' scope decides, checked on the saved row)."""
    require(acting_user, CREATE_TICKET, federation=member.federation)
    federation = member.federation
    for_self = not has_capability(acting_user, WORK_DESK)
    if for_self:
        requester = acting_user
    if department is not None and department.member_id != member.pk:
        raise ValidationError(_("Förvaltningen hör inte till medlemmen."))
    if team.federation_id != federation.pk:
        raise ValidationError(_("Teamet hör inte till förbundet."))
    if category is not None and category.team_id != team.pk:
        raise ValidationError(_("Kategorin hör inte till teamet."))
    if not title.strip():
        raise ValidationError(_("Ange en rubrik."))
    if order_reference:
        _check_order(federation, member, order_reference)
    priority = _priority(impact, urgency)
    now = created_at or timezone.now()
    ticket = Ticket(
        federation=federation,
        member=member,
        department=department,
        team=team,
        category=category,
        title=title.strip(),
        description=description,
        channel=channel,
        type=type,
        impact=impact,
        urgency=urgency,
        priority=priority,
        requester=requester,
        order_reference=order_reference,
        requester_name=requester_name or (requester.get_full_name() or requester.username if requester else ""),
        requester_email=requester_email or (requester.email if requester else ""),
        created_at=now,
        updated_at=now,
    )
    ticket.full_clean(exclude=["federation", "member", "department", "team", "category", "requester"])
    refresh_sla(ticket, now=now)
    ticket.save()
    if for_self and not tickets_for(acting_user).filter(pk=ticket.pk).exists():
        raise PermissionDenied(_("Du kan bara anmäla ärenden för din egen förvaltning eller kommun."))
    add_follower(ticket, requester)
    audit_record(actor=acting_user, action="create", instance=ticket, after=snapshot(ticket), federation=federation)
    notifications.mail_on_commit(ticket, event="created")
    return ticket


def _check_order(federation, member, number: str) -> None:
    """An order ticket points at a catalogue order of the same member."""
    if not Order.objects.filter(federation=federation, member=member, number=number).exists():
        raise ValidationError(_("Beställningen %(nr)s finns inte för medlemmen.") % {"nr": number})


@transaction.atomic
def ticket_assign(*, acting_user, ticket: Ticket, assignee: User | None = None, team: Team | None = None) -> Ticket:
    require(acting_user, WORK_DESK, obj=ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if assignee is not None and not (
        assignee.federation_id == ticket.federation_id and has_capability(assignee, WORK_DESK, obj=ticket)
    ):
        raise ValidationError(_("Handläggaren måste vara handläggare i samma förbund."))
    if team is not None and team.federation_id != ticket.federation_id:
        raise ValidationError(_("Teamet hör inte till förbundet."))
    before = snapshot(ticket)
    ticket.assignee = assignee
    if team is not None and team.pk != ticket.team_id:
        ticket.team = team
        ticket.category = None
    event = Event.ASSIGN if assignee is not None else Event.UNASSIGN
    take_step(ticket, event, party=party_of(acting_user), now=timezone.now())
    ticket.save()
    add_follower(ticket, assignee)
    audit_record(actor=acting_user, action="assign", instance=ticket, before=before, after=snapshot(ticket))
    return ticket


@transaction.atomic
def ticket_classify(
    *, acting_user, ticket: Ticket, impact: int, urgency: int, type: str | None = None, category: Category | None = None
) -> Ticket:
    """Change impact/urgency (hence priority and SLA targets), type and category."""
    require(acting_user, WORK_DESK, obj=ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if category is not None and category.team_id != ticket.team_id:
        raise ValidationError(_("Kategorin hör inte till teamet."))
    priority = _priority(impact, urgency)
    before = snapshot(ticket)
    ticket.impact, ticket.urgency, ticket.priority = impact, urgency, priority
    if type:
        ticket.type = type
    ticket.category = category
    ticket.updated_at = timezone.now()
    refresh_sla(ticket)
    ticket.save()
    audit_record(actor=acting_user, action="classify", instance=ticket, before=before, after=snapshot(ticket))
    return ticket


@transaction.atomic
def ticket_merge(*, acting_user, source: Ticket, target: Ticket) -> Ticket:
    """Close ``source`` as a duplicate of ``target``; its followers and comments stay visible there."""
    require(acting_user, WORK_DESK, obj=source)
    if source.pk == target.pk:
        raise ValidationError(_("Ett ärende kan inte slås samman med sig självt."))
    if source.federation_id != target.federation_id:
        raise ValidationError(_("Ärendena tillhör olika förbund."))
    if target.merged_into_id:
        raise ValidationError(_("Målärendet är självt sammanslaget."))
    source = Ticket.objects.select_for_update().get(pk=source.pk)
    before = snapshot(source)
    now = timezone.now()
    take_step(source, Event.MERGE, party=party_of(acting_user), now=now)  # refused unless open
    source.merged_into = target
    source.save()
    for follower in source.followers.all():
        Follower.objects.get_or_create(ticket=target, user=follower.user)
    for ticket, body in [
        (source, _("Sammanslaget med ärende %(ref)s.") % {"ref": target.reference}),
        (
            target,
            _("Ärende %(ref)s (%(title)s) har slagits samman hit.") % {"ref": source.reference, "title": source.title},
        ),
    ]:
        Comment.objects.create(
            ticket=ticket,
            author=acting_user,
            author_name=author_name(acting_user),
            via=Comment.Via.SYSTEM,
            body=body,
            created_at=now,
        )
    audit_record(actor=acting_user, action="merge", instance=source, before=before, after=snapshot(source))
    return target


@transaction.atomic
def ticket_link(*, acting_user, ticket: Ticket, other: Ticket) -> TicketLink:
    require(acting_user, WORK_DESK, obj=ticket)
    if ticket.pk == other.pk or ticket.federation_id != other.federation_id:
        raise ValidationError(_("Välj ett annat ärende i samma förbund."))
    low, high = sorted((ticket, other), key=lambda t: t.pk)
    link, _created = TicketLink.objects.get_or_create(from_ticket=low, to_ticket=high)
    return link
