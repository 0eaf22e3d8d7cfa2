"""Annual report snapshots: make one (POST) and download any in scope."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from people.models import Scope
from people.selectors import filter_by_unit_scope, units_visible_to, user_is_unrestricted

from ..exports import XLSX_TYPE
from ..models import ReportSnapshot
from ..services import report_snapshot_create, report_xlsx
from .access import manager_required


def snapshots_visible_to(user):
    """Snapshots of a unit in the user's scope; national ones (no unit) for administrators."""
    qs = ReportSnapshot.objects.select_related("org_unit", "created_by")
    if user_is_unrestricted(user):
        return qs
    return filter_by_unit_scope(
        qs.filter(org_unit__isnull=False), user, unit_path="org_unit__path", role=Scope.Role.MANAGER
    )


@manager_required
@require_POST
def report_create(request):
    year = request.POST.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise Http404
    unit = None
    code = request.POST.get("unit", "")
    if code or not user_is_unrestricted(request.user):
        unit = get_object_or_404(units_visible_to(request.user, role=Scope.Role.MANAGER), code=code)
    snapshot = report_snapshot_create(year=int(year), unit=unit, user=request.user)
    return HttpResponseRedirect(reverse("targets:report_download", args=[snapshot.pk]))


@manager_required
@require_GET
def report_download(request, snapshot_id: int):
    snapshot = get_object_or_404(snapshots_visible_to(request.user), pk=snapshot_id)
    response = HttpResponse(report_xlsx(snapshot), content_type=XLSX_TYPE)
    unit = snapshot.org_unit.code if snapshot.org_unit else "all"
    filename = f"bao-cao-{snapshot.year}-{unit}-{snapshot.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
