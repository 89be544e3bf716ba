"""Capabilities of the core app: the audit log, following background work."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, ALL_ROLES

VIEW_AUDIT_LOG = capability("core.view_audit_log", _("Se granskningsloggen"), ADMIN)
# Every role may follow work: which job a user sees is decided per job (core.jobs.visible_to).
FOLLOW_JOBS = capability("core.follow_jobs", _("Följa arbete som körs i bakgrunden"), *ALL_ROLES)
