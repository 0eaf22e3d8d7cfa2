"""Request ids in responses and log lines, JSON logs, and /metrics for Prometheus."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from certificates.models import Certificate
from lms.settings.base import _LOG_FORMATTERS
from tests.factories import make_learner, make_unit

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_sane_proxy_id_is_kept_and_anything_else_replaced(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="nginx-5f2c9a7e01")["X-Request-ID"] == (
        "nginx-5f2c9a7e01"
    )
    for hostile in ("a\nb-forged-line-000", "<script>alert(1)</script>", "x" * 65, "short"):
        answered = client.get("/health/", HTTP_X_REQUEST_ID=hostile)["X-Request-ID"]
        assert answered != hostile and len(answered) == 32


def test_json_log_lines_carry_the_request_id(client):
    stream = io.StringIO()
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
            "formatters": {"json": _LOG_FORMATTERS["json"]},
            "handlers": {
                "capture": {
                    "class": "logging.StreamHandler",
                    "stream": stream,
                    "filters": ["request_id"],
                    "formatter": "json",
                }
            },
            "loggers": {"django.request": {"handlers": ["capture"], "level": "WARNING"}},
        }
    )
    try:
        response = client.get("/no-such-page-here/", HTTP_X_REQUEST_ID="req-0123456789")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert response.status_code == 404
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "Django logs a 404 as a warning"
    line = lines[-1]
    assert line["request_id"] == "req-0123456789"
    assert line["level"] == "WARNING" and line["logger"] == "django.request" and "time" in line


def test_an_unknown_log_format_stops_the_start():
    result = subprocess.run(
        [sys.executable, "-c", "import lms.settings.base"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "LOG_FORMAT": "xml"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "LOG_FORMAT must be one of" in result.stderr


def test_metrics_are_hidden_without_the_token(client, settings):
    settings.LMS_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.LMS_METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_count_requests_and_read_the_domain_figures(client, settings, course):
    from courses.services import enrolment_complete, enrolment_create

    settings.LMS_METRICS_TOKEN = "s3cret-metrics-token"
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret-metrics-token"}
    enrolment, _ = enrolment_create(
        user=make_learner(unit=make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))), course=course
    )
    # The issuing task runs after commit, which never comes in this test: the row waits.
    enrolment_complete(enrolment=enrolment, evidence="assessment")
    assert Certificate.objects.get().status == Certificate.Status.PENDING
    client.get("/health/")
    response = client.get("/metrics", **auth)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'hocso_http_requests_total{method="GET",status="2xx"}' in text
    assert 'hocso_http_request_seconds_count{route="health/"}' in text
    assert "hocso_certificates_pending 1.0" in text
    assert "hocso_targets_rollup_age_seconds -1.0" in text
