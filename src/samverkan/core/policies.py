"""Capabilities of the core app: the audit log."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN

VIEW_AUDIT_LOG = capability("core.view_audit_log", _("Se granskningsloggen"), ADMIN)
