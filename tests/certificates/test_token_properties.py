"""Property tests: no single changed character of a valid token ever verifies."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates import selectors, services, signing

pytestmark = pytest.mark.django_db

ALPHABET = string.ascii_letters + string.digits + "-_"


def _changes(token: str, index: int, char: str) -> str:
    return token[:index] + char + token[index + 1 :]


def test_every_single_character_change_is_rejected_offline(course, hblin, complete):
    """Exhaustive over the base64url alphabet: position × replacement, signature only."""
    token = complete(hblin, course).token
    keys = signing.jwks_keys(selectors.jwks())
    assert selectors.verify_offline(token, keys).status == "issued"
    accepted = [
        (index, char)
        for index in range(len(token))
        for char in ALPHABET
        if char != token[index]
        and selectors.verify_offline(_changes(token, index, char), keys).status != "invalid"
    ]
    assert accepted == []


def test_any_byte_change_is_rejected_online(client, course, hblin, complete):
    """Any replacement character (ASCII, control, non-ASCII), through the public API."""
    certificate = complete(hblin, course)
    token = certificate.token
    services.signing_key_current()

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(index=st.integers(0, len(token) - 1), char=st.characters(codec="utf-8"))
    def check(index, char):
        if char == token[index]:
            return
        changed = _changes(token, index, char)
        result = selectors.certificate_verify(changed)
        assert result.status == "invalid" and not result.valid
        assert result.claims is None

    check()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    result = selectors.verify_offline(text, {})
    assert result.status == "invalid" and result.reason


@settings(max_examples=100, deadline=None)
@given(data=st.binary(min_size=0, max_size=300))
def test_arbitrary_bytes_as_token_never_raise(data):
    token = signing.b64url_encode(data)
    assert selectors.verify_offline(token, {}).status == "invalid"
