"""The one settings file. Every knob is an environment variable listed in the README."""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from lianxi.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("LIANXI_DEBUG", False)
# Under pytest the suite runs with a throwaway key and no other setup.
TESTING = env_bool("LIANXI_TESTING", "pytest" in sys.modules)
# A fixed development key is only acceptable while DEBUG is on or under the demo/test runners,
# which set LIANXI_SECRET_KEY themselves; production must provide one.
SECRET_KEY = env_str("LIANXI_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "lianxi-insecure-development-key"
    else:
        raise RuntimeError("LIANXI_SECRET_KEY (or LIANXI_SECRET_KEY_FILE) must be set when LIANXI_DEBUG is off")

ALLOWED_HOSTS = env_list("LIANXI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("LIANXI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so its ``createsuperuser`` (Django's, plus the audit row) is the one ``manage.py`` runs.
    "lianxi.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Listed so /api/v1/docs renders Swagger UI from ninja's bundled static files, not a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Login throttling: failed attempts per account and per address, lockout, attempt log.
    "axes",
    "lianxi.audit",
    "lianxi.jobs",
    "lianxi.registry",
    "lianxi.meetings",
    "lianxi.projects",
    "lianxi.burden",
    "lianxi.lists",
    "lianxi.matching",
    "lianxi.campaigns",
    "lianxi.visits",
    "lianxi.ingest",
    "lianxi.documents",
    "lianxi.dashboards",
    "lianxi.onboarding",
    "lianxi.home",
    "lianxi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lianxi.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianxi.lib.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A bearer token on /api/ replaces the session's user (and skips CSRF); then session limits.
    "lianxi.accounts.tokens.ApiTokenMiddleware",
    "lianxi.accounts.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lianxi.lib.security.PermissionsPolicyMiddleware",
    "lianxi.lib.i18n.TraditionalChineseMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lianxi.urls"
WSGI_APPLICATION = "lianxi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianxi.accounts.gates.access",
            ],
            "builtins": ["lianxi.lib.urltags"],
        },
    }
]


def _database_from_url(url: str) -> dict:
    """``postgres://user:pass@host:port/name`` or ``sqlite:///path``; SQLite in WAL mode by default."""
    if not url:
        return _sqlite(env_str("LIANXI_DB_PATH", str(Path.cwd() / "lianxi.sqlite3")))
    parsed = urlparse(url)
    if parsed.scheme in ("sqlite", "sqlite3"):
        return _sqlite(unquote(parsed.path) or "lianxi.sqlite3")
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "lianxi",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("LIANXI_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite:// or postgres://)")


def _sqlite(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers go on while one writer commits; IMMEDIATE makes a writing
            # transaction take the write lock at BEGIN, so concurrent claims queue instead of
            # failing halfway with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database_from_url(env_str("DATABASE_URL", ""))}
if env_str("LIANXI_TEST_DB_NAME"):
    # Lets two suites share one PostgreSQL server without dropping each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("LIANXI_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates many users and tests no hashing strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is checked.
    "lianxi.accounts.backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # each role lands on its own work (home.views.start)
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
# English is not offered until its catalogue (lianxi/locale/en) covers every page and every choice
# label: a half-translated page is worse than a Chinese one. The catalogue is kept and checked by the
# tests; add ("en", "English") here once it is complete.
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("LIANXI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# lianxi/static (the shared CSS and the vendored htmx/ECharts) belongs to no app, so it is listed here.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served straight from the package (WHITENOISE_USE_FINDERS); STATIC_ROOT is only
# needed by an operator who runs collectstatic for a compressed, cached copy.
STATIC_ROOT = env_str("LIANXI_STATIC_ROOT", "") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if STATIC_ROOT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files (progress-report photos and documents, campaign attachments). Never served
# directly: every file goes out through a gated view (no MEDIA_URL route exists).
MEDIA_ROOT = Path(env_str("LIANXI_MEDIA_ROOT", "") or (BASE_DIR.parent / "media"))
MEDIA_URL = "/media-not-served/"
# Upload limits per attachment (bytes).
UPLOAD_PHOTO_MAX = env_int("LIANXI_UPLOAD_PHOTO_MAX", 5 * 1024 * 1024)
UPLOAD_DOCUMENT_MAX = env_int("LIANXI_UPLOAD_DOCUMENT_MAX", 10 * 1024 * 1024)

# Serve straight from the app directories, so `lianxi demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_SECURE = env_bool("LIANXI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Absolute lifetime of a login (the session cookie's age), and the idle time after which it ends
# (SessionLimitsMiddleware); both in seconds.
SESSION_COOKIE_AGE = env_int("LIANXI_SESSION_AGE", 8 * 3600)
SESSION_IDLE_TIMEOUT = env_int("LIANXI_SESSION_IDLE", 30 * 60)

# HTTPS. Behind a reverse proxy that terminates TLS, LIANXI_PROXY_SSL_HEADER=true trusts its
# "X-Forwarded-Proto: https" (the proxy must set it and strip any the client sent).
SECURE_SSL_REDIRECT = env_bool("LIANXI_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LIANXI_PROXY_SSL_HEADER", False) else None
SECURE_HSTS_SECONDS = env_int("LIANXI_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LIANXI_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("LIANXI_HSTS_PRELOAD", False)
# Trusted reverse proxies in front of the app: the client address is read from the right of
# X-Forwarded-For past this many hops (login throttling, token use records). 0 = REMOTE_ADDR.
LIANXI_PROXY_COUNT = env_int("LIANXI_PROXY_COUNT", 0)

# Content-Security-Policy (django-csp 4): every script and style is a file served by the app itself;
# no inline script, no inline style, no eval, no framing.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}
# Browser features the platform never uses, refused for every page (PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), display-capture=()"

# Login throttling (django-axes): after LIANXI_LOGIN_FAILURE_LIMIT failed logins, the account and
# the address are each locked for LIANXI_LOGIN_LOCKOUT_MINUTES, on the login page and /admin/login/.
AXES_FAILURE_LIMIT = env_int("LIANXI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LIANXI_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lianxi.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "lianxi.lib.net.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Attempts are kept in the database (axes_accessattempt, axes_accessfailurelog) and logged.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Not in the Django admin, whose bulk delete would erase the evidence of an attack: an
# administrator unlocks with `lianxi manage axes_reset_username NAME` / `axes_reset_ip ADDR`.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = True

# API tokens: a token's use (time, address) is written at most once per this many seconds.
API_TOKEN_USE_RECORD_INTERVAL = env_int("LIANXI_API_TOKEN_USE_INTERVAL", 60)
# The longest a token may be valid, in days.
API_TOKEN_MAX_DAYS = env_int("LIANXI_API_TOKEN_MAX_DAYS", 365)

# Objections to a campaign's public notice (公示) may be filed without signing in: at most
# LIANXI_OBJECTION_LIMIT from one client address (lianxi.lib.net.client_ip) within
# LIANXI_OBJECTION_WINDOW_MINUTES, counted in the database so every worker sees the same count.
# 0 turns the limit off.
OBJECTION_LIMIT = env_int("LIANXI_OBJECTION_LIMIT", 5)
OBJECTION_WINDOW = timedelta(minutes=env_int("LIANXI_OBJECTION_WINDOW_MINUTES", 60))

# 减负闸门: how many requests the platform may make of one grassroots unit per month.
BURDEN_MONTHLY_CAP = env_int("LIANXI_BURDEN_MONTHLY_CAP", 8)
# Recommended matches: the most a single unit is suggested to take on in one run (in need quantities).
MATCHING_UNIT_CAP = env_int("LIANXI_MATCHING_UNIT_CAP", 40)

# Background jobs: Django's tasks framework (django-tasks) with the database backend, so a queued
# job survives a restart on SQLite and on PostgreSQL alike; ``lianxi worker`` runs them. The test
# suite runs each job at once, in the test's own transaction.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING and not env_bool("LIANXI_TEST_REAL_WORKER", False)
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Days an account activation link stays valid (going live: accounts created in bulk).
ACTIVATION_DAYS = env_int("LIANXI_ACTIVATION_DAYS", 14)
# Word templates an office has edited, replacing ours by file name (minutes.docx, notice.docx …).
DOCUMENT_TEMPLATES = env_str("LIANXI_DOCUMENT_TEMPLATES", "")
# A running job whose worker (on another machine) has not reported for this long is marked failed.
JOBS_STALE_SECONDS = env_int("LIANXI_JOBS_STALE_SECONDS", 900)
# Progress a job reports inside its transaction on SQLite (the write lock keeps it out of the
# database until the commit); default: a directory beside the database file.
JOBS_PROGRESS_DIR = env_str("LIANXI_JOBS_PROGRESS_DIR", "")
# Excel uploads, checked before the file is parsed (lianxi.lib.excel.inspect).
IMPORT_MAX_BYTES = env_int("LIANXI_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("LIANXI_IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("LIANXI_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_CELL_CHARS = env_int("LIANXI_IMPORT_MAX_CELL_CHARS", 10_000)
IMPORT_MAX_SHARED_STRINGS_BYTES = env_int("LIANXI_IMPORT_MAX_SHARED_STRINGS_BYTES", 32 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LIANXI_LOG_LEVEL", "WARNING")},
}

