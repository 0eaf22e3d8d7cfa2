"""core.db.rows_compiled_once: a queryset's SQL compiled once per key, run afresh each time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import db
from people.models import EthnicGroup

pytestmark = pytest.mark.django_db


def named(prefix: str):
    return (
        EthnicGroup.objects.filter(name__startswith=prefix)
        .order_by("code")
        .values_list("code", "name")
    )


def test_the_rows_are_the_querysets_and_read_afresh_every_time():
    EthnicGroup.objects.create(code="90", name="Thử Một")
    key = ("tests.named", "Thử")
    assert db.rows_compiled_once(key, lambda: named("Thử")) == list(named("Thử"))
    EthnicGroup.objects.create(code="91", name="Thử Hai")
    built = []

    def build():
        built.append(1)
        return named("Thử")

    with CaptureQueriesContext(connection) as queries:
        rows = db.rows_compiled_once(key, build)
    assert rows == [("90", "Thử Một"), ("91", "Thử Hai")]  # the new row: the SQL ran again
    assert built == [] and len(queries) == 1  # ... without building the queryset again
    # Another key is another statement.
    assert db.rows_compiled_once(("tests.named", "Thử H"), lambda: named("Thử H")) == [
        ("91", "Thử Hai")
    ]


def test_a_query_that_selects_nothing_runs_nothing():
    key = ("tests.none",)
    with CaptureQueriesContext(connection) as queries:
        rows = db.rows_compiled_once(
            key, lambda: EthnicGroup.objects.filter(pk__in=[]).values_list("pk")
        )
    assert rows == [] and not queries


def test_the_kept_statements_are_bounded(monkeypatch):
    monkeypatch.setattr(db, "_COMPILED", {})
    monkeypatch.setattr(db, "COMPILED_MAX", 3)
    for n in range(7):
        db.rows_compiled_once(("tests.bounded", n), lambda: named("x"))
        assert len(db._COMPILED) <= 3
