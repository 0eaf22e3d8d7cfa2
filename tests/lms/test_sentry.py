"""SENTRY_DSN sends a view's unhandled error to a Sentry-compatible server, with the request id
and without personal data; unset, nothing is initialised. A real HTTP receiver on loopback
stands in for the server; the site runs in a subprocess so this process's SDK stays off."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, types
import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

django.setup()
assert settings.SENTRY_ENABLED is {enabled}

def boom(request):
    raise ZeroDivisionError("hocso-sentry-probe")

module = types.ModuleType("sentry_probe_urls")
module.urlpatterns = [path("boom/", boom)]
sys.modules["sentry_probe_urls"] = module
settings.ROOT_URLCONF = "sentry_probe_urls"
# No database here: only the request-id middleware (whose id the event must carry).
settings.MIDDLEWARE = ["core.observability.RequestIdMiddleware"]

from django.test import Client
client = Client(raise_request_exception=False, HTTP_X_REQUEST_ID="probe-request-0001")
client.cookies["hocso_probe"] = "secret-cookie-value"
response = client.get("/boom/", HTTP_HOST="127.0.0.1")
assert response.status_code == 500, response.status_code
import sentry_sdk
sentry_sdk.flush(timeout=10)
"""


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            data = gzip.decompress(data)
        elif encoding == "br":  # sentry-sdk prefers brotli when the package is installed
            import brotli

            data = brotli.decompress(data)
        self.bodies.append(data)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.bodies = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Receiver.bodies
    server.shutdown()


def run_site(env_extra: dict, enabled: bool):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.test", **env_extra)
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(enabled=enabled)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def events(bodies) -> list[dict]:
    found = []
    for body in bodies:
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "exception" in item:
                found.append(item)
    return found


def test_an_unhandled_error_reaches_the_server_without_personal_data(receiver):
    port, bodies = receiver
    done = run_site({"SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/7"}, enabled=True)
    assert done.returncode == 0, done.stderr[-2000:]
    found = events(bodies)
    assert found, f"no event received ({len(bodies)} bodies)"
    event = found[0]
    values = event["exception"]["values"]
    assert values[-1]["type"] == "ZeroDivisionError"
    assert values[-1]["value"] == "hocso-sentry-probe"
    assert event["tags"]["request_id"] == "probe-request-0001"
    assert "/boom/" in json.dumps(event.get("request", {})) + str(event.get("transaction"))
    raw = b"".join(bodies)
    assert b"secret-cookie-value" not in raw, "cookies must not leave the site"
    assert "user" not in event or "ip_address" not in event.get("user", {})


def test_without_a_dsn_nothing_is_sent(receiver):
    port, bodies = receiver
    done = run_site({}, enabled=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert bodies == []
