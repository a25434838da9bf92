"""One env-driven settings file.

Every knob comes from the environment so that the same code runs the embedded demo (SQLite,
DEBUG off unless asked) and production (PostgreSQL via DATABASE_URL, secrets injected).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from config.environment import env_bool, is_production

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HUIQI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def _secret_key() -> str:
    """From the environment in production; for a local demo a random key kept under var/."""
    if key := os.environ.get("HUIQI_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

# ---- trust: audit-log HMAC key (HUIQI_AUDIT_KEY) -------------------------------------------
# The audit chain is keyed with a secret the database administrator does not hold. Production
# (DATABASE_URL set, or HUIQI_ENV=production) refuses to start without it; the SQLite demo
# keeps a random one under var/. Under pytest the var/ key is used even with DATABASE_URL.


def _audit_key() -> str:
    import sys

    from django.core.exceptions import ImproperlyConfigured

    if key := os.environ.get("HUIQI_AUDIT_KEY"):
        return key
    production = bool(os.environ.get("DATABASE_URL")) or os.environ.get("HUIQI_ENV", "").strip().lower() == "production"
    if production and "pytest" not in sys.modules:
        raise ImproperlyConfigured(
            "生产环境必须设置 HUIQI_AUDIT_KEY（审计日志防篡改密钥，各主机相同，数据库管理员不可知）")
    key_file = VAR_DIR / "audit_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


HUIQI_AUDIT_KEY = _audit_key()
# Signed checkpoints of the chain head go here; in production a directory the database
# administrator cannot write (another host's mount, a WORM share).
HUIQI_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("HUIQI_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))
# Client addresses: REMOTE_ADDR, unless it is one of these proxies (addresses or networks,
# comma-separated), in which case X-Forwarded-For is read.
HUIQI_TRUSTED_PROXIES = env_list("HUIQI_TRUSTED_PROXIES", "")
# ---- end trust: audit-log key ----------------------------------------------------------------
DEBUG = env_bool("HUIQI_DEBUG")
ALLOWED_HOSTS = env_list("HUIQI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HUIQI_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "huiqi.core",
    "huiqi.accounts",
    "huiqi.audit",
    "huiqi.workdays",
    "huiqi.enterprises",
    "huiqi.policies",
    "huiqi.matching",
    "huiqi.notifications",
    "huiqi.fulfilment",
    "huiqi.disbursement",
    "huiqi.portal",
    "huiqi.ingest",
    "huiqi.tickets",
    "huiqi.commitments",
    "huiqi.supervision",
    "huiqi.ask",
]

MIDDLEWARE = [
    "huiqi.core.request_context.RequestContextMiddleware",  # trust: request id, client IP, access log
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "huiqi.accounts.middleware.IdleTimeoutMiddleware",
    "huiqi.core.access_views.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "huiqi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huiqi.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'huiqi.sqlite3'}"),
        conn_max_age=int(os.environ.get("HUIQI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=15000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["huiqi.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "huiqi.accounts.passwords.CharacterClassValidator"},
    # trust: 17.2 — no `aaaaaaaaaA1`, no username inside the password
    {"NAME": "huiqi.accounts.passwords.RepeatedCharactersValidator"},
    {"NAME": "huiqi.accounts.passwords.UsernameInPasswordValidator"},
]

# 等保三级: lock an account after repeated failures, end idle sessions.
HUIQI_LOGIN_MAX_FAILURES = int(os.environ.get("HUIQI_LOGIN_MAX_FAILURES", "5"))
HUIQI_LOGIN_LOCK_MINUTES = int(os.environ.get("HUIQI_LOGIN_LOCK_MINUTES", "15"))
HUIQI_IDLE_TIMEOUT_MINUTES = int(os.environ.get("HUIQI_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("HUIQI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Field-level encryption of sensitive personal data (bank accounts, ID numbers, phones).
HUIQI_FIELD_KEY = os.environ.get("HUIQI_FIELD_KEY", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# Tests and a fresh checkout serve app static files straight from the finders.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Background work: django-tasks with its database backend; `huiqi worker` runs the queue.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("HUIQI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# ---- Several hosts (issue 13): production flag, shared cache, shared media, jobs ---------------
# Production = DATABASE_URL set or HUIQI_ENV=production: `huiqi up`, `huiqi worker` and the WSGI
# module refuse to start there without HUIQI_SECRET_KEY and HUIQI_FIELD_KEY (config/environment.py).
HUIQI_PRODUCTION = is_production()

# The default cache (rate limits) and "progress" (a long job's progress, readable while its own
# transaction is still open) must be the same for every web host and worker: Redis when
# HUIQI_CACHE_URL is set (redis://host:6379/1). Without it — the embedded demo on one host —
# files under var/, shared by the web server's processes and the worker on that host.
HUIQI_CACHE_URL = os.environ.get("HUIQI_CACHE_URL", "").strip()
if HUIQI_CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": HUIQI_CACHE_URL,
                    "KEY_PREFIX": "huiqi"},
        "progress": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": HUIQI_CACHE_URL,
                     "KEY_PREFIX": "huiqi-progress", "TIMEOUT": 24 * 3600},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                    "LOCATION": str(VAR_DIR / "cache" / "default")},
        "progress": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                     "LOCATION": str(VAR_DIR / "cache" / "progress"), "TIMEOUT": 24 * 3600},
    }

# Uploaded files (import files, materials, policy documents) through Django's storage API:
# local disk under var/media for the demo; an S3-compatible object store shared by every host
# with HUIQI_MEDIA_STORAGE=s3 (django-storages). README "多台主机部署" lists the settings.
HUIQI_MEDIA_STORAGE = os.environ.get("HUIQI_MEDIA_STORAGE", "local").strip().lower()
if HUIQI_MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("HUIQI_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("HUIQI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("HUIQI_S3_REGION") or None,
            "access_key": os.environ.get("HUIQI_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("HUIQI_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("HUIQI_S3_PREFIX", "media"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,  # materials are private: links are signed and expire
        },
    }
elif HUIQI_MEDIA_STORAGE != "local":
    from config.environment import ConfigurationError

    raise ConfigurationError(f"环境变量 HUIQI_MEDIA_STORAGE 的值“{HUIQI_MEDIA_STORAGE}”无法识别：请填写 local 或 s3")

# A running job whose worker has not stamped its heartbeat for this long is taken over.
HUIQI_JOB_HEARTBEAT_SECONDS = float(os.environ.get("HUIQI_JOB_HEARTBEAT_SECONDS", "10"))
HUIQI_JOB_STALE_SECONDS = float(os.environ.get("HUIQI_JOB_STALE_SECONDS", "120"))
# ---- end of the several-hosts block ------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("HUIQI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HUIQI_FROM_EMAIL", "惠企直达 <noreply@huiqi.local>")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend): the mail relay of the deployment.
EMAIL_HOST = os.environ.get("HUIQI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HUIQI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HUIQI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HUIQI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HUIQI_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("HUIQI_EMAIL_USE_SSL")
EMAIL_TIMEOUT = float(os.environ.get("HUIQI_EMAIL_TIMEOUT", "10"))

# Text messages (huiqi/notifications/sms.py): console in development, files under var/sms in the
# demo (`huiqi up` on SQLite), the operator's HTTP gateway in production (refuses to start
# without its URL, account and secret: config/environment.py).
HUIQI_SMS_BACKEND = os.environ.get("HUIQI_SMS_BACKEND", "huiqi.notifications.sms.ConsoleSmsBackend")
HUIQI_SMS_FILE_DIR = os.environ.get("HUIQI_SMS_FILE_DIR", str(BASE_DIR / "var" / "sms"))
HUIQI_SMS_URL = os.environ.get("HUIQI_SMS_URL", "")
HUIQI_SMS_ACCOUNT = os.environ.get("HUIQI_SMS_ACCOUNT", "")
HUIQI_SMS_SECRET = os.environ.get("HUIQI_SMS_SECRET", "")
HUIQI_SMS_TIMEOUT = float(os.environ.get("HUIQI_SMS_TIMEOUT", "5"))
HUIQI_SMS_ATTEMPTS = int(os.environ.get("HUIQI_SMS_ATTEMPTS", "3"))

# ---- trust: one log line per request, request id on every record, JSON when asked ---------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "huiqi.core.request_context.TextFormatter"},
        "json": {"()": "huiqi.core.request_context.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("HUIQI_LOG_FORMAT", "").strip().lower() == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HUIQI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # our access line replaces runserver's/django.server's own
        "django.server": {"level": "WARNING"},
    },
}
# ---- end trust: logging ----------------------------------------------------------------------

# --- Security hardening (issue 17, helper "security"): kept in one block ------------------------
# Bad input (NUL bytes) is refused before any view; security headers on every response.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
                  "huiqi.core.middleware.RejectBadInputMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "huiqi.core.middleware.SecurityHeadersMiddleware")
# --- end of the security block --------------------------------------------------------------------
HUIQI_CSP = True  # Content-Security-Policy without inline script (templates load static JS only)
# Uploaded files and their folders are readable by the service account and its group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Served over HTTPS (behind a TLS-terminating proxy that sets X-Forwarded-Proto): cookies only
# over HTTPS, HSTS, HTTP redirected. `manage.py check --deploy` is clean with these.
HUIQI_HTTPS = env_bool("HUIQI_HTTPS")
if HUIQI_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("HUIQI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
