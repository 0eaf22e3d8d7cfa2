"""Settings for every environment, read once from the environment with safe defaults.

The defaults are the embedded setup of `make run`: SQLite in var/, local-memory cache,
Celery eager (no broker). Production sets DATABASE_URL, REDIS_URL, CELERY_BROKER_URL,
SECRET_KEY, ALLOWED_HOSTS and LMS_PUBLIC_URL and imports lms.settings.production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The client's address behind reverse proxies, for every per-client limit (sign-in limits,
# certificate verification; core.http.client_address): trust the last N X-Forwarded-For
# entries, or one header a proxy sets (e.g. X-Real-IP). Without either, REMOTE_ADDR: behind
# a proxy that is the proxy's, and every visitor would share one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("LMS_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("LMS_CLIENT_IP_HEADER") or None
# The address printed in certificate QR codes and handouts (core.public_url). Required in
# production (a system check); unset in development, links use the address being served.
LMS_PUBLIC_URL = os.environ.get("LMS_PUBLIC_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    # ours
    "people",
    "courses",
    "cms",
    "certificates",
    "targets",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # accounts
    "allauth",
    "allauth.account",
    "axes",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",
]
# Widget templates (templates/people/widgets/...) come from the project's template dirs.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.public_url.PublicUrlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "people.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "people.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.CachedSiteMiddleware",
    "core.middleware.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a sign-in refused by the limits into the "signing in is paused" page (last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "django.template.context_processors.i18n",
                "cms.context_processors.site_settings",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrency-friendly SQLite for the embedded setup.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off (for transaction-mode poolers). Only the
    # hot queries that bind on the server (core.db.server_binding_cursor) can be prepared; the
    # rest of the site binds on the client and is not affected. Empty turns it off again.
    _prepare_threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip()
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_prepare_threshold) if _prepare_threshold else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "core.sessions"  # cached_db, fetched together with the content version

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a message a dead worker held comes back after this many seconds (Redis);
# it must exceed the longest task time limit (360 s) and any retry countdown.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900"))
}
# Publishing gives up quickly when the broker is down (the certificates outbox sends later);
# a request never waits long on a dead broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# targets: the rollup behind the targets list (targets/tasks.py), every ten minutes
CELERY_BEAT_SCHEDULE = {
    "targets-achievement-rollup": {
        "task": "targets.tasks.achievement_rollup_refresh",
        "schedule": 600.0,
    },
    # certificates: the outbox (pending rows nobody issued, failed ones due for a retry)
    "certificates-outbox-sweep": {
        "task": "certificates.tasks.certificates_outbox_sweep",
        "schedule": 300.0,
    },
    "certificates-files-sweep": {
        "task": "certificates.tasks.certificate_files_sweep",
        "schedule": 24 * 3600.0,
    },
    # housekeeping: expired sessions, raw xAPI statements past their retention
    "people-sessions-clear": {
        "task": "people.tasks.sessions_clear",
        "schedule": 24 * 3600.0,
    },
    "courses-xapi-statements-prune": {
        "task": "courses.tasks.xapi_statements_prune",
        "schedule": 24 * 3600.0,
    },
}
# Raw xAPI statements are kept this many days (0: for ever); what they summarise (activity
# scores, lesson progress, completions) is kept for good.
LMS_XAPI_RETENTION_DAYS = int(os.environ.get("LMS_XAPI_RETENTION_DAYS", "365"))

# --- Auth (django-allauth) --------------------------------------------------------------
# Django's and allauth's backends, reading the signed-in user with one prepared SELECT
# (people.auth).
AUTHENTICATION_BACKENDS = [
    "people.lockout.LoginLimitBackend",  # first: refuses a locked account or address
    "people.auth.ModelBackend",
    "people.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Many learners have no email address: log in by username, email optional.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
# Usernames are typed on any phone keyboard: ASCII only, stored lowercase, case-insensitive.
ACCOUNT_USERNAME_VALIDATORS = "people.adapters.USERNAME_VALIDATORS"
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Failed sign-ins are limited by django-axes (people.lockout), on every login page; allauth's
# own per-IP limits would lock a commune hall out (10 failures, or 30 sign-ins, a minute from
# one address): "login" stays only as a flood guard.
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": "300/m/ip", "signup": "20/m/ip"}

# --- Sign-in limits (django-axes, see people/lockout.py) ---------------------------------
# Per account: a 6-digit PIN is stopped after a few tries, from any address. Per address: a
# commune hall with many learners behind one address does not lock itself out. Failures
# count for LMS_LOGIN_LOCKOUT_MINUTES after the last one; then the lock ends by itself.
LMS_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LMS_LOGIN_FAILURES_PER_ACCOUNT", "5"))
LMS_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LMS_LOGIN_FAILURES_PER_ADDRESS", "100"))
LMS_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LMS_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_HANDLER = "people.lockout.LoginLimitHandler"
AXES_FAILURE_LIMIT = LMS_LOGIN_FAILURES_PER_ACCOUNT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=LMS_LOGIN_LOCKOUT_MINUTES)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # the account's own failures only (LoginLimitHandler)
AXES_USERNAME_CALLABLE = "people.lockout.login_key"
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
AXES_LOCKOUT_CALLABLE = "people.views.login_locked_out"
AXES_DISABLE_ACCESS_LOG = True  # no record of successful sign-ins is needed
AXES_VERBOSE = False

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "people:start"  # lands by role: people.views.landing_url
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The H5P player from npm (package.json; `make install` runs `npm ci`), never copied here.
STATICFILES_DIRS += [("h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist")]
# The offline certificate verifier (certificates/offline.py): Workbox for its service worker,
# a CBOR decoder, Ed25519 where WebCrypto lacks it, JCS and base58 for the status lists'
# proofs, and a QR reader with its WebAssembly.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS += [
    *[("workbox", _NODE / f"workbox-{part}" / "build") for part in ("sw", "core", "precaching")],
    *[("workbox", _NODE / f"workbox-{part}" / "build") for part in ("routing", "strategies")],
    ("cbor2", _NODE / "cbor2" / "lib"),
    ("wtf8", _NODE / "@cto.af" / "wtf8" / "lib"),
    ("noble-ed25519", _NODE / "@noble" / "ed25519"),
    ("canonicalize", _NODE / "canonicalize" / "lib"),
    ("scure-base", _NODE / "@scure" / "base"),
    ("barcode-detector", _NODE / "barcode-detector" / "dist" / "iife"),
    ("zxing-wasm", _NODE / "zxing-wasm" / "dist" / "reader"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Học Số"
WAGTAILADMIN_BASE_URL = LMS_PUBLIC_URL or "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = False
# Page slugs are ASCII ("bai-moi", never "bài-mới"): the admin widget transliterates as the
# trainer types, and `courses.models.AsciiSlugMixin` does so on the server (also for pages made
# in code).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
# Documents go through Django's view (never a redirect to a public media URL), where
# `before_serve_document` (courses.wagtail_hooks) keeps a unit's documents to that unit. The
# web server must not serve MEDIA_ROOT/documents/ itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Học Số knobs -----------------------------------------------------------------------
# How long an anonymous catalogue/course page stays cached (invalidated on publish anyway).
LMS_PAGE_CACHE_SECONDS = int(os.environ.get("LMS_PAGE_CACHE_SECONDS", "600"))
# Paths the anonymous page cache never stores (core.middleware): signed-in areas, and the
# certificate verification and API, which answer with their own cache headers and rate limit.
LMS_PAGE_CACHE_SKIP_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/learn/",
    "/people/",
    "/health/",
    "/v/",
    "/api/",
    "/certificates/",
    "/.well-known/",
)
# targets: how long a target page's figures are cached (0: off), see targets/selectors/cache.py
LMS_TARGETS_CACHE_SECONDS = int(os.environ.get("LMS_TARGETS_CACHE_SECONDS", "300"))
LMS_HEALTH_TIMEOUT_SECONDS = float(os.environ.get("LMS_HEALTH_TIMEOUT_SECONDS", "2"))
# Mounts /bench/hello/ and /bench/bare/, the baselines of `make bench` (bench/README.md).
LMS_BENCH_VIEWS = env_bool("LMS_BENCH_VIEWS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail's background tasks log every run at INFO; keep the console readable.
    "loggers": {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}

# Dev and tests serve static files straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Certificates -----------------------------------------------------------------------
# The Ed25519 private key that signs certificates: PEM (or a base64url 32-byte seed) in
# LMS_CERT_SIGNING_KEY, else a PEM file. Never in the database. Outside production a missing
# file is generated; `manage.py certificate_keys --rotate` replaces it.
LMS_CERT_SIGNING_KEY = os.environ.get("LMS_CERT_SIGNING_KEY", "")
LMS_CERT_SIGNING_KEY_FILE = Path(
    os.environ.get("LMS_CERT_SIGNING_KEY_FILE", VAR_DIR / "certificate-signing-key.pem")
)
LMS_CERT_SIGNING_KEY_AUTOGENERATE = env_bool("LMS_CERT_SIGNING_KEY_AUTOGENERATE", DEBUG)
LMS_CERT_FONT_DIR = os.environ.get("LMS_CERT_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
# Verification requests per client address and minute (page and API together).
LMS_CERT_VERIFY_RATE = int(os.environ.get("LMS_CERT_VERIFY_RATE", "60"))
