"""`make bench` (targets): the achievement SQL at scale, and the province page under gunicorn.

On PostgreSQL (database BENCH_DB_NAME, default hocso_bench_wt4; reused when loaded, BENCH_RESET=1
recreates it): the demo, the real unit tree (34 provinces, 3,321 communes), 200,000 learners and
2,000,000 enrolments from `manage.py seed_load` (generate_series inside PostgreSQL), population
figures for every commune, a Gia Lai target on three courses and a national indicator as 34
provincial targets on a topic. Then, in this process, in alternating rounds:

- province: the SQL behind a province target page (`target_report`: child units, people per
  commune, population, first completions per day) vs a hand-written GROUP BY over the same
  tables (goal ≤ 3x);
- national: `targets_summary(use_rollup=True)` over the 34 provincial targets (what the
  targets list shows: people, population, missing units, when counted) vs a hand-written read
  of the same rollup rows, each the median of 51 calls per round (goal ≤ 2x); and, for
  information, the same targets counted live vs a hand-written GROUP BY per province;

and the whole province page served by gunicorn (manager session) vs the bare view (goal ≥ 0.1
of its requests/s), with bench/run.py's Server and hammer. Figures go to bench/README.md by hand
and to var/bench/targets.json. Knobs: BENCH_LEARNERS, BENCH_ENROLMENTS, BENCH_SQL_ROUNDS (7),
BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_REDIS_URL (default db 4).
"""

import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)
os.environ.setdefault("BENCH_DB_NAME", "hocso_bench_wt4")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")

from bench import run  # noqa: E402  (after the environment defaults above)

LEARNERS = int(os.environ.get("BENCH_LEARNERS", 200_000))
ENROLMENTS = int(os.environ.get("BENCH_ENROLMENTS", 2_000_000))
SQL_ROUNDS = int(os.environ.get("BENCH_SQL_ROUNDS", 7))
PROVINCE = "52"  # Gia Lai
TARGET_PREFIX = "[bench] "
PROVINCE_GOAL, NATIONAL_GOAL, FILTERED_GOAL, PAGE_GOAL = 3.0, 2.0, 2.0, 0.1


def prepare() -> None:
    from django.core.management import call_command

    from targets.management.commands.seed_load import load

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("import_org_units", verbosity=0)
    run.log(f"migrated, demo and unit tree in {time.monotonic() - started:.1f} s")
    load(learners=LEARNERS, enrolments=ENROLMENTS, log=run.log)
    bench_targets()
    from django.db import connection

    # Fresh bulk-loaded tables: statistics for the planner (the population figures were just
    # bulk-created) and a visibility map so the completion facts and the targets' achievers
    # (the unfiltered page's people and series) answer from their covering indexes alone
    # (what autovacuum does in production; the bench server runs without it). Without it the
    # achievers' two GROUP BYs sorted 3,564 rows each with a heap fetch per row: 10.7 ms
    # instead of 6.8 (EXPLAIN ANALYZE, 7 December).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE targets_completionfact")
        cursor.execute("VACUUM ANALYZE targets_targetachiever")
        cursor.execute("ANALYZE targets_population")


def bench_targets():
    """The Gia Lai target (three courses), 34 provincial targets on a topic, population."""
    from courses.models import CoursePage
    from people.models import OrgUnit, TargetGroup
    from targets.models import Population, TrainingTarget

    group = TargetGroup.objects.get(code="village-head")
    year = 2026
    provinces = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, replaced_by__isnull=True))
    if not TrainingTarget.objects.filter(name__startswith=TARGET_PREFIX).exists():
        communes = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).values_list("pk", flat=True)
        have = set(
            Population.objects.filter(target_group=group, year=year).values_list(
                "org_unit_id", flat=True
            )
        )
        Population.objects.bulk_create(
            [
                Population(org_unit_id=pk, target_group=group, year=year, count=20 + pk % 30)
                for pk in communes
                if pk not in have
            ],
            batch_size=2000,
        )
        province = OrgUnit.objects.get(code=PROVINCE)
        target = TrainingTarget.objects.create(
            name=f"{TARGET_PREFIX}Gia Lai",
            scope_unit=province,
            target_percent=Decimal(80),
            deadline=datetime.date(year, 12, 31),
            reporting_year=year,
        )
        target.courses.set(CoursePage.objects.order_by("path")[:3])
        target.target_groups.set([group])
        national = TrainingTarget.objects.bulk_create(
            [
                TrainingTarget(
                    name=f"{TARGET_PREFIX}quốc gia · {unit.name}",
                    scope_unit=unit,
                    topic="it-basics",
                    target_percent=Decimal(50),
                    deadline=datetime.date(year, 12, 31),
                    reporting_year=year,
                )
                for unit in provinces
            ]
        )
        Through = TrainingTarget.target_groups.through
        Through.objects.bulk_create(
            [Through(trainingtarget_id=t.pk, targetgroup_id=group.pk) for t in national]
        )
    return len(provinces)


# --- SQL ---------------------------------------------------------------------------------
HAND_PROVINCE = """
SELECT substr(u.path, 1, %(length)s) AS bucket, count(DISTINCT e.user_id)
FROM courses_enrolment e
JOIN people_profile p ON p.user_id = e.user_id
JOIN people_orgunit u ON u.id = p.org_unit_id
JOIN people_profile_target_groups g ON g.profile_id = p.id AND g.targetgroup_id = %(group)s
WHERE e.status = 'completed' AND e.evidence <> '' AND e.completed_at < %(end)s
  AND e.course_id = ANY(%(courses)s) AND u.path LIKE %(prefix)s
GROUP BY 1
"""

# A filtered drill-down (minority women of the group in the province's communes) written by
# hand over the same rows as ours, answered from the covering index `completionfact_drill`.
HAND_FILTERED = """
SELECT substr(unit_path, 1, %(length)s) AS bucket, count(DISTINCT user_id)
FROM targets_completionfact
WHERE target_group_id = %(group)s AND unit_path LIKE %(prefix)s AND completed_at < %(end)s
  AND course_id = ANY(%(courses)s) AND gender = 'female' AND minority
GROUP BY 1
"""

HAND_ROLLUP = """
SELECT target_id, people FROM targets_achievementrollup WHERE target_id = ANY(%(ids)s)
"""

HAND_NATIONAL = """
SELECT substr(u.path, 1, 4) AS bucket, count(DISTINCT e.user_id)
FROM courses_enrolment e
JOIN courses_coursepage c ON c.page_ptr_id = e.course_id
JOIN people_profile p ON p.user_id = e.user_id
JOIN people_orgunit u ON u.id = p.org_unit_id
JOIN people_profile_target_groups g ON g.profile_id = p.id AND g.targetgroup_id = %(group)s
WHERE e.status = 'completed' AND e.evidence <> '' AND e.completed_at < %(end)s
  AND c.topic = 'it-basics'
GROUP BY 1
"""


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def timed_median(function, repeat: int = 51) -> float:
    """The median of `repeat` calls: a millisecond query timed once is mostly noise."""
    return statistics.median(timed(function) for _ in range(repeat))


def sql_rounds():
    from django.db import connection

    from people.models import OrgUnit
    from targets.models import TrainingTarget
    from targets.selectors.achievement import (
        Criteria,
        people_and_series,
        people_by_bucket,
        year_end,
    )
    from targets.selectors.reports import live_people_counts, target_report, targets_summary
    from targets.services import achievement_rollup_refresh

    province_target = (
        TrainingTarget.objects.select_related("scope_unit")
        .prefetch_related("target_groups")
        .get(name=f"{TARGET_PREFIX}Gia Lai")
    )
    national = list(
        TrainingTarget.objects.select_related("scope_unit")
        .prefetch_related("target_groups")
        .filter(name__startswith=f"{TARGET_PREFIX}quốc gia")
    )
    unit = province_target.scope_unit
    group_id = province_target.target_groups.get().pk
    params = {
        "length": (unit.depth + 1) * OrgUnit.steplen,
        "group": group_id,
        "end": year_end(2026),
        "courses": list(province_target.courses.values_list("pk", flat=True)),
        "prefix": unit.path + "%",
    }

    def hand(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    ours_p = target_report(province_target)
    hand_p = dict(hand(HAND_PROVINCE, params))
    # Same numbers both ways (no unit of the bench data was replaced, so no reform rows).
    for row in ours_p.rows:
        if not row.direct and row.figure.people != hand_p.get(row.path, 0):
            raise run.BenchError(f"province mismatch at {row.name}")
    filtered = Criteria.for_target(province_target, gender="female", minority=True)

    def ours_filtered():  # the drill-down table (and its export): people per commune
        return people_by_bucket(filtered, unit=unit)

    def ours_filtered_series():  # the page's one pass: people per commune and per day
        return people_and_series(filtered, unit=unit)

    hand_f = dict(hand(HAND_FILTERED, params))
    if ours_filtered() != hand_f or ours_filtered_series()[0] != hand_f:
        raise run.BenchError("filtered drill-down mismatch")
    run.log(f"  filtered drill-down: {sum(hand_f.values()):,} minority women")
    refresh_started = time.perf_counter()
    achievement_rollup_refresh()
    refresh_s = time.perf_counter() - refresh_started
    run.log(f"  rollup refreshed ({len(national) + 1} targets and the demo's) in {refresh_s:.1f} s")
    national = list(
        TrainingTarget.objects.select_related("scope_unit")
        .prefetch_related("target_groups")
        .filter(pk__in=[t.pk for t in national])
    )
    ids = [t.pk for t in national]
    ours_n = dict(targets_summary(national, use_rollup=True))
    hand_n = dict(hand(HAND_NATIONAL, {"group": params["group"], "end": params["end"]}))
    for target, figure in ours_n.items():
        if figure.people != hand_n.get(target.scope_unit.path, 0):
            raise run.BenchError(f"national mismatch at {target.scope_unit}")
    run.log(
        f"  province: {ours_p.total.people:,} people in {len(ours_p.rows)} communes;"
        f" national: {sum(f.people for f in ours_n.values()):,} people in {len(ours_n)} provinces"
    )
    if any(f.as_of is None for f in ours_n.values()):
        raise run.BenchError("national summary did not read the rollup")
    result = {
        "province": [],
        "province_hand": [],
        "filtered": [],
        "filtered_hand": [],
        "filtered_series": [],
        "national": [],
        "national_rollup_hand": [],
        "national_live": [],
        "national_live_hand": [],
    }
    for number in range(1, SQL_ROUNDS + 1):
        result["province"].append(timed(lambda: target_report(province_target)))
        result["province_hand"].append(timed(lambda: hand(HAND_PROVINCE, params)))
        result["filtered"].append(timed_median(ours_filtered, 21))
        result["filtered_hand"].append(timed_median(lambda: hand(HAND_FILTERED, params), 21))
        result["filtered_series"].append(timed_median(ours_filtered_series, 21))
        result["national"].append(timed_median(lambda: targets_summary(national, use_rollup=True)))
        result["national_rollup_hand"].append(timed_median(lambda: hand(HAND_ROLLUP, {"ids": ids})))
        result["national_live"].append(timed(lambda: live_people_counts(national)))
        result["national_live_hand"].append(
            timed(lambda: hand(HAND_NATIONAL, {"group": params["group"], "end": params["end"]}))
        )
        run.log(
            f"  round {number}/{SQL_ROUNDS}:"
            + " ".join(f"{k} {_ms(v[-1])}" for k, v in result.items())
        )
    return province_target, result, refresh_s


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"


def paired_ratio(ours, theirs) -> float:
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


# --- the page under gunicorn ---------------------------------------------------------------
def manager_session() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.utils.module_loading import import_string

    manager = get_user_model().objects.get(username="manager")
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(manager.pk)
    store[BACKEND_SESSION_KEY] = "people.auth.ModelBackend"
    store[HASH_SESSION_KEY] = manager.get_session_auth_hash()
    store.save()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def page_rounds(target) -> dict:
    from django.utils.html import escape

    from people.models import OrgUnit

    unit = OrgUnit.objects.get(code=PROVINCE)
    session = manager_session()
    targets = [
        run.Target(
            "bare", f"/bench/bare/?pk={unit.pk}", run.body_contains(escape(unit.name), "no unit")
        ),
        run.Target(
            "province_page",
            f"/manage/targets/{target.pk}/",
            run.body_contains('class="unit-row"', "no unit rows"),
            cookies=session,
            baseline="bare",
            goal=PAGE_GOAL,
        ),
    ]
    port = run.free_port()
    server = run.Server(port)
    server.start()
    try:
        for t in targets:
            status, response, body = run.get(port, t.path, t.cookies)
            if status != 200 or t.check(response, body):
                raise run.BenchError(f"{t.name}: HTTP {status} {t.check(response, body)}")
        results = run.measure(port, targets)
    finally:
        server.stop()
    page, bare = results["province_page"], results["bare"]
    ratio, _ = page.ratios(bare)
    errors = sum(page.errors.values()) + sum(bare.errors.values())
    return {
        "page_rps": page.rps,
        "bare_rps": bare.rps,
        "ratio": ratio,
        "p99_ms": page.p99_ms,
        "errors": errors,
    }


def main() -> int:
    url, admin_url = run.bench_database_url()
    run.OUT_DIR.mkdir(parents=True, exist_ok=True)
    run.ensure_database(url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    static_root = tempfile.mkdtemp(prefix="hocso-static-")
    run.configure(url, static_root)
    import django

    django.setup()
    try:
        prepare()
        run.collect_static()
        run.flush_cache()
        target, sql, refresh_s = sql_rounds()
        page = page_rounds(target)
        os.environ["LMS_TARGETS_CACHE_SECONDS"] = "0"
        uncached = page_rounds(target)
    except run.BenchError as error:
        run.log(f"bench failed: {error}")
        return 2
    ms = {k: statistics.median(v) * 1000 for k, v in sql.items()}
    province_ratio = paired_ratio(sql["province"], sql["province_hand"])
    filtered_ratio = paired_ratio(sql["filtered"], sql["filtered_hand"])
    series_ratio = paired_ratio(sql["filtered_series"], sql["filtered_hand"])
    national_ratio = paired_ratio(sql["national"], sql["national_rollup_hand"])
    live_ratio = paired_ratio(sql["national_live"], sql["national_live_hand"])
    rows = [
        (
            "filtered drill",
            ms["filtered"],
            ms["filtered_hand"],
            filtered_ratio,
            f"≤ {FILTERED_GOAL}",
            filtered_ratio <= FILTERED_GOAL,
        ),
        # information: the page's one pass (people per commune and per day) vs the same hand query
        ("filtered+series", ms["filtered_series"], ms["filtered_hand"], series_ratio, "—", True),
        (
            "province SQL",
            ms["province"],
            ms["province_hand"],
            province_ratio,
            f"≤ {PROVINCE_GOAL}",
            province_ratio <= PROVINCE_GOAL,
        ),
        (
            "national SQL",
            ms["national"],
            ms["national_rollup_hand"],
            national_ratio,
            f"≤ {NATIONAL_GOAL}",
            national_ratio <= NATIONAL_GOAL,
        ),
        # information: counting the national targets live vs a hand-written GROUP BY
        ("national live", ms["national_live"], ms["national_live_hand"], live_ratio, "—", True),
    ]
    run.log("")
    run.log(f"{'what':<16} {'ours':>10} {'hand':>10} {'ratio':>7}  goal   met")
    for name, ours, hand, ratio, goal, met in rows:
        verdict = "yes" if met else "NO"
        run.log(f"{name:<16} {ours:8.1f}ms {hand:8.1f}ms {ratio:7.2f}  {goal:<6} {verdict}")
    # The goal is met without the cache: every view counts afresh from the completion facts.
    page_met = uncached["ratio"] >= PAGE_GOAL and not uncached["errors"]
    run.log(
        f"{'page, no cache':<16} {uncached['page_rps']:7.1f}/s {uncached['bare_rps']:7.1f}/s"
        f" {uncached['ratio']:7.3f}  ≥ {PAGE_GOAL}  {'yes' if page_met else 'NO'}"
        f"  (p99 {uncached['p99_ms']:.0f} ms, errors {uncached['errors']})"
    )
    run.log(
        f"{'page, cached':<16} {page['page_rps']:7.1f}/s {page['bare_rps']:7.1f}/s"
        f" {page['ratio']:7.3f}  (information; p99 {page['p99_ms']:.0f} ms)"
    )
    run.log(f"rollup refresh: {refresh_s:.1f} s")
    out = run.OUT_DIR / "targets.json"
    out.write_text(
        json.dumps(
            {
                "learners": LEARNERS,
                "enrolments": ENROLMENTS,
                "sql_ms": ms,
                "province_ratio": province_ratio,
                "filtered_ratio": filtered_ratio,
                "filtered_series_ratio": series_ratio,
                "national_ratio": national_ratio,
                "page": page,
                "page_uncached": uncached,
                "rollup_refresh_s": refresh_s,
                "national_live_ratio": live_ratio,
            },
            indent=2,
        )
    )
    run.log(f"written {out}")
    return 0 if all(r[-1] for r in rows) and page_met else 1


if __name__ == "__main__":
    sys.exit(main())
