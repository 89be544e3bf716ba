"""Login backends: local passwords with throttling, and OpenID Connect for municipal IdPs."""

from __future__ import annotations

import ipaddress
import logging
import math
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.models import Count, Max
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from samverkan.core.models import LoginFailure

logger = logging.getLogger(__name__)


def _trusted(address: str, proxies: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def client_address(request) -> str | None:
    """The client's IP address. REMOTE_ADDR, unless that is one of settings.TRUSTED_PROXIES: then
    the nearest address in X-Forwarded-For that is not a trusted proxy itself (a client can put
    anything at the start of the header, so it is read from the proxy's end)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if not remote or not _trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:  # not an address: the header is broken, trust only the proxy
                return remote
    return hops[0] if hops else remote


def login_wait(username: str) -> int:
    """Seconds before `username` may try another password: none until LOGIN_FAILURE_LIMIT failures
    within the window, then LOGIN_DELAY_SECONDS after the latest failure, doubled by each further
    failure, at most LOGIN_DELAY_MAX_SECONDS. Per account, wherever the guesses come from; a delay
    rather than a lock, so nobody can shut the owner out for longer than the cap."""
    now = timezone.now()
    since = now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=since).aggregate(
        count=Count("id"), latest=Max("at")
    )
    beyond = recent["count"] - settings.LOGIN_FAILURE_LIMIT
    if beyond < 0:
        return 0
    delay = min(settings.LOGIN_DELAY_SECONDS * 2 ** min(beyond, 32), settings.LOGIN_DELAY_MAX_SECONDS)
    return max(0, math.ceil((recent["latest"] + timedelta(seconds=delay) - now).total_seconds()))


def throttled_message(wait: int) -> str:
    return _("För många misslyckade inloggningar. Vänta %(seconds)d sekunder och försök igen.") % {"seconds": wait}


class UserWithFederation:
    """Loads the signed-in user with their federation in the same query: nearly every page and
    call reads `user.federation`, so this saves a query on each of them."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        user = get_user_model()._default_manager.select_related("federation").filter(pk=user_id).first()
        return user if user is not None and user.is_active else None


class ThrottledModelBackend(UserWithFederation, ModelBackend):
    """Refuses a password for an account that must wait (`login_wait`), even the right one, so that
    guessing stays slow; a refused try during the wait is not counted as a failure."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if login_wait(username):
            raise PermissionDenied("throttled")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            LoginFailure.objects.create(username=username[:150], address=client_address(request))
        else:
            LoginFailure.objects.filter(username__iexact=username).delete()
        return user


class FederationOIDCBackend(UserWithFederation, OIDCAuthenticationBackend):
    """Matches the IdP's e-mail claim to an existing account; roles stay assigned in Samverkan,
    never taken from the IdP, so a municipal IdP cannot grant access to another member's data."""

    def __init__(self, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            from django.contrib.auth import get_user_model

            self.disabled = True
            self.UserModel = get_user_model()
            return
        self.disabled = False
        super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if self.disabled:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:  # bad signature, nonce or audience: a failed login, not a 400
            logger.warning("OIDC login refused: %s", exc)
            return None
        except requests.RequestException as exc:  # IdP refused the code (expired, reused) or is down: not a 500
            logger.warning("OIDC login failed talking to the IdP: %s", exc)
            return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc skips the audience check; without it an ID token the IdP issued
        to another application would log in here."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience does not name this client")
        return payload

    def filter_users_by_claims(self, claims):
        email = claims.get("email")
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        if not settings.OIDC_CREATE_USER:
            return None
        return super().create_user(claims)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """A refused IdP login lands on the login page with a reason instead of a bare redirect."""

    def login_failure(self):
        messages.error(
            self.request,
            _("Inloggningen via kommunens IdP gav inget konto i Samverkan. Kontakta förbundets administratör."),
        )
        return redirect("login")
