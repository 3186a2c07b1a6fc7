"""Settings of the WSPL network directory.

One module, read from the environment. Every variable is listed in the
README's table; the defaults are safe for a laptop and refuse to run a
production site with development secrets.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX
from pythonjsonlogger.core import RESERVED_ATTRS

from common.headers import csp_source
from common.release import code_digest
from common.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_addresses(name):
    """[(name, address)] from "Jan Kowalski <jan@example.org>, ops@example.org" (an address alone is its own name)."""
    value = os.environ.get(name, "")
    addresses = [(person or address, address) for person, address in getaddresses([value]) if person or address]
    if any("@" not in address for _person, address in addresses):
        raise ImproperlyConfigured(f"{name} must be e-mail addresses separated by commas: 'Jan <jan@example.org>, b@c'")
    return addresses


DEBUG = env_bool("DJANGO_DEBUG", False)

# With debug off there is no fallback key: the site refuses to serve without one
# (wspl_site/serving.py, called by wsgi.py and asgi.py, and `check --deploy`).
# Management commands that need no secret (migrate, makemigrations…) still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or (
    "development-only-insecure-key-do-not-use-in-production" if DEBUG else ""
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
# The site's address, for links in e-mails sent without a request (the reminders of `send_reminders`).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with the site of backoffice/sites.py (the staff dashboard on its start page) as `admin.site`.
    "backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Form widgets are rendered with the site's templates (FORM_RENDERER below): Django's own widget templates
    # come from django.forms, and the admin's related-field links are overridden in templates/admin/widgets/.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    # The second factor of staff and of coordinators who turn it on: authenticator apps (TOTP) and recovery codes
    # (common/otp.py, coordinator/second_factor.py; OTP_* below).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The queue of background tasks (TASKS below) in the database: its table, its admin, `manage.py db_worker`.
    "django_tasks_db",
    # Staff import and export tables as CSV or XLSX in the admin (common/imports.py; IMPORT_EXPORT_* below).
    "import_export",
    # Layers, top to bottom (imports only go down; `make check` runs the import-linter contract in pyproject.toml):
    # the project package, the interface apps, the domain apps, and the infrastructure package.
    "wspl_site",
    "directory",
    "coordinator",
    "search",
    "opendata",
    "demo",
    "backoffice",
    "events",
    "practices",
    "members",
    "network",
    "partnerships",
    "common",
]
# The domain apps whose tables hold what the public pages show: a committed write to one of them (their m2m
# and history tables too) moves the data version, so nothing cached outlives it (common/cache/version.py).
DATA_VERSION_APPS = ["partnerships", "members", "events", "network"]
# Their tables that no public page shows: a write to one moves nothing (a visitor's message must not empty the caches).
DATA_VERSION_PRIVATE_TABLES = [
    "partnerships_contactmessage",
    "network_supportrequest",
    "network_exchangedigestsubscription",
]

MIDDLEWARE = [
    # Outermost: the request id (X-Request-ID) and one log line per request, pages served from the cache included
    # (common/logs.py); its header is added after the page cache, so no cached page keeps another request's id.
    "common.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the cache (common/cache/pages.py): in front of everything a cached page does not need.
    "common.cache.pages.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end after STAFF_SESSION_IDLE without a request and STAFF_SESSION_MAX after login: right after
    # the user is known and messages can be queued ("Sesja wygasła…"), before anything else reads the user.
    "coordinator.sessions.StaffSessionTimeoutMiddleware",
    # The second factor: which device verified the session (django-otp), then a session that must pass it and has
    # not sees every page but the code pages as an anonymous visitor (common/otp.py).
    "django_otp.middleware.OTPMiddleware",
    "common.otp.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy and Permissions-Policy (settings below): inside the page cache, so a cached page keeps
    # the headers of its view (the widget's frame-ancestors).
    "csp.middleware.CSPMiddleware",
    "common.headers.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wspl_site.urls"
WSGI_APPLICATION = "wspl_site.wsgi.application"

_template_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # Cached loader outside development: templates are parsed once per process.
            "loaders": _template_loaders if DEBUG else [("django.template.loaders.cached.Loader", _template_loaders)],
        },
    }
]

# Database: SQLite in the project folder unless DATABASE_URL names another one.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Markup that depends only on the code, the language and the values in its key (the header, menu and footer,
# a list's page links, the agenda's views, the boxes for subscribing to a calendar): rendered once per process by
# the {% cache %} tags of the templates and kept in its own memory (bounded); never out of date, so never cleared
# but when a setting changes (in tests).
CACHES["markup"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "wspl-markup",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 3000},
}
# Anonymous page cache: seconds a cached page may live (0 = off). Its invalidation needs a cache that every
# process shares, so it is on by default only with Redis (and never in development, where templates change).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60" if REDIS_URL and not DEBUG else "0"))
# The release of the code, in the key of every cached page and fragment: while old and new code serve side by side
# during a deploy, neither reads the other's entries. WSPL_RELEASE (a commit id, say) when set, else a digest of the
# code, templates, translations and static files (common/release.py), the same on every machine running the same files.
RELEASE_ID = os.environ.get("WSPL_RELEASE", "").strip() or code_digest(BASE_DIR)

# Checked whenever a password is set (the invitation's form, password change and reset, the admin), never at
# login: existing accounts keep their passwords. Django's own messages, in Polish from Django's translations.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes' backend first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The e-mail address signs in too: invited coordinators' logins are not their addresses.
    "coordinator.auth.EmailBackend",
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "coordinator:dashboard"
LOGOUT_REDIRECT_URL = "home"
# The second factor (django-otp): staff, and coordinators who turn it on, confirm their login with a code from an
# authenticator app or a recovery code (common/otp.py). A session without it is sent to OTP_LOGIN_URL (enrolment
# for an account without an app); the app shows the account under OTP_TOTP_ISSUER.
OTP_LOGIN_URL = "account:second_factor"
OTP_TOTP_ISSUER = "WSPL"
# The admin never shows a device's secret (the lists of devices are the accounts', backoffice/admin.py).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Login throttling (django-axes, on the site's login and the admin's; coordinator/account_views.py):
# an account is locked after AXES_FAILURE_LIMIT failed logins from anywhere, an address after
# LOGIN_IP_FAILURE_LIMIT across accounts; both for AXES_COOLOFF_TIME after the last failure (a failure
# while locked starts it again). A successful login before that forgets the account's failures.
AXES_HANDLER = "coordinator.account_views.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
LOGIN_IP_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)  # a timedelta: the lockout page says it in minutes
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coordinator.account_views.locked_out"
# The client's address: REMOTE_ADDR, or behind the proxy (whenever SECURE_PROXY_SSL_HEADER is trusted, below)
# the address the proxy appended last to X-Forwarded-For; never what the client wrote there itself.
AXES_CLIENT_IP_CALLABLE = "common.ratelimit.client_ip"
# Failed attempts only, deleted after the cool-off: no lasting log of who logged in from where.
AXES_DISABLE_ACCESS_LOG = True
# The failed attempts' list is registered by backoffice/admin.py, with the admin's Polish names.
AXES_ENABLE_ADMIN = False
# Password-reset e-mails: at most this many requests from one address per window (coordinator/account_views.py).
PASSWORD_RESET_IP_LIMIT = 5
PASSWORD_RESET_IP_WINDOW = timedelta(hours=1)

# Background tasks (django-tasks; Django 6 has the same API as django.tasks): e-mail leaves the request through
# common/mail.py. "database" (django-tasks-db) keeps the queue in the database; the worker
# (`manage.py db_worker`, `make worker`) sends the messages and retries when the mail server fails. "immediate" runs
# each task in the process that queued it, once its transaction is committed: no worker to start, no retries. It is
# the default in development, so `make run` stays one command, and the tests' (tests/conftest.py).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "") or ("immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# E-mail (invitations, password reset): printed to the console in development, SMTP otherwise.
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "WSPL <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets an e-mail with the traceback of every server error (Django's mail_admins, debug off): "Name <a@b>, c@d".
ADMINS = env_addresses("DJANGO_ADMINS")

# Polish first; English interface under /en/.
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("polski")), ("en", _("angielski"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images: on local disk in MEDIA_ROOT ("local"), or in an S3-compatible bucket ("s3", with the
# DJANGO_S3_* variables) that several app servers share; MEDIA_URL is then the bucket's public address.
MEDIA_STORAGE = os.environ.get("DJANGO_MEDIA_STORAGE", "local")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# How many machines run the site behind the proxy: with more than one, nothing may live on one machine's disk
# (SQLite, local media): `check --deploy` refuses it (wspl_site/checks.py).
APP_SERVERS = int(os.environ.get("DJANGO_APP_SERVERS", "1"))
media_backend, MEDIA_URL = media_storage(MEDIA_STORAGE, os.environ)
STORAGES = {
    "default": media_backend,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: strict by default, relaxed only for local development over http.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions: a coordinator stays logged in for SESSION_COOKIE_AGE; a staff member's session (the admin: every
# account and every partnership) ends after STAFF_SESSION_IDLE without a request and STAFF_SESSION_MAX after
# login at the latest (coordinator/sessions.py). Visitors who are not logged in get no session at all.
SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())
STAFF_SESSION_IDLE = timedelta(minutes=30)
STAFF_SESSION_MAX = timedelta(hours=12)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The health endpoints answer over plain http too: a probe on the machine asks gunicorn directly.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Request size (a larger request gets templates/400.html, "Formularz lub plik jest za duży…", which names these
# limits): at most 2 MB of form text, counted without uploaded files (an image may have 10 MB, common/images.py,
# and files above 2 MB wait in a temporary file, not in memory); at most 1000 fields and 10 files a request.
# The proxy in front must let an image through: nginx `client_max_body_size 12m;`.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# A form sent without a valid CSRF token (open too long, cookies off): a Polish page in the site's layout.
# Import and export in the admin (common/imports.py): CSV and XLSX; a confirmed import is one transaction; staff
# import into a table they may change and export one they may view.
IMPORT_EXPORT_FORMATS = [CSV, XLSX]
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

CSRF_FAILURE_VIEW = "coordinator.errors.csrf_failure"

PAGE_SIZE = 20

# Map tiles (Leaflet): any XYZ tile server; OpenStreetMap's own by default. The attribution is HTML; left empty it is
# OpenStreetMap's, in the page's language (directory/maps.py).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "")

# Content-Security-Policy (django-csp): scripts, styles and everything else from the site itself only (no inline
# script, style element or attribute, no eval), images also as data: URIs (Bootstrap's icons), from the map's
# tile server and from the bucket of uploaded images (DJANGO_MEDIA_STORAGE=s3); no plugins, no <base>, forms post
# only here, and no framing but the events' widgets (events/views.py replaces frame-ancestors with * there).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [csp_source(MAP_TILE_URL), csp_source(MEDIA_URL)])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (common/headers.py): the browser features the site never uses are off for it and anything it
# embeds; geolocation only for the site itself ("Co jest blisko mnie?" asks for the visitor's location).
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    **{
        feature: []
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
}

# Logs: everything to stderr, one JSON object a line (python-json-logger) with time, level, logger, message and, while
# a request is served, its request_id and path (common/logs.py); plain text with DJANGO_LOG_FORMAT=text (the default
# in debug). `wspl.request` writes one line per request (method, status, duration_ms); `django.request` a server
# error's traceback (exc_info).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "common.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id"],
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger", "status_code": "status"},
            # Django's error records carry the request object itself; its path is there already.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
            "json_ensure_ascii": False,
        },
        "text": {
            "format": "{asctime} {levelname} {name} [{request_id}] {message}",
            "style": "{",
            "defaults": {"request_id": "-"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"wspl.request": {"level": "INFO"}},
}

# Error reports to Sentry or a self-hosted GlitchTip (the same protocol): only when SENTRY_DSN is set. No personal
# data: not the visitor's address, cookies or user (send_default_pii), nor what a form sent (request bodies), nor the
# values of variables in the traceback, where a session key or a person's e-mail may sit. The release is the code's
# (RELEASE_ID); performance traces only with SENTRY_TRACES_SAMPLE_RATE above 0.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=RELEASE_ID,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
