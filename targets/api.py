"""The targets part of the REST API (mounted by lms.api at /api/v1/): training targets whose
unit lies within the calling key's units, with their achievement. The figures come from the
selectors the dashboards use (`targets_summary` for lists: the rollup, else a fixed number
of live queries; `target_report` for one target and its child units); nothing is counted
here. Annual reports sent up the chain: list and read those of the key's units, the
consolidated report of a unit, and submit one (keys that may report, e.g. LGSP)."""

import datetime
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from core.api import Id, PageQuery, Problem, not_found, paginate, problem_responses
from people.apikeys import read_auth, report_auth
from people.selectors import filter_by_client_scope, units_visible_to_client

from .models import ReportSubmission, TrainingTarget
from .selectors.achievement import Figure
from .selectors.reports import target_report, targets_loaded, targets_summary
from .selectors.submissions import consolidated_report, submissions_visible_to_client
from .services.submissions import ReportError, report_submit

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
    return filter_by_client_scope(targets_loaded(), client, unit_path="scope_unit__path")


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


# --- annual reports sent up the chain ---------------------------------------------------------
class ReportOut(Schema):
    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    recipient_id: int
    recipient_code: str
    recipient_name: str
    year: int
    status: str
    version: int
    due_date: datetime.date | None
    late: bool
    first_submitted_at: datetime.datetime
    submitted_at: datetime.datetime
    decided_at: datetime.datetime | None


class ReportPage(Schema):
    items: list[ReportOut]
    next: str | None


class ReportVersionOut(Schema):
    number: int
    submitted_at: datetime.datetime
    submitted_by: str | None
    api_client: str | None
    note: str
    snapshot_id: int


class ReportEventOut(Schema):
    version: int
    action: str
    from_status: str
    to_status: str
    by: str | None
    api_client: str | None
    comment: str
    at: datetime.datetime


class ReportTargetTotal(Schema):
    people: int
    population: int | None
    percent: float | None
    needed: int | None
    gap: int | None
    missing_units: int


class ReportUnitRow(ReportTargetTotal):
    code: str
    name: str
    direct: bool


class ReportTargetOut(Schema):
    id: int
    name: str
    target_percent: float
    deadline: str
    target_group: str
    total: ReportTargetTotal
    rows: list[ReportUnitRow]


class ReportDetail(ReportOut):
    figures: list[ReportTargetOut]
    versions: list[ReportVersionOut]
    events: list[ReportEventOut]


class ReportFilter(PageQuery):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    status: Literal["submitted", "returned", "accepted"] | None = None
    recipient: Id | None = None


class ReportIn(Schema):
    unit_id: Id
    year: Annotated[int, Field(ge=2000, le=2100)]
    note: Annotated[str, Field(max_length=4000)] = ""
    expected_version: Annotated[int, Field(ge=0, le=10000)] | None = None


class ConsolidatedUnit(Schema):
    unit_code: str
    unit_name: str
    version: int
    people: int
    population: int | None
    percent: float | None


class ConsolidatedTargetOut(Schema):
    id: int
    name: str
    target_percent: float
    people: int
    population: int | None
    percent: float | None
    units_without_population: int
    units: list[ConsolidatedUnit]


class ConsolidatedIncluded(Schema):
    unit_code: str
    unit_name: str
    version: int


class ConsolidatedMissing(Schema):
    unit_code: str
    unit_name: str
    state: str


class ConsolidatedUnitRef(Schema):
    id: int
    code: str
    name: str


class ConsolidatedOut(Schema):
    unit: ConsolidatedUnitRef
    year: int
    included: list[ConsolidatedIncluded]
    missing: list[ConsolidatedMissing]
    targets: list[ConsolidatedTargetOut]


class ConsolidatedQuery(Schema):
    unit: Id
    year: Annotated[int, Field(ge=2000, le=2100)]


def report_json(submission: ReportSubmission) -> dict:
    return {
        "id": submission.pk,
        "unit_id": submission.unit_id,
        "unit_code": submission.unit.code,
        "unit_name": submission.unit.name,
        "recipient_id": submission.recipient_id,
        "recipient_code": submission.recipient.code,
        "recipient_name": submission.recipient.name,
        "year": submission.year,
        "status": submission.status,
        "version": submission.version,
        "due_date": submission.due_date,
        "late": submission.late,
        "first_submitted_at": submission.first_submitted_at,
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
    }


def _figures(data: dict) -> list[dict]:
    keys = ("people", "population", "percent", "needed", "gap", "missing_units")
    return [
        {
            "id": entry["id"],
            "name": entry["name"],
            "target_percent": entry["target_percent"],
            "deadline": entry["deadline"],
            "target_group": entry["target_group"],
            "total": {key: entry["total"][key] for key in keys},
            "rows": [
                {"code": r["code"], "name": r["name"], "direct": r["direct"]}
                | {key: r[key] for key in keys}
                for r in entry["rows"]
            ],
        }
        for entry in data.get("targets", [])
    ]


def report_detail_json(submission: ReportSubmission) -> dict:
    versions = list(
        submission.versions.select_related("submitted_by", "api_client", "snapshot").order_by(
            "-number"
        )
    )
    events = submission.events.select_related("actor", "api_client").order_by("at", "pk")
    return {
        **report_json(submission),
        "figures": _figures(versions[0].snapshot.data if versions else {}),
        "versions": [
            {
                "number": v.number,
                "submitted_at": v.submitted_at,
                "submitted_by": v.submitted_by.get_username() if v.submitted_by else None,
                "api_client": v.api_client.name if v.api_client else None,
                "note": v.note,
                "snapshot_id": v.snapshot_id,
            }
            for v in versions
        ],
        "events": [
            {
                "version": e.version,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "by": e.actor.get_username() if e.actor else None,
                "api_client": e.api_client.name if e.api_client else None,
                "comment": e.comment,
                "at": e.at,
            }
            for e in events
        ],
    }


@router.get(
    "/reports",
    response={200: ReportPage, **problem_responses()},
    tags=["reports"],
    summary="List annual reports / Danh sách báo cáo năm",
    description=(
        "Annual reports submitted by units within the key's scope (a province's key sees "
        "every report of its communes and districts: submitted, returned or accepted). "
        "Filter by `year`, `status` or `recipient` (the unit reports are sent to: its "
        "incoming reports). Units that have not reported are listed by "
        "`/reports/consolidated`.\n\n"
        "Báo cáo năm của các đơn vị trong phạm vi của khóa (đã gửi, bị trả lại, đã tiếp "
        "nhận); lọc theo năm, trạng thái hoặc đơn vị nhận."
    ),
)
def report_list(request: HttpRequest, params: Query[ReportFilter]):
    qs = submissions_visible_to_client(request.auth)
    if params.year is not None:
        qs = qs.filter(year=params.year)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.recipient is not None:
        qs = qs.filter(recipient_id=params.recipient)
    page = paginate(request, qs, params, scope="reports")
    return page.as_json(report_json)


@router.get(
    "/reports/consolidated",
    response={200: ConsolidatedOut, **problem_responses()},
    tags=["reports"],
    summary="Consolidated report of a unit / Báo cáo tổng hợp của đơn vị",
    description=(
        "The report of `unit` for `year` made of the accepted reports of the units directly "
        "below it: per target, each included unit's frozen figures and their sum (people; "
        "the population of the units that have one, the others counted in "
        "`units_without_population`), and the units whose report is missing or not yet "
        "accepted. For LGSP.\n\n"
        "Báo cáo tổng hợp từ các báo cáo đã tiếp nhận của đơn vị cấp dưới; danh sách đơn vị "
        "chưa gửi hoặc chưa được tiếp nhận."
    ),
)
def report_consolidated(request: HttpRequest, params: Query[ConsolidatedQuery]):
    unit = units_visible_to_client(request.auth).filter(pk=params.unit).first()
    if unit is None:
        raise not_found()
    return consolidated_report(unit, params.year).as_json()


@router.get(
    "/reports/{report_id}",
    response={200: ReportDetail, **problem_responses()},
    tags=["reports"],
    summary="One annual report with its figures / Một báo cáo năm và số liệu",
    description=(
        "The report's state, the frozen figures of its current version (each target counted "
        "at the unit, with one row per unit below it), every version and the audit trail "
        "(who changed its state, when, with which comment).\n\n"
        "Trạng thái, số liệu (phiên bản hiện tại), các phiên bản và lịch sử xử lý."
    ),
)
def report_detail(request: HttpRequest, report_id: Id):
    submission = submissions_visible_to_client(request.auth).filter(pk=report_id).first()
    if submission is None:
        raise not_found()
    return report_detail_json(submission)


@router.post(
    "/reports",
    auth=report_auth,
    response={201: ReportDetail, **problem_responses(400, 401, 403, 404, 409, 422, 429)},
    tags=["reports"],
    summary="Submit a unit's annual report / Gửi báo cáo năm của đơn vị",
    description=(
        "Freeze the current figures of `unit_id` for `year` and send them to the unit above "
        "it in the org tree (a new version when the report was returned). Needs a key that "
        "may submit reports (`can_report`) and whose units hold `unit_id`. A report already "
        "waiting for a decision or accepted is a 409 problem, so a replayed request changes "
        "nothing; `expected_version` (the version you last saw, 0 for none) refuses a stale "
        "one too.\n\n"
        "Chốt số liệu hiện tại và gửi báo cáo lên đơn vị cấp trên (phiên bản mới nếu báo cáo "
        "bị trả lại). Gửi lặp lại khi báo cáo đang chờ xử lý hoặc đã tiếp nhận: lỗi 409."
    ),
)
def report_submit_api(request: HttpRequest, data: ReportIn):
    unit = units_visible_to_client(request.auth).filter(pk=data.unit_id).first()
    if unit is None:
        raise not_found()
    try:
        submission = report_submit(
            unit=unit,
            year=data.year,
            api_client=request.auth,
            note=data.note,
            expected_version=data.expected_version,
        )
    except ReportError as error:
        status = {"conflict": 409, "forbidden": 403}.get(error.code, 400)
        raise Problem(
            status,
            f"report-{error.code}",
            _("The report cannot be submitted."),
            error.message,
        ) from None
    return Status(201, report_detail_json(submission))
