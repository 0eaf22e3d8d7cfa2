"""OAuth 2.0 client credentials for API clients, checked with oauthlib's *client*
(`BackendApplicationClient`: it builds the request body and parses the token response the way
an outside OAuth client does, raising on anything RFC 6749 does not allow)."""

import base64
import datetime
from urllib.parse import quote_plus

import pytest
from django.utils import timezone
from oauthlib.oauth2 import BackendApplicationClient

from people.models import ApiToken
from people.services import api_client_create, api_client_revoke
from tests.api_support import get, post_json
from tests.factories import tampered

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/oauth/token"


def basic(client_id: str, secret: str) -> str:
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def fetch(http, key: str, *, scope=None, client_id=None, in_body=False, grant=None):
    client_id = client_id or key[3:11]
    oauth = BackendApplicationClient(client_id=client_id)
    body = oauth.prepare_request_body(
        scope=scope, **({"include_client_id": True, "client_secret": key} if in_body else {})
    )
    if grant:
        body = body.replace("grant_type=client_credentials", f"grant_type={grant}")
    headers = {} if in_body else {"Authorization": basic(client_id, key)}
    response = http.post(
        TOKEN_URL, body, content_type="application/x-www-form-urlencoded", headers=headers
    )
    return oauth, response


@pytest.fixture
def reporter(api_world):
    client, key = api_client_create(
        name="LGSP Gia Lai", units=[api_world["gia_lai"]], can_report=True
    )
    return client, key


def test_token_with_basic_auth_then_the_api_accepts_it(client, api_world):
    oauth, response = fetch(client, api_world["read_key"])
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    token = oauth.parse_request_body_response(response.content.decode())
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert token["scope"] == ["read"]
    assert token["access_token"].startswith("hst_")
    assert ApiToken.objects.get().token_hash != token["access_token"]  # only the hash is kept
    units = get(client, "/api/v1/units", token["access_token"])
    assert units.status_code == 200
    assert [u["name"] for u in units.json()["items"]][0] == "Gia Lai"


def test_token_with_credentials_in_the_body_and_a_narrower_scope(client, reporter):
    _client, key = reporter
    oauth, response = fetch(client, key, scope=["report"], in_body=True)
    token = oauth.parse_request_body_response(response.content.decode(), scope=["report"])
    assert token["scope"] == ["report"]
    # A token for "report" only cannot read.
    assert get(client, "/api/v1/units", token["access_token"]).status_code == 403


def test_token_requests_refused(client, api_world, reporter):
    key = api_world["read_key"]
    wrong = tampered(key)
    _oauth, response = fetch(client, wrong)
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    _oauth, response = fetch(client, key, client_id="zzzzzzzz")  # another client's id
    assert response.json()["error"] == "invalid_client"
    _oauth, response = fetch(client, api_world["revoked_key"])
    assert response.json()["error"] == "invalid_client"
    _oauth, response = fetch(client, key, scope=["enrol"])  # beyond the key's permissions
    assert (response.status_code, response.json()["error"]) == (400, "invalid_scope")
    _oauth, response = fetch(client, key, grant="password")
    assert response.json()["error"] == "unsupported_grant_type"
    response = client.post(TOKEN_URL, "", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 401)
    huge = client.post(
        TOKEN_URL,
        "grant_type=client_credentials",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": basic("a" * 5000, "hs_" + "b" * 5000)},
    )
    assert huge.json()["error"] == "invalid_client"
    assert not ApiToken.objects.exists()


def test_expired_token_and_revoked_client_stop_at_once(client, api_world):
    oauth, response = fetch(client, api_world["read_key"])
    access = oauth.parse_request_body_response(response.content.decode())["access_token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert get(client, "/api/v1/units", access).status_code == 401
    oauth, response = fetch(client, api_world["enrol_key"])
    access = oauth.parse_request_body_response(response.content.decode())["access_token"]
    assert get(client, "/api/v1/units", access).status_code == 200
    api_client_revoke(client=api_world["enrol_client"])
    assert get(client, "/api/v1/units", access).status_code == 401


def test_token_scope_report_submits_through_the_api(client, api_world, reporter):
    _client, key = reporter
    oauth, response = fetch(client, key, scope=["read", "report"])
    access = oauth.parse_request_body_response(response.content.decode())["access_token"]
    response = post_json(
        client, "/api/v1/reports", access, {"unit_id": api_world["ia_grai"].pk, "year": 2026}
    )
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["api_client"] == "LGSP Gia Lai"


def test_malformed_token_request_is_a_400_not_a_crash(client):
    for body in ("grant_type=client_credentials&%%%", "\x00\x01{json}", "a" * 10000):
        response = client.post(TOKEN_URL, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code in (400, 401), body[:20]
        assert response.json()["error"]
