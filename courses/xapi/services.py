"""Writes of the Statements resource: what an LRS client sends is validated, given an id,
stored, authority, version and timestamp, and kept as a record.

A record only: nothing here touches progress, completion or certificates (those follow
the H5P player's statements in `courses.h5p.services`, and certificates need server-judged
evidence anyway). A statement about one of our learners (an `account` on our home page) is
accepted only when the learner is in the client's units; one about another agent belongs to
the client that sent it. A batch is all or nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..h5p.xapi import VERB_VOIDED
from ..models import XAPIStatement
from .identity import (
    STATEMENT_VERSION,
    client_authority,
    home_page,
    iso,
    learner_of,
    statement_id_new,
    statements_match,
)
from .selectors import statements_visible_to, users_in_scope
from .statements import statement_validate

MAX_BATCH = 500


class StatementConflict(Exception):
    """A statement id already names other content (xAPI answers 409)."""


@dataclass
class _Incoming:
    data: dict
    statement_id: uuid.UUID
    sent_timestamp: bool
    parsed: object
    user_id: int | None


def _prepare(client, data, *, put_id: uuid.UUID | None) -> _Incoming:
    parsed = statement_validate(data)
    if put_id is not None and parsed.statement_id not in (None, put_id):
        raise ValidationError(
            _("The statement's id differs from the statementId parameter."), code="id_mismatch"
        )
    statement_id = put_id or parsed.statement_id or statement_id_new()
    actor = data["actor"]
    user_id = learner_of(actor)
    account = actor.get("account") if isinstance(actor, dict) else None
    if user_id is None and isinstance(account, dict) and account.get("homePage") == home_page():
        raise ValidationError(
            _("The actor's account names none of our learners."), code="unknown_learner"
        )
    return _Incoming(data, statement_id, parsed.timestamp is not None, parsed, user_id)


def _conform(client, item: _Incoming, now) -> dict:
    statement = dict(item.data)
    stored = iso(now)
    statement.update(
        id=str(item.statement_id),
        timestamp=iso(item.parsed.timestamp) if item.parsed.timestamp else stored,
        stored=stored,
        authority=client_authority(client),
        version=item.data.get("version") or STATEMENT_VERSION,
    )
    return statement


def statements_store(client, statements: list, *, put_id: uuid.UUID | None = None) -> list[str]:
    """Store a batch from `client`; returns the ids in order. ValidationError (400),
    PermissionDenied (403, a learner outside the client's units, or voiding a statement it
    cannot see) or StatementConflict (409); nothing is stored then."""
    if not statements:
        raise ValidationError(_("No statement was sent."), code="empty")
    if len(statements) > MAX_BATCH:
        raise ValidationError(
            _("At most %(n)s statements can be sent at once.") % {"n": MAX_BATCH},
            code="too_many",
        )
    items = [_prepare(client, data, put_id=put_id) for data in statements]
    ids = [item.statement_id for item in items]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Two statements in the batch have the same id."), code="same_id")
    learners = {item.user_id for item in items if item.user_id is not None}
    if learners and set(users_in_scope(client, learners)) != learners:
        raise PermissionDenied(_("A statement names a learner outside this client's units."))
    now = timezone.now()
    with transaction.atomic():
        existing = {
            row["statement_id"]: row
            for row in XAPIStatement.objects.filter(statement_id__in=ids).values(
                "statement_id", "raw", "client_id"
            )
        }
        rows, voids = [], []
        for item in items:
            statement = _conform(client, item, now)
            stored = existing.get(item.statement_id)
            if stored is not None:
                if stored["client_id"] != client.pk or not statements_match(
                    stored["raw"], statement, ignore_timestamp=not item.sent_timestamp
                ):
                    raise StatementConflict(item.statement_id)
                continue  # the same statement again: stored once, answered as stored
            parsed = item.parsed
            if parsed.verb == VERB_VOIDED:
                if statement["object"].get("objectType") != "StatementRef":
                    raise ValidationError(
                        _("A voiding statement's object must be a statement reference."),
                        code="invalid_voiding",
                    )
                voids.append(uuid.UUID(statement["object"]["id"]))
            rows.append(
                XAPIStatement(
                    user_id=item.user_id,
                    client=client,
                    statement_id=item.statement_id,
                    verb=parsed.verb,
                    object_id=parsed.object_id,
                    score_raw=parsed.score_raw,
                    score_max=parsed.score_max,
                    score_scaled=parsed.score_scaled,
                    success=parsed.success,
                    completion=parsed.completion,
                    duration_seconds=parsed.duration_seconds,
                    is_child=parsed.is_child,
                    self_reported=True,
                    raw=statement,
                    timestamp=parsed.timestamp or now,
                    stored_at=now,
                    forward_state=XAPIStatement.Forward.PENDING
                    if settings.LMS_XAPI_FORWARD_ENABLED
                    else XAPIStatement.Forward.NONE,
                )
            )
        if voids:
            _void(client, voids)
        XAPIStatement.objects.bulk_create(rows)
    return [str(i) for i in ids]


def _void(client, targets: list[uuid.UUID]) -> None:
    """Mark the targets voided: each must be a statement the client can see, and not a
    voiding statement itself (xAPI: a voiding statement cannot be voided)."""
    found = list(
        XAPIStatement.objects.filter(statement_id__in=targets).values("pk", "statement_id", "verb")
    )
    visible = set(
        statements_visible_to(client)
        .filter(statement_id__in=targets)
        .values_list("statement_id", flat=True)
    )
    for row in found:
        if row["statement_id"] not in visible:
            raise PermissionDenied(_("The statement to void is not one this client can see."))
        if row["verb"] == VERB_VOIDED:
            raise ValidationError(
                _("A voiding statement cannot be voided."), code="invalid_voiding"
            )
    XAPIStatement.objects.filter(pk__in=[row["pk"] for row in found]).update(voided=True)


def since_until(value, name: str):
    """A `since`/`until` parameter as an aware datetime; ValidationError when it is not."""
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValidationError(
            _("%(name)s must be an ISO 8601 date and time.") % {"name": name}, code="bad_param"
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
