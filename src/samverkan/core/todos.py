"""What needs doing, gathered from every app for the start page, and the links a member's page
shows to the member's rows in the apps above it.

Each app knows its own backlog (orders waiting for approval, overdue tickets, periods not
invoiced …) but the start page (accounts) and the member's page (members) may not import the
apps: accounts is above them all and members below. So each app registers providers here at
start-up (`apps.py` `ready()`), like `core.panels`. A todo provider gets the user and returns
cards; a member-link provider gets the user and a member (already fetched through the page's
scoped selector) and returns links with counts. Providers ask their own selectors, which are
scoped, and cost a few counting queries each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# Most urgent first: something is late or wrong, something waits for this user, for information.
DANGER = "danger"
WARNING = "warning"
INFO = "info"
_SEVERITY_ORDER = {DANGER: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Todo:
    title: str
    count: int | None  # None: a card to show without a number (the next meeting)
    severity: str
    url: str
    text: str  # one short Swedish sentence: what it is and what to do
    order: int = 50  # within one severity: lower first
    more_url: str = ""  # the whole list, when `url` opens the first thing to do


@dataclass(frozen=True)
class MemberLink:
    label: str
    count: int
    url: str
    order: int = 50


TodoProvider = Callable[[Any], Iterable[Todo]]
MemberLinkProvider = Callable[[Any, Any], Iterable[MemberLink]]
_TODO_PROVIDERS: list[TodoProvider] = []
_MEMBER_LINK_PROVIDERS: list[MemberLinkProvider] = []


def register(provider: TodoProvider) -> None:
    if provider not in _TODO_PROVIDERS:
        _TODO_PROVIDERS.append(provider)


def register_member_links(provider: MemberLinkProvider) -> None:
    if provider not in _MEMBER_LINK_PROVIDERS:
        _MEMBER_LINK_PROVIDERS.append(provider)


def todos_for(user: Any) -> list[Todo]:
    """Cards with something to do (count above zero, or no count), most urgent first."""
    if not user.is_authenticated:
        return []
    cards = [card for provider in _TODO_PROVIDERS for card in provider(user) if card.count is None or card.count > 0]
    return sorted(cards, key=lambda card: (_SEVERITY_ORDER.get(card.severity, 9), card.order))


def member_links(user: Any, member: Any) -> list[MemberLink]:
    links = [link for provider in _MEMBER_LINK_PROVIDERS for link in provider(user, member)]
    return sorted(links, key=lambda link: link.order)
