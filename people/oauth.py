"""OAuth 2.0 client credentials (RFC 6749 section 4.4) for API clients, on top of API keys.

An outside system that speaks OAuth (an LGSP gateway, an identity-aware proxy) trades its key
for a short-lived bearer token at `POST /api/v1/oauth/token`:

    grant_type=client_credentials [&scope=read report]
    Authorization: Basic base64(<client_id>:<client_secret>)   (or both in the form body)

`client_id` is the key's visible prefix (the 8 characters after `hs_`), `client_secret` the
whole key. The answer is RFC 6749's token response (`access_token`, `token_type: Bearer`,
`expires_in`, `scope`) and errors are RFC 6749 section 5.2 documents (`invalid_client`,
`unsupported_grant_type`, `invalid_scope`, ...), not problem details: OAuth clients expect
these. The protocol (parsing, grant validation, error documents, Cache-Control: no-store) is
oauthlib's `BackendApplicationServer`; this module only tells it how to find clients and keep
tokens. Tokens (`hst_` + 32 random bytes) are stored as SHA-256 like keys, carry a subset of
the client's permissions as scopes, last `TOKEN_SECONDS` and stop when the client is revoked.
"""

import base64
import binascii
import datetime
import json
import secrets
from urllib.parse import unquote_plus

from django.utils import timezone
from oauthlib.oauth2 import BackendApplicationServer, RequestValidator

from .models import ApiClient, ApiToken

TOKEN_PREFIX = "hst_"
TOKEN_SECONDS = 3600
MAX_CREDENTIAL_CHARS = 256


def client_scopes(client: ApiClient) -> list[str]:
    """The client's permissions as OAuth scopes."""
    return [
        scope
        for scope, allowed in (
            ("read", client.can_read),
            ("enrol", client.can_enrol),
            ("report", client.can_report),
        )
        if allowed
    ]


def _basic_credentials(request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    # RFC 6749 section 2.3.1: both are form-urlencoded before Basic encoding.
    return unquote_plus(client_id), unquote_plus(secret)


class ApiClientValidator(RequestValidator):
    """How oauthlib finds our clients and keeps our tokens."""

    def client_authentication_required(self, request, *args, **kwargs):
        return True

    def authenticate_client(self, request, *args, **kwargs):
        from .apikeys import client_for_key

        credentials = _basic_credentials(request)
        if credentials is None:
            credentials = (request.client_id or "", request.client_secret or "")
        client_id, secret = credentials
        if len(client_id) > MAX_CREDENTIAL_CHARS or len(secret) > MAX_CREDENTIAL_CHARS:
            return False
        client = client_for_key(secret)
        if client is None or not secrets.compare_digest(client.prefix, client_id):
            return False
        client.client_id = client_id  # oauthlib reads it from the client object
        request.client = client
        request.client_id = client_id
        return True

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type == "client_credentials"

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return client_scopes(request.client)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        return bool(scopes) and set(scopes) <= set(client_scopes(client))

    def save_bearer_token(self, token, request, *args, **kwargs):
        ApiToken.objects.create(
            client=request.client,
            token_hash=_hash(token["access_token"]),
            scopes=" ".join(sorted(request.scopes)),
            expires_at=timezone.now() + datetime.timedelta(seconds=token["expires_in"]),
        )


def _hash(token: str) -> str:
    from .apikeys import key_hash

    return key_hash(token)


def _token_generate(request) -> str:
    return f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"


server = BackendApplicationServer(
    ApiClientValidator(), token_generator=_token_generate, token_expires_in=TOKEN_SECONDS
)


def token_response(request) -> tuple[dict, str, int]:
    """Answer a token request: (headers, JSON body, status), per RFC 6749."""
    headers = {
        key: value
        for key, value in request.headers.items()
        if key.lower() in ("authorization", "content-type")
    }
    try:
        return server.create_token_response(
            request.build_absolute_uri(),
            http_method=request.method,
            body=request.body.decode("utf-8", errors="replace"),
            headers=headers,
        )
    except ValueError:  # oauthlib refuses a body that is not form-urlencoded
        error = {"error": "invalid_request", "error_description": "Malformed request body."}
        return {"Cache-Control": "no-store"}, json.dumps(error), 400


def client_for_token(token: str) -> tuple[ApiClient, set[str]] | None:
    """The active client a live access token belongs to, with the token's scopes."""
    if len(token) > 128:
        return None
    row = (
        ApiToken.objects.select_related("client")
        .filter(
            token_hash=_hash(token),
            expires_at__gt=timezone.now(),
            client__revoked_at__isnull=True,
        )
        .first()
    )
    if row is None:
        return None
    return row.client, set(row.scopes.split())
