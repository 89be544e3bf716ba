"""Django settings. Everything a deployment changes comes from the environment.

DATABASE_URL selects the database (default: an SQLite file under SAMVERKAN_HOME);
SAMVERKAN_PRODUCTION=1 turns on the hardened settings checked by `manage.py check --deploy`;
SAMVERKAN_DEBUG=1 (development only) shows tracebacks and the browsable API.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("SAMVERKAN_HOME", Path.cwd() / "var"))
PRODUCTION = os.environ.get("SAMVERKAN_PRODUCTION") == "1"
HOME.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SAMVERKAN_SECRET_KEY", "dev-only-insecure-key-change-me" if not PRODUCTION else "")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("SAMVERKAN_SECRET_KEY must be set (50+ characters) in production")
# Off unless a developer asks for it: a deployment that forgets a variable shows no tracebacks.
DEBUG = os.environ.get("SAMVERKAN_DEBUG") == "1"
if PRODUCTION and DEBUG:
    raise RuntimeError("SAMVERKAN_DEBUG=1 is refused together with SAMVERKAN_PRODUCTION=1")
ALLOWED_HOSTS = os.environ.get("SAMVERKAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Module apps in dependency order; the demo builder and URL registry walk this list.
SAMVERKAN_MODULES = [
    "members",
    "allocation",
    "catalogue",
    "billing",
    "portal",
    "assets",
    "telephony",
    "finance",
    "governance",
    "performance",
]

INSTALLED_APPS = [
    "samverkan.core",  # first: its registration/ templates win over the admin's (password pages)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    *[f"samverkan.{m}" for m in SAMVERKAN_MODULES],
    "samverkan.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "samverkan.core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'samverkan.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "samverkan.core.auth.ThrottledModelBackend",
    "samverkan.core.auth.FederationOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Login throttling per account (page and API token alike): after LOGIN_FAILURE_LIMIT wrong passwords
# within the window the account waits LOGIN_DELAY_SECONDS before the next try, twice as long after
# each further failure, at most LOGIN_DELAY_MAX_SECONDS; a successful login clears the count.
LOGIN_FAILURE_LIMIT = int(os.environ.get("SAMVERKAN_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = 24 * 3600
LOGIN_DELAY_SECONDS = 30
LOGIN_DELAY_MAX_SECONDS = 15 * 60
# The client address (logged with each failure, and the key of the API token endpoint's rate limit)
# is read from X-Forwarded-For only when the request comes from one of these proxies (addresses or
# networks, comma-separated, e.g. "10.0.0.5,192.168.1.0/24"); otherwise it is REMOTE_ADDR.
TRUSTED_PROXIES = [  # a value that is no address or network stops the start-up (ValueError)
    str(ipaddress.ip_network(p.strip(), strict=False))
    for p in os.environ.get("SAMVERKAN_TRUSTED_PROXIES", "").split(",")
    if p.strip()
]

# OpenID Connect (municipal IdP). Enabled when OIDC_RP_CLIENT_ID is set.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = os.environ.get("OIDC_CREATE_USER", "0") == "1"
OIDC_CALLBACK_CLASS = "samverkan.core.auth.OIDCCallbackView"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Off: ids in templates (value="{{ obj.pk }}") must never become "1 234"; amounts and counts
# are formatted explicitly with the |kr, |num and |pct filters (samverkan templatetags).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["samverkan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves static files under gunicorn too; without collectstatic it finds them in the apps.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = HOME / "media"
MEDIA_URL = "media/"
# Attachments are never served from MEDIA_URL directly: views check access first.
PRIVATE_STORAGE_ROOT = HOME / "private"

# Background work (django-tasks): the queue is a table in the same database, so the embedded setup
# needs no other server and a task enqueued inside a transaction is seen by the workers only if that
# transaction commits. `samverkan worker` runs the tasks; `samverkan serve` starts one beside the site.
# SAMVERKAN_TASKS_BACKEND swaps the backend (e.g. django_tasks.backends.immediate.ImmediateBackend:
# run every task at once in the process that enqueues it; the tests do that).
TASKS = {
    "default": {"BACKEND": os.environ.get("SAMVERKAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")},
}
# A running job whose process has shown no sign of life for this long is taken to be dead (core.jobs).
JOB_STALE_SECONDS = int(os.environ.get("SAMVERKAN_JOB_STALE_SECONDS", "300"))

EMAIL_BACKEND = os.environ.get("SAMVERKAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SAMVERKAN_FROM_EMAIL", "noreply@samverkan.local")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["samverkan.core.permissions.HasCapability"],
    "EXCEPTION_HANDLER": "samverkan.core.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # The browsable API (HTML forms listing related rows) only for a developer; JSON otherwise.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    # JSON nested deeper than a few levels is a 400 (not a RecursionError) and a body over
    # DATA_UPLOAD_MAX_MEMORY_SIZE a 413; forms and uploads keep Django's parsers.
    "DEFAULT_PARSER_CLASSES": [
        "samverkan.core.api_errors.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# A request body other than uploaded files (JSON, form fields): at most 5 MB. Uploaded files over
# 2,5 MB are spooled to disk; each importer states and checks its own file size limit
# (samverkan.core.fields.UploadField, MAX_UPLOAD_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkan API",
    "DESCRIPTION": "REST API for Swedish inter-municipal federations. Amounts are decimal strings in SEK.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across modules get stable names instead of hashes;
    # each module adds its own here (e.g. "KeyKindEnum": "samverkan.allocation.models.KeyKind").
    "ENUM_NAME_OVERRIDES": {
        "FigureKindEnum": "samverkan.members.models.FigureKind",
        "OrganisationFormEnum": "samverkan.members.models.OrganisationForm",
        "HandOverExtentEnum": "samverkan.members.models.HandOver.Extent",
        "KeyKindEnum": "samverkan.allocation.models.KeyKind",
        "PoolKindEnum": "samverkan.allocation.models.PoolKind",
        "RunKindEnum": "samverkan.allocation.models.RunKind",
        "AllocationRunStatusEnum": "samverkan.allocation.models.RunStatus",
        "RoundingUnitEnum": "samverkan.allocation.models.Unit",
        "ProRataEnum": "samverkan.allocation.models.ProRata",
        "TicketStatusEnum": "samverkan.portal.models.Status",
        "TicketChannelEnum": "samverkan.portal.models.Channel",
        "TicketTypeEnum": "samverkan.portal.models.TicketType",
        "TicketPriorityEnum": "samverkan.portal.models.PriorityChoices",
        "TicketImpactEnum": "samverkan.portal.models.ImpactChoices",
        "TicketUrgencyEnum": "samverkan.portal.models.UrgencyChoices",
        "CommentViaEnum": "samverkan.portal.models.Comment.Via",
        "AssetStatusEnum": "samverkan.assets.models.AssetStatus",
        "AssetTypeEnum": "samverkan.assets.models.AssetType",
        "InvoiceKindEnum": "samverkan.billing.models.DocumentKind",
        "BudgetKindEnum": "samverkan.finance.models.BudgetKind",
        "CaseDocumentKindEnum": "samverkan.governance.models.DocumentKind",
        "MeetingStatusEnum": "samverkan.governance.models.MeetingStatus",
        "AgreementKindEnum": "samverkan.governance.models.AgreementKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMVERKAN_LOG_LEVEL", "WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
# Database sessions that treat a malformed cookie as no session (see core/sessions.py).
SESSION_ENGINE = "samverkan.core.sessions"
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and images from
# this origin only (no inline script or style), no frames, no plugins, forms post here. Views with
# other needs say so with csp.decorators (the API docs in urls.py; downloads send their own, stricter
# policy: default-src 'none'; sandbox).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SAMVERKAN_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_AGE = 8 * 3600
