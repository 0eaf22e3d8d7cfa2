"""The README's production walk-through, run as written: nginx (Debian's) with TLS in front of
two gunicorn instances, a Celery worker and beat, PostgreSQL and Redis, all on loopback. Then
the site is used through nginx as a browser would: a sign-in served by one instance is honoured
by the other, plain HTTP is sent to HTTPS, private media are not served by nginx, static files
come with long cache lifetimes, and the worker answers on the broker.

Runs in the PostgreSQL pass (its database is its own, created by the walk-through and dropped
afterwards); needs nginx, openssl and envsubst (`.ci/run` installs them)."""

import html
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

BASE_DIR = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL.startswith("postgres"), reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]


def walkthrough() -> str:
    text = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- walkthrough .*?-->\n```sh\n(.*?)\n```", text, re.S)
    assert match, "the README's walk-through block"
    return match.group(1)


def this_machine_address() -> str:
    """A non-loopback address of this machine: production settings refuse a loopback public
    URL (certificates.E003), as they should, so the site is reached the way a LAN would."""
    for address in subprocess.run(
        ["hostname", "-I"], capture_output=True, text=True
    ).stdout.split():
        if "." in address and not address.startswith("127."):
            return address
    pytest.fail("this machine has no non-loopback IPv4 address (hostname -I)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def deployed(tmp_path):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = f"hocso_walk_{worker}"
    server = PG_URL.rsplit("/", 1)[0]
    run_dir = tmp_path / "run"
    ports = {"https": free_port(), "http": free_port(), "apps": (free_port(), free_port())}
    cache_url = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    broker_url = os.environ.get("LMS_TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
    for url in (cache_url, broker_url):
        redis.Redis.from_url(url).flushdb()
    drop = ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"]
    subprocess.run(drop, check=True, capture_output=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LMS_", "PYTEST_"))
    }
    password = "Mật-khẩu-quản-trị-" + secrets.token_urlsafe(8)
    host = this_machine_address()
    env.update(
        RUN=str(run_dir),
        SECRET_KEY=secrets.token_urlsafe(48),
        HOCSO_SERVER_NAME=host,
        HOCSO_HTTPS_PORT=str(ports["https"]),
        HOCSO_HTTP_PORT=str(ports["http"]),
        HOCSO_APP_PORTS=" ".join(map(str, ports["apps"])),
        DATABASE_URL=f"{server}/{database}",
        REDIS_URL=cache_url,
        CELERY_BROKER_URL=broker_url,
        LMS_VAR_DIR=str(tmp_path / "var"),
        ADMIN_USER="quantri",
        ADMIN_PASSWORD=password,
    )
    try:
        result = subprocess.run(
            ["bash", "-c", walkthrough()],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
        yield {
            "env": env,
            "run": run_dir,
            "ports": ports,
            "output": result.stdout,
            "password": password,
            "host": host,
        }
    finally:
        for pid_file in run_dir.glob("*.pid"):
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
            except (ValueError, ProcessLookupError, PermissionError):
                pass
        time.sleep(2)
        subprocess.run(drop, capture_output=True)


def test_the_readme_walkthrough_serves_the_site_over_nginx(deployed):
    ports, run_dir = deployed["ports"], deployed["run"]
    host = deployed["host"]
    base = f"https://{host}:{ports['https']}"
    assert '"ok": true' in deployed["output"].replace('"ok":true', '"ok": true')

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(jar),
        NoRedirect,
    )

    def get(path: str, **headers):
        request = urllib.request.Request(base + path, headers=headers)
        try:
            return opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            return error

    # Health through nginx: database, cache and broker all answer.
    health = get("/health/")
    assert health.status == 200 and health.headers["X-Request-ID"]

    # Sign in as the administrator bootstrap made (allauth's form, CSRF and all).
    login_page = get("/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": html.unescape(token),
            "login": "quantri",
            "password": deployed["password"],
        }
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=form,
        headers={"Referer": base + "/accounts/login/", "Origin": base},
    )
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    assert response.status == 302, response.read()[:2000]

    # Ten signed-in requests, spread by nginx over both instances: each sees the session.
    for _ in range(10):
        assert get("/admin/").status == 200
    for port in ports["apps"]:
        log = (run_dir / f"web-{port}.log").read_text()
        assert '"GET /admin/ HTTP/1.0" 200' in log or '"GET /admin/ HTTP/1.1" 200' in log, port

    # Plain HTTP goes to HTTPS; private media are not nginx's to serve.
    plain = urllib.request.build_opener(NoRedirect)
    try:
        plain.open(f"http://{host}:{ports['http']}/", timeout=10)
        pytest.fail("plain HTTP answered")
    except urllib.error.HTTPError as error:
        assert error.code == 301
        assert error.headers["Location"].startswith(f"https://{host}:{ports['https']}/")
    assert get("/media/certificates/2026/any.pdf").status == 404

    # A static file the home page links to: hashed name, cached for good (WhiteNoise).
    home = get("/").read().decode()
    static = re.search(r'(/static/[^"\']+\.css)', home).group(1)
    asset = get(static)
    assert asset.status == 200 and "max-age=315360000" in asset.headers["Cache-Control"]

    # The worker answers on the broker.
    env = deployed["env"]
    ping = subprocess.run(
        [".venv/bin/celery", "-A", "lms.celery:app", "inspect", "ping", "--timeout", "10"],
        cwd=BASE_DIR,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "ALLOWED_HOSTS": deployed["host"],
        },
        capture_output=True,
        text=True,
    )
    assert ping.returncode == 0 and "pong" in ping.stdout, ping.stdout + ping.stderr
