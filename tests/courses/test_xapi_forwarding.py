"""Forwarding statements to an external LRS, against a local stand-in: a threaded
http.server that stores statements by id the way an LRS does (409 for a batch holding an id
it has, PUT by statementId), answers 503 for a while, goes away (connection refused) and
comes back. Every statement must arrive, and arrive once."""

import base64
import json
import threading
import urllib.parse
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from courses.models import XapiForwarder, XAPIStatement
from courses.tasks import xapi_forward
from courses.xapi.forwarding import BACKOFF_START, xapi_forward_run

from .xapi_support import Lrs, captured, make_client, make_world, player_post

pytestmark = pytest.mark.django_db

USER, PASSWORD = "hocso", "bí-mật"


class StandInLrs:
    """An LRS stand-in on 127.0.0.1: `mode` is "up", "503"; `stop()`/`start()` take it away
    and bring it back on the same port."""

    def __init__(self):
        self.stored: dict[str, dict] = {}
        self.deliveries = Counter()  # id -> times it was stored (must end at 1)
        self.requests = 0
        self.mode = "up"
        self.refuse_verb = None
        self.port = 0
        self.server = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xapi/"

    def start(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _checked(self):
                stand_in.requests += 1
                if stand_in.mode == "503":
                    self._answer(503, {"error": "maintenance"})
                    return None
                expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self._answer(401)
                    return None
                if not self.headers.get("X-Experience-API-Version", "").startswith("1.0."):
                    self._answer(400)
                    return None
                length = int(self.headers.get("Content-Length", 0))
                return json.loads(self.rfile.read(length))

            def _invalid(self, statement):
                return statement["verb"]["id"] == stand_in.refuse_verb

            def do_POST(self):
                body = self._checked()
                if body is None:
                    return
                if self.path != "/xapi/statements":
                    return self._answer(404)
                if any(self._invalid(s) for s in body):
                    return self._answer(400, {"error": "invalid"})
                if any(s["id"] in stand_in.stored for s in body):
                    return self._answer(409, {"error": "conflict"})
                for statement in body:
                    stand_in.stored[statement["id"]] = statement
                    stand_in.deliveries[statement["id"]] += 1
                self._answer(200, [s["id"] for s in body])

            def do_PUT(self):
                body = self._checked()
                if body is None:
                    return
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                statement_id = query["statementId"][0]
                if self._invalid(body):
                    return self._answer(400)
                if statement_id in stand_in.stored:
                    return self._answer(409)
                stand_in.stored[statement_id] = body
                stand_in.deliveries[statement_id] += 1
                self._answer(204)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in():
    lrs = StandInLrs()
    yield lrs
    lrs.stop()


@pytest.fixture
def forwarding(settings, stand_in):
    settings.LMS_XAPI_FORWARD_ENABLED = True
    settings.LMS_XAPI_FORWARD_URL = stand_in.url
    settings.LMS_XAPI_FORWARD_USERNAME = USER
    settings.LMS_XAPI_FORWARD_PASSWORD = PASSWORD
    settings.LMS_XAPI_FORWARD_BATCH = 3
    settings.LMS_XAPI_FORWARD_TIMEOUT = 2
    return stand_in


@pytest.fixture
def world(home, settings, tmp_path):
    return make_world(settings, tmp_path)


def some_statements(client, world, n_player=8, n_client=2):
    statements = captured("H5P.MultiChoice-1.14_statements.json")
    for i in range(n_player):
        assert player_post(client, world, statements[i % len(statements)]).status_code == 201
    lrs_client, secret = make_client(world["gia_lai"])
    simple = {
        "actor": {"mbox": "mailto:hoc@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.com/a"},
    }
    assert Lrs(client, lrs_client, secret).post([simple] * n_client).status_code == 200
    return set(XAPIStatement.objects.values_list("statement_id", flat=True))


def pending() -> int:
    return XAPIStatement.objects.filter(forward_state=XAPIStatement.Forward.PENDING).count()


def test_nothing_is_pending_while_forwarding_is_off(client, world, stand_in):
    some_statements(client, world, n_player=3, n_client=1)
    assert set(XAPIStatement.objects.values_list("forward_state", flat=True)) == {0}
    assert xapi_forward_run().skipped and stand_in.requests == 0


def test_every_statement_arrives_exactly_once_through_downtime(client, world, forwarding):
    ids = {str(i) for i in some_statements(client, world)}
    assert pending() == 10
    now = timezone.now()

    forwarding.mode = "503"  # maintenance
    run = xapi_forward_run(now=now)
    assert run.error == "HTTP 503" and run.sent == 0 and pending() == 10
    forwarder = XapiForwarder.objects.get()
    assert forwarder.failures == 1
    assert forwarder.next_attempt_at == now + timedelta(seconds=BACKOFF_START)
    requests = forwarding.requests
    assert xapi_forward_run(now=now + timedelta(seconds=10)).skipped  # backing off
    assert forwarding.requests == requests

    forwarding.stop()  # gone: connection refused
    now += timedelta(seconds=BACKOFF_START + 1)
    run = xapi_forward_run(now=now)
    assert run.error and run.sent == 0 and pending() == 10
    forwarder.refresh_from_db()
    assert forwarder.failures == 2
    assert forwarder.next_attempt_at == now + timedelta(seconds=2 * BACKOFF_START)

    forwarding.mode = "up"
    forwarding.start()  # back, same port
    run = xapi_forward_run(now=now + timedelta(seconds=2 * BACKOFF_START + 1))
    assert (run.sent, run.error) == (10, "")
    assert set(forwarding.stored) == ids
    assert set(forwarding.deliveries.values()) == {1}
    assert pending() == 0
    forwarder.refresh_from_db()
    assert (forwarder.failures, forwarder.next_attempt_at, forwarder.forwarded) == (0, None, 10)
    # What arrives is the conforming statement we serve.
    sample = next(iter(forwarding.stored.values()))
    assert {"id", "stored", "timestamp", "authority", "version"} <= set(sample)

    # Nothing is sent twice; new statements go on the next run.
    requests = forwarding.requests
    assert xapi_forward_run().sent == 0 and forwarding.requests == requests
    player_post(client, world, captured("H5P.TrueFalse-1.6_statements.json")[0])
    assert xapi_forward.delay().get() == 1  # the beat task
    assert len(forwarding.stored) == 11 and set(forwarding.deliveries.values()) == {1}


def test_a_batch_the_lrs_already_has_is_not_stored_twice(client, world, forwarding):
    """The LRS stored a batch but the answer was lost (the rows are still pending here): it
    answers the resend with 409, and each statement is then confirmed one by one."""
    some_statements(client, world, n_player=4, n_client=0 + 1)
    assert xapi_forward_run().sent == 5
    XAPIStatement.objects.update(forward_state=XAPIStatement.Forward.PENDING)
    run = xapi_forward_run()
    assert run.sent == 5 and run.error == "" and pending() == 0
    assert set(forwarding.deliveries.values()) == {1} and len(forwarding.stored) == 5


def test_a_statement_the_lrs_refuses_does_not_stop_the_others(client, world, forwarding):
    forwarding.refuse_verb = "http://adlnet.gov/expapi/verbs/answered"
    some_statements(client, world, n_player=6, n_client=0 + 1)
    run = xapi_forward_run()
    assert run.refused == 2 and run.sent == 5 and pending() == 0
    refused = XAPIStatement.objects.filter(forward_state=XAPIStatement.Forward.REFUSED)
    assert set(refused.values_list("verb", flat=True)) == {forwarding.refuse_verb}
    assert set(forwarding.deliveries.values()) == {1}


def test_wrong_credentials_keep_statements_pending(client, world, forwarding, settings):
    settings.LMS_XAPI_FORWARD_PASSWORD = "wrong"
    some_statements(client, world, n_player=2, n_client=1)
    run = xapi_forward_run()
    assert run.error == "HTTP 401" and pending() == 3 and not forwarding.stored
