"""Test settings: fast hasher, locmem cache and email, Celery eager with propagation."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LMS_SMS_BACKEND = "notify.sms.FileBackend"
LMS_SMS_FILE = VAR_DIR / f"test-sms{os.environ.get('PYTEST_XDIST_WORKER', '')}.log"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# pytest-xdist runs the suite in several processes: each gets its own files (media, signing
# key), as it gets its own test database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = VAR_DIR / f"test-media{XDIST_WORKER}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "renditions": {"BACKEND": "courses.image_storage.FileSystemRenditionStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
ALLOWED_HOSTS = ["*"]
# Fixed, so printed URLs are the same wherever tests run (tests of the unset case override it).
LMS_PUBLIC_URL = "http://127.0.0.1:8000"
LMS_HEALTH_TIMEOUT_SECONDS = float(os.environ.get("LMS_HEALTH_TIMEOUT_SECONDS", "0.5"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Certificates: a per-checkout test key, generated on first use.
LMS_CERT_SIGNING_KEY_FILE = VAR_DIR / f"test-certificate-signing-key{XDIST_WORKER}.pem"
LMS_CERT_SIGNING_KEY_AUTOGENERATE = True
LMS_CERT_SIGNING_KEY = ""
