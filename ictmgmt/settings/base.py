"""Settings shared by every environment.

Every value that differs between machines is read from the environment here, in one place
(django-environ). Country-specific words and rules are data in the database, not settings.
"""

import warnings
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient for developers; real deployments set the environment.
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)


def _database_from_env() -> dict:
    url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    try:
        with warnings.catch_warnings():
            # django-environ only warns on an unknown scheme; the check below says it plainly.
            warnings.simplefilter("ignore")
            config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for a malformed URL
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not a database URL ({exc}). Use for example "
            "postgres://user:password@127.0.0.1:5432/ictmgmt or sqlite:///db.sqlite3."
        ) from exc
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} names an unsupported database ({engine or 'unknown scheme'}). "
            "Use a postgres:// or sqlite:/// URL."
        )
    if engine == "django.db.backends.sqlite3":
        # Requests, the embedded worker's thread (ictmgmt/embedded_worker.py), several gunicorn
        # workers and Celery share one file. timeout: wait up to 20 s for a lock, don't fail.
        # IMMEDIATE: a transaction takes the write lock when it begins, so two that read and then
        # write queue up instead of one failing at once (SQLite cannot wait to upgrade a lock).
        # WAL: pages keep reading while a task writes, even through an import's long commit.
        config.setdefault("OPTIONS", {}).update(
            timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
        )
    else:
        # PostgreSQL's JIT compiler starts on any plan its cost model calls expensive, which the
        # dashboard's and agency pages' aggregates over 50,000 people are: compiling took 60-80 ms
        # of a 20 ms query (measured with the benchmark). A web request never runs long enough
        # to win that back; reports that might are still fast without it.
        options = config.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    config["CONN_HEALTH_CHECKS"] = True
    config["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)} if engine.endswith("postgresql") else {}
    return config


SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": _database_from_env()}
# The professionals list's indexes carry extra columns (INCLUDE) on PostgreSQL; SQLite builds
# them without, which is all a small local database needs, so its warning about it is noise.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_results",
    "django_celery_beat",
    "simple_history",
    "axes",
    "core",
    "accounts",
    "agencies",
    "professionals",
    "placements",
    "competencies",
    "meetings",
    "reports",
    "imports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ictmgmt.urls"
WSGI_APPLICATION = "ictmgmt.wsgi.application"
ASGI_APPLICATION = "ictmgmt.asgi.application"

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
                "agencies.context_processors.site_settings",
            ],
        },
    },
    {
        # Only for `<app>/jinja2/` templates rendered through engines["jinja2"] (ictmgmt/jinja2.py says why).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "ictmgmt.jinja2.environment"},
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first so that locked-out users are refused before any check.
    "axes.backends.AxesStandaloneBackend",
    # Authenticates like ModelBackend (which it replaces); permissions follow User.role.
    "accounts.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A password-reset link works once and for one day (Django's default is three).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling: five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Thimphu")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end libraries come from the npm registry (package.json) and are served by the app
# itself: government intranets are often offline, so nothing is loaded from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ICT Management Division <noreply@localhost>")
# The portal's address as people reach it, for links in emails sent by background tasks.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# Celery: with no REDIS_URL a laptop needs no broker. Commands (seed_demo, import_data) then run
# their tasks eagerly, and a web process sends them to a worker thread of its own through the
# in-memory transport (ictmgmt/embedded_worker.py), so that no request waits for them.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
EMBEDDED_TASK_WORKER = not REDIS_URL

# The cache keeps the dashboard's figures (core/cache.py) and the API throttle counts. Redis,
# when there is one, is shared by every web worker; otherwise each process keeps its own.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ictmgmt",
        }
    }
# How long cached figures live at most (they are also dropped at every change made through the app).
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=600)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task to an unreachable broker fails after a few seconds instead of hanging. With
# acks_late, Redis hands a task whose worker died to another after the visibility timeout: longer
# than the longest task (its hard time limit), or a slow task would be run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 10 * 60,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "record-due-status-changes": {
        "task": "professionals.tasks.record_due_status_changes",
        "schedule": crontab(hour=1, minute=15),
    },
    "effect-due-transfer-requests": {
        "task": "placements.tasks.effect_due_transfer_requests",
        "schedule": crontab(hour=0, minute=30),
    },
    "send-action-item-reminders": {
        "task": "meetings.tasks.send_action_item_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "sweep-stale-report-runs": {
        "task": "reports.tasks.sweep_stale_report_runs",
        "schedule": crontab(minute="*/2"),
    },
    "record-workforce-snapshot": {
        "task": "reports.tasks.record_workforce_snapshot",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    "send-certification-reminders": {
        "task": "competencies.tasks.send_certification_reminders",
        "schedule": crontab(hour=7, minute=45),
    },
}

# The REST API v1 (docs/api.md). Other systems authenticate with API tokens, portal users with
# their session. Errors share one JSON shape (core/api_errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials answers 401 with a Token challenge.
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.permissions.RecordAccess"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api_filters.KnownQueryParameters",
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api_filters.SearchFilter",
        "core.api_filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttling.AccountRateThrottle"],
    # Per account: each API client, and each portal user, has its own budget. The counts live in the
    # default cache (per process unless CACHES points at a shared cache).
    "DEFAULT_THROTTLE_RATES": {
        "api_client": env.str("API_RATE_CLIENT", default="6000/hour"),
        "user": env.str("API_RATE_USER", default="3000/hour"),
    },
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICT workforce management API",
    "DESCRIPTION": "Version 1 of the API of the ICT workforce management system. Authenticate with "
    "`Authorization: Token <key>` (an API client's token) or a portal session. Lists are paginated "
    '(`page`, `page_size` up to 200); every error answers `{"detail": ..., "errors": {field: [...]}}`. '
    "See docs/api.md for a worked example.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlacementKindEnum": "placements.models.PlacementKind",
        "TransferKindEnum": "placements.models.TransferKind",
        "TransferStateEnum": "placements.models.TransferState",
        "TransferRuleCodeEnum": "placements.models.RuleCode",
        "StatusEventKindEnum": "professionals.models.StatusEventKind",
        "ProfessionalStatusEnum": "professionals.models.Status",
        "EventStatusEnum": "meetings.models.EventStatus",
        "ActionItemStatusEnum": "meetings.models.ActionStatus",
        "ReportKindEnum": "reports.models.ReportKind",
        "ReportFormatEnum": "reports.models.ReportFormat",
        "ReportRunStatusEnum": "reports.models.RunStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_errors.document_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The seed's password for demo logins; only seed_demo reads it.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="ictmgmt-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint's font subsetting logs every table of every font at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # WeasyPrint reports every layout step at INFO; its warnings (unsupported CSS) still show.
        "weasyprint": {"level": "WARNING"},
    },
}
