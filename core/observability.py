"""Request ids, logs that carry them, and request metrics for Prometheus.

Machinery only: `RequestIdMiddleware` takes the proxy's `X-Request-ID` when it is a sane token
(nginx's `$request_id`), else makes one, keeps it for the request's log records
(`RequestIdFilter`, used by the JSON log format, see LOG_FORMAT) and returns it in the response
header; and counts requests by method and status class and times them by URL route (the route
pattern, not the path, so the label set stays small). Under gunicorn with several workers,
`PROMETHEUS_MULTIPROC_DIR` makes the figures add up across processes (prometheus-client's
multiprocess mode); the `/metrics` view that reads them is wired in `lms/metrics.py`.
"""

import contextvars
import logging
import re
import time
import uuid

from prometheus_client import Counter, Histogram

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "hocso_http_requests",
    "HTTP requests answered, by method and status class",
    ["method", "status"],
)
LATENCY = Histogram(
    "hocso_http_request_seconds",
    "Time to answer an HTTP request, by URL route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def request_id() -> str:
    """The id of the request being answered ("-" outside a request)."""
    return _request_id.get()


def _sane(incoming: str) -> str:
    return incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _request_started(sender=None, environ=None, scope=None, **_kwargs):
    """The id is set when Django starts on a request, before any middleware, and cleared
    when it finishes, after Django has logged the response: every line of the request,
    including Django's own "Not Found" or "Internal Server Error", carries it."""
    incoming = ""
    if environ is not None:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
    elif scope is not None:
        incoming = dict(scope.get("headers") or ()).get(b"x-request-id", b"").decode("latin-1")
    _request_id.set(_sane(incoming))


def _request_finished(sender=None, **_kwargs):
    _request_id.set("-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        from django.core.signals import request_finished, request_started

        request_started.connect(_request_started, dispatch_uid="core.observability.started")
        request_finished.connect(_request_finished, dispatch_uid="core.observability.finished")
        self.get_response = get_response

    def __call__(self, request):
        rid = _request_id.get()
        if rid == "-":  # a request that did not come through a handler (RequestFactory)
            rid = _sane(request.META.get("HTTP_X_REQUEST_ID", ""))
            _request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        LATENCY.labels(route[:100]).observe(time.perf_counter() - started)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(method, f"{response.status_code // 100}xx").inc()
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
