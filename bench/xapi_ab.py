"""In-process A/B for the xAPI endpoint: CPU per request, variants toggled between batches.

The gunicorn bench (bench/h5p.py) moves by ±20 % between rounds on this machine, which hides
changes of a tenth. This runs the endpoint through Django's full middleware stack in one
process (the test client, CSRF enforced, the bench database of bench/h5p.py), and alternates
between the code as it is and each variant in batches, so that every variant sees the same
machine. It prints, per variant, the minimum and median over rounds of the CPU and wall time
per request. Variants put back what the site did before a change:

- `orm-user`: the signed-in user loaded by Django's `ModelBackend.get_user` (the ORM) instead
  of people.auth's prepared SELECT;
- `no-prefetch`: the session read in its own cache round trip, not with the content version.

    BENCH_DB_NAME=hocso_bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso \
      .venv/bin/python bench/xapi_ab.py        # AB_ROUNDS (16), AB_BATCH (100)
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.h5p import setup_h5p  # noqa: E402
from bench.run import bench_database_url, configure, ensure_database, prepare_data  # noqa: E402

ROUNDS = int(os.environ.get("AB_ROUNDS", 16))
BATCH = int(os.environ.get("AB_BATCH", 100))


def main() -> None:
    database_url, admin_url = bench_database_url()
    ensure_database(database_url, admin_url, reset=False)
    configure(database_url, tempfile.mkdtemp(prefix="hocso-ab-static-"))
    import django

    django.setup()
    from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
    from django.test import Client

    import core.sessions
    import people.auth

    prepare_data()
    data = setup_h5p()
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")

    def xapi(n: int) -> None:
        session = data["sessions"][n % len(data["sessions"])]
        statement = data["statements"][n % len(data["statements"])]
        body = json.dumps(
            {"lesson": data["lesson"], "block": data["block"], "statement": statement}
        )
        response = client.post(
            "/learn/h5p/xapi/", body, content_type="application/json",
            HTTP_COOKIE=session["Cookie"], HTTP_X_CSRFTOKEN=session["X-CSRFToken"],
        )  # fmt: skip
        assert response.status_code == 201, (response.status_code, response.content[:200])

    def bare(n: int) -> None:
        body = json.dumps(data["statements"][n % len(data["statements"])])
        response = client.post("/bench/bare-insert/", body, content_type="application/json")
        assert response.status_code == 201, response.status_code

    def patch(owner, name, value):
        real = getattr(owner, name)
        return lambda: setattr(owner, name, value), lambda: setattr(owner, name, real)

    variants = {
        "bare_insert": (bare, None),
        "xapi": (xapi, None),
        "xapi orm-user": (
            xapi,
            patch(people.auth.PreparedUserMixin, "get_user", DjangoModelBackend.get_user),
        ),
        "xapi no-prefetch": (
            xapi,
            patch(core.sessions.SessionStore, "prefetch_key", lambda s: None),
        ),
    }
    cpu = {name: [] for name in variants}
    wall = {name: [] for name in variants}
    n = 0
    for _warm in range(30):
        xapi(n), bare(n)
        n += 1
    for _round in range(ROUNDS):
        for name, (call, toggle) in variants.items():
            if toggle:
                toggle[0]()
            try:
                for _ in range(5):
                    call(n)
                    n += 1
                started, started_cpu = time.perf_counter(), time.process_time()
                for _ in range(BATCH):
                    call(n)
                    n += 1
                cpu[name].append((time.process_time() - started_cpu) / BATCH * 1000)
                wall[name].append((time.perf_counter() - started) / BATCH * 1000)
            finally:
                if toggle:
                    toggle[1]()
    print(f"{ROUNDS} rounds of {BATCH} requests per variant; ms per request")
    for name in variants:
        print(
            f"  {name:<18} cpu min {min(cpu[name]):6.3f} median {statistics.median(cpu[name]):6.3f}"
            f"   wall min {min(wall[name]):6.3f} median {statistics.median(wall[name]):6.3f}"
        )


if __name__ == "__main__":
    main()
