"""Self check-in: learners on a roster mark themselves present with the day's QR code.

The QR code on the trainer's class page holds a URL whose token is an HMAC of the class and
the date, keyed by the class's own secret and the site's. It is valid on that day only, so a
photo of the code sent to a friend at home does not work the next day; and it is useless to
anyone not on the roster.
"""

import datetime
import hmac
import uuid
from hashlib import sha256

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models.classes import (
    AttendanceMark,
    AttendanceStatus,
    ClassMember,
    SessionDay,
    TrainingSession,
)
from .services import attendance_mark


def checkin_token(session: TrainingSession, day: datetime.date) -> str:
    """The token of a class's check-in QR code for one day: an HMAC of the class and the date,
    keyed by the class's own secret and the site's, so yesterday's photo of the QR fails."""
    key = f"{settings.SECRET_KEY}:{session.checkin_secret}".encode()
    message = f"{session.pk}:{day.isoformat()}".encode()
    return hmac.new(key, message, sha256).hexdigest()[:20]


def checkin_day(session: TrainingSession, token: str) -> SessionDay | None:
    """Today's class day when `token` is today's token and self check-in is on."""
    today = timezone.localdate()
    if not session.self_checkin or session.status in (
        TrainingSession.Status.CANCELLED,
        TrainingSession.Status.FINISHED,
    ):
        return None
    if not token or not token.isascii():
        return None
    if not hmac.compare_digest(checkin_token(session, today), token):
        return None
    return session.days.filter(date=today).first()


@transaction.atomic
def self_checkin(*, user, session: TrainingSession, token: str) -> AttendanceMark:
    """A learner on the roster marks themselves present with today's QR code."""
    day = checkin_day(session, token)
    if day is None:
        raise ValidationError(
            _("This check-in code is not valid today. Ask the trainer for today's code."),
            code="bad_token",
        )
    if not ClassMember.objects.filter(session=session, user=user).exists():
        raise ValidationError(_("You are not on this class's roster."), code="not_member")
    mark, _created = attendance_mark(
        user=user,
        day=day,
        learner=user,
        status=AttendanceStatus.PRESENT,
        client_uuid=uuid.uuid4(),
        source=AttendanceMark.Source.CHECKIN,
        check_permission=False,
    )
    return mark
