"""Who follows a ticket (and so gets its public mail)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.models import User
from samverkan.core.permissions import require
from samverkan.portal.models import Follower, Ticket
from samverkan.portal.policies import VIEW_TICKETS, WORK_DESK
from samverkan.portal.selectors import tickets_for


def add_follower(ticket: Ticket, user) -> None:
    """Make the user follow the ticket they requested, answered or were given."""
    if user is not None and user.is_authenticated:
        Follower.objects.get_or_create(ticket=ticket, user=user)


@transaction.atomic
def follower_set(*, acting_user, ticket: Ticket, user: User, follow: bool) -> None:
    """Follow or unfollow; only people who can see the ticket may follow it.

    Anyone who sees the ticket may add a colleague who also sees it (the requester adds a
    colleague at the department or the member contact); only agents remove others.
    """
    require(acting_user, VIEW_TICKETS, obj=ticket)
    if user.pk != acting_user.pk and not follow:
        require(acting_user, WORK_DESK, obj=ticket)
    if not tickets_for(acting_user).filter(pk=ticket.pk).exists():
        raise PermissionDenied(_("Du får inte se ärendet."))
    if follow:
        if not tickets_for(user).filter(pk=ticket.pk).exists():
            raise ValidationError(_("Personen får inte se ärendet."))
        add_follower(ticket, user)
    else:
        Follower.objects.filter(ticket=ticket, user=user).delete()
