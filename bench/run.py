"""`make bench`: Học Số under gunicorn on PostgreSQL + Redis, measured against bare baselines.

Steps: (re)create the bench database, migrate, seed the demo, load 10,000 learners and 50,000
enrolments (bench/loaddata.py), collect static files, serve with gunicorn (2 sync workers,
lms.settings.production), drive it from this process with a bounded HTTP client (a fixed
number of connections, each sending its next request when the last is answered), count the
lesson page's SQL queries in-process, print a table and write var/bench/results.json. Exit
status 1 when a request failed, 2 when the set-up failed. See bench/README.md.

Knobs (environment): DATABASE_URL (server and credentials; the database used is
BENCH_DB_NAME, default hocso_bench), BENCH_RESET=1 (drop and recreate it), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/14, flushed), BENCH_SECONDS (5), BENCH_ROUNDS (3),
BENCH_CONCURRENCY (8), BENCH_WARMUP (1, seconds).
"""

import http.client
import io
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)  # run as a script: import the project, not bench/ modules

OUT_DIR = BASE_DIR / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hocso"
BENCH_LEARNER = "learner"  # the demo learner, enrolled in BENCH_COURSE by seed_demo
BENCH_COURSE = "tin-hoc-co-ban"
QUERY_BUDGET = 8


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


SECONDS = env_float("BENCH_SECONDS", 5)
ROUNDS = int(env_float("BENCH_ROUNDS", 3))
CONCURRENCY = int(env_float("BENCH_CONCURRENCY", 8))
WARMUP = env_float("BENCH_WARMUP", 1)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, flush=True)


# --- database and settings --------------------------------------------------------------
def bench_database_url() -> tuple[str, str]:
    """The bench database's URL (DATABASE_URL's server, BENCH_DB_NAME) and the admin URL."""
    url = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    if not url.scheme.startswith("postgres"):
        raise BenchError(f"DATABASE_URL must point at PostgreSQL, not {url.scheme}")
    name = os.environ.get("BENCH_DB_NAME", "hocso_bench")
    if name == url.path.lstrip("/"):
        raise BenchError(f"BENCH_DB_NAME={name} is DATABASE_URL's own database: pick another")
    return url._replace(path=f"/{name}").geturl(), url._replace(path="/postgres").geturl()


def ensure_database(url: str, admin_url: str, *, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if reset:
            log(f"dropping database {name}")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure(database_url: str, static_root: str) -> None:
    """The environment of production, for this process and gunicorn alike."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=static_root,
        MEDIA_ROOT=str(OUT_DIR / "media"),
        LMS_BENCH_VIEWS="1",
        # Production refuses to invent a signing key; the bench (seed_demo's certificate,
        # bench/certificates.py) keeps one of its own beside its results.
        LMS_CERT_SIGNING_KEY_FILE=str(OUT_DIR / "certificate-signing-key.pem"),
        LMS_CERT_SIGNING_KEY_AUTOGENERATE="1",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks run eagerly; no broker to check


def prepare_data() -> dict[str, int]:
    import importlib.util

    from django.core.management import call_command

    from bench.loaddata import load

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    if importlib.util.find_spec("cms.demo.content") is None:
        raise BenchError("cms/demo/content.py is missing: seed_demo cannot run")
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    log(f"migrated and seeded in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    counts = load(log=log)
    log(f"scale data ready in {time.monotonic() - started:.1f} s: {counts}")
    return counts


def collect_static() -> None:
    from django.core.management import call_command

    started = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"collectstatic in {time.monotonic() - started:.1f} s")


def flush_cache() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


# --- what is measured -------------------------------------------------------------------
Check = Callable[[http.client.HTTPResponse, bytes], str | None]


@dataclass
class Target:
    name: str
    path: str
    check: Check
    cookies: dict[str, str] = field(default_factory=dict)
    baseline: str | None = None
    goal: float | None = None  # minimum ratio of req/s to the baseline's
    cached: bool = False


def body_contains(text: str, problem: str) -> Check:
    needle = text.encode()
    return lambda response, body: None if needle in body else problem


def cache_hit(response, body) -> str | None:
    return None if response.getheader("X-LMS-Cache") == "hit" else "not a cache hit"


@dataclass
class Setup:
    targets: list[Target]
    session_key: str
    lesson_paths: dict[str, str]  # name -> path, every lesson of the bench course
    catalogue_path: str
    course_path: str


def setup_targets() -> Setup:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.utils.html import escape
    from django.utils.module_loading import import_string

    from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage
    from courses.translation import sources

    learner = get_user_model().objects.get(username=BENCH_LEARNER)
    course = CoursePage.objects.live().get(slug=BENCH_COURSE)
    if not Enrolment.objects.filter(user=learner, course=course).exists():
        raise BenchError(f"{BENCH_LEARNER} is not enrolled in {BENCH_COURSE}")
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    # The lesson the learner opens next (the demo marks the first one done) and the quiz.
    reading = lessons[1] if len(lessons) > 1 else lessons[0]
    quiz = next((lesson for lesson in reversed(lessons) if lesson.has_quiz), None)
    unit = learner.profile.org_unit

    # Log in without the login form: production cookies are Secure-only, so the session is
    # created here, with the same settings as the server, and its cookie set by the client.
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(learner.pk)
    store[BACKEND_SESSION_KEY] = "people.auth.ModelBackend"
    store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    store.save()
    session = {settings.SESSION_COOKIE_NAME: store.session_key}

    def path(page) -> str:
        return page.get_url_parts()[2]

    catalogue = sources(CourseIndexPage.objects.live()).get()
    targets = [
        # Each page right after its baseline, so both see the same machine (see measure()).
        Target("hello", "/bench/hello/", lambda r, body: None if body == b"hello" else "body"),
        Target("catalogue", path(catalogue), cache_hit, baseline="hello", goal=0.6, cached=True),
        Target("course_page", path(course), cache_hit, baseline="hello", goal=0.6, cached=True),
        Target("bare", f"/bench/bare/?pk={unit.pk}", body_contains(escape(unit.name), "no unit")),
        Target(
            "lesson_page",
            path(reading),
            body_contains(f">{escape(reading.title)}</h1>", "lesson title missing"),
            cookies=session,
            baseline="bare",
            goal=0.2,
        ),
    ]
    if quiz is not None and quiz.pk != reading.pk:
        targets.append(
            Target(
                "lesson_quiz_page",
                path(quiz),
                body_contains(f">{escape(quiz.title)}</h1>", "lesson title missing"),
                cookies=session,
                baseline="bare",
                goal=0.2,
            )
        )
    return Setup(
        targets=targets,
        session_key=store.session_key,
        lesson_paths={f"{n}. {lesson.title}": path(lesson) for n, lesson in enumerate(lessons, 1)},
        catalogue_path=path(catalogue),
        course_path=path(course),
    )


# --- the server -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, so stopping it leaves nothing behind."""

    def __init__(self, port: int):
        self.port = port
        self.log_path = OUT_DIR / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "lms.wsgi:application",
            "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning", "--error-logfile", str(self.log_path),
            "--no-control-socket", "--graceful-timeout", "5",
        ]  # fmt: skip
        self.log_path.write_text("")
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, start_new_session=True, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                status, _headers, _body = get(self.port, "/health/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer /health/ within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # start_new_session: the group id is gunicorn's pid
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=5)
        try:  # workers that outlived their master
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""


# --- the client -------------------------------------------------------------------------
def headers_for(cookies: dict[str, str]) -> dict[str, str]:
    headers = {"User-Agent": "hocso-bench", "Accept": "text/html"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
    return headers


def get(port: int, path: str, cookies: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers_for(cookies or {}))
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


@dataclass
class Window:
    requests: int
    rps: float
    p99_ms: float
    errors: Counter


def run_workers(worker: Callable[[int], None], barrier: threading.Barrier) -> float:
    """Run `worker(i)` in CONCURRENCY threads; each waits on `barrier` (sized CONCURRENCY + 1)
    before its first request, so the clock starts when all are ready. Seconds until the last
    one ends."""
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def latency_p99(latencies: list[list[float]]) -> tuple[list[float], float]:
    """Every latency (seconds, sorted) from the per-thread lists, and their p99 in ms."""
    every = sorted(latency for mine in latencies for latency in mine)
    p99 = every[max(0, -(-len(every) * 99 // 100) - 1)] * 1000 if every else float("nan")
    return every, p99


def hammer(port: int, target: Target, seconds: float) -> Window:
    """CONCURRENCY connections, each sending the next request when the last one is answered."""
    headers = headers_for(target.cookies)
    barrier = threading.Barrier(CONCURRENCY + 1)
    latencies: list[list[float]] = [[] for _ in range(CONCURRENCY)]
    errors: list[Counter] = [Counter() for _ in range(CONCURRENCY)]

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, problems = latencies[index], errors[index]
        barrier.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                # http.client reconnects by itself when the server closed the connection
                # (gunicorn's sync workers close after every response).
                conn.request("GET", target.path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                problems[type(error).__name__] += 1
                mine.append(time.perf_counter() - started)
                conn.close()
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                problems[f"HTTP {response.status}"] += 1
            elif (problem := target.check(response, body)) is not None:
                problems[problem] += 1
        conn.close()

    elapsed = run_workers(worker, barrier)
    every, p99 = latency_p99(latencies)
    return Window(len(every), len(every) / elapsed, p99, sum(errors, Counter()))


def verify(port: int, setup: Setup) -> None:
    """Every target answers 200 and passes its check; cached pages are hits from the second."""
    for target in setup.targets:
        status, response, body = get(port, target.path, target.cookies)
        if status != 200:
            location = response.getheader("Location", "")
            raise BenchError(f"{target.name} {target.path}: HTTP {status} {location}")
        if target.cached:
            first = response.getheader("X-LMS-Cache")
            status, response, body = get(port, target.path, target.cookies)
            if status != 200 or response.getheader("X-LMS-Cache") != "hit":
                raise BenchError(f"{target.name}: second request is not a cache hit")
            log(f"  {target.name}: X-LMS-Cache {first} then hit")
        problem = target.check(response, body)
        if problem:
            raise BenchError(f"{target.name} {target.path}: {problem}")
        for cookie in response.headers.get_all("Set-Cookie") or []:
            if target.cookies and cookie.startswith("csrftoken="):
                # Send the CSRF cookie back as a browser would, so no new one is issued.
                target.cookies["csrftoken"] = cookie.split(";", 1)[0].split("=", 1)[1]
        log(f"  {target.name} {target.path}: 200, {len(body):,} bytes")


@dataclass
class Result:
    target: Target
    windows: list[Window] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(w.rps for w in self.windows)

    @property
    def p99_ms(self) -> float:
        return statistics.median(w.p99_ms for w in self.windows)

    @property
    def errors(self) -> Counter:
        return sum((w.errors for w in self.windows), Counter())

    def ratios(self, base: "Result") -> tuple[float, float]:
        """Median over rounds of (req/s, p99) divided by the baseline's in the same round.

        Pairing by round cancels most of the drift of a shared, noisy machine.
        """
        pairs = list(zip(self.windows, base.windows, strict=True))
        return (
            statistics.median(mine.rps / theirs.rps for mine, theirs in pairs),
            statistics.median(mine.p99_ms / theirs.p99_ms for mine, theirs in pairs),
        )


def measure(port: int, targets: list[Target]) -> dict[str, Result]:
    results = {target.name: Result(target) for target in targets}
    for round_number in range(1, ROUNDS + 1):
        for target in targets:
            hammer(port, target, WARMUP)
            window = hammer(port, target, SECONDS)
            results[target.name].windows.append(window)
            errors = sum(window.errors.values())
            log(
                f"  round {round_number}/{ROUNDS} {target.name:<17} {window.rps:8.1f} req/s"
                f"  p99 {window.p99_ms:7.1f} ms  {window.requests:6d} requests"
                + (f"  {errors} ERRORS {dict(window.errors)}" if errors else "")
            )
    return results


# --- SQL queries, in-process ------------------------------------------------------------
def count_queries(setup: Setup) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Queries per page, measured warm (second request) with Django's test client."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    learner = Client(HTTP_HOST="127.0.0.1")
    learner.cookies[settings.SESSION_COOKIE_NAME] = setup.session_key
    anonymous = Client(HTTP_HOST="127.0.0.1")
    miss = f"?bench={uuid.uuid4().hex}"  # a URL the page cache has not seen
    pages = [
        ("bare", anonymous, next(t.path for t in setup.targets if t.name == "bare")),
        ("catalogue (cache miss)", anonymous, setup.catalogue_path + miss),
        ("course page (cache miss)", anonymous, setup.course_path + miss),
        *((f"lesson {name}", learner, path) for name, path in setup.lesson_paths.items()),
    ]
    counts, sql = {}, {}
    for name, client, path in pages:
        client.get(path + ("&warm" if "?" in path else ""))  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{name} {path}: HTTP {response.status_code} in-process")
        counts[name] = len(queries)
        sql[name] = [query["sql"] for query in queries.captured_queries]
    return counts, sql


# --- report -----------------------------------------------------------------------------
def report(results: dict[str, Result], queries: dict[str, int]) -> tuple[list[dict], bool]:
    entries: list[dict] = []
    all_met = True
    log("")
    log(f"{'name':<20} {'req/s':>8} {'p99 ms':>8}  {'baseline':<16} {'ratio':>6}  {'goal':<8} met")
    for name, result in results.items():
        target = result.target
        base = results.get(target.baseline) if target.baseline else None
        ratio, p99_ratio = result.ratios(base) if base else (None, None)
        met = None if target.goal is None else ratio >= target.goal
        all_met = all_met and met is not False
        log(
            f"{name:<20} {result.rps:8.1f} {result.p99_ms:8.1f}  "
            + (f"{target.baseline} {base.rps:.1f}".ljust(16) if base else "—".ljust(16))
            + (f" {ratio:6.2f}" if ratio is not None else f" {'':>6}")
            + (f"  ≥ {target.goal:<6.2f} {'yes' if met else 'NO'}" if met is not None else "")
        )
        entries.append(
            {
                "name": f"{name}_rps",
                "value": round(result.rps, 1),
                "unit": "req/s",
                "baseline": round(base.rps, 1) if base else None,
                "ratio": round(ratio, 3) if ratio is not None else None,
                "goal": target.goal,
            }
        )
        entries.append(
            {
                "name": f"{name}_p99",
                "value": round(result.p99_ms, 1),
                "unit": "ms",
                "baseline": round(base.p99_ms, 1) if base else None,
                "ratio": round(p99_ratio, 3) if base else None,
                "goal": None,
            }
        )
    bare = results.get("bare")
    if bare is not None:
        # Every measured page against the bare view too, as the issue asks; only the lesson
        # page has its goal there (the cached pages' goal is against hello, above).
        for name, result in results.items():
            if name in ("hello", "bare") or result.target.baseline == "bare":
                continue
            ratio, _p99_ratio = result.ratios(bare)
            label = f"{name} vs bare"
            log(f"{label:<20} {result.rps:8.1f} {'':>8}  bare {bare.rps:<11.1f} {ratio:6.2f}")
            entries.append(
                {
                    "name": f"{name}_rps_vs_bare",
                    "value": round(result.rps, 1),
                    "unit": "req/s",
                    "baseline": round(bare.rps, 1),
                    "ratio": round(ratio, 3),
                    "goal": None,
                }
            )
    lesson_queries = max(v for k, v in queries.items() if k.startswith("lesson "))
    met = lesson_queries <= QUERY_BUDGET
    all_met = all_met and met
    log(
        f"{'lesson_page_queries':<20} {lesson_queries:8d} {'':>8}  {'—':<16} {'':>6}  "
        f"≤ {QUERY_BUDGET:<6} {'yes' if met else 'NO'}   (most of any lesson of the course)"
    )
    log("ratio: median over the rounds of req/s / the baseline's req/s in the same round")
    entries.append(
        {
            "name": "lesson_page_queries",
            "value": lesson_queries,
            "unit": "queries",
            "baseline": None,
            "ratio": None,
            "goal": QUERY_BUDGET,
        }
    )
    errors = sum((r.errors for r in results.values()), Counter())
    entries.append(
        {
            "name": "errors",
            "value": sum(errors.values()),
            "unit": "requests",
            "baseline": None,
            "ratio": None,
            "goal": 0,
        }
    )
    return entries, all_met


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    static_root = tempfile.mkdtemp(prefix="hocso-bench-static-")
    server = Server(free_port())
    try:
        configure(database_url, static_root)
        import django

        django.setup()
        counts = prepare_data()
        collect_static()
        flush_cache()
        setup = setup_targets()
        log(
            f"gunicorn: 2 sync workers on 127.0.0.1:{server.port}, lms.settings.production, "
            f"database {urlsplit(database_url).path[1:]}, cache {REDIS_URL}"
        )
        server.start()
        try:
            verify(server.port, setup)
            log(
                f"measuring: {CONCURRENCY} connections, {WARMUP:g} s warm-up + {SECONDS:g} s "
                f"per target, {ROUNDS} rounds (medians reported)"
            )
            results = measure(server.port, setup.targets)
        finally:
            server.stop()
        queries, sql = count_queries(setup)
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)

    log("")
    log("SQL queries per page (warm, in-process):")
    for name, count in queries.items():
        log(f"  {count:3d}  {name}")
    worst = max((k for k in queries if k.startswith("lesson ")), key=queries.get)
    log(f"queries of the lesson page with the most ({worst}):")
    for query in sql[worst]:
        log(f"       {' '.join(str(query).split())[:150]}")

    entries, all_met = report(results, queries)
    (OUT_DIR / "results.json").write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n")
    errors = sum((r.errors for r in results.values()), Counter())
    total = sum(sum(w.requests for w in r.windows) for r in results.values())
    log("")
    log(f"data: {counts}")
    log(f"results: {OUT_DIR / 'results.json'}; wall time {time.monotonic() - started:.0f} s")
    if errors:
        log(f"ERRORS: {sum(errors.values())} of {total:,} requests failed: {dict(errors)}")
        return 1
    log(f"no errors in {total:,} requests; goals {'all met' if all_met else 'NOT all met'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
