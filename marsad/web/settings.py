"""Django settings, read from the marsad project and the environment.

The project folder is `MARSAD_PROJECT` (else the current folder); its `marsad.toml` gives the
database, the evidence folder and the key files (docs/configuration.md). `MARSAD_ENV=production`
(set by `marsad serve`) turns on the production settings: no debug, secure cookies, a secret key
that must exist.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url

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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marsad.web.middleware.no_store_for_api_reads",
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
        # IMMEDIATE transactions: concurrent writers wait for the lock instead of failing.
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy: MARSAD_BEHIND_PROXY=true trusts the proxy's X-Forwarded-Proto
# header, and MARSAD_CSRF_TRUSTED_ORIGINS lists the public origins (https://observatory.example).
if os.environ.get("MARSAD_BEHIND_PROXY", "") == "true":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("MARSAD_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]
if PRODUCTION:
    SESSION_COOKIE_SECURE = os.environ.get("MARSAD_INSECURE_COOKIES", "") != "true"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# No personal data in logs: requests are not logged with their bodies or addresses here, and
# Django's own request logger only reports server errors (paths, never form fields).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "marsad": {"handlers": ["console"], "level": "INFO"},
    },
}
