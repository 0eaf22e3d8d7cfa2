"""Writes of the reporting chain: submit a unit's annual report, return it with comments,
accept it.

Each runs in one transaction: it locks the submission row, checks who acts (see
`selectors.submissions`: a manager at the unit submits, a manager at the unit above decides,
never on a report of their own) and the state (a report waiting for a decision cannot be sent
again, a decision names the version it decides, so a replayed or stale form is refused),
freezes the numbers as a new version when submitting, writes the audit event and sends
`report_state_changed` (webhooks listen) inside the transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import OrgUnit

from ..models import ReportEvent, ReportSubmission, ReportVersion
from ..selectors.submissions import (
    LEVELS,
    deadline_for,
    may_review,
    may_submit,
    unit_above,
)
from ..signals import report_state_changed
from .reports import report_snapshot_create

MAX_COMMENT_CHARS = 4000
Status = ReportSubmission.Status


class ReportError(Exception):
    """A refused report action; `code` says why (forbidden, conflict, invalid)."""

    code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReportForbidden(ReportError):
    code = "forbidden"


class ReportConflict(ReportError):
    code = "conflict"


class ReportInvalid(ReportError):
    code = "invalid"


def _event(submission, *, version, action, from_status, actor=None, api_client=None, comment=""):
    event = ReportEvent.objects.create(
        submission=submission,
        version=version.number,
        action=action,
        from_status=from_status,
        to_status=submission.status,
        actor=actor,
        api_client=api_client,
        comment=comment,
        at=timezone.now(),
    )
    report_state_changed.send(
        sender=ReportSubmission, submission=submission, event=event, version=version
    )
    return event


@transaction.atomic
def report_submit(
    *,
    unit: OrgUnit,
    year: int,
    user=None,
    api_client=None,
    note: str = "",
    expected_version: int | None = None,
) -> ReportSubmission:
    """Freeze `unit`'s report for `year` and send it to the unit above (a first submission,
    or a new version of a returned one). `user` must manage `unit` itself; an `api_client`
    (already checked by the API: the unit is in its scope and it may submit) acts for it.
    `expected_version` (the version the form showed, 0 for none) refuses a stale or replayed
    form."""
    if unit.kind not in LEVELS:
        raise ReportInvalid(_("Only communes and districts send their report up."))
    if user is not None and not may_submit(user, unit):
        raise ReportForbidden(_("You may only submit the report of a unit you manage."))
    if user is None and api_client is None:
        raise ReportForbidden(_("Someone must submit the report."))
    if not 2000 <= year <= 2100:
        raise ReportInvalid(_("The reporting year must be between 2000 and 2100."))
    note = (note or "").strip()
    if len(note) > MAX_COMMENT_CHARS:
        raise ReportInvalid(_("The note is too long."))
    recipient = unit_above(unit)
    if recipient is None:
        raise ReportInvalid(_("This unit has no unit above it to report to."))
    submission = ReportSubmission.objects.select_for_update().filter(unit=unit, year=year).first()
    current = submission.version if submission else 0
    if submission is not None and submission.status == Status.SUBMITTED:
        raise ReportConflict(_("This report was already submitted and awaits a decision."))
    if submission is not None and submission.status == Status.ACCEPTED:
        raise ReportConflict(_("This report was already accepted."))
    if expected_version is not None and expected_version != current:
        raise ReportConflict(_("This report changed since you opened it. Reload the page."))
    now = timezone.now()
    snapshot = report_snapshot_create(year=year, unit=unit, user=user, covering=True)
    if submission is None:
        due = deadline_for(unit, year)
        try:
            with transaction.atomic():
                submission = ReportSubmission.objects.create(
                    unit=unit,
                    year=year,
                    recipient=recipient,
                    status=Status.SUBMITTED,
                    version=1,
                    due_date=due,
                    late=bool(due and timezone.localdate(now) > due),
                    first_submitted_at=now,
                    submitted_at=now,
                )
        except IntegrityError as error:  # the same report sent twice at once
            raise ReportConflict(
                _("This report was already submitted and awaits a decision.")
            ) from error
        from_status = ""
    else:
        from_status = submission.status
        submission.status = Status.SUBMITTED
        submission.version = current + 1
        submission.submitted_at = now
        submission.decided_at = None
        submission.decided_by = None
        submission.save(
            update_fields=["status", "version", "submitted_at", "decided_at", "decided_by"]
        )
    version = ReportVersion.objects.create(
        submission=submission,
        number=submission.version,
        snapshot=snapshot,
        submitted_by=user,
        api_client=api_client,
        submitted_at=now,
        note=note,
    )
    _event(
        submission,
        version=version,
        action=ReportEvent.Action.SUBMITTED,
        from_status=from_status,
        actor=user,
        api_client=api_client,
        comment=note,
    )
    return submission


def _decide(*, submission_id: int, user, version: int, to: str, comment: str) -> ReportSubmission:
    submission = (
        ReportSubmission.objects.select_for_update()
        .select_related("unit", "recipient")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise ReportForbidden(_("Report not found."))
    if not may_review(user, submission):
        raise ReportForbidden(
            _("Only a manager of the unit the report was sent to may decide on it.")
        )
    if submission.status != Status.SUBMITTED:
        raise ReportConflict(_("This report is not waiting for a decision."))
    if version != submission.version:
        raise ReportConflict(_("This report changed since you opened it. Reload the page."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ReportInvalid(_("The comment is too long."))
    if to == Status.RETURNED and not comment:
        raise ReportInvalid(_("Say what should change: a returned report needs a comment."))
    submission.status = to
    submission.decided_at = timezone.now()
    submission.decided_by = user
    submission.save(update_fields=["status", "decided_at", "decided_by"])
    _event(
        submission,
        version=submission.versions.get(number=version),
        action=ReportEvent.Action.RETURNED
        if to == Status.RETURNED
        else ReportEvent.Action.ACCEPTED,
        from_status=Status.SUBMITTED,
        actor=user,
        comment=comment,
    )
    return submission


@transaction.atomic
def report_return(*, submission_id: int, user, version: int, comment: str) -> ReportSubmission:
    """Send the report back to its unit with comments (required) for a new version."""
    return _decide(
        submission_id=submission_id, user=user, version=version, to=Status.RETURNED, comment=comment
    )


@transaction.atomic
def report_accept(*, submission_id: int, user, version: int, comment: str = "") -> ReportSubmission:
    """Accept the report's current version: it now counts in the consolidated report."""
    return _decide(
        submission_id=submission_id, user=user, version=version, to=Status.ACCEPTED, comment=comment
    )
