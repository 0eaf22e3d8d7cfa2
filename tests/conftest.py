import pytest
from django.core.cache import cache


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
