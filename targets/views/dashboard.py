"""The targets list, a target's page with drill-down, and the people behind a number."""

import hashlib

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from people.models import OrgUnit, Scope
from people.selectors import units_visible_to

from ..charts import monthly_chart
from ..exports import FORMATS, table_response
from ..forms import FilterForm
from ..selectors.achievement import Criteria
from ..selectors.cache import cache_seconds, cached_target_report
from ..selectors.evidence import people_behind
from ..selectors.reports import target_report, targets_summary, targets_visible_to
from ..tables import people_table, summary_table, units_table
from .access import drill_unit_or_404, manager_required, target_or_404

PEOPLE_PER_PAGE = 100


def _format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


@manager_required
@require_GET
def target_list(request):
    targets = list(targets_visible_to(request.user).order_by("-reporting_year", "name", "pk"))
    summary = targets_summary(targets, use_rollup=True)
    fmt = _format(request)
    if fmt:
        headers, rows = summary_table(summary)
        return table_response(
            fmt=fmt, filename="chi-tieu", title=_("Training targets"), headers=headers, rows=rows
        )
    report_units = units_visible_to(request.user, role=Scope.Role.MANAGER).filter(
        kind=OrgUnit.Kind.PROVINCE, replaced_by__isnull=True
    )
    return render(
        request,
        "targets/list.html",
        {"summary": summary, "report_units": report_units.order_by("name")},
    )


def _criteria(request, target) -> tuple[FilterForm, Criteria]:
    form = FilterForm(request.GET or None)
    return form, Criteria.for_target(target, **form.overrides())


@manager_required
@require_GET
def target_detail(request, target_id: int):
    target = target_or_404(request.user, target_id)
    unit = drill_unit_or_404(target, request.GET.get("unit"))
    form, criteria = _criteria(request, target)
    fmt = _format(request)
    if fmt:
        report = target_report(target, unit=unit, criteria=criteria, with_series=False)
        headers, rows = units_table(report)
        return table_response(
            fmt=fmt,
            filename=f"chi-tieu-{target.pk}-{unit.code}",
            title=unit.name,
            headers=headers,
            rows=rows,
        )
    report = cached_target_report(target, unit=unit, criteria=criteria)
    ancestors = [a for a in unit.get_ancestors() if a.path.startswith(target.scope_unit.path)]
    return render(
        request,
        "targets/detail.html",
        {
            "target": target,
            "report": report,
            "unit": unit,
            "ancestors": ancestors,
            "form": form,
            "chart": monthly_chart(report.series, criteria.year),
            "people_url": reverse("targets:people", args=[target.pk]),  # once, not per row
            "query": _query_without(request, "unit", "format", "page"),
            # The rendered figures are cached with the report: same figures, same filters.
            "fragment_key": report.cache_key
            and hashlib.sha256((report.cache_key + request.GET.urlencode()).encode()).hexdigest(),
            "cache_seconds": cache_seconds(),
        },
    )


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@manager_required
@require_GET
def target_people(request, target_id: int):
    target = target_or_404(request.user, target_id)
    unit = drill_unit_or_404(target, request.GET.get("unit"))
    _form, criteria = _criteria(request, target)
    direct = request.GET.get("direct") == "1"
    qs = people_behind(criteria, unit=unit, direct=direct)
    fmt = _format(request)
    if fmt:
        headers, rows = people_table(qs.iterator(chunk_size=2000))
        return table_response(
            fmt=fmt,
            filename=f"nguoi-hoc-{target.pk}-{unit.code}",
            title=unit.name,
            headers=headers,
            rows=rows,
        )
    page = Paginator(qs, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/people.html",
        {
            "target": target,
            "unit": unit,
            "page": page,
            "direct": direct,
            "query": _query_without(request, "format", "page"),
        },
    )
