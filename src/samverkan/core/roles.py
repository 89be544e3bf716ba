"""The roles of DESIGN.md. A user holds one or more in one federation; what each may do is in
the apps' policies.py, and scoping follows the widest."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Förbundsadministratör")
    AGENT = "agent", _("Handläggare kundtjänst/IT")
    ECONOMIST = "economist", _("Ekonom")
    MEMBER_CONTACT = "member_contact", _("Medlemskontakt")
    ORDERER = "orderer", _("Beställare på förvaltning")
    BOARD = "board", _("Direktionsledamot")
    SECRETARY = "secretary", _("Nämndsekreterare")


ADMIN = Role.ADMIN.value
AGENT = Role.AGENT.value
ECONOMIST = Role.ECONOMIST.value
MEMBER_CONTACT = Role.MEMBER_CONTACT.value
ORDERER = Role.ORDERER.value
BOARD = Role.BOARD.value
SECRETARY = Role.SECRETARY.value

ALL_ROLES = tuple(r.value for r in Role)
# Roles that see every member of their federation (object scoping by federation only).
FEDERATION_WIDE = (ADMIN, AGENT, ECONOMIST, BOARD, SECRETARY)
