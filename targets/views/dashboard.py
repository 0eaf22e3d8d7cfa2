"""The scope overview, the targets list, a target's page with drill-down, the people behind a
number, the learners of a unit who did not finish, and a target's printable summary."""

import hashlib

from django.core.paginator import Paginator
from django.http import HttpResponse
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
from ..selectors.overview import (
    classes_planned,
    elapsed_percent,
    not_finished,
    scope_overview,
    status_of,
    unit_summary,
)
from ..selectors.reports import target_report, targets_summary, targets_visible_to
from ..tables import not_finished_table, people_table, summary_table, units_table
from .access import drill_unit_or_404, manager_required, target_or_404

PEOPLE_PER_PAGE = 100


def _format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


@manager_required
@require_GET
def overview(request):
    """Where a manager lands: every target in scope on one line, the urgent ones first."""
    targets = list(targets_visible_to(request.user).order_by("-reporting_year", "name", "pk"))
    return render(request, "targets/overview.html", {"lines": scope_overview(targets)})


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
    target = target_or_404(request, target_id)
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
    elapsed = elapsed_percent(target)
    query = _query_without(request, "unit", "format", "page")
    return render(
        request,
        "targets/detail.html",
        {
            "target": target,
            "report": report,
            "unit": unit,
            "ancestors": ancestors,
            "form": form,
            "chart": monthly_chart(
                report.series,
                criteria.year,
                needed=report.total.needed,
                deadline=target.deadline,
            ),
            "elapsed": elapsed,
            "status": status_of(report.total, elapsed),
            "units": unit_summary(report.rows, elapsed),
            "chips": _chips(request, form),
            "people_url": reverse("targets:people", args=[target.pk]),  # once, not per row
            "not_finished_url": reverse("targets:not_finished", args=[target.pk]),
            "summary_pdf_url": reverse("targets:summary_pdf", args=[target.pk]),
            "query": query,
            # The rendered figures are cached with the report: same figures, same filters.
            "fragment_key": report.cache_key
            and hashlib.sha256((report.cache_key + request.GET.urlencode()).encode()).hexdigest(),
            "cache_seconds": cache_seconds(),
        },
    )


def _chips(request, form) -> list[tuple[str, str]]:
    """Each active filter with the query string that removes it (the URL keeps the rest)."""
    return [(text, _query_without(request, name, "format", "page")) for text, name in form.chips()]


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@manager_required
@require_GET
def target_people(request, target_id: int):
    target = target_or_404(request, target_id)
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


@manager_required
@require_GET
def target_not_finished(request, target_id: int):
    """Who to call in a unit that is behind: learners who enrolled in what counts and did not
    finish (with their last activity), and the classes planned there; CSV/XLSX for the
    commune's trainer."""
    target = target_or_404(request, target_id)
    unit = drill_unit_or_404(target, request.GET.get("unit"))
    form, criteria = _criteria(request, target)
    qs = not_finished(criteria, unit=unit)
    fmt = _format(request)
    if fmt:
        headers, rows = not_finished_table(qs.iterator(chunk_size=2000))
        return table_response(
            fmt=fmt,
            filename=f"chua-hoan-thanh-{target.pk}-{unit.code}",
            title=unit.name,
            headers=headers,
            rows=rows,
        )
    page = Paginator(qs, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/not_finished.html",
        {
            "target": target,
            "unit": unit,
            "page": page,
            "classes": list(classes_planned(criteria, unit=unit)[:50]),
            "chips": _chips(request, form),
            "query": _query_without(request, "format", "page"),
            "back_query": _query_without(request, "format", "page", "unit"),
        },
    )


@manager_required
@require_GET
def target_summary_pdf(request, target_id: int):
    """A one-page A4 summary of a target at a unit for a meeting: figures, chart, the units
    furthest behind."""
    from ..pdf import target_summary_pdf as render_pdf  # reportlab only when asked for

    target = target_or_404(request, target_id)
    unit = drill_unit_or_404(target, request.GET.get("unit"))
    form, criteria = _criteria(request, target)
    report = cached_target_report(target, unit=unit, criteria=criteria)
    elapsed = elapsed_percent(target)
    content = render_pdf(
        report=report,
        chart=monthly_chart(
            report.series, criteria.year, needed=report.total.needed, deadline=target.deadline
        ),
        elapsed=elapsed,
        status=status_of(report.total, elapsed),
        behind=unit_summary(report.rows, elapsed).behind,
        filters=[text for text, _name in form.chips()],
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chi-tieu-{target.pk}-{unit.code}.pdf"'
    return response
