"""A database that cannot answer gives 503 with Retry-After (core.errors, handler500): HTML
for pages, JSON for the API and xAPI, whether the failure is in a view or in a middleware;
any other error stays a 500. On PostgreSQL, a real cut: the connection closed and the server
moved to a port where nothing listens."""

import base64
import socket

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from tests.factories import make_learner, site_home


def _raising(error):
    def wrapper(execute, sql, params, many, context):
        raise error

    return wrapper


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def _assert_unavailable(response, *, json: bool):
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"
    if json:
        body = response.json()
        assert body["code"] == "unavailable" and "tạm gián đoạn" in body["detail"]  # Vietnamese
    else:
        text = response.content.decode()
        assert "tạm gián đoạn" in text and "briefly unavailable" in text


@pytest.mark.django_db
def test_a_database_that_cannot_answer_gives_503(browser):
    site_home()
    learner = make_learner(username="hblin")
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(learner)
    cut = OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")
    with connection.execute_wrapper(_raising(cut)):
        _assert_unavailable(browser.get("/"), json=False)  # a Wagtail page, in the view
        _assert_unavailable(signed_in.get("/learn/"), json=False)  # the session, in middleware
        _assert_unavailable(browser.get("/api/v1/units"), json=True)
        _assert_unavailable(
            browser.post("/xapi/statements", data="{}", content_type="application/json"),
            json=True,
        )
    assert browser.get("/").status_code == 200  # back at once: nothing was kept


@pytest.mark.django_db
def test_other_errors_stay_500(browser):
    site_home()
    with connection.execute_wrapper(_raising(ProgrammingError("relation does not exist"))):
        response = browser.get("/")
    assert response.status_code == 500 and "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
)
def test_a_real_cut_gives_503_and_the_next_request_after_it_succeeds(browser):
    site_home()
    assert browser.get("/").status_code == 200  # now in the anonymous page cache
    saved = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        # A page fetched before is still served from the anonymous page cache.
        assert browser.get("/").status_code == 200
        _assert_unavailable(browser.get("/?lan=2"), json=False)  # not cached: needs the database
        # The API and xAPI look their callers' keys up in the database.
        bearer = {"HTTP_AUTHORIZATION": "Bearer hs_00000000_" + "x" * 43}
        _assert_unavailable(browser.get("/api/v1/units", **bearer), json=True)
        basic = {
            "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"lrs-key:secret").decode(),
            "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3",
        }
        _assert_unavailable(
            browser.post("/xapi/statements", data="{}", content_type="application/json", **basic),
            json=True,
        )
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert browser.get("/?lan=3").status_code == 200
