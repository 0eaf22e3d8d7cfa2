"""Self check-in: learners on a roster mark themselves present with a code from the trainer.

Two kinds of code, chosen per class (`TrainingSession.checkin_mode`):

- **rotating** (the default): a 6-digit code that changes every minute, shown on the trainer's
  check-in screen in large digits and as a QR code. It is an HMAC of the class and the minute
  window, keyed by the class's own secret and the site's; the code of the current and of the
  previous window are accepted (so a code read at the end of a minute still works), nothing
  older. A photo sent to a friend at home is useless by the time it arrives.
- **daily**: the QR code of a URL whose token is an HMAC of the class and the date, valid that
  day only (it can be printed, but a photo of it works all day).

Either way only a learner on the roster can use it, and only on a class day while the class
is neither finished nor cancelled. A wrong code is answered with the reason (expired, not
this class's, not today's), and wrong codes are limited per learner so the 6 digits cannot be
guessed by trying.
"""

import datetime
import hmac
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models.classes import (
    AttendanceMark,
    ClassMember,
    SessionDay,
    TrainingSession,
)
from .services import attendance_mark_self

WINDOW_SECONDS = 60
CODE_DIGITS = 6
# How far back (in windows: three days) a wrong code is recognised as an expired code of this
# class, for the reason shown; a few milliseconds, spent only on wrong codes, which are limited.
EXPIRED_LOOKBACK = 3 * 24 * 60
# Wrong codes a learner may enter per class before waiting (10^6 codes, 2 valid at a time).
MAX_WRONG_CODES = 10
WRONG_CODES_PERIOD = 15 * 60


def _key(session: TrainingSession) -> bytes:
    return f"{settings.SECRET_KEY}:{session.checkin_secret}".encode()


def checkin_token(session: TrainingSession, day: datetime.date) -> str:
    """The token of a class's daily check-in QR code: an HMAC of the class and the date, keyed
    by the class's own secret and the site's, so yesterday's photo of the QR fails."""
    message = f"{session.pk}:{day.isoformat()}".encode()
    return hmac.new(_key(session), message, sha256).hexdigest()[:20]


def checkin_window(now: datetime.datetime | None = None) -> int:
    """The number of the minute window `now` (default: the current time) falls in."""
    return int((now or timezone.now()).timestamp() // WINDOW_SECONDS)


def checkin_code(session: TrainingSession, window: int) -> str:
    """The rotating code of one minute window: 6 digits from an HMAC of the class and the
    window (dynamic truncation as in HOTP, RFC 4226)."""
    digest = hmac.new(_key(session), f"{session.pk}:window:{window}".encode(), sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def checkin_current(session: TrainingSession) -> tuple[str, int]:
    """The code to show now, for a class: (code or daily token, seconds it stays on screen).

    A rotating code is shown until its window ends; it is then still accepted for one more
    minute. The daily token is shown until midnight."""
    now = timezone.now()
    if session.checkin_mode == TrainingSession.CheckinMode.DAILY:
        local = timezone.localtime(now)
        midnight = (local + datetime.timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return checkin_token(session, local.date()), max(1, int((midnight - local).total_seconds()))
    window = checkin_window(now)
    left = WINDOW_SECONDS - int(now.timestamp() % WINDOW_SECONDS)
    return checkin_code(session, window), max(1, left)


def checkin_open_day(session: TrainingSession) -> SessionDay | None:
    """Today's class day, when self check-in is on and the class is neither over nor
    cancelled; None otherwise."""
    if not session.self_checkin or session.status in (
        TrainingSession.Status.CANCELLED,
        TrainingSession.Status.FINISHED,
    ):
        return None
    return session.days.filter(date=timezone.localdate()).first()


def _refused(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rotating_code_ok(session: TrainingSession, token: str) -> bool:
    window = checkin_window()
    return any(hmac.compare_digest(checkin_code(session, w), token) for w in (window, window - 1))


def _rotating_code_expired(session: TrainingSession, token: str) -> bool:
    """Whether `token` was this class's code in an earlier window of the last day."""
    window = checkin_window()
    return any(
        checkin_code(session, w) == token
        for w in range(window - 2, window - EXPIRED_LOOKBACK - 1, -1)
    )


def checkin_day(session: TrainingSession, token: str) -> SessionDay:
    """Today's class day when `token` is a code of this class valid now; otherwise a
    ValidationError with the reason (`checkin_closed`, `no_class_today`, `code_expired`,
    `bad_code`)."""
    if not session.self_checkin or session.status in (
        TrainingSession.Status.CANCELLED,
        TrainingSession.Status.FINISHED,
    ):
        raise _refused(_("Self check-in is not open for this class."), "checkin_closed")
    token = token if isinstance(token, str) and token.isascii() else ""
    today = timezone.localdate()
    if session.checkin_mode == TrainingSession.CheckinMode.DAILY:
        ok = hmac.compare_digest(checkin_token(session, today), token)
        if not ok:
            raise _refused(
                _("This check-in code is not valid today. Ask the trainer for today's code."),
                "bad_code",
            )
    else:
        token = token.strip().replace(" ", "")
        if len(token) != CODE_DIGITS or not token.isdigit():
            raise _refused(
                _("A check-in code has %(digits)s digits. Read it off the trainer's screen.")
                % {"digits": CODE_DIGITS},
                "bad_code",
            )
        if not _rotating_code_ok(session, token):
            if _rotating_code_expired(session, token):
                raise _refused(
                    _(
                        "This code has expired: it changes every minute. Scan or type the code "
                        "on the trainer's screen now."
                    ),
                    "code_expired",
                )
            raise _refused(
                _("This is not the check-in code of this class. Check the code on the screen."),
                "bad_code",
            )
    day = session.days.filter(date=today).first()
    if day is None:
        raise _refused(_("This class does not meet today."), "no_class_today")
    return day


def _wrong_codes_key(user, session) -> str:
    return f"checkin-wrong:{user.pk}:{session.pk}"


def checkin_attempts_left(*, user, session: TrainingSession) -> bool:
    """False once the learner has entered too many wrong codes for this class lately."""
    return (cache.get(_wrong_codes_key(user, session)) or 0) < MAX_WRONG_CODES


def _count_wrong_code(user, session) -> None:
    key = _wrong_codes_key(user, session)
    if not cache.add(key, 1, timeout=WRONG_CODES_PERIOD):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, timeout=WRONG_CODES_PERIOD)


def checkin_verify(*, user, session: TrainingSession, token: str) -> SessionDay:
    """`checkin_day` for one learner: wrong codes are counted, and after MAX_WRONG_CODES
    the learner waits (`too_many_codes`) whatever the code."""
    if not checkin_attempts_left(user=user, session=session):
        raise _refused(
            _("Too many wrong codes. Wait a few minutes, then ask the trainer for the code."),
            "too_many_codes",
        )
    try:
        return checkin_day(session, token)
    except ValidationError as error:
        if error.code in ("bad_code", "code_expired"):
            _count_wrong_code(user, session)
        raise


@transaction.atomic
def self_checkin(*, user, session: TrainingSession, token: str) -> AttendanceMark:
    """A learner on the roster marks themselves present with a valid code of the class."""
    day = checkin_verify(user=user, session=session, token=token)
    if not ClassMember.objects.filter(session=session, user=user).exists():
        raise ValidationError(_("You are not on this class's roster."), code="not_member")
    return attendance_mark_self(learner=user, day=day)


def checkin_classes_today(user):
    """The learner's classes that take a rotating code today (for the type-the-code page)."""
    return (
        TrainingSession.objects.filter(
            members__user=user,
            self_checkin=True,
            checkin_mode=TrainingSession.CheckinMode.ROTATING,
            days__date=timezone.localdate(),
        )
        .exclude(status__in=[TrainingSession.Status.CANCELLED, TrainingSession.Status.FINISHED])
        .select_related("course")
        .distinct()
    )


def self_checkin_by_code(*, user, code: str) -> AttendanceMark:
    """A learner types the 6-digit code from the trainer's screen: it is checked against the
    rotating codes of the learner's own classes today (so a code only works for the class it
    belongs to), with the same limit on wrong codes as the QR code."""
    sessions = list(checkin_classes_today(user))
    if not sessions:
        raise ValidationError(
            _("You have no class with self check-in today."), code="no_class_today"
        )
    limit = TrainingSession(pk=0)  # one counter of wrong typed codes per learner
    if not checkin_attempts_left(user=user, session=limit):
        raise _refused(
            _("Too many wrong codes. Wait a few minutes, then ask the trainer for the code."),
            "too_many_codes",
        )
    errors = []
    for session in sessions:
        try:
            checkin_day(session, code)
        except ValidationError as error:
            errors.append(error)
            continue
        return self_checkin(user=user, session=session, token=code)
    _count_wrong_code(user, limit)
    # The most telling reason: expired beats "not a code of your classes".
    for error in errors:
        if error.code == "code_expired":
            raise error
    if len(sessions) == 1 or errors[0].code != "bad_code":
        raise errors[0]
    raise _refused(_("This is not the check-in code of any of your classes today."), "bad_code")
