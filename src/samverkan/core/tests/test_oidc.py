"""OpenID Connect login against a fake identity provider on 127.0.0.1.

The provider is a real HTTP server in a thread: a token endpoint that checks the code and
client secret and returns an RS256-signed ID token, a userinfo endpoint and a JWKS endpoint.
mozilla-django-oidc talks to it with `requests`, exactly as it would to a municipal IdP.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings

from samverkan.core.models import User

CLIENT_ID = "samverkan-test"
CLIENT_SECRET = "hemlig-klientnyckel"
CODE = "engangskod-123"


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "nyckel-1"
        self.nonce = None
        self.email = "economist@test.se"
        self.audience = CLIENT_ID
        self.signing_key = self.key
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json(200, {"keys": [{**jwk, "kid": provider.kid, "alg": "RS256", "use": "sig"}]})
                elif self.path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer access-123":
                        self._json(401, {"error": "invalid_token"})
                        return
                    self._json(200, {"sub": "user-1", "email": provider.email, "name": "Karin Lind"})
                else:
                    self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if self.path != "/token" or form.get("code") != CODE or form.get("client_secret") != CLIENT_SECRET:
                    self._json(400, {"error": "invalid_grant"})
                    return
                now = int(time.time())
                claims = {
                    "iss": provider.base,
                    "sub": "user-1",
                    "aud": provider.audience,
                    "iat": now,
                    "exp": now + 300,
                    "nonce": provider.nonce,
                    "email": provider.email,
                }
                id_token = jwt.encode(claims, provider.signing_key, algorithm="RS256", headers={"kid": provider.kid})
                self._json(200, {"access_token": "access-123", "token_type": "Bearer", "id_token": id_token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def settings(self, **extra):
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.base}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/jwks",
            "OIDC_TIMEOUT": 10,
            "OIDC_CREATE_USER": False,
            **extra,
        }


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = Provider()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def sign_in(client: Client, provider: Provider, code: str = CODE):
    """Browser side of the authorization-code flow: go to the IdP, come back with code and state."""
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.base}/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert "openid" in query["scope"].split() and "email" in query["scope"].split()
    provider.nonce = query["nonce"]
    return client.get("/oidc/callback/", {"code": code, "state": query["state"]})


def test_known_email_logs_in_with_its_samverkan_role(world, provider):
    client = Client()
    with override_settings(**provider.settings()):
        login_page = client.get("/konto/logga-in/").content.decode()
        assert "/oidc/authenticate/" in login_page
        response = sign_in(client, provider)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.users["economist"].pk)
    me = client.get("/api/v1/me/").json()
    assert (me["username"], me["roles"]) == ("t-economist", ["economist"])
    assert me["federation"] == world.federation.pk
    form = provider.token_requests[0]
    assert form["grant_type"] == "authorization_code" and form["redirect_uri"].endswith("/oidc/callback/")
    # The role decides what the OIDC user may do, as for a local login.
    assert client.get("/medlemmar/").status_code == 200
    assert client.get("/granskningslogg/").status_code == 403


def test_unknown_email_is_refused_and_no_user_created(world, provider):
    provider.email = "okand@kommun.se"
    client = Client()
    count = User.objects.count()
    with override_settings(**provider.settings()):
        response = sign_in(client, provider)
        assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
        page = client.get(response["Location"]).content.decode()
    assert "gav inget konto i Samverkan" in page
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == count


def test_unknown_email_creates_a_user_without_role_when_allowed(world, provider):
    provider.email = "ny.person@lycksele.se"
    client = Client()
    with override_settings(**provider.settings(OIDC_CREATE_USER=True)):
        response = sign_in(client, provider)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="ny.person@lycksele.se")
    assert user.roles == frozenset() and user.federation is None
    assert client.get("/medlemmar/").status_code == 403  # no role, no data until an admin assigns one


def test_inactive_user_is_refused(world, provider):
    User.objects.filter(pk=world.users["economist"].pk).update(is_active=False)
    client = Client()
    with override_settings(**provider.settings()):
        sign_in(client, provider)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("tamper", ["audience", "signature", "nonce", "code"])
def test_forged_or_foreign_tokens_are_refused(world, provider, tamper):
    client = Client()
    code = CODE
    with override_settings(**provider.settings()):
        if tamper == "audience":
            provider.audience = "another-application"
        elif tamper == "signature":
            provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif tamper == "code":
            code = "stulen-kod"
        if tamper == "nonce":
            response = client.get("/oidc/authenticate/")
            state = parse_qs(urlparse(response["Location"]).query)["state"][0]
            provider.nonce = "replayed-nonce"
            response = client.get("/oidc/callback/", {"code": CODE, "state": state})
        else:
            response = sign_in(client, provider, code=code)
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    assert "_auth_user_id" not in client.session


def test_oidc_backend_is_inert_when_disabled(world, provider):
    client = Client()
    with override_settings(**provider.settings(OIDC_ENABLED=False)):
        assert "/oidc/authenticate/" not in client.get("/konto/logga-in/").content.decode()
        response = client.get("/oidc/authenticate/")
        state = parse_qs(urlparse(response["Location"]).query)["state"][0]
        client.get("/oidc/callback/", {"code": CODE, "state": state})
    assert "_auth_user_id" not in client.session
    assert provider.token_requests == []
