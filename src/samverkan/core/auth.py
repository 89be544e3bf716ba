"""Login backends: local passwords with throttling, and OpenID Connect for municipal IdPs."""

from __future__ import annotations

import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from samverkan.core.models import LoginFailure

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def is_throttled(username: str, address: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    failures = LoginFailure.objects.filter(username__iexact=username, at__gte=since)
    if address:
        failures = failures.filter(address=address)
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


class ThrottledModelBackend(ModelBackend):
    """Refuses a username from an address after LOGIN_FAILURE_LIMIT failures in the window,
    even with the right password, so that guessing stays slow."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        address = client_address(request)
        if is_throttled(username, address):
            raise PermissionDenied("throttled")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            LoginFailure.objects.create(username=username, address=address)
        else:
            LoginFailure.objects.filter(username__iexact=username, address=address).delete()
        return user


class FederationOIDCBackend(OIDCAuthenticationBackend):
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
