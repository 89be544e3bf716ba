"""hypothesis-jsonschema 0.23.1 (used by schemathesis 3.x) calls `cu.many(...).more()`, which
Hypothesis ≥ 6.16x replaced by `with many(...) as elements: for _ in elements:`. This adapter
gives the old interface on top of the new one, so the locked versions work together.
Remove it when hypothesis-jsonschema catches up (or pin hypothesis to a matching version).
"""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis.internal.conjecture import utils as cu


class LegacyMany:
    def __init__(self, data, min_size, max_size, average_size, **kwargs):
        self._many = cu.many(data, min_size=min_size, max_size=max_size, average_size=average_size, **kwargs)
        self._many.__enter__()
        self._elements = iter(self._many)
        self._open = True

    def more(self) -> bool:
        try:
            next(self._elements)
        except StopIteration:
            self._close()
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)

    def _close(self) -> None:
        if self._open:
            self._open = False
            self._many.__exit__(None, None, None)


def needs_patch() -> bool:
    return not hasattr(cu.many, "more")


def patch(monkeypatch) -> None:
    """Point hypothesis-jsonschema at the adapter for the duration of one test."""
    if not needs_patch():
        return
    import hypothesis_jsonschema._from_schema as from_schema

    monkeypatch.setattr(from_schema, "cu", SimpleNamespace(many=LegacyMany))
