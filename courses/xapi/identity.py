"""Who and what our statements name, and the platform's own fields (see the package doc).

The learner's account name is the user id (8 bytes, after an 8-byte marker) encrypted as one
AES block with `LMS_XAPI_ACTOR_KEY` (derived from SECRET_KEY when unset: production sets it,
so that rotating SECRET_KEY keeps every learner's id), written as a UUID. It is opaque and
stable, costs no query, and turns back into the user id for an `agent` query; anything else
(a guessed or altered name) does not decrypt to the marker and names nobody.
"""

import hashlib
import os
import re
import time
import uuid
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from core.public_url import DEVELOPMENT_URL

VERSION = "1.0.3"
STATEMENT_VERSION = "1.0.0"
_MARKER = b"hocso-x1"
H5P_SUBCONTENT = "http://h5p.org/x-api/h5p-subContentId"
_SAFE_SUB = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def home_page() -> str:
    """The `account.homePage` of our learners and the base of our activity IRIs: the public
    URL, fixed (never the host a request happened to use, or ids would change with it)."""
    return settings.LMS_PUBLIC_URL or DEVELOPMENT_URL


@lru_cache(maxsize=4)
def _cipher(key: bytes) -> Cipher:
    return Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305 - one block, a fixed marker


def _key() -> bytes:
    return _derive(settings.LMS_XAPI_ACTOR_KEY or ("xapi-actor:" + settings.SECRET_KEY))


@lru_cache(maxsize=4)
def _derive(material: str) -> bytes:
    return hashlib.sha256(material.encode("utf-8")).digest()[:16]


def actor_name(user_id: int) -> str:
    return _actor_name(_key(), int(user_id))


@lru_cache(maxsize=4096)
def _actor_name(key: bytes, user_id: int) -> str:
    encryptor = _cipher(key).encryptor()
    block = encryptor.update(_MARKER + user_id.to_bytes(8, "big")) + encryptor.finalize()
    return str(uuid.UUID(bytes=block))


def statement_id_new() -> uuid.UUID:
    """A new statement id, time-ordered: the first 48 bits are milliseconds since 1970 (as
    in RFC 9562's version 7), the other 74 random, written with the version 4 and RFC 4122
    variant bits, because LRSs and libraries (the ADL suite, TinCanPython) accept only
    versions 1 to 5. Ordered ids land at the end of the unique index on `statement_id`
    instead of on a random page of it, on every click."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x4 << 76)  # version 4 (the layout LRSs check)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


def actor_user_id(name) -> int | None:
    """The user id an account name stands for, or None when it names nobody of ours."""
    try:
        block = uuid.UUID(name).bytes
    except (ValueError, AttributeError, TypeError):
        return None
    decryptor = _cipher(_key()).decryptor()
    plain = decryptor.update(block) + decryptor.finalize()
    if plain[:8] != _MARKER:
        return None
    return int.from_bytes(plain[8:], "big")


def learner_agent(user_id: int) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": home_page(), "name": actor_name(user_id)},
    }


def learner_of(agent) -> int | None:
    """The user id of an Agent that is one of our learners' accounts, else None."""
    if not isinstance(agent, dict):
        return None
    account = agent.get("account")
    if not isinstance(account, dict) or account.get("homePage") != home_page():
        return None
    return actor_user_id(account.get("name"))


def platform_authority() -> dict:
    return {
        "objectType": "Agent",
        "name": "Học Số",
        "account": {"homePage": home_page(), "name": "hoc-so"},
    }


def client_authority(client) -> dict:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": home_page(), "name": f"lrs-client:{client.key}"},
    }


def activity_iri(lesson_id: int, block_id: str) -> str:
    return f"{home_page()}/xapi/activities/lesson/{lesson_id}/{block_id}"


_ACTIVITY = re.compile(r"/xapi/activities/lesson/(\d{1,18})/([A-Za-z0-9_-]{1,64})$")


def activity_of(iri: str) -> tuple[int, str] | None:
    """(lesson id, block id) of one of our lesson activity IRIs, else None."""
    if not isinstance(iri, str) or not iri.startswith(home_page() + "/"):
        return None
    match = _ACTIVITY.search(iri.split("?", 1)[0])
    return (int(match[1]), match[2]) if match else None


def iso(moment: datetime) -> str:
    """An xAPI timestamp: UTC, milliseconds, `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sub_content_id(obj: dict) -> str | None:
    definition = obj.get("definition")
    extensions = definition.get("extensions") if isinstance(definition, dict) else None
    sub = extensions.get(H5P_SUBCONTENT) if isinstance(extensions, dict) else None
    if sub is None:
        original = obj.get("id")
        if isinstance(original, str) and "subContentId=" in original:
            sub = original.rsplit("subContentId=", 1)[1].split("&", 1)[0]
    return sub if isinstance(sub, str) and _SAFE_SUB.match(sub) else None


def player_statement_conform(
    data: dict,
    *,
    user_id: int,
    lesson_id: int,
    block_id: str,
    statement_id: uuid.UUID,
    stored: datetime,
    timestamp: str | None,
    is_child: bool,
) -> dict:
    """The statement the H5P player sent, as we store and serve it (a new dict; `data` is
    not changed): our id, the learner's account as actor (whatever the browser claimed),
    the lesson activity as object (a sub-question: `?subContentId=` on it, with the lesson
    activity as its parent), the platform as authority, timestamp (the sender's, else
    stored), stored and version. Everything else the player reported is kept as it was.
    """
    activity = activity_iri(lesson_id, block_id)
    statement = dict(data)
    obj = dict(statement["object"]) if isinstance(statement.get("object"), dict) else {}
    sub = _sub_content_id(obj)
    if obj.get("objectType", "Activity") != "Activity":  # an agent or a sub-statement: the
        obj = {}  # lesson is what was played, whatever the page claims
    else:  # an Activity may carry only these
        obj = {k: v for k, v in obj.items() if k == "definition"}
    obj["objectType"] = "Activity"
    obj["id"] = f"{activity}?subContentId={sub}" if sub and is_child else activity
    statement["object"] = obj
    if is_child:
        context = dict(statement.get("context") or {})
        activities = dict(context.get("contextActivities") or {})
        activities["parent"] = [{"objectType": "Activity", "id": activity}]
        context["contextActivities"] = activities
        statement["context"] = context
    stored_text = iso(stored)
    statement.update(
        id=str(statement_id),
        actor=learner_agent(user_id),
        timestamp=timestamp or stored_text,
        stored=stored_text,
        authority=platform_authority(),
        version=STATEMENT_VERSION,
    )
    return statement


# Set by the LRS, or by signing: a statement sent again is the same without them (xAPI
# 1.0.3, statement comparison requirements).
_NOT_COMPARED = ("authority", "stored", "version", "attachments")


def statements_match(stored: dict, sent: dict, *, ignore_timestamp: bool) -> bool:
    """Whether `sent` repeats the `stored` statement (same id): equal but for what the LRS
    sets; the timestamp too when the sender gave none (we then set it to `stored`)."""
    ignored = _NOT_COMPARED + (("timestamp",) if ignore_timestamp else ())
    a = {k: v for k, v in stored.items() if k not in ignored}
    b = {k: v for k, v in sent.items() if k not in ignored}
    return _normal(a) == _normal(b)


def _normal(value):
    """JSON as stored (a float 1.0 and an int 1 are the same number)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
