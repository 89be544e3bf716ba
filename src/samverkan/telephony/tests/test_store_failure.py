"""An import that fails while storing leaves nothing written, also where the archives are made on a
second thread while PostgreSQL takes the counters (callstore.archives_meanwhile)."""

import pytest

from samverkan.telephony import callstore, services
from samverkan.telephony.models import AgentInterval, CallArchive, CallInterval, ImportBatch, Queue

from .conftest import LOG_2023, do_import


def _nothing_written():
    return not any(m.objects.exists() for m in (ImportBatch, CallArchive, CallInterval, AgentInterval, Queue))


def test_failing_archives_write_nothing(world, monkeypatch):
    def broken(con):
        raise RuntimeError("archive failed")
        yield  # pragma: no cover - a generator, as keyed_archives is

    monkeypatch.setattr(callstore, "keyed_archives", broken)
    with pytest.raises(RuntimeError, match="archive failed"):
        do_import(world, LOG_2023, engine="bulk")
    assert _nothing_written()


@pytest.mark.parametrize("step", ["_copy_csv", "_insert"])
def test_failing_counters_write_nothing(world, monkeypatch, step):
    """``_copy_csv`` is PostgreSQL's path (archives on the second thread meanwhile), ``_insert`` the others'."""
    if step == "_copy_csv" and not services._copy_available():
        pytest.skip("PostgreSQL's COPY path")

    def broken(*args, **kwargs):
        raise RuntimeError("counters failed")

    monkeypatch.setattr(services, step, broken)
    with pytest.raises(RuntimeError, match="counters failed"):
        do_import(world, LOG_2023, engine="bulk")
    assert _nothing_written()


def test_the_import_after_a_failure_stores_everything(world, monkeypatch):
    monkeypatch.setattr(services, "_copy_csv", lambda *a: (_ for _ in ()).throw(RuntimeError("once")))
    monkeypatch.setattr(services, "_insert", lambda *a: (_ for _ in ()).throw(RuntimeError("once")))
    with pytest.raises(RuntimeError):
        do_import(world, LOG_2023, engine="bulk")
    monkeypatch.undo()
    batch, created = do_import(world, LOG_2023, engine="bulk")
    assert created and batch.records_created == 4
    assert CallArchive.objects.count() == 2 and CallInterval.objects.exists()
