"""Private behaviours of Django, Wagtail and redis-py that our code relies on, one test each,
named after the behaviour: an upgrade that changes one fails here, with the place that relies
on it in the message, rather than somewhere far away or not at all.

Each was measured to be worth it (bench/README.md); a public API that does the same job
replaces the reliance and its test.
"""

import pytest
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_querysets_filled_result_cache_is_iterated_without_a_query():
    """core.db.queryset_prefilled (used by courses.models.pages.get_view_restrictions) fills
    `QuerySet._result_cache` so that serving a page costs no restriction query."""
    from wagtail.models import PageViewRestriction

    restrictions = PageViewRestriction.objects.filter(page_id__in=[1])
    restrictions._result_cache = []
    with CaptureQueriesContext(connection) as queries:
        assert list(restrictions) == [] and not restrictions
    assert not queries.captured_queries, "QuerySet._result_cache no longer short-cuts a query"


def test_wagtail_reads_the_site_a_request_carries(rf, home):
    """core.middleware.CachedSiteMiddleware sets `request._wagtail_site`, which
    `Site.find_for_request` returns without a query."""
    from wagtail.models import Site

    request = rf.get("/")
    marker = Site(hostname="cached.example", root_page=home)
    request._wagtail_site = marker
    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(request) is marker, "request._wagtail_site is ignored"
    assert not queries.captured_queries


def test_commit_hooks_are_a_live_list_of_savepoints_hook_robust_triples():
    """core.db.commit_hooks_pending (certificates.services._enqueue joins the batch already
    registered) reads `connection.run_on_commit` (a list of (savepoint ids, callable, robust))."""

    def hook():
        pass

    with transaction.atomic():
        transaction.on_commit(hook)
        entries = [entry for entry in connection.run_on_commit if entry[1] is hook]
        assert len(entries) == 1 and len(entries[0]) == 3, "run_on_commit changed shape"
        savepoints, function, robust = entries[0]
        assert function is hook and robust is False and isinstance(savepoints, set | list)


def test_djangos_redis_cache_sets_its_client_class_on_the_instance():
    """core.cache.ResilientRedisCache replaces `self._class` after `RedisCache.__init__`,
    which assigns it on the instance (a class attribute would be shadowed)."""
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    assert cache.__dict__.get("_class") is RedisCacheClient, "RedisCache._class moved"


def test_djangos_redis_client_builds_clients_from_a_pool_per_role():
    """core.cache.ReusingRedisCacheClient keeps one client per pool, from
    `RedisCacheClient._get_connection_pool(write)` and `_client(connection_pool=...)`."""
    client = RedisCacheClient(["redis://127.0.0.1:6379/15"])
    pool = client._get_connection_pool(True)
    assert pool is client._get_connection_pool(True)
    assert client._client(connection_pool=pool).connection_pool is pool


def test_psycopg_offers_djangos_server_binding_cursor_and_the_cursor_wrappers():
    """core.db.server_binding_cursor builds Django's `ServerBindingCursor` (psycopg 3) on the
    raw connection and wraps it with `make_cursor` / `make_debug_cursor`."""
    from django.db.backends.postgresql import base

    assert hasattr(base, "ServerBindingCursor"), "Django no longer has ServerBindingCursor"
    assert callable(connection.make_cursor) and callable(connection.make_debug_cursor)


def test_a_loaded_model_keeps_its_field_values_in_its_dict_by_attname():
    """targets.signals remembers a target's settings, a course's topic and a unit's successor
    at `post_init` from `instance.__dict__` (a deferred field is simply absent)."""
    from people.models import OrgUnit

    unit = OrgUnit.add_root(code="X1", name="Tỉnh X", kind=OrgUnit.Kind.PROVINCE)
    loaded = OrgUnit.objects.get(pk=unit.pk)
    assert "replaced_by_id" in loaded.__dict__ and "name" in loaded.__dict__
    assert "name" not in OrgUnit.objects.only("pk").get(pk=unit.pk).__dict__
