"""`make bench` (classes): the trainer's class pages and the attendance endpoint under load.

Runs after bench/run.py on the same kind of set-up: a PostgreSQL database of its own
(BENCH_DB_NAME, default hocso_bench_classes), Redis (BENCH_REDIS_URL), gunicorn with 2 sync
workers and lms.settings.production. Data: the demo, then BENCH_CLASSES classes (default 200)
of 30 learners and 4 days each in Gia Lai, run by the demo trainer (scope: the province).

Measured, CONCURRENCY connections, medians over ROUNDS:
- GET the bare baseline, the class list, a class page (30 learners) and a day's attendance
  page (30 learners), each as req/s and p99, and the pages as a ratio of bare;
- POST the attendance endpoint with batches of 10 new marks (each connection on its own
  class), as marks/s, then the same batches again (every mark a duplicate: the retry path).
After the run every mark sent is checked in the database: exactly one row per UUID.
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
import uuid
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)

os.environ.setdefault("BENCH_DB_NAME", "hocso_bench_classes")

from bench.run import (  # noqa: E402
    CONCURRENCY,
    OUT_DIR,
    REDIS_URL,
    ROUNDS,
    SECONDS,
    WARMUP,
    BenchError,
    Server,
    Target,
    bench_database_url,
    body_contains,
    collect_static,
    configure,
    ensure_database,
    flush_cache,
    free_port,
    hammer,
    latency_p99,
    log,
    run_workers,
    verify,
)

CLASSES = int(os.environ.get("BENCH_CLASSES", "200"))
LEARNERS = 30
DAYS = 4
BATCH = 10


def prepare() -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from courses.classes.services import session_create
    from courses.models import CoursePage, Enrolment
    from courses.models.classes import ClassMember, TrainingSession
    from people.models import OrgUnit, Profile

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    existing = TrainingSession.objects.filter(title__startswith="Bench ").count()
    if existing >= CLASSES:
        log(f"{existing} bench classes already there")
        return
    started = time.monotonic()
    User = get_user_model()
    trainer = User.objects.get(username="trainer")
    course = CoursePage.objects.get(slug="an-toan-thong-tin")
    communes = list(
        OrgUnit.objects.filter(path__startswith=OrgUnit.objects.get(code="52").path)
        .filter(kind=OrgUnit.Kind.COMMUNE)
        .order_by("path")
    )
    start = datetime.date.today()
    for n in range(existing, CLASSES):
        commune = communes[n % len(communes)]
        session = session_create(
            user=trainer,
            course=course,
            title=f"Bench {n:04d} — {commune.name}",
            venue=commune,
            start_date=start,
            end_date=start + datetime.timedelta(days=DAYS - 1),
        )
        users = User.objects.bulk_create(
            [User(username=f"bench-class-{n}-{i}", password="!") for i in range(LEARNERS)]
        )
        Profile.objects.bulk_create(
            [
                Profile(user=u, full_name=f"Học viên {n}-{i}", org_unit=commune)
                for i, u in enumerate(users)
            ]
        )
        ClassMember.objects.bulk_create([ClassMember(session=session, user=u) for u in users])
        Enrolment.objects.bulk_create(
            [Enrolment(user=u, course=course, source=Enrolment.Source.CLASS) for u in users]
        )
    log(
        f"{CLASSES - existing} classes of {LEARNERS} learners in {time.monotonic() - started:.0f} s"
    )


def login_cookies() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.utils.module_loading import import_string

    trainer = get_user_model().objects.get(username="trainer")
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(trainer.pk)
    store[BACKEND_SESSION_KEY] = "people.auth.ModelBackend"
    store[HASH_SESSION_KEY] = trainer.get_session_auth_hash()
    store.save()
    return {settings.SESSION_COOKIE_NAME: store.session_key, "csrftoken": secrets.token_hex(16)}


def page_targets(cookies) -> list[Target]:
    from courses.models.classes import TrainingSession

    session = TrainingSession.objects.filter(title__startswith="Bench ").order_by("pk").first()
    day = session.days.first()
    unit = session.venue
    return [
        Target("bare", f"/bench/bare/?pk={unit.pk}", body_contains(unit.name, "no unit")),
        Target(
            "class_list",
            "/classes/",
            body_contains("class-card", "no class"),
            cookies=cookies,
            baseline="bare",
        ),
        Target(
            "class_page",
            f"/classes/{session.pk}/",
            body_contains("Học viên", "no roster"),
            cookies=cookies,
            baseline="bare",
        ),
        Target(
            "attendance_page",
            f"/classes/{session.pk}/days/{day.pk}/",
            body_contains('class="learner"', "no learners"),
            cookies=cookies,
            baseline="bare",
        ),
    ]


def post_marks(port: int, cookies: dict[str, str], seconds: float, batches=None):
    """CONCURRENCY connections POST batches of marks for `seconds` (or replay `batches`).

    Returns (marks per second, p99 ms per request, errors, the batches sent per worker).
    """
    from courses.models.classes import ClassMember, TrainingSession

    sessions = list(
        TrainingSession.objects.filter(title__startswith="Bench ").order_by("pk")[:CONCURRENCY]
    )
    plans = []
    for session in sessions:
        days = list(session.days.values_list("pk", flat=True))
        learners = list(
            ClassMember.objects.filter(session=session).values_list("user_id", flat=True)
        )
        plans.append((session.pk, days, learners))
    header = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "X-CSRFToken": cookies["csrftoken"],
        "Content-Type": "application/json",
        "User-Agent": "hocso-bench",
    }
    barrier = threading.Barrier(CONCURRENCY + 1)
    latencies = [[] for _ in range(CONCURRENCY)]
    errors = [Counter() for _ in range(CONCURRENCY)]
    sent = [[] for _ in range(CONCURRENCY)] if batches is None else batches
    marks = [0] * CONCURRENCY

    def worker(index: int) -> None:
        session_pk, days, learners = plans[index]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        deadline = time.perf_counter() + seconds
        n = 0
        while True:
            if batches is None:
                if time.perf_counter() >= deadline:
                    break
                batch = [
                    {
                        "uuid": str(uuid.uuid4()),
                        "day": days[(n + i) // len(learners) % len(days)],
                        "learner": learners[(n + i) % len(learners)],
                        "status": "present" if (n + i) % 5 else "absent",
                    }
                    for i in range(BATCH)
                ]
                sent[index].append(batch)
            else:
                if n // BATCH >= len(batches[index]):
                    break
                batch = batches[index][n // BATCH]
            n += BATCH
            started = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    f"/classes/{session_pk}/marks/",
                    body=json.dumps({"marks": batch}),
                    headers=header,
                )
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors[index][type(error).__name__] += 1
                conn.close()
                continue
            latencies[index].append(time.perf_counter() - started)
            if response.status != 200:
                errors[index][f"HTTP {response.status}"] += 1
                continue
            results = json.loads(body)["results"]
            if not all(r["ok"] for r in results):
                errors[index]["mark refused"] += 1
            marks[index] += len(results)
        conn.close()

    elapsed = run_workers(worker, barrier)
    every, p99 = latency_p99(latencies)
    return sum(marks) / elapsed, p99, sum(errors, Counter()), sent


def log_marks(round_number, kind, rate, p99, errors) -> None:
    log(
        f"  round {round_number} marks ({kind}) {rate:7.1f} marks/s"
        f"  p99 {p99:7.1f} ms per batch of {BATCH}  errors {dict(errors)}"
    )


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    static_root = tempfile.mkdtemp(prefix="hocso-bench-classes-static-")
    server = Server(free_port())
    rows = []
    try:
        configure(database_url, static_root)
        import django

        django.setup()
        prepare()
        collect_static()
        flush_cache()
        cookies = login_cookies()
        targets = page_targets(cookies)
        server.start()
        try:
            verify(server.port, type("S", (), {"targets": targets})())
            log(f"measuring: {CONCURRENCY} connections, {SECONDS:g} s per target, {ROUNDS} rounds")
            windows = {t.name: [] for t in targets}
            posts, replays, all_sent = [], [], []
            for round_number in range(1, ROUNDS + 1):
                for target in targets:
                    hammer(server.port, target, WARMUP)
                    window = hammer(server.port, target, SECONDS)
                    windows[target.name].append(window)
                    log(
                        f"  round {round_number} {target.name:<16} {window.rps:7.1f} req/s"
                        f"  p99 {window.p99_ms:7.1f} ms  errors {dict(window.errors)}"
                    )
                rate, p99, errors, sent = post_marks(server.port, cookies, SECONDS)
                posts.append((rate, p99, errors))
                all_sent.append(sent)
                log_marks(round_number, "new", rate, p99, errors)
                rate, p99, errors, _sent = post_marks(server.port, cookies, 0, batches=sent)
                replays.append((rate, p99, errors))
                log_marks(round_number, "replayed", rate, p99, errors)
        finally:
            server.stop()
        from courses.models.classes import AttendanceMark

        uuids = [m["uuid"] for sent in all_sent for w in sent for b in w for m in b]
        stored = AttendanceMark.objects.filter(uuid__in=uuids).count()
        log(f"marks sent {len(uuids):,} (each twice); rows stored for them {stored:,}")
        if stored != len(set(uuids)):
            raise BenchError("some marks were lost or stored twice")
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)

    bare = windows["bare"]
    for name, mine in windows.items():
        ratio = statistics.median(m.rps / b.rps for m, b in zip(mine, bare, strict=True))
        rows.append(
            {
                "target": name,
                "rps": round(statistics.median(w.rps for w in mine), 1),
                "p99_ms": round(statistics.median(w.p99_ms for w in mine), 1),
                "ratio_to_bare": round(ratio, 2),
            }
        )
    for name, values in (("marks_new", posts), ("marks_replayed", replays)):
        rows.append(
            {
                "target": name,
                "marks_per_s": round(statistics.median(v[0] for v in values), 1),
                "p99_ms_per_batch": round(statistics.median(v[1] for v in values), 1),
                "errors": sum(sum(v[2].values()) for v in values),
            }
        )
    log("")
    for row in rows:
        log("  " + json.dumps(row, ensure_ascii=False))
    (OUT_DIR / "classes.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    log(f"cache {REDIS_URL}; results {OUT_DIR / 'classes.json'}")
    failed = sum(row.get("errors", 0) for row in rows) + sum(
        sum(w.errors.values()) for ws in windows.values() for w in ws
    )
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
