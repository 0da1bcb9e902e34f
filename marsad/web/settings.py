"""Django settings, read from the marsad project and the environment.

The project folder is `MARSAD_PROJECT` (else the current folder); its `marsad.toml` gives the
database, the evidence folder and the key files (docs/configuration.md). `MARSAD_ENV=production`
(set by `marsad serve`) turns on the production settings: no debug, secure cookies, a secret key
that must exist.
"""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from marsad.config import load_settings, resolve_project

PROJECT = load_settings(resolve_project(None, os.environ))
PRODUCTION = os.environ.get("MARSAD_ENV", "") == "production"
DEBUG = os.environ.get("MARSAD_DEBUG", "").lower() in ("1", "true", "yes") and not PRODUCTION
WEB_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    """MARSAD_WEB_SECRET_KEY, else derived from the project's secret key file."""
    if key := os.environ.get("MARSAD_WEB_SECRET_KEY"):
        return key
    secret_file = PROJECT.path("project.secret_file")
    if secret_file.exists():
        seed = secret_file.read_bytes().strip()
        return hashlib.sha256(b"marsad-web-session:" + seed).hexdigest()
    if PRODUCTION:
        raise RuntimeError(
            f"{secret_file} is missing: run `marsad init {PROJECT.project_dir}` "
            "or set MARSAD_WEB_SECRET_KEY"
        )
    return "marsad-development-key-not-for-production"


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in str(PROJECT.get("web.allowed_hosts")).split(",") if h.strip()]
ALLOWED_HOSTS += ["testserver"] if not PRODUCTION else []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "marsad.web.cases",
    "marsad.web.evidence",
    "marsad.web.public",
    "marsad.web.staff",
    "marsad.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marsad.web.middleware.no_store_for_api_reads",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into its page (429)
    "marsad.web.public.request_size.refuse_large_requests",  # 413 before the body is read
]

ROOT_URLCONF = "marsad.web.urls"
WSGI_APPLICATION = "marsad.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marsad.web.context.site",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = PROJECT.database_url
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions: concurrent writers wait for the lock instead of failing;
        # secure_delete: what a purge erases is overwritten in the file, not left in free pages.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA secure_delete = ON;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"

# Staff accounts (docs/web.md, "Staff accounts"). The lockout backend comes first: a locked
# out username is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Two-factor: after the password, a code from the staff member's authenticator app (TOTP).
MARSAD_REQUIRE_2FA = bool(PROJECT.get("web.require_2fa"))
OTP_TOTP_ISSUER = f"marsad {PROJECT.get('project.name')}"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes, the next is refused for 2**(n-1) s
# Lockout: 5 wrong passwords for a username lock it for 30 minutes. Counted by username only;
# no address or browser is kept (axes' tables hold the username, the times and the count).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "marsad.web.staff.lockout.no_address"
AXES_USERNAME_CALLABLE = "marsad.web.staff.lockout.username_key"  # a keyed hash, never as typed
AXES_HANDLER = "marsad.web.staff.lockout.LockoutHandler"
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # no row per failure beyond the count
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("ar", "العربية"), ("he", "עברית"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT.project_dir / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]  # site.css and the other shared static files
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

MARSAD_EVIDENCE_DIR = PROJECT.path("web.evidence_path")
MARSAD_DATA_KEY_FILE = PROJECT.path("web.data_key_file")
MARSAD_MAX_UPLOAD_BYTES = int(PROJECT.get("web.max_upload_mb")) * 1024 * 1024
MARSAD_PROJECT_NAME = str(PROJECT.get("project.name"))
# URL capture: private and loopback addresses are refused unless this is true (tests, labs).
MARSAD_CAPTURE_ALLOW_PRIVATE = os.environ.get("MARSAD_CAPTURE_ALLOW_PRIVATE", "") == "true"
MARSAD_CAPTURE_TIMEOUT = float(os.environ.get("MARSAD_CAPTURE_TIMEOUT", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20  # the forms take 10; more is refused before any form sees it

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a staff session lasts a working day at most
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "marsad.web.errors.csrf_failure"  # the site's page, in its language
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: scripts, styles, fonts and frames only from the site itself; no
# inline script or style; images also as data: URIs; the site may not be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Behind a TLS-terminating proxy: MARSAD_BEHIND_PROXY=true trusts the proxy's X-Forwarded-Proto
# header, and MARSAD_CSRF_TRUSTED_ORIGINS lists the public origins (https://observatory.example).
MARSAD_BEHIND_PROXY = os.environ.get("MARSAD_BEHIND_PROXY", "") == "true"
if MARSAD_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("MARSAD_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]
# In production everything goes over https: Secure cookies, http redirected to https, and
# HSTS for a year. Only `marsad serve` on a loopback address (plain http on the machine itself)
# sets MARSAD_INSECURE_COOKIES=true, which a TLS proxy in front (MARSAD_BEHIND_PROXY) overrides.
if PRODUCTION:
    HTTPS = MARSAD_BEHIND_PROXY or os.environ.get("MARSAD_INSECURE_COOKIES", "") != "true"
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Silenced checks, each a deliberate choice: HSTS preloading (security.W021) is a commitment
# for the whole domain that only its owner can make (and submit to the browsers' list); the
# lockout counts by username and never by address (axes.W006), because marsad keeps no
# addresses: a username is locked whatever address or browser the guesses come from.
SILENCED_SYSTEM_CHECKS = ["security.W021", "axes.W006"]

# No personal data in logs: requests are not logged with their bodies or addresses here, and
# Django's own request logger only reports server errors (paths, never form fields).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "marsad": {"handlers": ["console"], "level": "INFO"},
        # django-axes would log each failure with the username: marsad keeps only the count.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
