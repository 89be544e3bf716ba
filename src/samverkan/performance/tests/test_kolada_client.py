"""The Kolada client against recorded responses (these machines are offline): the HTTP call is
replaced; errors give a Swedish message and keep the figures fetched before. The data answer is
recorded; the KPI metadata answer (`/v2/kpi/N00002`) is hand-written in the same format."""

from __future__ import annotations

import io
import urllib.error
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.core.models import AuditEvent
from samverkan.performance.importers import kolada
from samverkan.performance.models import KoladaFigure

DATA = Path(__file__).parent / "data"


def recorded(name: str, calls: list | None = None, kpi_name: str = "kolada_kpi_N00002.json"):
    """A fake `_get`: the KPI metadata call answers `kpi_name`, the data call `name`."""

    def fake(url, timeout):
        if calls is not None:
            calls.append((url, timeout))
        return (DATA / (kpi_name if "/v2/kpi/" in url else name)).read_bytes()

    return fake


TITLE = "Exempelnyckeltal för medlemskommunerna, andel (%)"


def test_parse_keeps_the_total_and_missing_values():
    values = kolada.parse((DATA / "kolada_N00002_2023.json").read_bytes())
    assert [(v.municipality_id, v.year, v.value) for v in values] == [
        ("2481", 2023, Decimal("51.3")),
        ("2421", 2023, Decimal("48.9")),
    ]
    assert kolada.parse((DATA / "kolada_missing_value.json").read_bytes())[0].value is None


def test_refresh_stores_the_members_figures(world, monkeypatch):
    calls = []
    monkeypatch.setattr(kolada, "_get", recorded("kolada_N00002_2023.json", calls))
    stored = kolada.refresh(acting_user=world.users["economist"], federation=world.federation, kpi="N00002", year=2023)
    assert len(stored) == 2
    assert calls[0][0] == "https://api.kolada.se/v2/data/kpi/N00002/municipality/2421,2481/year/2023"
    assert calls[1][0] == "https://api.kolada.se/v2/kpi/N00002"
    assert {c[1] for c in calls} == {kolada.TIMEOUT_SECONDS}
    figure = KoladaFigure.objects.get(municipality_id="2481")
    assert figure.value == Decimal("51.3") and figure.fetched_at is not None
    assert figure.kpi_title == TITLE
    assert AuditEvent.objects.filter(action="performance.kolada_fetch").count() == 1


def _raise(exc):
    def fake(url, timeout):
        raise exc

    return fake


@pytest.mark.parametrize(
    ("fake", "words"),
    [
        (_raise(TimeoutError()), "svarade inte i tid"),
        (_raise(urllib.error.HTTPError("u", 500, "err", {}, io.BytesIO(b""))), "HTTP 500"),
        (_raise(urllib.error.URLError("offline")), "kunde inte nås"),
        (lambda url, timeout: b"<html>not json", "inte kunde läsas"),
        (lambda url, timeout: b'{"values": [{"kpi": "N00002"}]}', "inte kunde läsas"),
        # the data is fine but the KPI's metadata is not: nothing is replaced either
        (recorded("kolada_N00002_2023.json", kpi_name="kolada_missing_value.json"), "inte kunde läsas"),
    ],
)
def test_errors_keep_the_old_figures(world, monkeypatch, fake, words):
    monkeypatch.setattr(kolada, "_get", recorded("kolada_N00002_2023.json"))
    kolada.refresh(acting_user=world.users["admin"], federation=world.federation, kpi="N00002", year=2023)
    monkeypatch.setattr(kolada, "_get", fake)
    with pytest.raises(kolada.KoladaError) as caught:
        kolada.refresh(acting_user=world.users["admin"], federation=world.federation, kpi="N00002", year=2023)
    assert words in str(caught.value)
    assert "tidigare hämtade värdena finns kvar" in str(caught.value)
    assert KoladaFigure.objects.filter(federation=world.federation).count() == 2
    assert set(KoladaFigure.objects.values_list("kpi_title", flat=True)) == {TITLE}


def test_parse_title():
    assert kolada.parse_title((DATA / "kolada_kpi_N00002.json").read_bytes(), "N00002") == TITLE
    with pytest.raises(kolada.KoladaError):
        kolada.parse_title((DATA / "kolada_kpi_N00002.json").read_bytes(), "N00003")


def test_board_member_may_not_fetch(world, monkeypatch):
    monkeypatch.setattr(kolada, "_get", recorded("kolada_N00002_2023.json"))
    for role in ("board", "secretary"):
        with pytest.raises(PermissionDenied):
            kolada.refresh(acting_user=world.users[role], federation=world.federation, kpi="N00002", year=2023)
    assert not KoladaFigure.objects.exists()


def test_command_fetches_and_refuses_in_one_line(world, monkeypatch):
    monkeypatch.setattr(kolada, "_get", recorded("kolada_N00002_2023.json"))
    out = io.StringIO()
    call_command("kolada", "fetch", "--kpi", "n00002", "--year", "2023", "--federation", "testforbund", stdout=out)
    assert "2481\t2023\t51.3" in out.getvalue()
    assert "2 värden hämtade" in out.getvalue()
    with pytest.raises(CommandError, match="ogiltigt nyckeltal"):
        call_command("kolada", "fetch", "--kpi", "x; rm", "--year", "2023", "--federation", "testforbund")
    with pytest.raises(CommandError, match=r"(?i)behörighet|saknas|får inte"):
        call_command(
            "kolada", "fetch", "--kpi", "N00002", "--year", "2023", "--federation", "testforbund", "--user", "t-board"
        )
    monkeypatch.setattr(kolada, "_get", _raise(TimeoutError()))
    with pytest.raises(CommandError, match="svarade inte i tid"):
        call_command("kolada", "fetch", "--kpi", "N00002", "--year", "2023", "--federation", "testforbund")
