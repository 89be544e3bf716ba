"""`samverkan serve` starts one background worker beside the site and stops it with the site."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from samverkan.core.management.commands import serve
from samverkan.core.management.commands.worker import PARENT_ENV


class FakeProcess:
    started: list[FakeProcess] = []

    def __init__(self, argv, env=None, **kwargs):
        self.argv, self.env, self.terminated, self.running = argv, env or {}, False, True
        FakeProcess.started.append(self)

    def poll(self):
        return None if self.running else 0

    def terminate(self):
        self.terminated, self.running = True, False

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def spawned(monkeypatch):
    FakeProcess.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    return FakeProcess.started


def test_serve_starts_a_worker_and_stops_it_with_the_server(spawned, monkeypatch):
    seen = []

    def fake_call_command(name, *args, **kwargs):
        if name == "runserver":
            seen.append([p.running for p in spawned])  # the worker runs while the site does
            raise KeyboardInterrupt  # Ctrl+C

    monkeypatch.setattr(serve, "call_command", fake_call_command)
    with pytest.raises(KeyboardInterrupt):
        call_command("serve", "--noreload")
    [worker] = spawned
    assert seen == [[True]]
    assert worker.argv[-3:] == ["samverkan.cli", "worker", "--no-reload"]
    assert worker.env[PARENT_ENV] == str(os.getpid())
    assert worker.terminated


def test_no_worker_in_the_reloaders_child_nor_when_asked(spawned, monkeypatch):
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)
    call_command("serve", "--no-worker")
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("serve")
    assert spawned == []
