"""Panels an upper app adds to a lower app's page without the lower app importing it.

Governance shows on an allocation run which paragraph decided it and which cases concern it;
allocation may not import governance (apps are layered), so governance registers a provider
here at start-up and the run's template asks `{% related_panels run %}`. A provider gets the
user and the object (already fetched through the page's own scoped selector) and returns a
Panel or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    title: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url or "")


Provider = Callable[[Any, Any], "Panel | None"]
_PROVIDERS: dict[str, list[Provider]] = {}


def register(model_label: str, provider: Provider) -> None:
    """`model_label` as Django writes it: "allocation.allocationrun"."""
    providers = _PROVIDERS.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def panels_for(user: Any, obj: Any) -> list[Panel]:
    label = obj._meta.label_lower
    panels = (provider(user, obj) for provider in _PROVIDERS.get(label, ()))
    return [panel for panel in panels if panel is not None and panel.items]
