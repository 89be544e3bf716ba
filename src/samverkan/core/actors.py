"""The system actor: the user that work done by Samverkan itself runs as.

The demo build, scheduled escalation and imports started from the command line have no person
behind them, yet every service checks a capability and writes an audit row. They pass
`acting_user=system_actor()`, which holds every capability, cannot log in, and is audited under
its own name, so the audit log tells a person's change from the system's.
"""

from __future__ import annotations

SYSTEM_USERNAME = "samverkan-system"


def system_actor():
    from samverkan.core.models import User

    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_system": True, "is_active": True, "first_name": "Systemet"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.is_system:
        raise RuntimeError(f"the user {SYSTEM_USERNAME} exists but is not the system actor")
    return user


def command_actor(username: str | None):
    """Who a management command acts as: `--user NAME` (whose capabilities are then checked) or,
    without it, the system actor."""
    from django.core.management.base import CommandError

    from samverkan.core.models import User

    if not username:
        return system_actor()
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"användaren {username!r} finns inte") from None
