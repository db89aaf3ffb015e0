"""Settings for navpanel, read from the environment (twelve-factor).

With no environment at all the project runs on an embedded default: SQLite in ``var/``,
Celery on kombu's SQLAlchemy transport (a real broker in a SQLite file, so a real worker and
beat run without Redis) and mail written to ``var/mail/``. Set ``DATABASE_URL`` and
``REDIS_URL`` to run the same code on PostgreSQL and Redis. Production hardening lives in
``navpanel.settings_production``.
"""

import logging
import os
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from navpanel import platform
from navpanel.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

# Where the embedded defaults keep their files: database, broker, mail, beat schedule.
VAR_DIR = Path(env("NAVPANEL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY", default="django-insecure-navpanel-development-only-key-do-not-deploy"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "csp",
    "accounts",
    "interviews",
    "panels",
    "outbox",
    "audit",
    "rosters",
    "ninja",
    "reports",
]

MIDDLEWARE = [
    # Before host validation and the https redirect: the kubelet's probes and Prometheus come
    # over plain http with the pod's address as Host (navpanel.health).
    "navpanel.health.ProbeMiddleware",
    "navpanel.metrics.RequestMetricsMiddleware",
    "navpanel.client_address.ClientAddressMiddleware",
    "navpanel.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "navpanel.privacy.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.entra.EntraIdMiddleware",
    "accounts.middleware.StaffSessionTimeoutMiddleware",
    "interviews.middleware.MfaRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditAddressMiddleware",
]

ROOT_URLCONF = "navpanel.urls"
WSGI_APPLICATION = "navpanel.wsgi.application"

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
                "interviews.context_processors.offices",
                "navpanel.languages.language_names",
            ],
            # NAV's error summary at the top of every page with a failed form (issue 14, point 8).
            "libraries": {"error_summary": "navpanel.error_summary"},
        },
    },
]
FORM_RENDERER = "navpanel.forms.AkselFormRenderer"

# DATABASE_URL, or on NAIS the NAIS_DATABASE_<APP>_<DB>_URL of spec.gcp.sqlInstances.
DATABASES = {
    "default": env.db_url_config(
        platform.database_url(os.environ) or f"sqlite:///{VAR_DIR / 'navpanel.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles a plan once its estimated cost is high, which for our queries
    # (a roster export's honoraria, a misestimated subquery) costs ~350 ms of compiling to save
    # a few. Server-side cursors (QuerySet.iterator(), only the exports) are read to the end,
    # so they are planned for all their rows, not for a fast first 10 % (bench/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c cursor_tuple_fraction=1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL, or on NAIS the Valkey instance(s) named by NAVPANEL_REDIS_INSTANCE (the cache) and
# NAVPANEL_BROKER_REDIS_INSTANCE (Celery's broker, when it is a separate instance).
REDIS_URL, BROKER_REDIS_URL = platform.redis_urls(os.environ)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that answers a miss, quickly, when Redis does not answer.
            "BACKEND": "navpanel.cache.RedisFallbackCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "navpanel",
        }
    }
    # Every signed-in request reads its session: from Redis, saving a query. Still written to
    # the database too, the record the retention and erasure code read; with the local-memory
    # cache (one per process) the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.entra.EntraIdBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: staff accounts are made by the administrator, never by sign-up.
ACCOUNT_ADAPTER = "outbox.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",  # nosec B105: a rate limit, not a password
    "reset_password_from_key": "20/m/ip",  # nosec B105: a rate limit, not a password
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "navpanel: "
# Adding, removing or switching an email address needs the password (or a TOTP code) given in
# the last 5 minutes; changing the password needs the current one. The addresses concerned are
# told of every change (accounts.adapters); a reset asked for an unknown address sends nothing.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Two-factor sign-in is required of HR and administrators, and of leaders when this is on
# (interviews.middleware.MfaRequiredMiddleware sends them to set it up first).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
MFA_REQUIRED_FOR_LEADERS = env.bool("MFA_REQUIRED_FOR_LEADERS", default=False)
# Staff sessions end 8 hours after signing in, or after 30 minutes without a request
# (accounts.middleware.StaffSessionTimeoutMiddleware); the cookie lives no longer either.
STAFF_SESSION_MAX_SECONDS = env.int("STAFF_SESSION_MAX_SECONDS", default=8 * 60 * 60)
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_SECONDS
MFA_TOTP_ISSUER = "navpanel"
# TOTP secrets and recovery seeds are stored encrypted (accounts.mfa): Fernet keys, comma
# separated, the first one encrypting (README, "Two-factor secrets": how to rotate).
MFA_ADAPTER = "accounts.mfa.MfaAdapter"
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])

# NAV's single sign-on (Entra ID) through OpenID Connect, when configured.
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}
}
if OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": env("OIDC_PROVIDER_ID", default="nav"),
            "name": env("OIDC_NAME", default="NAV (Entra ID)"),
            "client_id": OIDC_CLIENT_ID,
            "secret": env("OIDC_CLIENT_SECRET"),
            "settings": {"server_url": env("OIDC_SERVER_URL")},
        }
    )
# Behind NAIS's login sidecar (azure.sidecar): every staff request carries an Entra ID token,
# checked against these (accounts/entra.py). Unset in the demo: allauth's sign-in alone.
AZURE_APP_CLIENT_ID = env("AZURE_APP_CLIENT_ID", default="")
AZURE_OPENID_CONFIG_ISSUER = env("AZURE_OPENID_CONFIG_ISSUER", default="")
AZURE_OPENID_CONFIG_JWKS_URI = env("AZURE_OPENID_CONFIG_JWKS_URI", default="")
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language: "5. februar 2026" / "5 February 2026" (navpanel/formats/).
FORMAT_MODULE_PATH = ["navpanel.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/ds-css", BASE_DIR / "node_modules" / "@navikt" / "ds-css" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    (
        "vendor/source-sans-3",
        BASE_DIR / "node_modules" / "@fontsource-variable" / "source-sans-3" / "files",
    ),
]
WHITENOISE_USE_FINDERS = DEBUG
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

ADMIN_URL = env("ADMIN_URL", default="forvaltning/")

# EMAIL_URL: smtp://user:password@host:587 (or smtp+tls://, smtp+ssl://). By default every
# email is written as a file in var/mail/ (EMAIL_FILE_PATH moves it), readable locally.
# graph:// sends through Microsoft Graph as the Entra ID application (outbox/graph.py), from
# the mailbox GRAPH_SENDER (default: the address of DEFAULT_FROM_EMAIL).
environ.Env.EMAIL_SCHEMES["graph"] = "outbox.graph.GraphEmailBackend"
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
vars().update(EMAIL_CONFIG)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="navpanel <navpanel@nav.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
GRAPH_SENDER = env("GRAPH_SENDER", default="")

# SMS_URL: file:// (the default: each SMS a JSON file in var/sms/, SMS_FILE_PATH moves it),
# console://, or gatewayapi://TOKEN@gatewayapi.eu for GatewayAPI's EU platform (outbox/sms.py).
# No SMS goes between SMS_QUIET_START_HOUR and SMS_QUIET_END_HOUR, Oslo time (outbox/quiet.py).
SMS_URL = env("SMS_URL", default="file://")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=10)
# The sender shown for messages about no office (an office's own name otherwise, outbox/addresses).
SMS_SENDER = env("SMS_SENDER", default="NAV")
SMS_QUIET_START_HOUR = env.int("SMS_QUIET_START_HOUR", default=21)
SMS_QUIET_END_HOUR = env.int("SMS_QUIET_END_HOUR", default=8)
GRAPH_API_URL = env("GRAPH_API_URL", default="https://graph.microsoft.com/v1.0")
AZURE_APP_CLIENT_SECRET = env("AZURE_APP_CLIENT_SECRET", default="")
AZURE_OPENID_CONFIG_TOKEN_ENDPOINT = env("AZURE_OPENID_CONFIG_TOKEN_ENDPOINT", default="")

# Celery: JSON only, late acks so a killed worker's task is delivered again, and no results
# kept (tasks record their effect in the database).
CELERY_BROKER_URL = (
    platform.celery_redis_url(BROKER_REDIS_URL)
    if BROKER_REDIS_URL
    else f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Redis redelivers an unacknowledged task after the visibility timeout: keep it well above the
# longest task (CELERY_TASK_TIME_LIMIT). A publish fails within seconds when Redis is down or
# hangs instead of holding the request: no reconnect loop on publish (the outbox's sweep
# publishes later) and bounded socket waits. The SQLAlchemy transport takes none of these.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "visibility_timeout": 3600,
        "max_retries": 0,
        # A page publishing after its commit waits at most this for a frozen Redis (issue 15:
        # every page within 2 s); Redis answers in milliseconds when it answers at all.
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
    }
    if BROKER_REDIS_URL
    else {}
)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
# Two queues, and every worker consumes both unless told otherwise (-Q): the default one, and
# ``pages`` for computing pages again after a change (navpanel.warming), which a benchmark or
# a deployment may give workers of their own.
CELERY_TASK_QUEUES = (Queue("celery"), Queue("pages"))
# After each committed change, compute the leaders' and HR's pages it changed before anyone
# asks (navpanel.warming). Off in the test suite but for that module's tests.
PAGES_WARM = env.bool("PAGES_WARM", default=True)
# Celery's Django fix-up closes the database connection before and after every task unless
# this is set: a new PostgreSQL connection per email was a third of the worker's time. With it,
# a worker process reconnects every 500 tasks, and navpanel/celery.py tidies the connection
# after each task as Django does after a request (CONN_MAX_AGE, errors, health checks).
CELERY_DB_REUSE_MAX = 500
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat acts only in the leading pod (the NAIS elector, else a Redis lock) and keeps each job's
# last run in Redis, not on the local disk (navpanel/beat.py).
CELERY_BEAT_SCHEDULER = "navpanel.beat:LeaderScheduler"
BEAT_REDIS_URL = REDIS_URL
# A leader's Redis lock lapses this long after its last renewal (a killed leader's successor
# acts within it); every beat asks whether it leads this often.
BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=30)
BEAT_LEADER_CHECK_SECONDS = env.float("BEAT_LEADER_CHECK_SECONDS", default=5.0)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "outbox-sweep": {"task": "outbox.sweep", "schedule": 60.0},
    # panels.jobs, each safe to run twice: deadlines and reminders every 15 minutes (a reminder
    # due at 08:00 goes out by 08:15; an invitation expires at most 15 minutes late), the
    # day-after and consent jobs hourly.
    "panels-reminders": {"task": "panels.reminders", "schedule": 900.0},
    "panels-answer-reminders": {"task": "panels.answer_reminders", "schedule": 900.0},
    "panels-invitations-expire": {"task": "panels.invitations_expire", "schedule": 900.0},
    "panels-attendance-reminders": {"task": "panels.attendance_reminders", "schedule": 3600.0},
    "panels-feedback-requests": {"task": "panels.feedback_requests", "schedule": 3600.0},
    "panels-consent-renewals": {"task": "panels.consent_renewals", "schedule": 3600.0},
    "panels-unanswered-consents-erase": {
        "task": "panels.unanswered_consents_erase",
        "schedule": 3600.0,
    },
    # Retention (panels.retention) at 03:15 every night.
    "retention-nightly": {"task": "retention.nightly", "schedule": crontab(hour=3, minute=15)},
    # Expired roster export files (rosters.ExportJob), hourly.
    "rosters-export-purge": {"task": "rosters.export_purge", "schedule": 3600.0},
    # Each office's statistics counts that a change emptied, recounted every minute
    # (reports.statistics.statistics_warm), so no request counts the whole country.
    "reports-statistics-warm": {"task": "reports.statistics_warm", "schedule": 60.0},
}
OUTBOX_SENDING_TIMEOUT_SECONDS = env.int("OUTBOX_SENDING_TIMEOUT_SECONDS", default=150)
OUTBOX_REPUBLISH_AFTER_SECONDS = env.int("OUTBOX_REPUBLISH_AFTER_SECONDS", default=300)
OUTBOX_RETRY_BACKOFF_SECONDS = env.int("OUTBOX_RETRY_BACKOFF_SECONDS", default=60)
OUTBOX_RETRY_BACKOFF_MAX_SECONDS = env.int("OUTBOX_RETRY_BACKOFF_MAX_SECONDS", default=3600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# No inline script and no inline style anywhere: htmx is told not to inject its indicator
# styles (templates/base.html), and pages keep their CSS in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# LOG_FORMAT=json (the default of production settings and of the image): one JSON object per
# line on stdout, with request and trace ids (navpanel.logs).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
# Python's warnings become log lines too (else they reach stderr as plain text).
logging.captureWarnings(LOG_FORMAT == "json")

# The kubelet's probes and Prometheus reach the pod directly; a request that carries
# X-Forwarded-For came through the ingress or a proxy and gets 404 on /internal/* (README,
# "Production").
PROBES_REFUSE_FORWARDED = env.bool("PROBES_REFUSE_FORWARDED", default=True)
# How many proxies of ours append to X-Forwarded-For before a request reaches gunicorn: the
# ingress, and Wonderwall when the login sidecar is on. 0 (the demo) trusts no header.
# navpanel.client_address puts the real client's address in REMOTE_ADDR, which allauth's rate
# limits, the audit log and the API's refusal cap read; allauth is left to read REMOTE_ADDR.
NAVPANEL_TRUSTED_PROXIES = env.int("NAVPANEL_TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = 0
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Retention (README, "Retention"): the audit log is kept 5 years; candidates' names 6 months
# after their round closed; a representative inactive for 24 months is asked to renew consent
# and erased when they have not answered 30 days after the request.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=1826)
CANDIDATE_RETENTION_DAYS = env.int("CANDIDATE_RETENTION_DAYS", default=183)
REPRESENTATIVE_INACTIVE_DAYS = env.int("REPRESENTATIVE_INACTIVE_DAYS", default=730)
CONSENT_RENEWAL_ANSWER_DAYS = env.int("CONSENT_RENEWAL_ANSWER_DAYS", default=30)

# Roster exports (rosters/): an Excel export above ROSTER_EXPORT_SYNC_MAX_ROWS rows is built by
# a Celery task; files expire after a day. A worker writes the file and any web process may
# serve it, so it lives in storage all processes share, never on a pod's disk: the GCS bucket
# NAVPANEL_EXPORTS_BUCKET when set (NAIS gcp.buckets; the pod's workload identity signs in),
# else the file system under MEDIA_ROOT (var/media/ in the demo; make prod points every
# process at one directory standing in for the bucket).
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
EXPORTS_BUCKET = env("NAVPANEL_EXPORTS_BUCKET", default="")
if EXPORTS_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.gcloud.GoogleCloudStorage",
        "OPTIONS": {"bucket_name": EXPORTS_BUCKET, "file_overwrite": False},
    }
ROSTER_EXPORT_SYNC_MAX_ROWS = env.int("ROSTER_EXPORT_SYNC_MAX_ROWS", default=5000)
ROSTER_EXPORT_EXPIRY_HOURS = env.int("ROSTER_EXPORT_EXPIRY_HOURS", default=24)

# Honoraria (reports/): a seat the office cancelled less than this many hours before it
# started is paid as if attended (the representative had kept the day free).
HONORARIUM_PAY_LATE_CANCELLATION_HOURS = env.int(
    "HONORARIUM_PAY_LATE_CANCELLATION_HOURS", default=24
)

# Links (panels/links.py, issue 15): a seat link and a staff interviewer's feedback link work
# until the panel is over plus this many days, for the feedback asked the day after; then
# they answer 410 with the office's contact (docs/decisions.md, "Links that end").
SEAT_LINK_GRACE_DAYS = env.int("SEAT_LINK_GRACE_DAYS", default=21)

# Pool imports (panels/pool/importing.py, issue 15): a CSV of more lines than this is imported
# by a Celery task behind a progress page, all or nothing as a small one; the request returns
# at once instead of running into gunicorn's time-out.
POOL_IMPORT_SYNC_MAX_LINES = env.int("POOL_IMPORT_SYNC_MAX_LINES", default=500)
