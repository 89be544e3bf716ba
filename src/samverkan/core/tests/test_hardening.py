"""Issue 12: DEBUG only on request, the browsable API only for developers (and scoped even
there), and a Content-Security-Policy on every page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from samverkan.catalogue.models import Category
from samverkan.catalogue.testing import make_catalogue
from samverkan.members.models import Service

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings;"
    "print(json.dumps([settings.DEBUG, settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']]))"
)


def _settings(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SAMVERKAN_DEBUG", "SAMVERKAN_PRODUCTION")}
    base |= {"SAMVERKAN_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "samverkan.settings", **env}
    return subprocess.run([sys.executable, "-c", PRINT_SETTINGS], capture_output=True, text=True, env=base, timeout=120)


def test_debug_and_the_browsable_api_only_with_the_development_flag(tmp_path):
    default = _settings(tmp_path)
    assert json.loads(default.stdout) == [False, ["rest_framework.renderers.JSONRenderer"]]
    developer = _settings(tmp_path, SAMVERKAN_DEBUG="1")
    assert json.loads(developer.stdout) == [
        True,
        ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    ]
    both = _settings(tmp_path, SAMVERKAN_DEBUG="1", SAMVERKAN_PRODUCTION="1", SAMVERKAN_SECRET_KEY="k" * 60)
    assert both.returncode != 0 and "SAMVERKAN_DEBUG=1 is refused" in both.stderr


def test_the_api_answers_json_to_a_browser_without_debug(world):
    response = world.api("admin").get("/api/v1/members/members/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


@pytest.fixture
def browsable(monkeypatch):
    """The browsable API as a developer has it (SAMVERKAN_DEBUG=1)."""
    monkeypatch.setattr(APIView, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/members/departments/",
        "/api/v1/members/handovers/",
        "/api/v1/members/figures/",
        "/api/v1/catalogue/items/",
        "/api/v1/catalogue/orders/",
        "/api/v1/catalogue/subscriptions/",
        "/api/v1/billing/invoices/",
        "/api/v1/billing/member-settings/",
        "/api/v1/allocation/lines/",
        "/api/v1/users/",
    ],
)
def test_browsable_api_forms_offer_only_the_users_own_rows(world, browsable, url):
    make_catalogue(world.federation)
    theirs = make_catalogue(world.other_federation)
    Category.objects.filter(pk=theirs.category.pk).update(name="Främmande kategori")
    Service.objects.create(federation=world.other_federation, code="frammande", name="Främmande verksamhet")
    response = world.client("admin").get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200, url
    page = response.content.decode()
    assert "<form" in page and "Lycksele kommun" in page  # the forms are there, with our rows
    for foreign in ("Ludvika kommun", "Främmande kategori", "Främmande verksamhet", "t-outsider"):
        assert foreign not in page, f"{url} lists {foreign}"


def test_pages_send_a_strict_content_security_policy(world):
    response = world.client("admin").get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script on a page"
    assert not re.search(r"\sstyle=\"", page), "inline style on a page"


def test_api_docs_have_their_own_policy_and_no_inline_script(world):
    client = world.client("admin")
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in docs["Content-Security-Policy"]
    assert "script-src 'self';" in docs["Content-Security-Policy"] + ";"
    scripts = re.findall(r"<script[^>]*>", docs.content.decode())
    assert scripts and all("src=" in tag for tag in scripts)
    script_url = re.findall(r'<script src="([^"]*\?script[^"]*)"', docs.content.decode())[0]
    assert client.get(script_url.replace("&amp;", "&")).status_code == 200
    redoc = client.get("/api/redoc/")
    assert redoc.status_code == 200 and "worker-src 'self' blob:" in redoc["Content-Security-Policy"]
