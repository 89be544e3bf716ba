"""Queue view and "my tickets" under load, against a baseline page, on a large PostgreSQL database.

Run (PostgreSQL; the database must exist and may be emptied of nothing — the benchmark adds
its own federation "bench" and reuses it on later runs):

    runuser -u postgres -- createdb -O samverkan samverkan_bench
    DATABASE_URL=postgres://samverkan:samverkan@127.0.0.1:5432/samverkan_bench \\
        .venv/bin/python benchmarks/portal_load.py --tickets 1000000 --comments-per-ticket 5

What it does: migrates; fills 1 000 000 tickets (about 1 % open, spread over 20 members × 4
departments) and 5 comments each (one in five internal) with INSERT … SELECT generate_series,
rebuilding the full-text GIN indexes afterwards; starts the app (`runserver --noreload`,
DEBUG off) in a subprocess; then 20 client threads with keep-alive connections request, in
the same run and interleaved, the baseline page (`/`, the signed-in home page), the agent's
queue (`/portal/desk/?status=open`) and the orderer's "my tickets" (`/portal/mina/`). Prints
p50/p95/max per page and the ratio of each p95 to the baseline's p95.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")


def setup_django():
    import django

    django.setup()


def build_data(tickets: int, comments_per_ticket: int) -> dict[str, str]:
    """Create (or reuse) the bench federation and return session cookies for agent and orderer."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from samverkan.core.models import User
    from samverkan.core.roles import Role
    from samverkan.members.models import Department, Federation, Member, MembershipPeriod
    from samverkan.portal.models import Comment, Team, Ticket

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
        User.objects.create_user("bench-agent", password="x" * 16, federation=federation, role=Role.AGENT)
        User.objects.create_user(
            "bench-orderer", password="x" * 16, federation=federation, role=Role.ORDERER, department=departments[0]
        )
    agent = User.objects.get(username="bench-agent")
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
    total = Ticket.objects.filter(federation=federation).count()
    comments = Comment.objects.filter(ticket__federation=federation).count()
    print(f"database: {total} tickets, {comments} comments", flush=True)
    cookies = {}
    for name, user in (("agent", agent), ("orderer", orderer)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies["sessionid"].value
    return cookies


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, SAMVERKAN_DEBUG="0", SAMVERKAN_ALLOWED_HOSTS="127.0.0.1,localhost")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("server did not start")


def load(port: int, cookies: dict[str, str], users: int, rounds: int) -> dict[str, list[float]]:
    pages = [
        ("baseline /", "/", "agent"),
        ("queue (agent)", "/portal/desk/?status=open", "agent"),
        ("my tickets (orderer)", "/portal/mina/", "orderer"),
    ]
    results: dict[str, list[float]] = {name: [] for name, _, _ in pages}
    lock = threading.Lock()
    errors: list[str] = []

    def worker(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for r in range(rounds):
            for k in range(len(pages)):
                name, path, who = pages[(k + offset + r) % len(pages)]
                started = time.perf_counter()
                connection.request("GET", path, headers={"Cookie": f"sessionid={cookies[who]}"})
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    errors.append(f"{path}: {response.status} {response.getheader('Location')}")
                if r > 0:  # the first round warms caches and connections
                    with lock:
                        results[name].append(elapsed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} errors: {errors[:3]}")
    return results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--comments-per-ticket", type=int, default=5)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15, help="requests per page per user (first is warm-up)")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    cookies = build_data(args.tickets, args.comments_per_ticket)
    connection.close()
    port = args.port or free_port()
    server = start_server(port)
    try:
        started = time.perf_counter()
        results = load(port, cookies, args.users, args.rounds)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    base = p95(results["baseline /"])
    print(f"{args.users} concurrent users, {sum(len(v) for v in results.values())} measured requests in {wall:.0f} s")
    print(f"{'page':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/baseline':>13}")
    for name, values in results.items():
        print(
            f"{name:24} {len(values):5d} {statistics.median(values) * 1000:8.1f} {p95(values) * 1000:8.1f} "
            f"{max(values) * 1000:8.1f} {p95(values) / base:13.2f}"
        )


if __name__ == "__main__":
    main()
