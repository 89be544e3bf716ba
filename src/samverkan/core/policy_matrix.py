"""The permission matrix (capability × role), generated from every app's `policies.py`.

docs/PERMISSIONS.md is this module's output (`samverkan permissions > docs/PERMISSIONS.md`);
a test keeps the file current and another checks the pages and the API against it.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.utils import translation

from samverkan.core.permissions import REGISTRY, Capability
from samverkan.core.roles import Role


def all_capabilities() -> list[Capability]:
    """Every declared capability, in app order; imports each Samverkan app's policies."""
    for config in apps.get_app_configs():
        if config.name.startswith("samverkan."):
            import_module(f"{config.name}.policies")
    order = [config.label for config in apps.get_app_configs()]
    return sorted(REGISTRY.values(), key=lambda cap: (order.index(cap.code.split(".")[0]), cap.code))


def markdown() -> str:
    with translation.override("sv"):
        roles = list(Role)
        lines = [
            "# Behörigheter — vem får göra vad",
            "",
            "Genererad av `samverkan permissions` från varje moduls `policies.py`; ändra där, inte här.",
            "En användare kan ha flera roller och får då summan av deras behörigheter. "
            "Plattformens superanvändare och systemaktören har alla.",
            "",
            "| behörighet | kod | " + " | ".join(str(role.label) for role in roles) + " |",
            "|---|---|" + "---|" * len(roles),
        ]
        for cap in all_capabilities():
            marks = ["alla" if cap.public else ("✓" if role.value in cap.roles else "") for role in roles]
            lines.append(f"| {cap.label} | `{cap.code}` | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"
