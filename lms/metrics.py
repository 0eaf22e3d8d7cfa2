"""GET /metrics: Prometheus text format, for the operator's scraper only.

Served when LMS_METRICS_TOKEN is set, to requests bearing it (`Authorization: Bearer …`);
otherwise 404. Besides the request counters and latencies of `core.observability` (summed over
gunicorn's processes in multiprocess mode) and the Celery task outcomes counted by
`lms.celery`, each scrape reads a few figures an operator watches: certificates waiting to be
issued (and the oldest one's age), the Celery queue's depth on the broker, and how long ago the
targets rollup last ran.
"""

import hmac
import os

from django.conf import settings
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class DomainCollector:
    """Figures read from the database and the broker at scrape time."""

    def collect(self):
        from certificates.models import Certificate
        from targets.models import AchievementRollup

        now = timezone.now()
        pending = Certificate.objects.filter(status=Certificate.Status.PENDING).aggregate(
            oldest=Min("created_at")
        )
        count = Certificate.objects.filter(status=Certificate.Status.PENDING).count()
        yield GaugeMetricFamily(
            "hocso_certificates_pending", "Certificates waiting to be issued", value=count
        )
        oldest = pending["oldest"]
        yield GaugeMetricFamily(
            "hocso_certificates_pending_oldest_seconds",
            "Age of the oldest certificate waiting to be issued (0 when none)",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        failed = Certificate.objects.filter(status=Certificate.Status.FAILED).count()
        yield GaugeMetricFamily(
            "hocso_certificates_failed", "Certificates whose issuing failed", value=failed
        )
        refreshed = AchievementRollup.objects.aggregate(last=Max("refreshed_at"))["last"]
        yield GaugeMetricFamily(
            "hocso_targets_rollup_age_seconds",
            "Seconds since the targets rollup last ran (-1: never)",
            value=(now - refreshed).total_seconds() if refreshed else -1,
        )
        depth = _queue_depth()
        if depth is not None:
            yield GaugeMetricFamily(
                "hocso_celery_queue_depth",
                "Tasks waiting on the broker's default queue",
                value=depth,
            )


def _queue_depth() -> int | None:
    """Messages waiting in Celery's default queue (Redis broker only; None otherwise)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return int(client.llen(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")))
    except redis.RedisError:
        return None


def exposition() -> bytes:
    """This process's (or, in multiprocess mode, every process's) metrics, then the domain
    figures (two registries, one text: metric families never overlap)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    domain = CollectorRegistry()
    domain.register(DomainCollector())
    return generate_latest(processes) + generate_latest(domain)


@never_cache
@require_GET
def metrics(request):
    token = settings.LMS_METRICS_TOKEN
    offered = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(offered.encode(), token.encode()):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
