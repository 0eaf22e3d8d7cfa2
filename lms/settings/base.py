"""Settings for every environment, read once from the environment with safe defaults.

The defaults are the embedded setup of `make run`: SQLite in var/, local-memory cache,
Celery eager (no broker). Production sets DATABASE_URL, REDIS_URL, CELERY_BROKER_URL,
SECRET_KEY, ALLOWED_HOSTS and LMS_PUBLIC_URL and imports lms.settings.production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

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
    "notify",
    "courses",
    "cms",
    "certificates",
    "targets",
    "library",
    "dialogue",
    "webhooks",
    # wagtail (wagtail-localize: translators edit each segment beside the Vietnamese source;
    # its locales app replaces wagtail.locales)
    "wagtail_localize",
    "wagtail_localize.locales",
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
    "core.observability.RequestIdMiddleware",
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
                "notify.context_processors.unread_count",
                "people.context_processors.interface_lang",
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
# Two queues. "outbound" holds the tasks that wait on other systems (email, the SMS gateway,
# webhook receivers, the external LRS); "celery" holds the rest (certificates, rollups,
# reminders, housekeeping). Production runs a worker per queue (deploy/systemd,
# deploy/compose.yaml: `--queues celery` and `--queues outbound`), so a gateway that hangs up
# to its timeout holds only outbound work, never a certificate. A worker started without
# --queues consumes both (development, one small machine).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (
    Queue("celery", routing_key="celery"),
    Queue("outbound", routing_key="outbound"),
)
LMS_OUTBOUND_TASKS = (
    "notify.tasks.delivery_send_task",
    "webhooks.tasks.delivery_send",
    "courses.tasks.xapi_forward",
)
CELERY_TASK_ROUTES = {name: {"queue": "outbound"} for name in LMS_OUTBOUND_TASKS}
# targets: the rollup behind the targets list (targets/tasks.py), every ten minutes
CELERY_BEAT_SCHEDULE = {
    "targets-achievement-rollup": {
        "task": "targets.tasks.achievement_rollup_refresh",
        "schedule": 600.0,
    },
    # targets: reminders of annual reports due (7 days, 1 day before, on the day); once a day
    # is enough, and a second run the same day sends nothing new
    "targets-report-reminders": {
        "task": "targets.tasks.report_reminders_send",
        "schedule": 86400.0,
    },
    # certificates: the outbox (pending rows nobody issued, failed ones due for a retry)
    "certificates-outbox-sweep": {
        "task": "certificates.tasks.certificates_outbox_sweep",
        "schedule": 300.0,
    },
    # webhooks: deliveries whose message was lost (broker down at commit, a dead worker)
    "webhooks-deliveries-sweep": {
        "task": "webhooks.tasks.deliveries_sweep",
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
    # xAPI: statements waiting for the external LRS (nothing to do while forwarding is off)
    "courses-xapi-forward": {
        "task": "courses.tasks.xapi_forward",
        "schedule": 60.0,
    },
    # notify: deliveries nobody sent (broker down, retries out of queue)
    "notify-deliveries-sweep": {
        "task": "notify.tasks.deliveries_sweep",
        "schedule": 300.0,
    },
    # reminders: class days tomorrow, course deadlines (courses/reminders.py), sent once each
    "courses-reminders-send": {
        "task": "courses.tasks.reminders_send",
        "schedule": 3600.0,
    },
    "courses-xapi-statements-prune": {
        "task": "courses.tasks.xapi_statements_prune",
        "schedule": 24 * 3600.0,
    },
}
# One beat however many are started (two machines, a restarted container): with a Redis
# broker, celery-redbeat keeps the schedule in Redis under a lock that the running beat
# renews; another beat waits, and takes over within CELERY_BEAT_LOCK_TIMEOUT seconds of the
# first one's death.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = os.environ.get("CELERY_BEAT_REDIS_URL", CELERY_BROKER_URL)
    CELERY_REDBEAT_KEY_PREFIX = "hocso:beat:"
    CELERY_REDBEAT_LOCK_TIMEOUT = int(os.environ.get("CELERY_BEAT_LOCK_TIMEOUT", "90"))
    CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, CELERY_REDBEAT_LOCK_TIMEOUT // 3)
# Raw xAPI statements are kept this many days (0: for ever); what they summarise (activity
# scores, lesson progress, completions) is kept for good.
LMS_XAPI_RETENTION_DAYS = int(os.environ.get("LMS_XAPI_RETENTION_DAYS", "365"))
# The key that turns a user id into the learner's opaque, stable xAPI account name
# (courses.xapi.identity). Unset: derived from SECRET_KEY. Set it in production and never
# change it: every learner's id in every LRS that received our statements depends on it.
LMS_XAPI_ACTOR_KEY = os.environ.get("LMS_XAPI_ACTOR_KEY", "")
# Forwarding statements to an external LRS (courses.xapi.forwarding): its Statements
# resource's base (".../xapi/", statements are POSTed to "<base>statements"), HTTP Basic
# credentials, statements per POST. On when an endpoint is set, unless turned off.
LMS_XAPI_FORWARD_URL = os.environ.get("LMS_XAPI_FORWARD_URL", "").strip()
LMS_XAPI_FORWARD_USERNAME = os.environ.get("LMS_XAPI_FORWARD_USERNAME", "")
LMS_XAPI_FORWARD_PASSWORD = os.environ.get("LMS_XAPI_FORWARD_PASSWORD", "")
LMS_XAPI_FORWARD_BATCH = int(os.environ.get("LMS_XAPI_FORWARD_BATCH", "100"))
LMS_XAPI_FORWARD_TIMEOUT = float(os.environ.get("LMS_XAPI_FORWARD_TIMEOUT", "10"))
LMS_XAPI_FORWARD_ENABLED = env_bool("LMS_XAPI_FORWARD_ENABLED", bool(LMS_XAPI_FORWARD_URL))

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
# Vietnamese and English have complete catalogues. The minority languages (ISO 639 codes; the
# names as their speakers write them) are languages a learner can choose for course content:
# each lesson shows in that language where a translation exists, else in Vietnamese, and the
# interface falls back to Vietnamese string by string too (Django falls back to LANGUAGE_CODE's
# catalogue for any language other than English, so a Jrai learner never sees English).
MINORITY_LANGUAGES = [
    ("jra", "Jrai"),
    ("rad", "Êđê"),
    ("bdq", "Bahnar"),
    ("hnj", "Hmoob"),
    ("km", "ខ្មែរ"),
    ("tyz", "Tày"),
]
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), *MINORITY_LANGUAGES]
# Django has no locale data for most of them: without these entries get_language_info() (the
# language names in templates and the admin) raises KeyError. Khmer is already there.
LANG_INFO.update(
    {
        code: {"bidi": False, "code": code, "name": name, "name_local": local}
        for code, name, local in [
            ("jra", "Jarai", "Jrai"),
            ("rad", "Rade", "Êđê"),
            ("bdq", "Bahnar", "Bahnar"),
            ("hnj", "Hmong Njua", "Hmoob"),
            ("tyz", "Tày", "Tày"),
        ]
    }
)
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
# The SCORM 1.2/2004 runtime from npm (courses.scorm), the same way.
STATICFILES_DIRS += [("scorm-again", BASE_DIR / "node_modules" / "scorm-again" / "dist")]
# The offline certificate verifier (certificates/offline.py): Workbox for its service worker,
# a CBOR decoder, Ed25519 where WebCrypto lacks it, JCS and base58 for the status lists'
# proofs, and a QR reader with its WebAssembly.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS += [
    *[("workbox", _NODE / f"workbox-{part}" / "build") for part in ("sw", "core", "precaching")],
    *[("workbox", _NODE / f"workbox-{part}" / "build") for part in ("routing", "strategies")],
    # The learners' service worker (courses/offline/worker.py): audio and video seeking offline.
    ("workbox", _NODE / "workbox-range-requests" / "build"),
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


def media_storage() -> dict:
    """Where uploads and generated files (certificate PDFs, documents, images) go: local disk
    under MEDIA_ROOT (the embedded default), or any S3-compatible object store when
    LMS_S3_BUCKET is set, so several app and worker machines see the same files. Objects are
    private; a URL to one is signed and lasts LMS_S3_URL_SECONDS (what Wagtail's document
    redirect and `FieldFile.url` hand out); the app serves certificate PDFs itself."""
    bucket = os.environ.get("LMS_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = os.environ.get("LMS_S3_ENDPOINT_URL", "").strip() or None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": os.environ.get("LMS_S3_REGION", "us-east-1"),
            "access_key": os.environ.get("LMS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("LMS_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("LMS_S3_PREFIX", "media").strip("/"),
            "default_acl": None,  # the bucket's policy: private
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("LMS_S3_URL_SECONDS", "300")),
            "file_overwrite": False,
            # MinIO, Ceph, SeaweedFS and most on-premises stores want path-style addressing.
            "addressing_style": "path" if endpoint else None,
            "signature_version": "s3v4",
        },
    }


def rendition_storage(media: dict) -> dict:
    """Image renditions: the media storage, but a private image's renditions are addressed
    through the app's checking view (courses.image_storage), not a public media URL."""
    s3 = media["BACKEND"].startswith("storages.")
    kind = "S3RenditionStorage" if s3 else "FileSystemRenditionStorage"
    return {**media, "BACKEND": f"courses.image_storage.{kind}"}


STORAGES = {
    "default": media_storage(),
    "renditions": rendition_storage(media_storage()),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Học Số"
WAGTAILADMIN_BASE_URL = LMS_PUBLIC_URL or "http://127.0.0.1:8000"
# Course content per locale (courses.translation): translation pages live in a tree per locale
# and map to their Vietnamese source through `translation_key`; learners always use the source's
# address (HomePage.localized), progress is recorded against the source lesson.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Wagtail's admin speaks the languages it ships catalogues for; ours are vi and en.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Page slugs are ASCII ("bai-moi", never "bài-mới"): the admin widget transliterates as the
# trainer types, and `core.pages.AsciiSlugMixin` does so on the server (also for pages made
# in code).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
# Renditions of a unit's private images go through courses.images.private_image; the web
# server serves /media/images/ itself except the private names (/media/images/pv-*).
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
# Documents go through Django's view (never a redirect to a public media URL), where
# `before_serve_document` (courses.wagtail_hooks, library.wagtail_hooks) keeps a unit's
# documents to that unit and non-public library items to signed-in users. The web server must
# not serve MEDIA_ROOT/documents/ itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Audio and video (library items, archive media, lesson blocks) are documents too.
WAGTAILDOCS_EXTENSIONS = [
    *["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "zip"],
    *["mp3", "ogg", "opus", "m4a", "wav", "mp4", "webm", "vtt"],
]
# The largest audio file a lesson's audio block accepts (courses.audio), in bytes.
LMS_AUDIO_MAX_BYTES = int(os.environ.get("LMS_AUDIO_MAX_BYTES", str(30 * 1024 * 1024)))
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Email and SMS (notify) -------------------------------------------------------------
# Email goes through Django's email settings. Without EMAIL_HOST messages are printed to the
# console (development); set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS (or EMAIL_USE_SSL) and DEFAULT_FROM_EMAIL for a real SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Học Số <no-reply@localhost>")
# SMS gateway (notify/sms.py): the file backend appends to LMS_SMS_FILE (development, tests);
# notify.sms.HttpBackend posts JSON to LMS_SMS_HTTP_URL with LMS_SMS_HTTP_API_KEY.
LMS_SMS_BACKEND = os.environ.get("LMS_SMS_BACKEND", "notify.sms.FileBackend")
LMS_SMS_FILE = Path(os.environ.get("LMS_SMS_FILE", VAR_DIR / "sms.log"))
LMS_SMS_HTTP_URL = os.environ.get("LMS_SMS_HTTP_URL", "")
LMS_SMS_HTTP_API_KEY = os.environ.get("LMS_SMS_HTTP_API_KEY", "")

# Dialogue (dialogue/): accounts younger than this many days (without a trainer or manager
# role) post into the moderation queue first; each person's posts, replies and reports are
# limited per minute and per hour (core.ratelimit, in the cache).
LMS_DIALOGUE_NEW_ACCOUNT_DAYS = int(os.environ.get("LMS_DIALOGUE_NEW_ACCOUNT_DAYS", "3"))
LMS_DIALOGUE_WRITES_PER_MINUTE = int(os.environ.get("LMS_DIALOGUE_WRITES_PER_MINUTE", "5"))
LMS_DIALOGUE_WRITES_PER_HOUR = int(os.environ.get("LMS_DIALOGUE_WRITES_PER_HOUR", "40"))
# Reminders (courses/reminders.py): warn this many days before an enrolment's deadline
# (and again the day before).
LMS_DEADLINE_WARNING_DAYS = int(os.environ.get("LMS_DEADLINE_WARNING_DAYS", "7"))
LMS_SMS_HTTP_TIMEOUT = float(os.environ.get("LMS_SMS_HTTP_TIMEOUT", "10"))

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
    "/xapi/",
    "/metrics",
    "/thong-bao/",
)
# targets: how long a target page's figures are cached (0: off), see targets/selectors/cache.py
LMS_TARGETS_CACHE_SECONDS = int(os.environ.get("LMS_TARGETS_CACHE_SECONDS", "300"))
LMS_HEALTH_TIMEOUT_SECONDS = float(os.environ.get("LMS_HEALTH_TIMEOUT_SECONDS", "2"))
# Mounts /bench/hello/ and /bench/bare/, the baselines of `make bench` (bench/README.md).
LMS_BENCH_VIEWS = env_bool("LMS_BENCH_VIEWS", False)

# LOG_FORMAT=json: one JSON object a line (python-json-logger) with the request id
# (core.observability), for a log collector; the default is plain text.
LMS_METRICS_TOKEN = os.environ.get("LMS_METRICS_TOKEN", "")  # /metrics (lms/metrics.py)
_LOG_FORMATTERS = {
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}
_log_format = os.environ.get("LOG_FORMAT", "text").strip() or "text"
if _log_format not in _LOG_FORMATTERS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be one of {sorted(_LOG_FORMATTERS)}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
    "formatters": {"main": _LOG_FORMATTERS[_log_format]},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "main",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail's background tasks log every run at INFO; keep the console readable.
    "loggers": {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}

# SENTRY_DSN: errors to Sentry or a compatible server (GlitchTip), no personal data; off
# when unset. SENTRY_TRACES_SAMPLE_RATE (0 to 1) adds sampled request timings.
from core.sentry import sentry_init  # noqa: E402  (needs only SENTRY_* from the environment)

SENTRY_ENABLED = sentry_init(
    os.environ.get("SENTRY_DSN", "").strip(),
    environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    traces=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
)

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

# --- REST API and webhooks --------------------------------------------------------------
# Requests per API key and minute (a key's own limit, set in the admin, wins).
LMS_API_RATE_PER_MINUTE = int(os.environ.get("LMS_API_RATE_PER_MINUTE", "600"))
# Webhook deliveries: attempts before a delivery is marked failed, the first retry's delay
# (doubling each time, capped) and the receiver's time limit.
LMS_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("LMS_WEBHOOK_MAX_ATTEMPTS", "8"))
LMS_WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("LMS_WEBHOOK_RETRY_BASE_SECONDS", "30"))
LMS_WEBHOOK_RETRY_MAX_SECONDS = int(os.environ.get("LMS_WEBHOOK_RETRY_MAX_SECONDS", "21600"))
LMS_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("LMS_WEBHOOK_TIMEOUT_SECONDS", "10"))
