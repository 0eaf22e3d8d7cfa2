import pytest
from django.core.cache import cache

# Modules that use the real Redis (one database each for the cache and the Celery broker,
# flushed by the tests): under pytest-xdist they run in one worker, one after another.
REDIS_MODULES = {
    "tests/lms/test_cache.py",
    "tests/lms/test_health.py",
    "tests/lms/test_sessions.py",
    "tests/certificates/test_worker_pg.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::", 1)[0] in REDIS_MODULES:
            item.add_marker(pytest.mark.xdist_group("redis"))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    from tests.factories import site_home

    return site_home()


@pytest.fixture
def course(db, home):
    from tests.factories import make_course

    return make_course()
