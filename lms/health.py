"""GET /health/: is every configured backing service answering?

Checks the database, the cache and (when a broker is configured) the Celery broker. 200 when all
that is configured answers, 503 otherwise; the JSON says which part failed.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.db import ping


def _check(fn) -> dict:
    started = time.monotonic()
    try:
        detail = fn()
    except Exception as error:  # noqa: BLE001 - any failure means "not answering"
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def _database():
    ping(connection)
    return {"vendor": connection.vendor}


def _cache():
    key = f"lms:health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _broker():
    from lms.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.LMS_HEALTH_TIMEOUT_SECONDS)
    return None


@never_cache
@require_GET
def health(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check(_broker)
    else:
        checks["broker"] = {"ok": True, "mode": "eager"}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
