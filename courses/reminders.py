"""Reminders for learners, most of whom have no email: a class day tomorrow, a course
deadline coming.

`reminders_send` runs every hour (Celery beat, `courses.tasks.reminders_send`) and tells each
person through `notify` (in the app, and by SMS when they have a phone; quiet hours are
notify's business). Each reminder carries a key (`class-day:<day>`, `deadline:<enrolment>:
<date>:<week|day>`) that notify stores unique per person, so a run repeated by beat, retried by
Celery or running twice at once reminds nobody twice; a deadline moved to another date is a new
reminder.

"Tomorrow" and "today" are dates in Vietnam (Asia/Ho_Chi_Minh), whatever the server's zone.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from notify.models import Kind
from notify.services import notify

from .models import Enrolment
from .models.classes import ClassMember, SessionDay, TrainingSession

logger = logging.getLogger(__name__)
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 2000  # per kind and run: the next hourly run continues with the rest


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def _language(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", "") or "vi"


def class_reminders_send(*, today: datetime.date) -> int:
    """Remind the roster of every class that meets tomorrow. Returns how many were told."""
    tomorrow = today + datetime.timedelta(days=1)
    days = SessionDay.objects.filter(
        date=tomorrow,
        session__status__in=[TrainingSession.Status.PLANNED, TrainingSession.Status.RUNNING],
    )
    members = (
        ClassMember.objects.filter(session__days__in=days, user__is_active=True)
        .annotate(
            day_id=Subquery(
                SessionDay.objects.filter(session=OuterRef("session"), date=tomorrow).values("pk")[
                    :1
                ]
            )
        )
        .select_related("user__profile", "session__venue")
        .order_by("pk")[:BATCH]
    )
    told = 0
    url = reverse("courses:my_learning")
    for member in members:
        session = member.session
        with override(_language(member.user)):
            title = _("Class tomorrow: %(title)s") % {"title": session.title}
            where = session.address or session.venue.name
            body = _("%(date)s at %(place)s.") % {
                "date": date_format(tomorrow, "SHORT_DATE_FORMAT"),
                "place": where,
            }
            key = f"class-day:{member.day_id}"
            if notify(member.user, Kind.CLASS_REMINDER, title, body, url=url, key=key):
                told += 1
    return told


def deadline_reminders_send(*, today: datetime.date) -> int:
    """Warn learners whose course deadline is near: once within the warning days, once more
    the day before (or on the day). Returns how many were told."""
    warning_days = settings.LMS_DEADLINE_WARNING_DAYS
    enrolments = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=warning_days),
            user__is_active=True,
        )
        .select_related("user__profile", "course")
        .order_by("due_on", "pk")[:BATCH]
    )
    told = 0
    url = reverse("courses:my_learning")
    for enrolment in enrolments:
        left = (enrolment.due_on - today).days
        stage = "day" if left <= 1 else "week"
        with override(_language(enrolment.user)):
            if left == 0:
                title = _("Last day to complete “%(course)s”") % {"course": enrolment.course.title}
            else:
                title = _("%(days)s days left to complete “%(course)s”") % {
                    "days": left,
                    "course": enrolment.course.title,
                }
            body = _("Complete it by %(date)s (%(percent)s%% done).") % {
                "date": date_format(enrolment.due_on, "SHORT_DATE_FORMAT"),
                "percent": enrolment.percent,
            }
            key = f"deadline:{enrolment.pk}:{enrolment.due_on.isoformat()}:{stage}"
            if notify(enrolment.user, Kind.COURSE_DEADLINE, title, body, url=url, key=key):
                told += 1
    return told


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    today = local_today(now)
    result = {
        "class": class_reminders_send(today=today),
        "deadline": deadline_reminders_send(today=today),
    }
    logger.info("reminders sent: %s", result)
    return result
