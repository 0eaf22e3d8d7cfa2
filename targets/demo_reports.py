"""Demo annual reports sent up the chain in Gia Lai, so the demo `manager` (the province) has
incoming reports in every state and commune managers have something to act on.

Called from `cms/management/commands/seed_demo.py` after `demo_targets_seed`; idempotent (a
commune that already has this year's report is left alone). The communes report straight to
the province (no districts after the 2025 reform), due by 2 December (as in Đức Cơ's plan).
Four commune managers (password as the other demo accounts): the first commune's report is
accepted, the second's returned with a comment, the third's waits for a decision, the fourth
has not reported yet. Demo data only.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from people.models import OrgUnit, Scope
from people.services import profile_get_or_create, profile_update, scope_grant

from .models import ReportDeadline, ReportSubmission
from .services.submissions import report_accept, report_return, report_submit

COMMUNE_MANAGERS = ("quanly-xa-1", "quanly-xa-2", "quanly-xa-3", "quanly-xa-4")
NAMES = ("Ksor Nguyên", "Rơ Mah Hiền", "Siu Thanh", "Puih Đoan")
RETURN_COMMENT = (
    "Đề nghị xã bổ sung số liệu dân số trưởng thôn, người có uy tín và gửi lại báo cáo."
)


def demo_reports_seed(*, province_code: str, manager, password: str) -> str:
    province = OrgUnit.objects.get(code=province_code)
    year = timezone.localdate().year
    ReportDeadline.objects.get_or_create(
        year=year,
        level="commune",
        unit=province,
        defaults={"due_date": datetime.date(year, 12, 2)},
    )
    communes = list(
        OrgUnit.objects.filter(
            path__startswith=province.path,
            depth=province.depth + 1,
            replaced_by__isnull=True,
            kind=OrgUnit.Kind.COMMUNE,
        ).order_by("code")[: len(COMMUNE_MANAGERS)]
    )
    User = get_user_model()
    made = 0
    for index, (commune, username) in enumerate(zip(communes, COMMUNE_MANAGERS, strict=False)):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.save()
            profile_update(
                profile=profile_get_or_create(user=user), full_name=NAMES[index], org_unit=commune
            )
        if not Scope.objects.filter(user=user, role=Scope.Role.MANAGER, org_unit=commune).exists():
            scope_grant(user=user, role=Scope.Role.MANAGER, org_unit=commune)
        if index == 3 or ReportSubmission.objects.filter(unit=commune, year=year).exists():
            continue
        submission = report_submit(
            unit=commune, year=year, user=user, note=f"Báo cáo năm {year} của {commune.name}."
        )
        if index == 0:
            report_accept(submission_id=submission.pk, user=manager, version=1)
        elif index == 1:
            report_return(
                submission_id=submission.pk, user=manager, version=1, comment=RETURN_COMMENT
            )
        made += 1
    return f"Annual reports: {made} made ({', '.join(COMMUNE_MANAGERS)})."
