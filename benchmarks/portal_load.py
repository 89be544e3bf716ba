"""Queue view and "my tickets" under load, against a baseline page, on a large PostgreSQL database.

Run (PostgreSQL; the benchmark adds its own federation "bench" to the database and reuses it
on later runs, so only the first run pays the ~5 minutes of data generation):

    runuser -u postgres -- createdb -O samverkan samverkan_bench      # once
    DATABASE_URL=postgres://samverkan:samverkan@127.0.0.1:5432/samverkan_bench \\
        .venv/bin/python benchmarks/portal_load.py

Data: 1 000 000 tickets (1 % open) over 20 members × 4 departments, 5 comments each (one in
five internal), generated with INSERT … SELECT generate_series. 10 agents and 10 orderers
from 4 departments (requesters of 100 %, 50 %, 20 % or 2 % of their department's tickets,
so "my tickets" is measured for dense and sparse requesters alike).

Server: as in production — ``samverkan serve --workers N`` (gunicorn, sync workers), DEBUG
off, persistent database connections. Load: a bounded Python load generator on loopback
(stdlib http.client, one connection and one thread per virtual user, so the client costs
little of the shared CPU). 20 and then 100 virtual users (``--users 20,100``), each logged in
as a real user (a session made with Django's login machinery): agents alternate between the
queue (``/portal/desk/?status=open``) and the baseline page, orderers between "my tickets"
(``/portal/mina/``) and the baseline page. The baseline is a trivial signed-in page,
``/konto/losenord/klart/`` ("the password is changed"): session, user, roles, the menu's
context and a base template, no query of its own — the fixed cost of any page. (Until 2026-12
the start page ``/`` was used; it has since become a to-do page with counting queries of its
own. The page extends the site's base.html — header, menu and breadcrumbs — like every other
page; samverkan.core comes before django.contrib.admin in INSTALLED_APPS so that its
registration templates win.) All three
pages are measured in the same run, interleaved.

Load models, each for a fixed duration after a warm-up (``--models``, all four by default):

* cpu     — each page alone, one user back to back: server CPU (app + PostgreSQL) per request
  and its ratio to the trivial page's. The steadiest figure on a busy shared machine.

* serial  — one user, baseline → queue → my tickets back to back: the service time of each
  page with nothing queued in front of it.
* closed  — N users in a closed loop with no think time: each fires its next request as soon
  as the previous one answers. A stress test: the server is saturated, and latency is about
  users / throughput, so on 2 shared cores it measures CPU per request, not user experience.
* think   — N users each pausing 0.5–1.5 s (mean 1 s) between requests: how people work at
  a desk. This is the model the requirements are about ("p95 under 100 ms at 20 concurrent
  users"; issue 17: list pages' p95 at most 1,5× the trivial page's at 20 and at 100 users);
  the closed model shows the headroom. 100 users offer ~100 requests/s, more than one core
  serves, so that run also shows how the pages share an overloaded server.

serial runs once; closed and think run once per user count (``closed@20``, ``think@100`` …).

The CPU time the app server (gunicorn master + workers) and its PostgreSQL backends used in
each measured window is read from /proc and reported per request, which does not depend on
how busy the rest of the machine is.

Prints a table (p50/p95/p99/max, throughput, p95 ratio to the baseline) with the machine's
load average during each run, and writes everything to benchmarks/out/portal_load.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

BASELINE, QUEUE, MINE = "trivial page", "queue (agent)", "my tickets (orderer)"
PATHS = {BASELINE: "/konto/losenord/klart/", QUEUE: "/portal/desk/?status=open", MINE: "/portal/mina/"}
# Orderers per department index: (username suffix, share of the department's tickets as requester
# as ticket-id residues modulo 50). bench-orderer of department 0 already requests all of its tickets.
ORDERER_SHARES = {"a": range(0, 25), "b": range(25, 35), "c": range(35, 36)}  # 50 %, 20 %, 2 %
ORDERER_DEPARTMENTS = (21, 42, 63)  # department indexes (of 80), each in a different member


def setup_django():
    import django

    django.setup()


def build_data(tickets: int, comments_per_ticket: int):
    """Create (or reuse) the bench federation with its tickets and comments; return it."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from samverkan.core.models import User
    from samverkan.core.roles import Role
    from samverkan.members.models import Department, Federation, Member, MembershipPeriod
    from samverkan.portal.models import Team, Ticket

    call_command("migrate", interactive=False, verbosity=0)
    federation, created = Federation.objects.get_or_create(
        slug="bench",
        defaults={"name": "Benchförbundet", "organisation_form": "kommunalforbund", "orgnr": "222000-0018"},
    )
    if created:
        for i in range(20):
            member = Member.objects.create(
                federation=federation, name=f"Kommun {i}", kommunkod=f"{2400 + i}", orgnr="212000-2486"
            )
            MembershipPeriod.objects.create(member=member, start="2020-01-01")
            for code in ("KS", "SOC", "BUF", "SBF"):
                Department.objects.create(member=member, name=f"{code} {i}", code=code, invoice_reference=f"{i}-{code}")
        Team.objects.create(federation=federation, code="it", name="IT-support")
        departments = list(Department.objects.filter(member__federation=federation).order_by("pk"))
        User.objects.create_user("bench-agent", password="x" * 16, federation=federation, roles=[Role.AGENT])
        User.objects.create_user(
            "bench-orderer", password="x" * 16, federation=federation, roles=[Role.ORDERER], department=departments[0]
        )
    orderer = User.objects.get(username="bench-orderer")
    existing = Ticket.objects.filter(federation=federation).count()
    if existing < tickets:
        team = Team.objects.get(federation=federation, code="it")
        departments = list(Department.objects.filter(member__federation=federation).order_by("pk"))
        dept_ids = ",".join(str(d.pk) for d in departments)
        member_ids = ",".join(str(d.member_id) for d in departments)
        n = len(departments)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS portal_ticket_fts")
            cursor.execute("DROP INDEX IF EXISTS portal_comment_fts")
            cursor.execute(
                f"""
                INSERT INTO portal_ticket (federation_id, member_id, department_id, requester_id, requester_name,
                    requester_email, title, description, channel, type, team_id, impact, urgency, priority, status,
                    order_reference, created_at, updated_at, first_response_at, resolved_at, closed_at,
                    response_due_at, resolution_due_at, response_breached, resolution_breached, reopen_count)
                SELECT %s, (ARRAY[{member_ids}])[1 + i %% {n}], (ARRAY[{dept_ids}])[1 + i %% {n}],
                    CASE WHEN i %% {n} = 0 THEN %s END, 'Medarbetare', '',
                    (ARRAY['Skrivaren skriver inte ut', 'Lösenordet har gått ut', 'Datorn startar inte',
                           'Ny mobiltelefon', 'Wifi fungerar inte'])[1 + i %% 5] || ' ' || i,
                    'Beskrivning av ärende ' || i, (ARRAY['phone','portal','email','visit'])[1 + i %% 4],
                    'incident', %s, 3, 2, 4,
                    CASE WHEN i %% 100 = 0 THEN 'in_progress' ELSE 'closed' END, '',
                    ts, ts, ts + interval '1 hour',
                    CASE WHEN i %% 100 = 0 THEN NULL ELSE ts + interval '1 day' END,
                    CASE WHEN i %% 100 = 0 THEN NULL ELSE ts + interval '6 days' END,
                    ts + interval '8 hours', ts + interval '5 days',
                    CASE WHEN i %% 100 = 0 THEN NULL ELSE false END,
                    CASE WHEN i %% 100 = 0 THEN NULL ELSE i %% 9 = 0 END, 0
                FROM (SELECT i, now() - (i * interval '1 minute') * 2 AS ts
                      FROM generate_series({existing + 1}, {tickets}) AS i) AS s
                """,  # noqa: S608 - only integers from this script are interpolated
                [federation.pk, orderer.pk, team.pk],
            )
            cursor.execute(
                """
                INSERT INTO portal_comment (ticket_id, author_name, body, internal, via, created_at)
                SELECT t.id, 'Handläggare', CASE WHEN k = 3 THEN 'Intern anteckning om felsökning '
                       ELSE 'Vi har tittat på ärendet och återkommer ' END || t.id, k = 3, 'web',
                       t.created_at + k * interval '10 minutes'
                FROM portal_ticket t CROSS JOIN generate_series(1, %s) AS k
                WHERE t.federation_id = %s AND t.id > (SELECT coalesce(max(ticket_id), 0) FROM portal_comment)
                """,
                [comments_per_ticket, federation.pk],
            )
        print(f"data: {tickets - existing} tickets + comments in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        from importlib import import_module

        migration = import_module("samverkan.portal.migrations.0002_fulltext")
        with connection.cursor() as cursor:
            for statement in migration.CREATE:
                cursor.execute(statement)
            cursor.execute("ANALYZE portal_ticket")
            cursor.execute("ANALYZE portal_comment")
        print(f"indexes + analyze in {time.perf_counter() - started:.0f} s", flush=True)
    return federation


def ensure_users(federation, agents: int) -> tuple[list, list]:
    """Agents and orderers of several departments; new orderers become requesters of their share."""
    from django.db import connection

    from samverkan.core.models import User
    from samverkan.core.roles import Role
    from samverkan.members.models import Department

    departments = list(Department.objects.filter(member__federation=federation).order_by("pk"))
    agent_users = [User.objects.get(username="bench-agent")]
    for k in range(2, agents + 1):
        user = User.objects.filter(username=f"bench-agent-{k}").first() or User.objects.create_user(
            f"bench-agent-{k}", federation=federation, roles=[Role.AGENT]
        )
        agent_users.append(user)
    orderers = [User.objects.get(username="bench-orderer")]
    changed = 0
    for index in ORDERER_DEPARTMENTS:
        department = departments[index]
        for suffix, residues in ORDERER_SHARES.items():
            username = f"bench-orderer-{index}{suffix}"
            user = User.objects.filter(username=username).first()
            created = user is None
            if user is None:
                user = User.objects.create_user(
                    username, federation=federation, roles=[Role.ORDERER], department=department
                )
            orderers.append(user)
            if created:
                with connection.cursor() as cursor:
                    cursor.execute(
                        # Ticket i belongs to department i mod n; (i div n) mod 50 spreads evenly within it.
                        "UPDATE portal_ticket SET requester_id = %s WHERE department_id = %s "
                        "AND requester_id IS NULL AND (id / %s) %% 50 >= %s AND (id / %s) %% 50 < %s",
                        [user.pk, department.pk, len(departments), residues.start, len(departments), residues.stop],
                    )
                    changed += cursor.rowcount
    if changed:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE portal_ticket")
        print(f"orderers: {changed} tickets given a requester", flush=True)
    return agent_users, orderers


def sessions(users) -> list[str]:
    """A fresh session per user, made by Django's login (as after a password or OIDC login)."""
    from django.test import Client

    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    return cookies


def database_facts(federation) -> dict:
    from samverkan.portal.models import Comment, Ticket

    return {
        "tickets": Ticket.objects.filter(federation=federation).count(),
        "open_tickets": Ticket.objects.filter(
            federation=federation,
            status__in=("new", "assigned", "in_progress", "waiting_requester", "waiting_third_party"),
        ).count(),
        "comments": Comment.objects.filter(ticket__federation=federation).count(),
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    """``samverkan serve --workers N`` (gunicorn), DEBUG off, as production runs it."""
    env = dict(os.environ, SAMVERKAN_DEBUG="0", SAMVERKAN_ALLOWED_HOSTS="127.0.0.1,localhost")
    process = subprocess.Popen(
        # --no-worker: the background-task worker that `serve` starts beside the site is not measured here.
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "serve",
            "--workers",
            str(workers),
            "--port",
            str(port),
            "--no-worker",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("server did not start")


class LoadAverage(threading.Thread):
    """Samples the 1-minute load average every 2 s while a load model runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stop.wait(2)


def _cpu_ticks(pid: int) -> int | None:
    """utime + stime of one process in clock ticks; None if it is gone or not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def _process_tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _process_tree(int(child)))]


def _database_backends(database: str) -> list[int]:
    """PostgreSQL backend pids connected to the benchmark database ("postgres: user db host …")."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
                pids.append(int(entry.name))
    return pids


class CpuMeter(threading.Thread):
    """CPU seconds used by the app server (gunicorn master + workers) and its PostgreSQL backends.

    Sampled per process every 0.5 s and summed over the measured window, so processes that
    come and go inside it (Django recycles database connections after CONN_MAX_AGE) count too,
    give or take one interval. Includes the benchmark's own brief connections (none run then).
    """

    def __init__(self, server_pid: int, database: str) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.database = server_pid, database
        self.totals = {"app": 0, "database": 0}
        self.measuring, self.stop = threading.Event(), threading.Event()

    def _sample(self) -> dict[tuple[str, int], int]:
        groups = {"app": _process_tree(self.server_pid), "database": _database_backends(self.database)}
        return {
            (name, pid): ticks
            for name, pids in groups.items()
            for pid in pids
            if (ticks := _cpu_ticks(pid)) is not None
        }

    def run(self) -> None:
        self.measuring.wait()
        last = self._sample()
        while not self.stop.wait(0.5):
            now = self._sample()
            for (name, pid), ticks in now.items():
                self.totals[name] += ticks - last.get((name, pid), ticks)
            last = {**last, **now}
        now = self._sample()
        for (name, pid), ticks in now.items():
            self.totals[name] += ticks - last.get((name, pid), ticks)

    def seconds(self) -> dict[str, float]:
        hz = os.sysconf("SC_CLK_TCK")
        return {name: ticks / hz for name, ticks in self.totals.items()}


def run_model(port, sequences, *, think: tuple[float, float] | None, warmup, duration, seed, cpu: CpuMeter) -> dict:
    """One load model: one thread per virtual user, each cycling through its (page, session) pairs.

    Only requests started in the measured window count; the warm-up fills caches, worker
    processes and connections. Every response must be 200, and list pages must show 50 rows.
    """
    lock = threading.Lock()
    samples: dict[str, list[float]] = {BASELINE: [], QUEUE: [], MINE: []}
    errors: list[str] = []
    rows_seen: dict[str, set[int]] = {QUEUE: set(), MINE: set()}
    start = time.monotonic() + 0.5
    measure_from, stop_at = start + warmup, start + warmup + duration

    def user(number: int, sequence: list[tuple[str, str]]) -> None:
        rng = random.Random(seed * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = 0
        time.sleep(max(0.0, start - time.monotonic()) + (rng.uniform(0, think[1]) if think else 0))
        while True:
            began = time.monotonic()
            if began >= stop_at:
                break
            name, cookie = sequence[k % len(sequence)]
            k += 1
            try:
                connection.request("GET", PATHS[name], headers={"Cookie": f"sessionid={cookie}"})
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                status, body = 0, repr(exc).encode()
            elapsed = time.monotonic() - began
            with lock:
                if status != 200:
                    errors.append(f"{PATHS[name]}: {status} {body[:80]!r}")
                elif began >= measure_from:
                    samples[name].append(elapsed)
                    if name in rows_seen:
                        rows_seen[name].add(body.count(b'<span class="badge'))
            if think:
                time.sleep(rng.uniform(*think))

    load = LoadAverage()
    load.start()
    threads = [threading.Thread(target=user, args=(i, sequence)) for i, sequence in enumerate(sequences)]
    for thread in threads:
        thread.start()
    cpu.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu.measuring.set()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    cpu.stop.set()
    cpu.join()
    for thread in threads:
        thread.join()
    load.stop.set()
    load.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    for name, counts in rows_seen.items():
        if samples[name] and min(counts) < 50:
            raise SystemExit(f"{name}: a response showed fewer than 50 rows ({sorted(counts)}) — wrong data?")
    return {
        "samples": samples,
        "load_average": load.samples,
        "cpu_s": cpu.seconds(),
    }


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(result: dict, duration: float) -> dict:
    pages = {}
    base_p95 = pct(result["samples"][BASELINE], 95)
    for name, values in result["samples"].items():
        pages[name] = {
            "path": PATHS[name],
            "requests": len(values),
            "throughput_per_s": round(len(values) / duration, 1),
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(pct(values, 95) * 1000, 1),
            "p99_ms": round(pct(values, 99) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1),
            "p95_ratio_to_baseline": round(pct(values, 95) / base_p95, 2),
        }
    load = result["load_average"]
    requests = sum(len(v) for v in result["samples"].values())
    return {
        "pages": pages,
        "total_throughput_per_s": round(requests / duration, 1),
        "cpu_ms_per_request": {k: round(v * 1000 / requests, 1) for k, v in result["cpu_s"].items()},
        "load_average_1min": {"mean": round(statistics.mean(load), 2), "max": round(max(load), 2)},
    }


def cpu_per_page(port, server_pid, database, agent, orderer, args) -> dict:
    """Server CPU (app + PostgreSQL) per request of each page alone, one user back to back.

    Unlike latency this hardly depends on what else runs on the machine, so the ratio to
    the trivial page is the steadiest figure a busy shared machine gives.
    """
    figures = {}
    for number, (name, cookie) in enumerate(((BASELINE, agent), (QUEUE, agent), (MINE, orderer))):
        result = run_model(
            port,
            [[(name, cookie)]],
            think=None,
            warmup=args.warmup,
            duration=args.duration,
            seed=args.seed + 100 + number,
            cpu=CpuMeter(server_pid, database),
        )
        n = len(result["samples"][name])
        figures[name] = {k: round(v * 1000 / n, 1) for k, v in result["cpu_s"].items()} | {"requests": n}
    base = figures[BASELINE]["app"] + figures[BASELINE]["database"]
    for page in figures.values():
        page["ratio_to_baseline"] = round((page["app"] + page["database"]) / base, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--comments-per-ticket", type=int, default=5)
    parser.add_argument(
        "--users", default="20,100", help="comma-separated virtual user counts, half agents, half orderers"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per load model")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds before each model")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time (s) of the 'think' model")
    parser.add_argument(
        "--models", default="cpu,serial,closed,think", help="comma-separated: cpu, serial, closed, think"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "portal_load.json")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    federation = build_data(args.tickets, args.comments_per_ticket)
    user_counts = [int(n) for n in args.users.split(",")]
    most = max(user_counts)
    agent_users, orderer_users = ensure_users(federation, agents=most // 2)
    agents = sessions(agent_users[: most // 2])
    orderers = sessions([orderer_users[i % len(orderer_users)] for i in range(most - most // 2)])
    facts = database_facts(federation)
    connection.close()
    print(f"database: {facts['tickets']} tickets ({facts['open_tickets']} open), {facts['comments']} comments")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    database = connection.settings_dict["NAME"]
    port = args.port or free_port()
    server = start_server(port, args.workers)
    runs = {"serial": ([[(BASELINE, agents[0]), (QUEUE, agents[0]), (MINE, orderers[1 % len(orderers)])]], None)}
    for users in user_counts:
        # Virtual users as page/session cycles: agents alternate queue and baseline, orderers
        # "my tickets" and baseline (half of them starting with the baseline).
        crowd = [[(QUEUE, c), (BASELINE, c)][:: 1 if i % 2 else -1] for i, c in enumerate(agents[: users // 2])]
        crowd += [
            [(MINE, c), (BASELINE, c)][:: 1 if i % 2 else -1] for i, c in enumerate(orderers[: users - users // 2])
        ]
        runs[f"closed@{users}"] = (crowd, None)
        runs[f"think@{users}"] = (crowd, (args.think * 0.5, args.think * 1.5))
    chosen = [name for name in runs if name.split("@")[0] in args.models.split(",")]
    report: dict = {
        "command": " ".join(sys.argv),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": os.getloadavg(),
        },
        "server": f"samverkan serve --workers {args.workers} --no-worker (gunicorn sync), SAMVERKAN_DEBUG=0",
        "database": facts,
        "users": {"counts": user_counts, "agent_sessions": len(agents), "orderer_sessions": len(orderers)},
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "models": {},
    }
    try:
        if "cpu" in args.models.split(","):
            report["cpu_per_page"] = cpu_per_page(
                port, server.pid, database, agents[0], orderers[1 % len(orderers)], args
            )
        for number, model in enumerate(chosen):
            sequences, think = runs[model]
            result = run_model(
                port,
                sequences,
                think=think,
                warmup=args.warmup,
                duration=args.duration,
                seed=args.seed + number,
                cpu=CpuMeter(server.pid, database),
            )
            summary = summarise(result, args.duration)
            summary["virtual_users"] = len(sequences)
            summary["think_time_s"] = list(think) if think else None
            report["models"][model] = summary
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_table(report, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")


def print_table(report: dict, args) -> None:
    think = f"{args.think * 0.5:.1f}–{args.think * 1.5:.1f} s"
    print(
        f"\n{report['server']}; {args.duration:.0f} s measured per model after {args.warmup:.0f} s warm-up; "
        f"users = half agents, half orderers; p95/base = the page's p95 over the trivial page's in the same run"
    )
    header = (
        f"{'model':10} {'page':22} {'n':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'p95/base':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, page in report.get("cpu_per_page", {}).items():
        print(
            f"{'cpu':10} {name:22} {page['requests']:6d}  server CPU per request: app {page['app']:.1f} ms + "
            f"PostgreSQL {page['database']:.1f} ms = {page['ratio_to_baseline']:.2f}× the trivial page"
        )
    if "cpu_per_page" in report:
        print(f"{'':10} each page alone, 1 user back to back ({args.duration:.0f} s each)")
    for model, summary in report["models"].items():
        for name, page in summary["pages"].items():
            print(
                f"{model:10} {name:22} {page['requests']:6d} {page['throughput_per_s']:6.1f} {page['p50_ms']:7.1f} "
                f"{page['p95_ms']:7.1f} {page['p99_ms']:7.1f} {page['max_ms']:7.1f} "
                f"{page['p95_ratio_to_baseline']:8.2f}"
            )
        kind, _, users = model.partition("@")
        description = {
            "serial": "1 user, requests back to back (service time, no queueing)",
            "closed": f"{users} users, closed loop, no think time (stress: latency ≈ users / throughput)",
            "think": f"{users} users with think time {think} (desk use)",
        }[kind]
        load, cpu = summary["load_average_1min"], summary["cpu_ms_per_request"]
        print(f"{'':10} {description}")
        print(
            f"{'':10} load average (1 min) during run: mean {load['mean']:.2f}, max {load['max']:.2f}; "
            f"CPU per request (all pages): app {cpu['app']:.1f} ms + PostgreSQL {cpu['database']:.1f} ms"
        )


if __name__ == "__main__":
    main()
