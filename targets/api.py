"""The targets part of the REST API (mounted by lms.api at /api/v1/): training targets whose
unit lies within the calling key's units, with their achievement. The figures come from the
selectors the dashboards use (`targets_summary` for lists: the rollup, else a fixed number
of live queries; `target_report` for one target and its child units); nothing is counted
here."""

import datetime
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from core.api import Id, PageQuery, not_found, paginate, problem_responses
from people.apikeys import read_auth
from people.selectors import filter_by_client_scope

from .models import TrainingTarget
from .selectors.achievement import Figure
from .selectors.reports import target_report, targets_summary

router = Router(tags=["targets"], auth=read_auth)


class FigureOut(Schema):
    people: int
    population: int | None
    percent: float | None
    target_percent: float
    needed: int | None
    gap: int | None
    reached: bool
    missing_units: int
    as_of: datetime.datetime | None


class TargetOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    reporting_year: int
    deadline: datetime.date
    target_percent: float
    target_groups: list[str]
    ethnic_group: str | None
    any_minority: bool
    gender: str
    topic: str
    achievement: FigureOut


class TargetPage(Schema):
    items: list[TargetOut]
    next: str | None


class UnitFigure(Schema):
    unit_id: int
    code: str
    name: str
    direct: bool
    achievement: FigureOut


class TargetDetail(TargetOut):
    units: list[UnitFigure]


class TargetFilter(PageQuery):
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None


def figure_json(figure: Figure) -> dict:
    return {
        "people": figure.people,
        "population": figure.population,
        "percent": figure.percent,
        "target_percent": float(figure.target_percent),
        "needed": figure.needed,
        "gap": figure.gap,
        "reached": figure.reached,
        "missing_units": figure.missing_units,
        "as_of": figure.as_of,
    }


def target_json(target: TrainingTarget, figure: Figure) -> dict:
    return {
        "id": target.pk,
        "name": target.name,
        "unit_id": target.scope_unit_id,
        "unit_name": target.scope_unit.name,
        "reporting_year": target.reporting_year,
        "deadline": target.deadline,
        "target_percent": float(target.target_percent),
        "target_groups": sorted(g.code for g in target.target_groups.all()),
        "ethnic_group": target.ethnic_group.code if target.ethnic_group else None,
        "any_minority": target.any_minority,
        "gender": target.gender,
        "topic": target.topic,
        "achievement": figure_json(figure),
    }


def targets_visible_to_client(client) -> QuerySet[TrainingTarget]:
    qs = TrainingTarget.objects.select_related("scope_unit", "ethnic_group").prefetch_related(
        "target_groups"
    )
    return filter_by_client_scope(qs, client, unit_path="scope_unit__path")


@router.get(
    "/targets",
    response={200: TargetPage, **problem_responses()},
    summary="List targets and achievement / Danh sách chỉ tiêu và kết quả",
    description=(
        "Training targets set for units within the key's scope, each with its achievement "
        "(people trained with evidence against the population; `as_of` says when it was "
        "counted, null: now). Filter by reporting `year`.\n\n"
        "Các chỉ tiêu đào tạo của đơn vị trong phạm vi, kèm kết quả thực hiện."
    ),
)
def target_list(request: HttpRequest, params: Query[TargetFilter]):
    qs = targets_visible_to_client(request.auth)
    if params.year is not None:
        qs = qs.filter(reporting_year=params.year)
    page = paginate(request, qs, params, scope="targets")
    figures = dict((t.pk, f) for t, f in targets_summary(page.items, use_rollup=True))
    return page.as_json(lambda t: target_json(t, figures[t.pk]))


@router.get(
    "/targets/{target_id}",
    response={200: TargetDetail, **problem_responses()},
    summary="One target with its units / Một chỉ tiêu theo đơn vị",
    description=(
        "The target's achievement, counted now, and that of each unit directly below its "
        "unit.\n\nKết quả thực hiện chỉ tiêu và của từng đơn vị trực thuộc."
    ),
)
def target_detail(request: HttpRequest, target_id: Id):
    target = targets_visible_to_client(request.auth).filter(pk=target_id).first()
    if target is None:
        raise not_found()
    report = target_report(target, with_series=False)
    return {
        **target_json(target, report.total),
        "units": [
            {
                "unit_id": row.unit_id,
                "code": row.code,
                "name": row.name,
                "direct": row.direct,
                "achievement": figure_json(row.figure),
            }
            for row in report.rows
        ],
    }
