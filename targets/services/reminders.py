"""Reminders before an annual report is due: the managers of every unit that has not sent its
report (or has one returned) are told `REMINDER_DAYS` days before the due date, and on the
day itself, in the app (and by the channels they chose for general messages).

Run daily by Celery beat (`targets.tasks.report_reminders_send`). Idempotent per day: a
manager already reminded today about that year's report is not reminded again, so a beat
that fires twice or a rerun sends nothing new.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from people.models import OrgUnit, Scope

from ..models import ReportDeadline, ReportSubmission
from ..selectors.submissions import deadline_pick, deadlines_for_year

REMINDER_DAYS = (7, 1, 0)


def report_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the managers of units whose report is due in one of `REMINDER_DAYS` days and
    not sent (or returned). Returns how many reminders were sent."""
    from notify.models import Kind, Notification
    from notify.services import notify

    today = today or timezone.localdate()
    due_days = [today + datetime.timedelta(days=n) for n in REMINDER_DAYS]
    sent = 0
    for year in sorted(
        set(ReportDeadline.objects.filter(due_date__in=due_days).values_list("year", flat=True))
    ):
        deadlines = deadlines_for_year(year)
        areas = Q()
        for level, path, due in deadlines:
            if due in due_days:
                areas |= Q(kind=level, path__startswith=path or "")
        done = ReportSubmission.objects.filter(year=year).exclude(
            status=ReportSubmission.Status.RETURNED
        )
        units = (
            OrgUnit.objects.filter(areas, replaced_by__isnull=True, depth__gt=1)
            .exclude(pk__in=done.values("unit"))
            .filter(scopes__role=Scope.Role.MANAGER)
            .distinct()
        )
        url = f"/manage/reports/?year={year}"
        reminded = set(
            Notification.objects.filter(url=url, created_at__date=today).values_list(
                "user_id", flat=True
            )
        )
        scopes = Scope.objects.filter(role=Scope.Role.MANAGER, org_unit__in=units).select_related(
            "user", "org_unit", "user__profile"
        )
        for scope in scopes.order_by("org_unit__path", "user_id"):
            unit = scope.org_unit
            due = deadline_pick(deadlines, kind=unit.kind, path=unit.path)
            if due not in due_days or scope.user_id in reminded:
                continue
            profile = getattr(scope.user, "profile", None)
            language = getattr(profile, "preferred_language", "") or "vi"
            with override(language):
                notify(
                    scope.user,
                    Kind.GENERAL,
                    _("The annual report %(year)s of %(unit)s is due on %(date)s")
                    % {"year": year, "unit": unit.name, "date": due.strftime("%d/%m/%Y")},
                    _("Submit it to the unit above on the annual reports page."),
                    url=url,
                )
            reminded.add(scope.user_id)
            sent += 1
    return sent
