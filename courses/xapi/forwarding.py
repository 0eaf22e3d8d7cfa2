"""Forwarding stored statements to an external LRS: the outbox and its sender.

Every statement stored while forwarding is on is written `PENDING` (in the same INSERT, so
the player's hot path pays nothing more; a partial index holds only the pending rows). The
beat task `courses.tasks.xapi_forward` calls `xapi_forward_run`, which sends them in order,
`LMS_XAPI_FORWARD_BATCH` per `POST <endpoint>statements` (version header, HTTP Basic), and
marks a batch `SENT` in the transaction that locked it: a batch is sent by one worker at a
time (`SKIP LOCKED` on PostgreSQL), and a statement is marked sent only after the LRS said
so. Nothing is lost when the LRS is down: the rows stay pending and the sender backs off
(30 s, doubling, at most an hour; the state is the `XapiForwarder` row).

Each statement goes once. If an answer is lost after the LRS stored a batch, the batch is
sent again; the ids make that idempotent on the receiver: a 409 for a batch (some id already
there) is resolved by sending its statements one by one with `PUT ?statementId=`, where 204
and 409 both mean the LRS has it. A statement the LRS refuses as invalid (400) is marked
`REFUSED` with the others still sent, so one bad statement cannot stop the queue.
"""

import base64
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import XapiForwarder, XAPIStatement
from .identity import VERSION

logger = logging.getLogger("courses.xapi.forwarding")

BACKOFF_START = 30
BACKOFF_MAX = 3600
MAX_BATCHES_PER_RUN = 50
RUN_SECONDS = 120  # a run stops starting batches after this (the task's soft limit is 300)


class LrsUnavailable(Exception):
    """The external LRS did not take the batch (down, 5xx, 401/403/429...): try later."""


@dataclass
class ForwardRun:
    sent: int = 0
    refused: int = 0
    skipped: bool = False  # backing off, or forwarding is off
    error: str = ""


def _request(method: str, url: str, body) -> int:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", VERSION)
    user, password = settings.LMS_XAPI_FORWARD_USERNAME, settings.LMS_XAPI_FORWARD_PASSWORD
    if user or password:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=settings.LMS_XAPI_FORWARD_TIMEOUT) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        raise LrsUnavailable(str(getattr(error, "reason", error))[:500]) from error


def _statements_url() -> str:
    base = settings.LMS_XAPI_FORWARD_URL
    return base if base.rstrip("/").endswith("/statements") else base.rstrip("/") + "/statements"


def _send(rows: list[tuple[int, dict]]) -> tuple[list[int], list[int]]:
    """(sent pks, refused pks) for one batch; LrsUnavailable when it should be retried."""
    url = _statements_url()
    status = _request("POST", url, [raw for _pk, raw in rows])
    if status in (200, 204):
        return [pk for pk, _raw in rows], []
    if status not in (400, 409):
        raise LrsUnavailable(f"HTTP {status}")
    sent, refused = [], []
    for pk, raw in rows:  # find which ones it has, and which one it refuses
        query = urllib.parse.urlencode({"statementId": raw["id"]})
        one = _request("PUT", f"{url}?{query}", raw)
        if one in (200, 204, 409):
            sent.append(pk)
        elif one == 400:
            refused.append(pk)
        else:
            raise LrsUnavailable(f"HTTP {one}")
    return sent, refused


def _forwarder() -> XapiForwarder:
    forwarder, _created = XapiForwarder.objects.get_or_create(pk=1)
    return forwarder


def xapi_forward_run(*, now=None) -> ForwardRun:
    """Send pending statements until none is left (or MAX_BATCHES_PER_RUN), unless
    forwarding is off or backing off after a failure."""
    run = ForwardRun()
    if not (settings.LMS_XAPI_FORWARD_ENABLED and settings.LMS_XAPI_FORWARD_URL):
        run.skipped = True
        return run
    now = now or timezone.now()
    forwarder = _forwarder()
    if forwarder.next_attempt_at and forwarder.next_attempt_at > now:
        run.skipped = True
        return run
    batch_size = max(1, settings.LMS_XAPI_FORWARD_BATCH)
    started = time.monotonic()
    for _batch in range(MAX_BATCHES_PER_RUN):
        if time.monotonic() - started > RUN_SECONDS:
            break  # the next run (a minute later) goes on
        try:
            with transaction.atomic():
                rows = list(
                    XAPIStatement.objects.filter(forward_state=XAPIStatement.Forward.PENDING)
                    .order_by("pk")
                    .select_for_update(skip_locked=True)
                    .values_list("pk", "raw")[:batch_size]
                )
                if not rows:
                    break
                sent, refused = _send(rows)
                XAPIStatement.objects.filter(pk__in=sent).update(
                    forward_state=XAPIStatement.Forward.SENT
                )
                XAPIStatement.objects.filter(pk__in=refused).update(
                    forward_state=XAPIStatement.Forward.REFUSED
                )
        except LrsUnavailable as error:
            run.error = str(error)
            break
        run.sent += len(sent)
        run.refused += len(refused)
        if refused:
            logger.warning("xAPI forwarding: the LRS refused %s statements", len(refused))
    _record(forwarder, run, now)
    return run


def _record(forwarder: XapiForwarder, run: ForwardRun, now) -> None:
    if run.error:
        forwarder.failures += 1
        delay = min(BACKOFF_START * 2 ** (forwarder.failures - 1), BACKOFF_MAX)
        forwarder.next_attempt_at = now + timedelta(seconds=delay)
        forwarder.last_error = run.error
        logger.warning("xAPI forwarding failed (%s), next try in %s s", run.error, delay)
    else:
        forwarder.failures = 0
        forwarder.next_attempt_at = None
        forwarder.last_error = ""
        if run.sent or run.refused:
            forwarder.last_success_at = now
    forwarder.forwarded += run.sent
    forwarder.save()
