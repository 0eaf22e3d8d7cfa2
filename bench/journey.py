"""The learner journey under locust, headless, for a few seconds (bench/locustfile.py).

Reuses bench/faults.py's set-up (its database, default hocso_faults, seeded with `seed_demo`
once; 24 learners with sessions) and bench/run.py's gunicorn (2 sync workers, production
settings, Redis cache). No fault here: the figures are the site's under locust's users.
Knobs: JOURNEY_USERS (8), JOURNEY_SECONDS (10). Writes var/bench/journey.json and locust's
CSV files (var/bench/locust_*.csv). Exit 1 when a request failed, 2 when the set-up failed.
"""

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE_DIR)

os.environ.setdefault("BENCH_DB_NAME", "hocso_faults")

from bench.faults import prepare  # noqa: E402
from bench.run import (  # noqa: E402
    OUT_DIR,
    BenchError,
    Server,
    bench_database_url,
    collect_static,
    configure,
    ensure_database,
    free_port,
    log,
)

USERS = int(os.environ.get("JOURNEY_USERS", "8"))
SECONDS = int(os.environ.get("JOURNEY_SECONDS", "10"))


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=os.environ.get("BENCH_RESET") == "1")
    configure(database_url, str(OUT_DIR / "faults-static"))
    import django

    django.setup()
    data = prepare()
    # The static files of `make faults` on the same database serve here too (collectstatic
    # recompresses every file, minutes on a busy machine); JOURNEY_COLLECTSTATIC=1 forces it.
    manifest = OUT_DIR / "faults-static" / "staticfiles.json"
    if os.environ.get("JOURNEY_COLLECTSTATIC") == "1" or not manifest.exists():
        collect_static()
    journey = OUT_DIR / "journey-input.json"
    journey.write_text(json.dumps(data))
    server = Server(free_port())
    prefix = OUT_DIR / "locust"
    try:
        server.start()
        log(f"locust: {USERS} users for {SECONDS} s against gunicorn on :{server.port}")
        subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(BASE_DIR / "bench" / "locustfile.py"),
                "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
                "--run-time", f"{SECONDS}s", "--host", f"http://127.0.0.1:{server.port}",
                "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                "--exit-code-on-error", "0",
            ],
            cwd=BASE_DIR, env={**os.environ, "LOCUST_JOURNEY": str(journey)}, check=True,
            timeout=SECONDS + 60,
        )  # fmt: skip
    finally:
        server.stop()
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    entries = [
        {
            "name": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"] or 0),
            "p99_ms": float(row["99%"] or 0),
        }
        for row in rows
    ]
    (OUT_DIR / "journey.json").write_text(json.dumps(entries, indent=2) + "\n")
    log(f"{'name':<22} {'requests':>8} {'failures':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for e in entries:
        log(
            f"{e['name']:<22} {e['requests']:8d} {e['failures']:8d} {e['rps']:7.1f} "
            f"{e['p50_ms']:7.0f} {e['p99_ms']:7.0f}"
        )
    total = next((e for e in entries if e["name"] == "Aggregated"), None)
    return 1 if total is None or total["failures"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"journey: {error}", file=sys.stderr)
        sys.exit(2)
