"""Annual reports sent up the chain: a unit's managers submit its report, the managers of the
unit above see what came in (submitted, late, missing), return one with comments or accept
it, and download the consolidated report of the accepted ones.

Pages read through scoped selectors (a report outside the user's scopes is a 404); actions
are POSTs whose rules live in `targets.services.submissions` (a refused action is shown as a
message, in the user's language, and nothing changes)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from people.models import Scope
from people.selectors import units_visible_to

from ..exports import XLSX_TYPE
from ..models import ReportSubmission
from ..selectors.submissions import (
    consolidated_report,
    deadline_for,
    incoming_reports,
    may_review,
    submissions_visible_to,
    units_receiving_by,
    units_reporting_by,
)
from ..services.submissions import ReportError, report_accept, report_return, report_submit
from ..services.submissions_export import consolidated_xlsx
from .access import manager_required


def _year(value) -> int:
    value = str(value or "")
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise Http404
    return int(value)


def _int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 6 else None


@manager_required
@require_GET
def submission_index(request):
    year = _year(request.GET.get("year"))
    own_units = list(units_reporting_by(request.user))
    own = {
        s.unit_id: s
        for s in ReportSubmission.objects.filter(unit__in=own_units, year=year).prefetch_related(
            "events"
        )
    }
    outgoing = []
    for unit in own_units:
        submission = own.get(unit.pk)
        returned = None
        if submission is not None and submission.status == ReportSubmission.Status.RETURNED:
            returned = [e for e in submission.events.all() if e.action == "returned"][-1]
        outgoing.append(
            {
                "unit": unit,
                "submission": submission,
                "due_date": submission.due_date if submission else deadline_for(unit, year),
                "returned": returned,
                "can_submit": submission is None
                or submission.status == ReportSubmission.Status.RETURNED,
            }
        )
    incoming = [
        {"unit": unit, "rows": incoming_reports(unit, year)}
        for unit in units_receiving_by(request.user)
    ]
    incoming = [group for group in incoming if group["rows"]]
    return render(
        request,
        "targets/submissions/index.html",
        {"year": year, "outgoing": outgoing, "incoming": incoming},
    )


@manager_required
@require_POST
def submission_submit(request):
    year = _year(request.POST.get("year"))
    unit = get_object_or_404(
        units_visible_to(request.user, role=Scope.Role.MANAGER),
        pk=_int(request.POST.get("unit")) or 0,
    )
    try:
        submission = report_submit(
            unit=unit,
            year=year,
            user=request.user,
            note=request.POST.get("note", ""),
            expected_version=_int(request.POST.get("expected")),
        )
    except ReportError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(f"{reverse('targets:submissions')}?year={year}")
    messages.success(
        request,
        _("The report of %(unit)s (version %(version)s) was sent to %(recipient)s.")
        % {
            "unit": unit.name,
            "version": submission.version,
            "recipient": submission.recipient.name,
        },
    )
    return HttpResponseRedirect(reverse("targets:submission", args=[submission.pk]))


def _submission_or_404(user, submission_id: int) -> ReportSubmission:
    return get_object_or_404(submissions_visible_to(user), pk=submission_id)


@manager_required
@require_GET
def submission_detail(request, submission_id: int):
    submission = _submission_or_404(request.user, submission_id)
    versions = submission.versions.select_related("snapshot", "submitted_by", "api_client")
    events = submission.events.select_related("actor", "api_client")
    return render(
        request,
        "targets/submissions/detail.html",
        {
            "submission": submission,
            "versions": versions,
            "events": events,
            "can_decide": submission.status == ReportSubmission.Status.SUBMITTED
            and may_review(request.user, submission),
            "can_resubmit": submission.status == ReportSubmission.Status.RETURNED
            and units_reporting_by(request.user).filter(pk=submission.unit_id).exists(),
        },
    )


def _decide(request, submission_id: int, action):
    submission = _submission_or_404(request.user, submission_id)
    version = _int(request.POST.get("version"))
    if version is None:
        raise Http404
    try:
        action(
            submission_id=submission.pk,
            user=request.user,
            version=version,
            comment=request.POST.get("comment", ""),
        )
    except ReportError as error:
        if error.code == "forbidden":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("targets:submission", args=[submission.pk]))


@manager_required
@require_POST
def submission_return(request, submission_id: int):
    return _decide(request, submission_id, report_return)


@manager_required
@require_POST
def submission_accept(request, submission_id: int):
    return _decide(request, submission_id, report_accept)


@manager_required
@require_GET
def submission_consolidated(request, unit_id: int):
    unit = get_object_or_404(units_visible_to(request.user, role=Scope.Role.MANAGER), pk=unit_id)
    year = _year(request.GET.get("year"))
    report = consolidated_report(unit, year)
    fmt = request.GET.get("format", "")
    filename = f"bao-cao-tong-hop-{year}-{unit.code}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(report.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(consolidated_xlsx(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    return render(
        request, "targets/submissions/consolidated.html", {"report": report, "year": year}
    )
