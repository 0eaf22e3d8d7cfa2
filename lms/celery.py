"""The Celery application. Without CELERY_BROKER_URL tasks run eagerly (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# --- metrics (see lms/metrics.py) -------------------------------------------------------------
# Task outcomes, counted in the worker; with PROMETHEUS_MULTIPROC_DIR shared with the web
# processes of the same machine, /metrics shows them; a worker on a machine of its own serves
# its figures on LMS_WORKER_METRICS_PORT.
from celery.signals import task_failure, task_retry, task_success, worker_ready  # noqa: E402
from prometheus_client import Counter  # noqa: E402

TASKS = Counter("hocso_celery_tasks", "Celery task outcomes", ["task", "outcome"])


@task_success.connect
def _task_succeeded(sender=None, **_kwargs):
    TASKS.labels(getattr(sender, "name", "?"), "success").inc()


@task_retry.connect
def _task_retried(sender=None, **_kwargs):
    TASKS.labels(getattr(sender, "name", "?"), "retry").inc()


@task_failure.connect
def _task_failed(sender=None, **_kwargs):
    TASKS.labels(getattr(sender, "name", "?"), "failure").inc()


@worker_ready.connect
def _serve_worker_metrics(**_kwargs):
    port = os.environ.get("LMS_WORKER_METRICS_PORT", "").strip()
    if port:
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server

        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            start_http_server(int(port), registry=registry)
        else:
            start_http_server(int(port))
