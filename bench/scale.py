"""`make scale`: the hot pages on a database of BENCH_LEARNERS learners, against the bare views.

Not run by CI (loading a million learners takes minutes). On PostgreSQL, database BENCH_DB_NAME
(default hocso_scale_200k, hocso_scale_1m, ... after BENCH_LEARNERS; reused when loaded,
BENCH_RESET=1 recreates it), loaded as bench/targets.py does: the demo, the real unit tree,
BENCH_LEARNERS learners (default 200,000) and BENCH_ENROLMENTS enrolments (default ten per
learner) from `manage.py seed_load`, the Gia Lai target. Then gunicorn (2 sync workers,
production settings, Redis) is measured in alternating rounds, each page right after the others
so all see the same machine:

- `bare` (one primary-key SELECT and a small template) and against it: the demo learner's
  lesson page (logged in), the certificate verify API and QR page of an issued certificate,
  the Gia Lai target page as the manager with the targets cache off (every view counts afresh
  from the completion facts);
- `bare_insert` (one INSERT of the body) and against it: POST /learn/h5p/xapi/ as 400
  logged-in learners (bench/h5p.py's package and statements).

Each window records the load average (the machine is shared). Then, in this process, the SQL
of each page is captured and the queries touching the big tables are EXPLAINed (ANALYZE for
SELECTs, BUFFERS), with the sizes of those tables. Prints a table, writes var/bench/scale.json
and the full plans to var/bench/scale-plans.txt. Knobs: those of bench/run.py and
bench/targets.py (BENCH_LEARNERS, BENCH_ENROLMENTS, BENCH_REDIS_URL default db 7).
"""

import datetime
import json
import os
import re
import signal
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)


def _size(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


LEARNERS = int(os.environ.get("BENCH_LEARNERS", 200_000))
os.environ.setdefault("BENCH_LEARNERS", str(LEARNERS))
os.environ.setdefault("BENCH_ENROLMENTS", str(LEARNERS * 10))
os.environ.setdefault("BENCH_DB_NAME", f"hocso_scale_{_size(LEARNERS)}")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")

from bench import certificates, h5p, run, targets  # noqa: E402  (after the defaults above)

BIG_TABLES = (
    "auth_user",
    "people_profile",
    "people_profile_target_groups",
    "courses_enrolment",
    "courses_lessonprogress",
    "courses_xapistatement",
    "targets_completionfact",
    "targets_targetachiever",
    "targets_population",
    "people_orgunit",
    "certificates_certificate",
    "django_session",
)

# The index a plan node reads: "Index Scan using X on t", "Index Only Scan using X",
# "Bitmap Index Scan on X".
INDEX_USED = re.compile(r"(?:Index (?:Only )?Scan (?:Backward )?using|Bitmap Index Scan on) (\S+)")


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- what is measured ---------------------------------------------------------------------
def get_targets(h5p_sessions) -> list[run.Target]:
    from django.utils.html import escape

    from certificates.models import Certificate
    from people.models import OrgUnit
    from targets.models import TrainingTarget

    setup = run.setup_targets()
    by_name = {t.name: t for t in setup.targets}
    certificate = Certificate.objects.filter(status="issued").order_by("-pk").first()
    if certificate is None:
        raise run.BenchError("no issued certificate (seed_demo issues some)")
    verify = {t.name: t for t in certificates.verify_targets(certificate.token)}
    target = TrainingTarget.objects.get(name=f"{targets.TARGET_PREFIX}Gia Lai")
    unit = OrgUnit.objects.get(code=targets.PROVINCE)
    province = run.Target(
        "province_page",
        f"/manage/targets/{target.pk}/",
        run.body_contains('class="unit-row"', "no unit rows"),
        cookies=targets.manager_session(),
        baseline="bare",
    )
    bare = run.Target(
        "bare", f"/bench/bare/?pk={unit.pk}", run.body_contains(escape(unit.name), "no unit")
    )
    lesson = by_name["lesson_page"]
    lesson.goal = None
    for t in (verify["verify_api"], verify["verify_page"]):
        t.goal = None
    return [bare, lesson, verify["verify_api"], verify["verify_page"], province]


def rounds(port, gets, data) -> dict[str, list[dict]]:
    """ROUNDS rounds; in each, every GET target then the two POSTs. Windows with load."""
    sessions, statements = data["sessions"], data["statements"]

    def xapi_body(worker, n):
        statement = statements[n % len(statements)]
        return json.dumps(
            {"lesson": data["lesson"], "block": data["block"], "statement": statement}
        ).encode()

    def xapi_headers(worker, n):
        return sessions[(worker + run.CONCURRENCY * n) % len(sessions)]

    def bare_body(worker, n):
        return json.dumps(statements[n % len(statements)]).encode()

    posts = [
        ("bare_insert", "/bench/bare-insert/", bare_body, lambda w, n: {}),
        ("xapi", "/learn/h5p/xapi/", xapi_body, xapi_headers),
    ]
    for name, path, body, headers in posts:  # one check before measuring
        window = h5p.hammer_post(port, path, body, headers, 0.2, 201)
        if window.errors:
            raise run.BenchError(f"{name} {path}: {dict(window.errors)}")
    windows: dict[str, list[dict]] = {t.name: [] for t in gets}
    windows.update({name: [] for name, *_ in posts})
    for number in range(1, run.ROUNDS + 1):
        for t in gets:
            run.hammer(port, t, run.WARMUP)
            w = run.hammer(port, t, run.SECONDS)
            windows[t.name].append(
                {"rps": w.rps, "p99_ms": w.p99_ms, "errors": dict(w.errors), "load": loadavg()}
            )
        for name, path, body, headers in posts:
            h5p.hammer_post(port, path, body, headers, run.WARMUP, 201)
            w = h5p.hammer_post(port, path, body, headers, run.SECONDS, 201)
            windows[name].append(
                {"rps": w.rps, "p99_ms": w.p99_ms, "errors": dict(w.errors), "load": loadavg()}
            )
        run.log(
            f"  round {number}/{run.ROUNDS}: "
            + "  ".join(f"{k} {v[-1]['rps']:.1f}/s" for k, v in windows.items())
            + f"  load {windows['xapi'][-1]['load'][0]}"
        )
    return windows


def summary(windows) -> list[dict]:
    rows = []
    baselines = {"xapi": "bare_insert", "bare_insert": None, "bare": None}
    for name, mine in windows.items():
        base = baselines.get(name, "bare")
        row = {
            "name": name,
            "rps": round(statistics.median(w["rps"] for w in mine), 1),
            "p99_ms": round(statistics.median(w["p99_ms"] for w in mine), 1),
            "errors": sum(sum(w["errors"].values()) for w in mine),
            "load_1min": [w["load"][0] for w in mine],
            "baseline": base,
        }
        if base:
            pairs = list(zip(mine, windows[base], strict=True))
            row["ratio"] = round(statistics.median(m["rps"] / b["rps"] for m, b in pairs), 3)
        rows.append(row)
    return rows


# --- the SQL of each page, explained -------------------------------------------------------
def capture(request) -> list[tuple[str, object]]:
    """(sql, params) of every query `request()` runs, in order."""
    from django.db import connection

    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        response = request()
    if response.status_code not in (200, 201):
        raise run.BenchError(f"in-process request answered {response.status_code}")
    return seen


def explain(sql: str, params) -> str:
    from django.db import connection, transaction

    select = sql.lstrip().upper().lstrip("(").startswith(("SELECT", "WITH"))
    options = "ANALYZE, BUFFERS" if select else "COSTS"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def plans(gets, data) -> dict[str, list[dict]]:
    from django.conf import settings
    from django.test import Client

    def client(cookies):
        c = Client(HTTP_HOST="127.0.0.1")
        for key, value in cookies.items():
            c.cookies[key] = value
        return c

    by_name = {t.name: t for t in gets}
    session = data["sessions"][0]
    cookies = dict(part.split("=", 1) for part in session["Cookie"].split("; "))
    xapi = client(cookies)
    body = json.dumps(
        {"lesson": data["lesson"], "block": data["block"], "statement": data["statements"][2]}
    )
    pages = {
        name: (lambda t=by_name[name]: client(t.cookies).get(t.path))
        for name in ("lesson_page", "verify_api", "verify_page", "province_page")
    }
    pages["xapi"] = lambda: xapi.post(
        "/learn/h5p/xapi/",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=session["X-CSRFToken"],
    )
    assert settings.SESSION_COOKIE_NAME in cookies
    big = re.compile(r'"(' + "|".join(BIG_TABLES) + r')"')
    result = {}
    for name, request in pages.items():
        request()  # warm per-process caches, as a served page would be
        queries = capture(request)
        entries = []
        for sql, params in queries:
            tables = sorted(set(big.findall(sql)))
            if not tables:
                continue
            plan = explain(sql, params)
            timing = re.search(r"Execution Time: ([\d.]+) ms", plan)
            entries.append(
                {
                    "sql": " ".join(sql.split()),
                    "tables": tables,
                    "indexes": sorted(set(INDEX_USED.findall(plan))),
                    "seq_scans": sorted(set(re.findall(r"Seq Scan on (\S+)", plan))),
                    "ms": float(timing.group(1)) if timing else None,
                    "plan": plan,
                }
            )
        result[name] = {"queries": len(queries), "big": entries}
        run.log(
            f"  {name}: {len(queries)} queries, {len(entries)} on big tables, "
            f"{sum(e['ms'] or 0 for e in entries):.2f} ms executing them"
            + "".join(
                f"; seq scan on {', '.join(e['seq_scans'])}" for e in entries if e["seq_scans"]
            )
        )
    return result


def serial_rounds() -> dict[str, list[float]]:
    """Serials allocated per second by CONCURRENCY threads, each allocating one per
    transaction (`serial_allocate`, then commit): all on one counter row (one prefix for the
    nation) vs each on its own row (a prefix per issuing unit), alternating, ROUNDS rounds."""
    import threading

    from django.db import connection, transaction

    from certificates.models import SerialCounter
    from certificates.services import serial_allocate

    year = 2099  # rows of their own, deleted afterwards

    def window(prefix_of) -> float:
        counts = [0] * run.CONCURRENCY
        barrier = threading.Barrier(run.CONCURRENCY + 1)

        def worker(index):
            try:
                barrier.wait()
                deadline = time.perf_counter() + run.SECONDS
                while time.perf_counter() < deadline:
                    with transaction.atomic():
                        serial_allocate(prefix=prefix_of(index), year=year)
                    counts[index] += 1
            finally:
                connection.close()

        elapsed = run.run_workers(worker, barrier)
        return sum(counts) / elapsed

    result = {"one_row": [], "own_rows": []}
    try:
        for number in range(1, run.ROUNDS + 1):
            result["one_row"].append(window(lambda i: "NATION"))
            result["own_rows"].append(window(lambda i: f"UNIT{i:02d}"))
            run.log(
                f"  serials round {number}/{run.ROUNDS}: one row {result['one_row'][-1]:.0f}/s,"
                f" a row each {result['own_rows'][-1]:.0f}/s  load {loadavg()[0]}"
            )
    finally:
        SerialCounter.objects.filter(year=year).delete()
    return result


def table_sizes() -> dict[str, dict]:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(
                "SELECT reltuples::bigint, pg_total_relation_size(oid) FROM pg_class"
                " WHERE relname = %s",
                [table],
            )
            row = cursor.fetchone()
            if row:
                rows = row[0]
                if rows < 0:  # never analysed (a small table): count it
                    cursor.execute(f"SELECT count(*) FROM {table}")
                    rows = cursor.fetchone()[0]
                sizes[table] = {"rows": rows, "bytes": row[1]}
        cursor.execute("SHOW max_connections")
        sizes["max_connections"] = int(cursor.fetchone()[0])
    return sizes


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run.OUT_DIR.mkdir(parents=True, exist_ok=True)
    url, admin_url = run.bench_database_url()
    run.ensure_database(url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    # Collected once and kept (collectstatic takes minutes on a busy machine).
    static_root = str(run.OUT_DIR / "scale-static")
    run.configure(url, static_root)
    # The target page counts afresh on every view; one client verifies many times.
    os.environ.update(LMS_TARGETS_CACHE_SECONDS="0", LMS_CERT_VERIFY_RATE="1000000000")
    import django

    django.setup()
    server = run.Server(run.free_port())
    try:
        load_started = time.monotonic()
        targets.prepare()
        prepare_s = time.monotonic() - load_started
        if not (Path(static_root) / "staticfiles.json").exists():
            run.collect_static()
        run.flush_cache()
        data = h5p.setup_h5p()
        gets = get_targets(data["sessions"])
        run.log(
            f"measuring at {LEARNERS:,} learners: gunicorn 2 sync workers, "
            f"{run.CONCURRENCY} connections, {run.WARMUP:g} s + {run.SECONDS:g} s, "
            f"{run.ROUNDS} rounds; load {loadavg()}"
        )
        server.start()
        try:
            run.verify(server.port, type("S", (), {"targets": gets})())
            windows = rounds(server.port, gets, data)
        finally:
            server.stop()
        run.log("explaining the queries on the big tables:")
        explained = plans(gets, data)
        serials = serial_rounds()
        sizes = table_sizes()
    except run.BenchError as error:
        run.log(f"scale bench failed: {error}")
        return 2
    finally:
        server.stop()

    rows = summary(windows)
    run.log("")
    run.log(f"{LEARNERS:,} learners, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    run.log(f"{'name':<15} {'req/s':>8} {'p99 ms':>8}  {'baseline':<12} {'ratio':>6}  load (1 min)")
    for row in rows:
        ratio = f"{row['ratio']:6.2f}" if "ratio" in row else " " * 6
        run.log(
            f"{row['name']:<15} {row['rps']:8.1f} {row['p99_ms']:8.1f}  "
            f"{row['baseline'] or '—':<12} {ratio}  {row['load_1min']}"
        )
    run.log("ratio: median over the rounds of req/s / the baseline's req/s in the same round")
    one, own = statistics.median(serials["one_row"]), statistics.median(serials["own_rows"])
    serial_ratio = statistics.median(
        a / b for a, b in zip(serials["one_row"], serials["own_rows"], strict=True)
    )
    run.log(
        f"serials, {run.CONCURRENCY} threads: one counter row {one:.0f}/s, a row each"
        f" {own:.0f}/s, ratio {serial_ratio:.2f}"
    )
    for table in BIG_TABLES:
        if table in sizes:
            s = sizes[table]
            run.log(f"  {table:<30} {s['rows']:>12,} rows {s['bytes'] / 2**20:10,.0f} MB")
    out = run.OUT_DIR / "scale.json"
    out.write_text(
        json.dumps(
            {
                "learners": LEARNERS,
                "enrolments": int(os.environ["BENCH_ENROLMENTS"]),
                "database": os.environ["BENCH_DB_NAME"],
                "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "prepare_s": round(prepare_s, 1),
                "rows": rows,
                "windows": windows,
                "sizes": sizes,
                "serials": {**serials, "ratio_one_to_own": serial_ratio},
                "plans": {
                    k: {"queries": v["queries"], "big": [{**e, "plan": None} for e in v["big"]]}
                    for k, v in explained.items()
                },
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    with (run.OUT_DIR / "scale-plans.txt").open("w") as f:
        for name, v in explained.items():
            for e in v["big"]:
                f.write(f"=== {name}: {e['sql'][:400]}\n{e['plan']}\n\n")
    errors = sum(r["errors"] for r in rows)
    run.log(f"written {out} and scale-plans.txt; wall time {time.monotonic() - started:.0f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
