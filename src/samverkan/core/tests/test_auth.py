"""Local login: throttling, password rules, logout by POST, and the production settings check."""

import html
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from samverkan.core.auth import client_address, login_wait
from samverkan.core.models import LoginFailure
from samverkan.testing import PASSWORD

LOGIN = "/konto/logga-in/"
THROTTLED = "För många misslyckade inloggningar"


def login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_with_right_password(world):
    client = Client()
    response = login(client, "t-admin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in(client)


def _age_failures(username, seconds):
    """Pretend the account's failures happened `seconds` earlier."""
    for failure in LoginFailure.objects.filter(username=username):
        LoginFailure.objects.filter(pk=failure.pk).update(at=failure.at - timedelta(seconds=seconds))


def test_five_failures_delay_the_account_even_for_the_right_password(world):
    for _ in range(5):
        response = login(Client(), "t-admin", "fel-losenord-123")
        assert response.status_code == 200 and THROTTLED not in response.content.decode()
    client = Client()
    response = login(client, "t-admin", PASSWORD)
    assert response.status_code == 200 and not logged_in(client)
    assert "Vänta 30 sekunder" in html.unescape(response.content.decode())
    # Per account: another address (another client behind the same proxy, or the attacker's next
    # address) waits as well, while other accounts are not touched.
    assert THROTTLED in login(Client(), "t-admin", PASSWORD, address="10.0.0.2").content.decode()
    assert login(Client(), "t-economist", PASSWORD).status_code == 302


def test_the_delay_passes_and_doubles_with_each_further_failure_up_to_the_cap(world):
    for _ in range(5):
        login(Client(), "t-admin", "fel-losenord-123")
    assert login_wait("t-admin") == 30
    for _ in range(3):  # tries while waiting are refused without counting
        login(Client(), "t-admin", "fel-losenord-123")
    assert LoginFailure.objects.filter(username="t-admin").count() == 5
    _age_failures("t-admin", 31)
    assert login_wait("t-admin") == 0
    login(Client(), "t-admin", "fel-losenord-123")  # the sixth failure
    assert login_wait("t-admin") == 60
    _age_failures("t-admin", 61)
    assert login(Client(), "t-admin", PASSWORD).status_code == 302  # the owner gets in after the wait
    assert not LoginFailure.objects.filter(username="t-admin").exists()
    for _ in range(40):
        LoginFailure.objects.create(username="t-admin", address="10.0.0.1")
    assert 0 < login_wait("t-admin") <= settings.LOGIN_DELAY_MAX_SECONDS == 15 * 60


def test_success_resets_the_failure_count(world):
    client = Client()
    for _ in range(4):
        login(client, "t-admin", "fel-losenord-123")
    assert login(client, "t-admin", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="t-admin").exists()
    for _ in range(4):
        login(Client(), "t-admin", "fel-losenord-123")
    assert login(Client(), "t-admin", PASSWORD).status_code == 302


def test_old_failures_expire(world):
    for _ in range(5):
        login(Client(), "t-admin", "fel-losenord-123")
    assert THROTTLED in login(Client(), "t-admin", PASSWORD).content.decode()
    with override_settings(LOGIN_FAILURE_WINDOW_SECONDS=0):
        assert login(Client(), "t-admin", PASSWORD).status_code == 302


def test_api_token_endpoint_waits_the_same_way(world):
    client = Client()
    for _ in range(5):
        assert client.post("/api/v1/token/", {"username": "t-admin", "password": "fel"}).status_code == 400
    response = client.post("/api/v1/token/", {"username": "t-admin", "password": PASSWORD})
    assert response.status_code == 429 and "token" not in response.json()
    assert response["Retry-After"] == "30" and "Vänta 30 sekunder" in response.json()["detail"]
    # The page login counts the same failures.
    assert THROTTLED in login(Client(), "t-admin", PASSWORD).content.decode()
    _age_failures("t-admin", 31)
    assert "token" in client.post("/api/v1/token/", {"username": "t-admin", "password": PASSWORD}).json()


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    return SimpleNamespace(META=meta)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", None, "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from a trusted proxy: the header is ignored
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.5", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client's own (spoofable) start is skipped
        ("10.0.0.5", "198.51.100.1, 192.168.1.20", "198.51.100.1"),  # a chain of trusted proxies
        ("10.0.0.5", "bogus", "10.0.0.5"),
        ("10.0.0.5", "192.168.1.20", "192.168.1.20"),
    ],
)
def test_client_address_honours_only_trusted_proxies(remote, forwarded, expected):
    with override_settings(TRUSTED_PROXIES=["10.0.0.5/32", "192.168.1.0/24"]):
        assert client_address(_request(remote, forwarded)) == expected


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_failures_behind_the_proxy_record_the_client(world):
    Client().post(
        LOGIN, {"username": "t-admin", "password": "fel"}, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert LoginFailure.objects.get(username="t-admin").address == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_token_rate_limit_counts_per_client_behind_the_proxy(world):
    def token(client_ip):
        return Client().post(
            "/api/v1/token/",
            {},  # no account involved: only the rate limit can answer 429
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    assert [token("198.51.100.1").status_code for _ in range(21)][-1] == 429
    assert token("198.51.100.2").status_code == 400  # another client behind the same proxy


@pytest.mark.parametrize("password", ["kort-123", "Sommar2025!", "123456789012", "admin@test.se!!"])
def test_password_rules_refuse_weak_passwords(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.users["admin"])


def test_password_rules_accept_a_long_password(world):
    validate_password("Fjällräv-Lycksele-2025", world.users["admin"])


def test_password_change_enforces_minimum_length(world):
    client = world.client("admin")
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "Kort-1234",
            "new_password2": "Kort-1234",
        },
    )
    assert response.status_code == 200 and "minst 12 tecken" in response.content.decode()
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fjällräv-Lycksele-2025",
            "new_password2": "Fjällräv-Lycksele-2025",
        },
    )
    assert response.status_code == 302


def test_logout_only_by_post(world):
    client = world.client("admin")
    assert client.get("/konto/logga-ut/").status_code == 405
    assert logged_in(client)
    page = client.get(reverse("home")).content.decode()
    assert re.search(r'<form action="/konto/logga-ut/" method="post"', page)
    assert client.post("/konto/logga-ut/").status_code == 302
    assert not logged_in(client)


def test_cookies_are_http_only_and_frames_denied(world):
    response = login(Client(), "t-admin", PASSWORD)
    assert response.cookies["sessionid"]["httponly"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _production_env(tmp_path, **extra):
    env = {
        **os.environ,
        "SAMVERKAN_PRODUCTION": "1",
        "SAMVERKAN_HOME": str(tmp_path),
        "SAMVERKAN_SECRET_KEY": "pr0d-" + "k3y-Gx9#Lq2!vT7@" * 4,
        "SAMVERKAN_ALLOWED_HOSTS": "samverkan.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **extra,
    }
    env.pop("SAMVERKAN_DEBUG", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


MANAGE = Path(__file__).resolve().parents[4] / "manage.py"


@pytest.mark.slow
def test_check_deploy_is_clean_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=_production_env(tmp_path),
        timeout=300,
    )
    output = result.stdout + result.stderr
    # Security and Django checks must be silent. drf-spectacular also reports schema
    # warnings here; those of core and members must be silent too (other modules own theirs).
    issues = [line for line in output.splitlines() if re.match(r"^\S*: \(", line) or line.startswith("?: (")]
    security = [line for line in issues if "(security." in line or "(django." in line]
    assert not security, output
    ours = [line for line in issues if "/core/" in line or "/members/" in line]
    assert not ours, output
    if not issues:
        assert result.returncode == 0, output


def test_production_refuses_a_short_secret_key(tmp_path):
    env = _production_env(tmp_path, SAMVERKAN_SECRET_KEY="too-short")
    result = subprocess.run(
        [sys.executable, "-c", "import samverkan.settings"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode != 0 and "SAMVERKAN_SECRET_KEY" in result.stderr
