"""Trainer views: the H5P activities placed in lessons and each learner's results, as a page
and as CSV. Trainers, managers and administrators only; learners are scoped in SQL."""

import unicodedata

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.tables import table_response
from people.selectors import user_has_role

from ..models import LessonPage
from .selectors import activity_results, placed_activities


def _require_staff_role(request) -> None:
    if not user_has_role(request.user):
        raise PermissionDenied


def _activity_or_404(lesson_id: int, block_id: str):
    lesson = LessonPage.objects.filter(pk=lesson_id).only("id", "title", "body").first()
    if lesson is None:
        raise Http404
    block = next((b for b in lesson.h5p_blocks if b.id == block_id), None)
    if block is None:
        raise Http404
    return lesson, block


@login_required
@require_GET
def activity_list(request):
    _require_staff_role(request)
    return render(request, "courses/h5p/activity_list.html", {"activities": placed_activities()})


@login_required
@require_GET
def activity_report(request, lesson_id: int, block_id: str):
    _require_staff_role(request)
    lesson, block = _activity_or_404(lesson_id, block_id)
    rows = activity_results(user=request.user, lesson_id=lesson_id, block_id=block_id)
    return render(
        request,
        "courses/h5p/activity_report.html",
        {"lesson": lesson, "block_id": block.id, "package": block.value["package"], "rows": rows},
    )


@login_required
@require_GET
def activity_report_csv(request, lesson_id: int, block_id: str):
    _require_staff_role(request)
    lesson, _block = _activity_or_404(lesson_id, block_id)
    rows = activity_results(user=request.user, lesson_id=lesson_id, block_id=block_id)
    headers = [
        _("Username"),
        _("Full name"),
        _("Unit"),
        _("Best score"),
        _("Last score"),
        _("Attempts"),
        _("Time (seconds)"),
        _("Completed at"),
        _("Last activity"),
    ]
    table = []
    for row in rows:
        user = row.enrolment.user
        profile = getattr(user, "profile", None)
        table.append(
            [
                user.username,
                unicodedata.normalize("NFC", profile.full_name if profile else ""),
                profile.org_unit.name if profile and profile.org_unit else "",
                "" if row.best_score is None else row.best_score,
                "" if row.last_score is None else row.last_score,
                row.attempts,
                row.seconds,
                row.completed_at.isoformat() if row.completed_at else "",
                row.updated_at.isoformat(),
            ]
        )
    filename = f"h5p-{lesson_id}-{block_id[:8]}"
    return table_response(fmt="csv", filename=filename, title=filename, headers=headers, rows=table)
