import os

import pytest
from django.core.cache import cache

from tests.api_support import _module_api_world, api_world  # noqa: F401  (the REST API tests' world)

# The S3-API server fixtures (s3_endpoint, s3_env, on_s3) for every test that needs them.
pytest_plugins = ["tests.s3_support"]

# Tests that use the real Redis (the cache, LMS_TEST_REDIS_URL, default db 15; the Celery
# broker, LMS_TEST_CELERY_BROKER_URL, default db 13) flush their database. Under pytest-xdist
# each worker gets databases of its own, three apart (gw0: 15 and 13, gw1: 12 and 10, ...), so
# two workers never share one. Set before any test module reads them.
_REDIS_DEFAULTS = {
    "LMS_TEST_REDIS_URL": "redis://127.0.0.1:6379/15",
    "LMS_TEST_CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
}
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    for _name, _default in _REDIS_DEFAULTS.items():
        _base, _, _db = os.environ.get(_name, _default).rpartition("/")
        _own = int(_db) - 3 * int(_worker[2:])
        if _own < 0:
            raise RuntimeError(f"{_name}: too many xdist workers for distinct Redis databases")
        os.environ[_name] = f"{_base}/{_own}"


def pytest_sessionstart(session):
    """CI (LMS_REQUIRE_SHARED_TESTDATA=1) never runs without the shared third-party test data."""
    from tests.shared_data import TESTDATA, missing_message, required

    if required() and not TESTDATA.is_dir():
        pytest.exit(missing_message(TESTDATA), returncode=4)


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker):
    """One transaction around a test module (in each xdist worker), for data its tests share:
    built once, as Django's TestCase.setUpTestData does, instead of once per test. Each test
    still runs in its own savepoint, rolled back after it, so it starts from the same rows;
    the module's transaction is rolled back after its last test. Fixtures built on it hand
    each test fresh instances (`fresh`), so no test sees another's in-memory changes. Build
    inside `with module_db():` (the database is open to fixtures there).

    Every test of such a module must use it (a test that does not would still see the shared
    rows) and none may be transactional (it would run inside the module's transaction)."""
    from django.db import transaction

    module = request.module
    for item in request.session.items:
        if getattr(item, "module", None) is not module:
            continue
        if _transactional(item):
            raise pytest.UsageError(f"{item.nodeid}: transactional, in a module_db module")
        if "module_db" not in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid}: does not use its module's shared data")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield django_db_blocker.unblock  # `with module_db():` around the building
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        cache.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    from tests.factories import site_home

    return site_home()  # the module's home when it shares one (_module_home), read afresh


@pytest.fixture(scope="module")
def _module_home(module_db):
    from tests.factories import site_home

    with module_db():
        return site_home()


def _transactional(item) -> bool:
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (0, 0)
    return bool(
        transactional
        or reset_sequences
        or {"transactional_db", "live_server"} & set(item.fixturenames)
    )


# Fixtures made once per module when every test of the module uses them: `name` then reads
# the rows `_module_name` made (tests/targets/conftest.py: tree; tests/api_support.py).
SHARED_PER_MODULE = ("home", "tree", "api_world")


def pytest_collection_modifyitems(session, config, items):
    """The site's home page (Wagtail's installation page replaced, a HomePage published: a
    large share of the suite's time when made for each test) is made once per module when
    every test of the module asks for it and none is transactional (module_db): each test
    then starts from the same rows as before, in its own savepoint. Likewise the targets
    tests' `tree` (SHARED_PER_MODULE)."""
    modules = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), []).append(item)
    for module, its in modules.items():
        if module is None or any(_transactional(item) for item in its):
            continue
        shared = [
            name for name in SHARED_PER_MODULE if all(name in item.fixturenames for item in its)
        ]
        if shared:
            for item in its:
                item.fixturenames[0:0] = ["module_db", *(f"_module_{name}" for name in shared)]


@pytest.fixture
def course(db, home):
    from tests.factories import make_course

    return make_course()
