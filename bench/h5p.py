"""`make bench`, H5P part: the xAPI statement endpoint under load, against a bare INSERT.

Runs after bench/run.py on the same bench database (it reuses its helpers: database, settings,
gunicorn). Imports an H5P package from ../shared/testdata (valid2.h5p), places it in a lesson
of a bench course, enrols 400 learners (`xapi-0001`...; enough that no one reaches the
endpoint's per-user rate limit) and gives each a session and a CSRF token. Then, in the same
run and alternating per round:

- `bare_insert`: POST /bench/bare-insert/, a Django view doing one PostgreSQL INSERT of the
  request body (no session, no CSRF): the floor under any write;
- `xapi`: POST /learn/h5p/xapi/ as logged-in learners (session cookie, CSRF header), cycling
  through the statements H5P.MultiChoice really sends (attempted, interacted, answered: one in
  three scores and updates progress).

Goal: xapi req/s >= 0.5 x bare_insert req/s (median over rounds of the per-round ratio), and
no statement lost: the rows added to courses_xapistatement equal the 201 answers counted.
Exit 1 on any failed request or lost statement, 2 when the set-up failed.
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)

from bench.run import (  # noqa: E402
    CONCURRENCY,
    OUT_DIR,
    ROUNDS,
    SECONDS,
    WARMUP,
    BenchError,
    Server,
    bench_database_url,
    collect_static,
    configure,
    ensure_database,
    flush_cache,
    free_port,
    latency_p99,
    log,
    prepare_data,
    run_workers,
)

TESTDATA = BASE_DIR.parent / "shared" / "testdata"
PACKAGE = TESTDATA / "h5p" / "negative" / "valid2.h5p"
STATEMENTS = TESTDATA / "xapi" / "h5p-captured" / "H5P.MultiChoice-1.14_statements.json"
LEARNERS = 400
COURSE_SLUG = "bench-h5p"
GOAL = 0.5


def setup_h5p() -> dict:
    """The package, a course with an H5P lesson, LEARNERS enrolled learners with sessions."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.db import connection
    from django.utils.module_loading import import_string

    from courses.h5p.packages import h5p_package_import
    from courses.models import CourseIndexPage, CoursePage, Enrolment, H5PPackage
    from courses.translation import sources
    from people.models import OrgUnit, Profile
    from tests.courses.h5p_support import make_h5p_lesson

    if not PACKAGE.exists() or not STATEMENTS.exists():
        raise BenchError(f"{TESTDATA} is missing: the H5P bench needs the shared test data")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_insert ("
            " id bigserial PRIMARY KEY, body jsonb NOT NULL,"
            " created_at timestamptz NOT NULL DEFAULT now())"
        )
    package = H5PPackage.objects.filter(title="Bench greeting card").first()
    if package is None:
        with PACKAGE.open("rb") as upload:
            package = h5p_package_import(upload=upload, user=None, title="Bench greeting card")
    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        course = CoursePage(
            title="Bài tập tương tác (bench)", slug=COURSE_SLUG, topic="it-basics",
            summary="H5P bench", hours="1", pass_mark=70,
        )  # fmt: skip
        sources(CourseIndexPage.objects.live()).get().add_child(instance=course)
        course.save_revision().publish()
        make_h5p_lesson(course, package, title="H5P")
    lesson = course.get_children().live().specific().first()
    block_id = lesson.h5p_blocks[0].id

    User = get_user_model()
    unit = OrgUnit.objects.filter(depth__gte=2).order_by("path").first()
    existing = set(
        User.objects.filter(username__startswith="xapi-").values_list("username", flat=True)
    )
    names = [f"xapi-{n:04d}" for n in range(1, LEARNERS + 1)]
    User.objects.bulk_create([User(username=n) for n in names if n not in existing])
    users = list(User.objects.filter(username__in=names).order_by("username"))
    Profile.objects.bulk_create(
        [Profile(user=u, full_name=f"Học viên {u.username}", org_unit=unit) for u in users],
        ignore_conflicts=True,
    )
    Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course, source="import") for u in users], ignore_conflicts=True
    )
    sessions = []
    for user in users:
        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "people.auth.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and header
        sessions.append(
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
            }
        )
    statements = json.loads(STATEMENTS.read_text())
    return {"lesson": lesson.pk, "block": block_id, "sessions": sessions, "statements": statements}


def statements_count() -> int:
    from courses.models import XAPIStatement

    return XAPIStatement.objects.count()


class PostWindow:
    def __init__(self, requests: int, rps: float, p99_ms: float, errors: Counter, created: int):
        self.requests, self.rps, self.p99_ms, self.errors, self.created = (
            requests, rps, p99_ms, errors, created,
        )  # fmt: skip


def hammer_post(port: int, path: str, bodies, headers_of, seconds: float, ok: int) -> PostWindow:
    """CONCURRENCY connections POSTing; request i of worker w uses bodies(w, i)."""
    barrier = threading.Barrier(CONCURRENCY + 1)
    latencies = [[] for _ in range(CONCURRENCY)]
    errors = [Counter() for _ in range(CONCURRENCY)]
    created = [0] * CONCURRENCY

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        deadline = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < deadline:
            body = bodies(index, n)
            headers = {"Content-Type": "application/json", "User-Agent": "hocso-bench"}
            headers.update(headers_of(index, n))
            n += 1
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors[index][type(error).__name__] += 1
                conn.close()
                continue
            finally:
                latencies[index].append(time.perf_counter() - started)
            if response.status == ok:
                created[index] += 1
            else:
                errors[index][f"HTTP {response.status}"] += 1
        conn.close()

    elapsed = run_workers(worker, barrier)
    every, p99 = latency_p99(latencies)
    return PostWindow(len(every), len(every) / elapsed, p99, sum(errors, Counter()), sum(created))


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    static_root = tempfile.mkdtemp(prefix="hocso-bench-static-")
    server = Server(free_port())
    try:
        configure(database_url, static_root)
        import django

        django.setup()
        prepare_data()
        collect_static()
        flush_cache()
        data = setup_h5p()
        server.start()
        sessions, statements = data["sessions"], data["statements"]
        learners = len(sessions)

        def xapi_body(worker: int, n: int) -> bytes:
            statement = statements[n % len(statements)]
            return json.dumps(
                {"lesson": data["lesson"], "block": data["block"], "statement": statement}
            ).encode()

        def xapi_headers(worker: int, n: int) -> dict:
            # Each worker walks its own slice of learners, a different one per request.
            return sessions[(worker + CONCURRENCY * n) % learners]

        def bare_body(worker: int, n: int) -> bytes:
            return json.dumps(statements[n % len(statements)]).encode()

        targets = [
            ("bare_insert", "/bench/bare-insert/", bare_body, lambda w, n: {}, 201),
            ("xapi", "/learn/h5p/xapi/", xapi_body, xapi_headers, 201),
        ]
        # One request of each, checked, before measuring.
        for name, path, body, headers, ok in targets:
            window = hammer_post(server.port, path, body, headers, 0.2, ok)
            if window.errors:
                raise BenchError(f"{name} {path}: {dict(window.errors)}\n{server.log_tail()}")
        log(
            f"measuring: {CONCURRENCY} connections, {WARMUP:g} s warm-up + {SECONDS:g} s per "
            f"target, {ROUNDS} rounds, {learners} learners"
        )
        windows: dict[str, list[PostWindow]] = {name: [] for name, *_ in targets}
        before = statements_count()
        sent = 0
        for round_number in range(1, ROUNDS + 1):
            for name, path, body, headers, ok in targets:
                warm = hammer_post(server.port, path, body, headers, WARMUP, ok)
                window = hammer_post(server.port, path, body, headers, SECONDS, ok)
                windows[name].append(window)
                if name == "xapi":
                    sent += warm.created + window.created
                errors = sum(window.errors.values()) + sum(warm.errors.values())
                log(
                    f"  round {round_number}/{ROUNDS} {name:<12} {window.rps:8.1f} req/s"
                    f"  p99 {window.p99_ms:7.1f} ms  {window.requests:6d} requests"
                    + (f"  {errors} ERRORS {dict(window.errors + warm.errors)}" if errors else "")
                )
        server.stop()
        stored = statements_count() - before
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)

    ratio = statistics.median(
        x.rps / b.rps for x, b in zip(windows["xapi"], windows["bare_insert"], strict=True)
    )
    p99_ratio = statistics.median(
        x.p99_ms / b.p99_ms for x, b in zip(windows["xapi"], windows["bare_insert"], strict=True)
    )
    bare_rps = statistics.median(w.rps for w in windows["bare_insert"])
    xapi_rps = statistics.median(w.rps for w in windows["xapi"])
    errors = sum((w.errors for ws in windows.values() for w in ws), Counter())
    entries = [
        {"name": "bare_insert", "value": round(bare_rps, 1), "unit": "req/s"},
        {
            "name": "xapi_statement",
            "value": round(xapi_rps, 1),
            "unit": "req/s",
            "baseline": "bare_insert",
            "ratio": round(ratio, 3),
            "p99_ratio": round(p99_ratio, 2),
            "goal": f">= {GOAL}",
        },
        {"name": "xapi_statements_sent", "value": sent, "unit": "statements"},
        {"name": "xapi_statements_stored", "value": stored, "unit": "rows"},
    ]
    (OUT_DIR / "h5p.json").write_text(json.dumps(entries, indent=2) + "\n")
    log("")
    log(f"bare_insert {bare_rps:8.1f} req/s (median)")
    log(f"xapi        {xapi_rps:8.1f} req/s (median); ratio {ratio:.2f} (goal >= {GOAL})")
    log(f"p99 ratio {p99_ratio:.2f}; statements sent (201) {sent}, rows stored {stored}")
    log(f"results: {OUT_DIR / 'h5p.json'}")
    if errors or sent != stored:
        log(f"ERRORS: {dict(errors)}; sent {sent} stored {stored}")
        return 1
    log(f"no errors; no statement lost; goal {'met' if ratio >= GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
