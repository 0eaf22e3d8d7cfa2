"""`make bench`, certificates: issuing through Celery workers, and verifying under load.

1. Issuance: 500 completed enrolments of a bench course get their certificates through the
   real path, as a backfill or a class closing runs it. First the completion side, timed on
   its own (`certificate_request`, 25 per transaction: serial, snapshot, audit event; the
   messages each commit sends are held back). Then those messages (one per transaction, 25
   certificates each) go to Redis and `celery worker` (prefork, one process per core)
   renders, signs, stores and marks each issued, timed from the first message to the last
   row issued. In the same round a bare loop renders the same 500 PDFs with the same
   libraries (reportlab + qrcode) in as many processes, with no database, broker or signing.
   Goal: worker rate ≥ 0.7 × bare rate. For information, 100 more certificates go one
   message each (completions arriving one at a time, the old single-certificate message).
2. Verification: gunicorn (2 sync workers, production settings, Redis cache) answers
   `GET /api/v1/certificates/verify?token=…` for an issued certificate, measured against
   `/bench/bare/` (one primary-key SELECT on PostgreSQL and a small template) in the same
   round. Goal: ≥ 0.7. The QR page `/v/<token>/` is reported too.

Reuses bench/run.py (database, settings, gunicorn, the bounded client). Knobs: those of
bench/run.py, plus BENCH_CELERY_BROKER_URL (default redis://127.0.0.1:6379/3, flushed),
BENCH_CERTIFICATES (500), BENCH_CERT_SINGLE (100), BENCH_CERT_PROCESSES (2: worker processes
and bare-loop processes). Writes var/bench/certificates.json. Exit 1 when a request or an
issue failed, 2 on set-up.
"""

import datetime
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
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
    Target,
    bench_database_url,
    body_contains,
    configure,
    ensure_database,
    flush_cache,
    free_port,
    log,
    measure,
    prepare_data,
)

BROKER = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
COUNT = int(os.environ.get("BENCH_CERTIFICATES", "500"))
SINGLE_COUNT = min(COUNT, int(os.environ.get("BENCH_CERT_SINGLE", "100")))
PROCESSES = int(os.environ.get("BENCH_CERT_PROCESSES", "2"))
BENCH_COURSE = "bench-thanh-toan-so"  # made by bench/loaddata.py
TEMPLATE = "Bench"
GOAL = 0.7


def configure_certificates() -> None:
    os.environ.update(
        CELERY_BROKER_URL=BROKER,
        # One client drives the load: the per-client limit would answer 429 at once.
        LMS_CERT_VERIFY_RATE="1000000000",
    )


def flush_broker() -> None:
    import redis

    client = redis.Redis.from_url(BROKER)
    try:
        client.flushdb()
    finally:
        client.close()


# --- issuance -------------------------------------------------------------------------------
class Workers:
    """`celery worker` (prefork, PROCESSES children) in its own process group."""

    def __init__(self):
        self.log_path = OUT_DIR / "celery.log"
        self.process = None

    def start(self) -> None:
        from lms.celery import app

        self.log_path.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "lms.celery:app", "worker",
                "--pool=prefork", f"--concurrency={PROCESSES}", "-O", "fair",
                # The certificate worker of production (deploy/systemd): the holders' email
                # and SMS go to the "outbound" queue, which another worker serves.
                "--queues", "celery",
                # Certificates are short tasks: a few messages in hand per process keep
                # them busy between acknowledgements (acks_late makes each a round trip).
                "--prefetch-multiplier", "4",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-l", "WARNING", "--logfile", str(self.log_path),
            ],
            cwd=BASE_DIR, start_new_session=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"celery exited ({self.process.returncode})")
            if app.control.ping(timeout=0.5):
                return
        raise BenchError("the Celery worker did not answer a ping within 60 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def issuance_setup():
    """The bench template and COUNT completed enrolments with no certificate (clears the
    previous run's certificates, their files and the serial counter)."""
    from django.db import transaction
    from django.utils import timezone

    from certificates.models import Certificate, CertificateTemplate, SerialCounter
    from courses.models import CoursePage, Enrolment

    course = CoursePage.objects.get(slug=BENCH_COURSE)
    template, _ = CertificateTemplate.objects.update_or_create(
        name=TEMPLATE,
        defaults={
            "serial_prefix": "BENCH",
            "issuer_name": "Sở Dân tộc và Tôn giáo tỉnh Gia Lai",
            "signatory_name": "Rơ Châm Hlin",
            "signatory_title": "Giám đốc",
            "place": "Gia Lai",
        },
    )
    template.courses.set([course])
    with transaction.atomic():
        Certificate.objects.filter(template=template).update(superseded_by=None)
        Certificate.objects.filter(template=template).delete()
        SerialCounter.objects.filter(prefix="BENCH").delete()
        ids = list(
            Enrolment.objects.filter(course=course)
            .order_by("pk")
            .values_list("pk", flat=True)[:COUNT]
        )
        if len(ids) < COUNT:
            raise BenchError(f"{BENCH_COURSE} has {len(ids)} enrolments, fewer than {COUNT}")
        # Completed with evidence (the final quiz passed), as a certificate needs.
        Enrolment.objects.filter(pk__in=ids).update(
            status="completed", completed_at=timezone.now(), progress=1.0, evidence="assessment"
        )
    shutil.rmtree(Path(os.environ["MEDIA_ROOT"]) / "certificates", ignore_errors=True)
    return template, ids


def request_pending(ids) -> tuple[list[list[int]], float]:
    """The completion side, as a backfill or a class closing runs it: `certificate_request`
    for each enrolment, BATCH_SIZE per transaction (serial, snapshot, audit event). The
    batches each commit sends are held back, so the workers' part is timed alone."""
    from unittest import mock

    from django.db import transaction

    from certificates import services
    from courses.models import Enrolment

    held: list[list[int]] = []
    enrolments = list(Enrolment.objects.filter(pk__in=ids).order_by("pk").select_related("course"))
    started = time.perf_counter()
    with mock.patch.object(services._Batch, "__call__", lambda batch: held.append(batch.ids)):
        for start in range(0, len(enrolments), services.BATCH_SIZE):
            with transaction.atomic():
                for enrolment in enrolments[start : start + services.BATCH_SIZE]:
                    services.certificate_request(enrolment=enrolment)
    return held, time.perf_counter() - started


def issue_through_workers(template, batches, *, single=False) -> tuple[float, int]:
    """Seconds from the first message sent to the last certificate issued, and failures.
    `single`: one message per certificate (completions arriving one at a time)."""
    from certificates.models import Certificate
    from certificates.tasks import issue_certificate, issue_certificates

    ids = [pk for batch in batches for pk in batch]
    rows = Certificate.objects.filter(pk__in=ids)
    started = time.perf_counter()
    if single:
        for certificate_id in ids:
            issue_certificate.delay(certificate_id)
    else:
        for batch in batches:
            issue_certificates.delay(batch)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if rows.filter(status__in=["issued", "failed"]).count() >= len(ids):
            break
        time.sleep(0.05)
    else:
        raise BenchError("certificates were not all issued within 600 s")
    elapsed = time.perf_counter() - started
    return elapsed, rows.filter(status="failed").count()


def _bare_init() -> None:
    """A fresh interpreter per bare process (spawned: forking a process that holds database
    and broker connections can hang the children), set up like the parent."""
    sys.path[0] = str(BASE_DIR)
    import django

    django.setup()


def _bare_chunk(args) -> int:
    template_fields, start, count = args
    from certificates import pdf
    from certificates.models import CertificateTemplate

    template = CertificateTemplate(**template_fields)
    url = "https://hocso.example.org/v/" + "A" * 330 + "/"  # a token-sized URL
    for n in range(start, start + count):
        pdf.render(
            template,
            pdf.Printed(
                serial=f"BARE-2026-{n:06d}",
                holder="Nguyễn Thị Hương",
                course="Thanh toán không dùng tiền mặt",
                hours=Decimal("4"),
                completed_on=datetime.date.today(),
                issuer=template.issuer_name,
                url=url,
            ),
        )
    return count


def bare_loop(template) -> float:
    """Seconds for PROCESSES processes to render COUNT certificate PDFs, nothing else."""
    fields = {
        f.name: getattr(template, f.name)
        for f in template._meta.concrete_fields
        if not f.is_relation and f.name != "id"
    }
    chunks = [(fields, i * COUNT // PROCESSES, COUNT // PROCESSES) for i in range(PROCESSES)]
    with multiprocessing.get_context("spawn").Pool(PROCESSES, initializer=_bare_init) as pool:
        pool.map(_bare_chunk, [(fields, 0, 2)] * PROCESSES)  # fonts loaded, imports done
        started = time.perf_counter()
        pool.map(_bare_chunk, chunks)
        return time.perf_counter() - started


# --- verification ---------------------------------------------------------------------------
def issued_status(response, body) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return "not JSON"
    return None if data.get("status") == "issued" and data.get("valid") else "not issued"


def verify_targets(token: str) -> list[Target]:
    from django.contrib.auth import get_user_model
    from django.utils.html import escape

    unit = get_user_model().objects.get(username="learner").profile.org_unit
    return [
        Target("bare", f"/bench/bare/?pk={unit.pk}", body_contains(escape(unit.name), "no unit")),
        Target(
            "verify_api",
            f"/api/v1/certificates/verify?token={token}",
            issued_status,
            baseline="bare",
            goal=GOAL,
        ),
        Target(
            "verify_page",
            f"/v/{token}/",
            body_contains('data-status="issued"', "not shown as issued"),
            baseline="bare",
        ),
    ]


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    static_root = tempfile.mkdtemp(prefix="hocso-bench-static-")
    configure(database_url, static_root)
    configure_certificates()
    import django

    django.setup()
    from django.core.management import call_command

    flush_broker()
    prepare_data()
    call_command("collectstatic", interactive=False, verbosity=0)
    flush_cache()
    workers, server = Workers(), Server(free_port())
    issuance = []
    failures = 0
    try:
        workers.start()
        log(f"issuance: {COUNT} certificates, {PROCESSES} worker processes vs {PROCESSES} bare")
        for round_number in range(1, ROUNDS + 1):
            template, ids = issuance_setup()
            batches, requesting = request_pending(ids)
            through, failed = issue_through_workers(template, batches)
            bare = bare_loop(template)
            template, ids = issuance_setup()
            singles, _requesting = request_pending(ids[:SINGLE_COUNT])
            one_by_one, failed_single = issue_through_workers(template, singles, single=True)
            failures += failed + failed_single
            rates = (COUNT / through, COUNT / bare, COUNT / requesting, SINGLE_COUNT / one_by_one)
            issuance.append(rates)
            log(
                f"  round {round_number}/{ROUNDS}: requests {rates[2]:6.1f}/s  "
                f"worker {rates[0]:6.1f}/s ({len(batches)} messages)  bare {rates[1]:6.1f}/s  "
                f"ratio {rates[0] / rates[1]:.2f}  one message each {rates[3]:6.1f}/s "
                f"({rates[3] / rates[1]:.2f})"
                + (f"  {failed + failed_single} FAILED" if failed + failed_single else "")
            )
    finally:
        workers.stop()

    from certificates.models import Certificate

    token = Certificate.objects.filter(status="issued").order_by("-pk").first().token
    targets = verify_targets(token)
    try:
        server.start()
        for target in targets:
            from bench.run import get

            status, response, body = get(server.port, target.path)
            if status != 200 or target.check(response, body):
                raise BenchError(f"{target.name}: HTTP {status} {body[:200]!r}")
        log(
            f"verification: {CONCURRENCY} connections, {WARMUP:g} s + {SECONDS:g} s, "
            f"{ROUNDS} rounds"
        )
        results = measure(server.port, targets)
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)

    worker_rate = statistics.median(w for w, _, _, _ in issuance)
    bare_rate = statistics.median(b for _, b, _, _ in issuance)
    issue_ratio = statistics.median(w / b for w, b, _, _ in issuance)
    entries = [
        {
            "name": "certificate_requests",
            "value": round(statistics.median(r for _, _, r, _ in issuance), 1),
            "unit": "requests/s",
        },
        {"name": "issue_bare_loop", "value": round(bare_rate, 1), "unit": "PDF/s"},
        {
            "name": "issue_through_worker",
            "value": round(worker_rate, 1),
            "unit": "certificates/s",
            "baseline": "issue_bare_loop",
            "ratio": round(issue_ratio, 2),
            "goal": GOAL,
        },
        {
            "name": "issue_one_message_each",
            "value": round(statistics.median(s for _, _, _, s in issuance), 1),
            "unit": "certificates/s",
            "baseline": "issue_bare_loop",
            "ratio": round(statistics.median(s / b for _, b, _, s in issuance), 2),
        },
    ]
    bare = results["bare"]
    for name in ("bare", "verify_api", "verify_page"):
        result = results[name]
        entry = {"name": name, "value": round(result.rps, 1), "unit": "req/s",
                 "p99_ms": round(result.p99_ms, 1)}  # fmt: skip
        if name != "bare":
            ratio, _p99 = result.ratios(bare)
            entry.update(baseline="bare", ratio=round(ratio, 2), goal=result.target.goal)
        entries.append(entry)
    (OUT_DIR / "certificates.json").write_text(
        json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    )
    log("")
    log(f"{'name':<22}{'value':>10}  {'unit':<15}{'ratio':>7}  goal")
    met = True
    for entry in entries:
        goal = entry.get("goal")
        ok = goal is None or entry["ratio"] >= goal
        met &= ok
        ratio = f"{entry['ratio']:.2f}" if "ratio" in entry else "—"
        goal_text = f"≥ {goal} {'✔' if ok else '✘'}" if goal else ""
        log(
            f"{entry['name']:<22}{entry['value']:>10,.1f}  {entry['unit']:<15}{ratio:>7}  "
            + goal_text
        )
    errors = sum(sum(r.errors.values()) for r in results.values())
    log(f"results: {OUT_DIR / 'certificates.json'}; wall time {time.monotonic() - started:.0f} s")
    if errors or failures:
        log(f"ERRORS: {errors} failed requests, {failures} failed certificates")
        return 1
    log(f"no errors; goals {'all met' if met else 'NOT all met'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
