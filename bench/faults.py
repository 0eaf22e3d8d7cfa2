"""`make faults`: a fault rehearsal on loopback. Cuts PostgreSQL, then Redis (cache and
broker), kills the Celery worker while it issues certificates, kills a gunicorn worker, all
under load, and checks the promises: no acknowledged write lost, no certificate left pending,
the site recovers by itself (no restart). Not part of CI (.ci/run): it is a rehearsal.

Set-up: its own database (BENCH_DB_NAME, default hocso_faults) migrated and seeded with
`seed_demo`, 24 learners enrolled in the demo course and 40 more whose certificates the
worker issues in phase 3, an LRS client. Then a small TCP proxy of its own (threads, in this
file) in front of PostgreSQL and Redis, which can cut every connection and refuse new ones
for a while; gunicorn (2 sync workers, lms.settings.production) and `celery worker` reach
PostgreSQL, the cache and the broker only through it. This process checks the database
directly.

Load, for the whole run: FAULTS_CONCURRENCY (4) connections, each in turn
- POST /xapi/statements (HTTP Basic, a statement with a fresh id): acknowledged when 200
  with that id;
- POST /learn/lessons/<id>/done/ as a logged-in learner (session cookie, CSRF cookie and
  header): acknowledged when 302;
- GET the catalogue (anonymous, page cache) and GET a lesson page (logged in).

Phases (seconds: FAULTS_CUT, 10; FAULTS_HEAL, 8): warm-up; database cut then heal; cache
and broker cut then heal; 40 certificates requested (completions with evidence, as a class
closing does) and the worker killed with SIGKILL after the first is issued, a new one started;
one gunicorn worker killed with SIGKILL; a calm end. Then the outbox sweep runs (as beat
would, its clock moved past the grace period) and the run waits for the certificates.

Printed and written to var/bench/faults.json: per phase the requests, those refused (5xx or
connection errors) during the fault and after it healed, seconds from healing to the last
refusal; acknowledged writes and how many are missing from the database; certificates left
pending or failed; whether gunicorn's master is the one started (no restart). Exit 1 when a
promise is broken, 2 when the set-up failed.
"""

import base64
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)

os.environ.setdefault("BENCH_DB_NAME", "hocso_faults")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("BENCH_CERT_PROCESSES", "1")

from bench.run import (  # noqa: E402
    OUT_DIR,
    BenchError,
    Server,
    bench_database_url,
    collect_static,
    configure,
    ensure_database,
    flush_cache,
    free_port,
    log,
)

CUT = float(os.environ.get("FAULTS_CUT", "10"))
HEAL = float(os.environ.get("FAULTS_HEAL", "8"))
CONCURRENCY = int(os.environ.get("FAULTS_CONCURRENCY", "4"))
REDIS_URL = os.environ["BENCH_REDIS_URL"]
BROKER_URL = os.environ["BENCH_CELERY_BROKER_URL"]
COURSE = "tin-hoc-co-ban"  # a demo course with reading lessons
LOAD_LEARNERS = 24
CERT_LEARNERS = 40
TIMEOUT = 20  # seconds a client waits for an answer
NOTES = ("connections_cut", "certificates_requested", "at_kill", "new_worker_ready_s",
         "killed_pid", "workers_after")  # fmt: skip


# --- the proxy ------------------------------------------------------------------------------
class Proxy:
    """A TCP relay 127.0.0.1:port -> 127.0.0.1:upstream. `cut()` closes every relayed
    connection and the listening socket (new connections are refused); `heal()` listens
    again on the same port."""

    def __init__(self, name: str, upstream: int):
        self.name, self.upstream, self.port = name, upstream, free_port()
        self.lock = threading.Lock()
        self.pairs: set[tuple[socket.socket, socket.socket]] = set()
        self.listener: socket.socket | None = None
        self.accepted = 0

    def heal(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        listener.settimeout(0.2)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> int:
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.close()  # the accept loop sees it is no longer current and stops
        with self.lock:
            pairs, self.pairs = self.pairs, set()
        for pair in pairs:
            for sock in pair:
                _close(sock)
        return len(pairs)

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
            except OSError:
                _close(client)
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            pair = (client, upstream)
            with self.lock:
                if self.listener is not listener:  # cut meanwhile
                    _close(client), _close(upstream)
                    return
                self.pairs.add(pair)
                self.accepted += 1
            threading.Thread(target=self._pump, args=(client, upstream, pair), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, pair), daemon=True).start()

    def _pump(self, source, target, pair) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        with self.lock:
            self.pairs.discard(pair)
        _close(source), _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def proxied(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host).geturl()


# --- set-up ---------------------------------------------------------------------------------
def prepare() -> dict:
    """Migrate, seed the demo, the rehearsal's learners, sessions and LRS client."""
    import io

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.core.management import call_command
    from django.utils.module_loading import import_string

    from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, LrsClient
    from courses.translation import sources
    from people.models import Profile

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    # The demo is seeded once on this database (BENCH_RESET=1 starts afresh).
    if not CoursePage.objects.filter(slug=COURSE).exists():
        call_command("seed_demo", stdout=io.StringIO())
    log(f"migrated and seeded in {time.monotonic() - started:.1f} s")
    User = get_user_model()
    demo = User.objects.get(username="learner")
    unit = demo.profile.org_unit
    course = CoursePage.objects.live().get(slug=COURSE)
    lessons = [
        lesson
        for lesson in LessonPage.objects.live().child_of(course).specific().order_by("path")
        if not lesson.has_quiz and not lesson.has_required_activity
    ]
    if not lessons:
        raise BenchError(f"{COURSE} has no reading lesson")

    def learners(prefix: str, count: int):
        names = [f"{prefix}{n:03d}" for n in range(1, count + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create([User(username=n) for n in names if n not in existing])
        users = list(User.objects.filter(username__in=names).order_by("username"))
        Profile.objects.bulk_create(
            [Profile(user=u, full_name=f"Học viên {u.username}", org_unit=unit) for u in users],
            ignore_conflicts=True,
        )
        Enrolment.objects.bulk_create(
            [Enrolment(user=u, course=course, source="import") for u in users],
            ignore_conflicts=True,
        )
        return users

    load_users = learners("faults-l", LOAD_LEARNERS)
    cert_users = learners("faults-c", CERT_LEARNERS)
    sessions = []
    for user in load_users:
        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "people.auth.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        token = secrets.token_hex(16)
        sessions.append(
            {
                "user": user.pk,
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
            }
        )
    client = LrsClient.objects.filter(name="Faults rehearsal").first() or LrsClient(
        name="Faults rehearsal", can_read=True, can_write=True
    )
    secret = client.set_new_secret()
    client.save()
    client.units.set([unit])
    return {
        "sessions": sessions,
        "lessons": [(lesson.pk, lesson.get_url_parts()[2]) for lesson in lessons],
        "catalogue": sources(CourseIndexPage.objects.live()).get().get_url_parts()[2],
        "cert_users": [u.pk for u in cert_users],
        "course": course.pk,
        "course_path": course.get_url_parts()[2],
        "lrs_auth": "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode(),
    }


# --- the load -------------------------------------------------------------------------------
@dataclass
class Event:
    at: float  # seconds since the load started, when the answer (or the error) came
    kind: str
    ok: bool
    detail: str
    seconds: float  # how long the request took


@dataclass
class Load:
    port: int
    data: dict
    started: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    events: list[Event] = field(default_factory=list)
    acked_statements: list[str] = field(default_factory=list)
    acked_done: list[tuple[int, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.worker, args=(i,)) for i in range(CONCURRENCY)]
        for thread in threads:
            thread.start()
        return threads

    def request(self, conn, method, path, body=None, headers=None):
        conn.request(method, path, body=body, headers={"User-Agent": "hocso-faults", **headers})
        response = conn.getresponse()
        return response, response.read()

    def worker(self, index: int) -> None:
        data = self.data
        sessions, lessons = data["sessions"], data["lessons"]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        n = 0
        while not self.stop.is_set():
            n += 1
            step = n % 4
            session = sessions[(index + CONCURRENCY * n) % len(sessions)]
            # Every (learner, lesson) pair in turn, so completions are mostly new rows.
            lesson_id, lesson_path = lessons[(n // len(sessions) + index) % len(lessons)]
            sent = self.now()
            ack = None
            try:
                if step == 0:
                    kind = "xapi"
                    statement_id = str(uuid.uuid4())
                    body = json.dumps(statement(statement_id)).encode()
                    response, content = self.request(
                        conn, "POST", "/xapi/statements", body,
                        {"Content-Type": "application/json", "Authorization": data["lrs_auth"],
                         "X-Experience-API-Version": "1.0.3"},
                    )  # fmt: skip
                    ok = response.status == 200 and json.loads(content) == [statement_id]
                    ack = ("xapi", statement_id) if ok else None
                elif step == 1:
                    kind = "lesson_done"
                    headers = {k: v for k, v in session.items() if k != "user"}
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                    response, content = self.request(
                        conn, "POST", f"/learn/lessons/{lesson_id}/done/", b"", headers
                    )
                    location = response.getheader("Location", "")
                    ok = response.status == 302 and "/accounts/" not in location
                    ack = ("done", (session["user"], lesson_id)) if ok else None
                elif step == 2:
                    kind = "catalogue"
                    response, content = self.request(conn, "GET", data["catalogue"], None, {})
                    ok = response.status == 200
                else:
                    kind = "lesson_page"
                    headers = {"Cookie": session["Cookie"]}
                    response, content = self.request(conn, "GET", lesson_path, None, headers)
                    ok = response.status == 200
                detail = f"HTTP {response.status}"
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException, ValueError) as error:
                ok, detail = False, type(error).__name__
                conn.close()
            done = self.now()
            with self.lock:
                self.events.append(Event(done, kind, ok, detail, done - sent))
                if ack and ack[0] == "xapi":
                    self.acked_statements.append(ack[1])
                elif ack:
                    self.acked_done.append(ack[1])
            if not ok:
                time.sleep(0.05)  # a refused request is answered at once: do not spin
        conn.close()


def statement(statement_id: str) -> dict:
    return {
        "id": statement_id,
        "actor": {"objectType": "Agent", "mbox": "mailto:faults@example.org"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/experienced",
            "display": {"en-US": "experienced"},
        },
        "object": {"objectType": "Activity", "id": "https://example.org/hocso/faults"},
    }


# --- phases ---------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    start: float
    healed: float | None = None  # when the fault ended (None: the phase has no heal)
    end: float | None = None
    notes: dict = field(default_factory=dict)


def gunicorn_workers(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def certificates_request(user_ids: list[int], course_id: int) -> list[int]:
    """The completions of CERT_LEARNERS with evidence (as a class closing completes them):
    each transaction commits pending certificates and sends their message to the broker."""
    from django.db import transaction

    from certificates.models import Certificate
    from courses.models import Enrolment
    from courses.services import enrolment_complete

    enrolments = list(
        Enrolment.objects.filter(user_id__in=user_ids, course_id=course_id)
        .select_related("course")
        .order_by("pk")
    )
    for start in range(0, len(enrolments), 5):
        with transaction.atomic():
            for enrolment in enrolments[start : start + 5]:
                enrolment_complete(enrolment=enrolment, evidence=Enrolment.Evidence.ASSESSMENT)
    return list(Certificate.objects.filter(enrolment__in=enrolments).values_list("pk", flat=True))


def certificate_counts(ids: list[int]) -> dict[str, int]:
    from django.db.models import Count

    from certificates.models import Certificate

    rows = Certificate.objects.filter(pk__in=ids).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def reset_previous_run(data: dict) -> None:
    """Un-complete the certificate learners and drop their certificates, and drop the load
    learners' lesson progress (a rerun starts the same way: a completion acknowledged now
    cannot be found in a row an earlier run wrote)."""
    from django.db import transaction

    from certificates.models import Certificate, CertificateEvent
    from courses.models import Enrolment, LessonProgress

    with transaction.atomic():
        load = Enrolment.objects.filter(
            user_id__in=[s["user"] for s in data["sessions"]], course_id=data["course"]
        )
        LessonProgress.objects.filter(enrolment__in=load).delete()
        load.update(progress=0)
        enrolments = Enrolment.objects.filter(
            user_id__in=data["cert_users"], course_id=data["course"]
        )
        certificates = Certificate.objects.filter(enrolment__in=enrolments)
        certificates.update(superseded_by=None)
        CertificateEvent.objects.filter(certificate__in=certificates).delete()
        certificates.delete()
        enrolments.update(status="active", completed_at=None, progress=0, evidence="")


def percentiles(events: list[Event]) -> dict:
    if not events:
        return {}
    every = sorted(e.seconds for e in events)
    return {
        "p50": round(every[len(every) // 2] * 1000),
        "max": round(every[-1] * 1000),
    }


def summarise(load: Load, phases: list[Phase]) -> list[dict]:
    rows = []
    for phase in phases:
        end = phase.end if phase.end is not None else load.now()
        mine = [e for e in load.events if phase.start <= e.at < end]
        healed = phase.healed if phase.healed is not None else phase.start
        during = [e for e in mine if e.at < healed]
        after = [e for e in mine if e.at >= healed]
        failures_after = [e for e in after if not e.ok]
        last_ok = [e for e in after if e.at >= end - 3]
        rows.append(
            {
                "phase": phase.name,
                "seconds": round(end - phase.start, 1),
                "requests": len(mine),
                "refused_during": sum(not e.ok for e in during),
                "requests_during": len(during),
                "refused_after": len(failures_after),
                "requests_after": len(after),
                "recovered_after_s": round(max((e.at for e in failures_after), default=healed)
                                           - healed, 1),
                "last_3s_all_ok": bool(last_ok) and all(e.ok for e in last_ok),
                "latency_during_ms": percentiles(during),
                "latency_after_ms": percentiles(after),
                # p50 per kind of request during the fault (where the time goes)
                "p50_during_by_kind_ms": {
                    kind: percentiles([e for e in during if e.kind == kind])["p50"]
                    for kind in sorted({e.kind for e in during})
                },
                "errors": dict(sorted(Counter(f"{e.kind} {e.detail}" for e in mine if not e.ok)
                                      .items())),
                **phase.notes,
            }
        )  # fmt: skip
    return rows


def celery_worker(env: dict, output):
    """`celery worker` (bench.certificates.Workers) with the proxies' environment `env`; this
    process pings it through its own, direct broker URL."""
    from bench.certificates import Workers

    class Worker(Workers):
        def start(self) -> None:
            popen = subprocess.Popen

            def with_env(*args, **kwargs):
                return popen(*args, env={**os.environ, **env}, stdout=output, stderr=output,
                             **kwargs)  # fmt: skip

            subprocess.Popen = with_env
            try:
                super().start()
            finally:
                subprocess.Popen = popen

    return Worker()


def main() -> int:

    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    static_root = str(OUT_DIR / "faults-static")  # kept: collectstatic copies what changed
    configure(database_url, static_root)
    os.environ["CELERY_BROKER_URL"] = BROKER_URL  # configure() drops it: tasks go to a worker
    # No rate limits in the way of one client driving the load.
    os.environ.setdefault("LMS_CERT_VERIFY_RATE", "1000000000")
    import django

    django.setup()
    data = prepare()
    # collectstatic recompresses every file (minutes on a busy machine): done when the
    # manifest is missing or FAULTS_COLLECTSTATIC=1 (after a change to the static files).
    if (
        os.environ.get("FAULTS_COLLECTSTATIC") == "1"
        or not (Path(static_root) / "staticfiles.json").exists()
    ):
        collect_static()
    flush_cache()
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()
    reset_previous_run(data)

    db_port = urlsplit(database_url).port or 5432
    redis_port = urlsplit(REDIS_URL).port or 6379
    broker_port = urlsplit(BROKER_URL).port or 6379
    database_proxy = Proxy("postgresql", db_port)
    redis_proxy = Proxy("redis", redis_port)
    proxies = [database_proxy, redis_proxy]
    database_proxy.heal()
    redis_proxy.heal()
    if broker_port != redis_port:
        raise BenchError("cache and broker must be on the same Redis server (one proxy)")
    # The children (gunicorn, celery) reach PostgreSQL and Redis through the proxies; this
    # process keeps its direct connections (it checks the database, sends the certificates'
    # messages and pings the worker). Celery reads CELERY_BROKER_URL from the environment
    # before its settings, so the environment is the proxies' only while a child starts.
    through_proxies = dict(
        DATABASE_URL=proxied(database_url, database_proxy.port),
        REDIS_URL=proxied(REDIS_URL, redis_proxy.port),
        CELERY_BROKER_URL=proxied(BROKER_URL, redis_proxy.port),
    )

    children_log = (OUT_DIR / "faults-children.log").open("ab")

    def start(child) -> None:
        """Start gunicorn or celery with the proxies' URLs, its output in children_log."""
        own = {key: os.environ[key] for key in through_proxies}
        os.environ.update(through_proxies)
        sys.stdout.flush(), sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(children_log.fileno(), 1), os.dup2(children_log.fileno(), 2)
        try:
            child.start()
        finally:
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])
            os.environ.update(own)

    server = Server(free_port())
    workers = celery_worker(through_proxies, children_log)
    phases: list[Phase] = []
    load = None
    threads: list[threading.Thread] = []
    result: dict = {}
    try:
        start(server)
        master = server.process.pid
        workers.start()
        log(
            f"gunicorn (2 workers) on 127.0.0.1:{server.port}, celery worker; PostgreSQL via "
            f"proxy :{database_proxy.port} -> :{db_port}, Redis via :{redis_proxy.port} -> "
            f":{redis_port}; load: {CONCURRENCY} connections"
        )
        load = Load(server.port, data)
        threads = load.run()

        def phase(name: str) -> Phase:
            if phases and phases[-1].end is None:
                phases[-1].end = load.now()
            phases.append(Phase(name, load.now()))
            log(f"[{load.now():6.1f} s] {name}")
            return phases[-1]

        phase("warm-up")
        time.sleep(4)

        current = phase(f"database cut {CUT:g} s")
        current.notes["connections_cut"] = database_proxy.cut()
        time.sleep(CUT)
        database_proxy.heal()
        current.healed = load.now()
        time.sleep(HEAL)

        current = phase(f"cache and broker cut {CUT:g} s")
        current.notes["connections_cut"] = redis_proxy.cut()
        time.sleep(CUT)
        redis_proxy.heal()
        current.healed = load.now()
        time.sleep(HEAL)

        current = phase("celery worker killed mid-issue")
        certificate_ids = certificates_request(data["cert_users"], data["course"])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not certificate_counts(certificate_ids).get("issued"):
            time.sleep(0.1)
        counts = certificate_counts(certificate_ids)
        current.notes["certificates_requested"] = len(certificate_ids)
        current.notes["at_kill"] = counts
        os.killpg(workers.process.pid, signal.SIGKILL)
        workers.process.wait(timeout=10)
        log(f"  killed the worker (SIGKILL) with certificates {counts}; starting a new one")
        current.healed = load.now()
        workers.start()
        current.notes["new_worker_ready_s"] = round(load.now() - current.healed, 1)
        time.sleep(3)

        current = phase("gunicorn worker killed")
        victims = gunicorn_workers(master)
        if not victims:
            raise BenchError("no gunicorn worker found")
        os.kill(victims[0], signal.SIGKILL)
        current.healed = load.now()
        current.notes["killed_pid"] = victims[0]
        time.sleep(HEAL)
        current.notes["workers_after"] = len(gunicorn_workers(master))

        phase("calm")
        time.sleep(4)
        phases[-1].end = load.now()
        load.stop.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT + 5)

        # The outbox sweep as beat runs it, its clock moved past the grace period (the
        # messages the killed worker held come back only after the visibility timeout).
        from django.utils import timezone

        from certificates import services

        before_sweep = certificate_counts(certificate_ids)
        sweep_started = time.monotonic()
        later = timezone.now() + services.PENDING_GRACE + services.RETRY_BASE
        queued = services.certificates_outbox_sweep(now=later)
        while time.monotonic() < sweep_started + 60:
            counts = certificate_counts(certificate_ids)
            if not counts.get("pending"):
                break
            time.sleep(0.5)
        counts = certificate_counts(certificate_ids)
        log(
            f"outbox sweep queued {queued} again; certificates after "
            f"{time.monotonic() - sweep_started:.1f} s: {counts}"
        )
        master_alive = server.process.poll() is None and server.process.pid == master
        final_ok = all(e.ok for e in load.events if e.at >= phases[-1].start)
    finally:
        if load is not None:
            load.stop.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT + 5)
        workers.stop()
        server.stop()
        for proxy in proxies:
            proxy.cut()

    from courses.models import LessonProgress, XAPIStatement

    stored = set(
        str(s)
        for s in XAPIStatement.objects.filter(statement_id__in=load.acked_statements).values_list(
            "statement_id", flat=True
        )
    )
    lost_statements = [s for s in load.acked_statements if s not in stored]
    done_rows = set(
        LessonProgress.objects.filter(completed_at__isnull=False)
        .filter(enrolment__user_id__in=[s["user"] for s in data["sessions"]])
        .values_list("enrolment__user_id", "lesson_id")
    )
    lost_done = sorted({pair for pair in load.acked_done if pair not in done_rows})
    rows = summarise(load, phases)
    log("")
    log(
        f"{'phase':<34} {'req':>5} {'refused during':>15} {'refused after':>14} "
        f"{'recovered':>9} {'last 3 s ok':>11}"
    )
    for row in rows:
        log(
            f"{row['phase']:<34} {row['requests']:5d} "
            f"{row['refused_during']:>6d} of {row['requests_during']:<5d} "
            f"{row['refused_after']:>5d} of {row['requests_after']:<5d} "
            f"{row['recovered_after_s']:>7.1f} s {'yes' if row['last_3s_all_ok'] else 'NO':>11}"
        )
        extra = {
            k: v
            for k, v in row.items()
            if k
            in ("latency_during_ms", "latency_after_ms", "p50_during_by_kind_ms", "errors", *NOTES)
            and v
        }
        if extra:
            log(f"    {extra}")
    promises = {
        "acknowledged_writes_lost": len(lost_statements) + len(lost_done),
        "certificates_pending_after_sweep": counts.get("pending", 0),
        "certificates_failed": counts.get("failed", 0),
        "recovered_without_restart": master_alive and final_ok,
    }
    result = {
        "phases": rows,
        "acknowledged": {
            "xapi_statements": len(load.acked_statements),
            "lesson_completions": len(load.acked_done),
            "distinct_lesson_completions": len(set(load.acked_done)),
        },
        "lost": {"xapi_statements": lost_statements[:20], "lesson_completions": lost_done[:20]},
        "certificates": {"requested": len(certificate_ids), "before_sweep": before_sweep,
                         "after_sweep": counts,
                         "sweep_queued": queued},
        "gunicorn_master_unchanged": master_alive,
        "calm_phase_all_ok": final_ok,
        "promises": promises,
        "settings": {"cut_s": CUT, "heal_s": HEAL, "concurrency": CONCURRENCY},
        "wall_time_s": round(time.monotonic() - started, 1),
    }  # fmt: skip
    (OUT_DIR / "faults.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(
        f"acknowledged writes: {len(load.acked_statements)} xAPI statements, "
        f"{len(load.acked_done)} lesson completions; lost: {promises['acknowledged_writes_lost']}"
    )
    log(
        f"certificates: {len(certificate_ids)} requested; before the sweep {before_sweep}, "
        f"after it {counts} "
        f"(pending {promises['certificates_pending_after_sweep']})"
    )
    log(
        f"recovered without a restart: {'yes' if promises['recovered_without_restart'] else 'NO'}"
        f" (gunicorn master unchanged: {master_alive}; calm phase all answered: {final_ok})"
    )
    log(f"gunicorn's and celery's output: {OUT_DIR / 'faults-children.log'}")
    log(f"results: {OUT_DIR / 'faults.json'}; wall time {result['wall_time_s']:.0f} s")
    broken = (
        promises["acknowledged_writes_lost"]
        or promises["certificates_pending_after_sweep"]
        or promises["certificates_failed"]
        or not promises["recovered_without_restart"]
    )
    log("PROMISE BROKEN" if broken else "every promise kept")
    return 1 if broken else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"faults: {error}", file=sys.stderr)
        sys.exit(2)
