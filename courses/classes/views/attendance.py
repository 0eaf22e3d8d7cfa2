"""Attendance: the day page (works offline with static/js/attendance.js), the endpoint its
queue sends marks to, the paper sheet's photo and import, and the learners' self check-in."""

import datetime
import json
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models.classes import (
    ATTENDANCE_STATUSES,
    AttendanceStatus,
    ClassMember,
    SessionDay,
    TrainingSession,
)
from .. import checkin as checkin_service
from .. import selectors, services
from ..attendance_import import attendance_sheet_import, attendance_sheet_preview
from ..forms import SheetPhotoForm, TableUploadForm
from ..roster_import import FileError, read_table
from . import error_text, session_runnable_or_404, staff_required

MAX_MARKS_PER_REQUEST = 500


@staff_required
def day_attendance(request, session_id: int, day_id: int):
    """Mark a day's attendance. With JavaScript every tap is queued and sent (see the script);
    without it the form posts every row, each with the UUID it was rendered with, so sending
    the same form twice records the marks once."""
    session = session_runnable_or_404(request, session_id)
    day = get_object_or_404(SessionDay, session=session, pk=day_id)
    if request.method == "POST":
        learners = {
            m.user_id: m.user
            for m in ClassMember.objects.filter(session=session).select_related("user")
        }
        count = 0
        try:
            for user_id, learner in learners.items():
                status = request.POST.get(f"s-{user_id}", "")
                if status not in ATTENDANCE_STATUSES:
                    continue
                try:
                    key = uuid.UUID(request.POST.get(f"u-{user_id}", ""))
                except ValueError:
                    key = uuid.uuid4()
                services.attendance_mark(
                    user=request.user, day=day, learner=learner, status=status, client_uuid=key
                )
                count += 1
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(count)s marks saved.") % {"count": count})
        return HttpResponseRedirect(request.path)
    rows = selectors.day_sheet(day)
    for row in rows:
        row["uuid"] = uuid.uuid4()
    days = list(session.days.all())
    return render(
        request,
        "classes/day_attendance.html",
        {
            "session": session,
            "day": day,
            "days": days,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "photo_form": SheetPhotoForm(),
        },
    )


def _parse_mark(item, days: dict[int, SessionDay], members: dict[int, object]):
    if not isinstance(item, dict):
        raise ValueError("not an object")
    key = uuid.UUID(str(item.get("uuid", "")))
    day = days.get(item.get("day")) if isinstance(item.get("day"), int) else None
    learner = members.get(item.get("learner")) if isinstance(item.get("learner"), int) else None
    if day is None or learner is None:
        raise LookupError(key)
    marked_at = parse_datetime(str(item.get("marked_at") or "")) or timezone.now()
    if timezone.is_naive(marked_at):
        marked_at = timezone.make_aware(marked_at, datetime.UTC)
    return key, day, learner, str(item.get("status", "")), marked_at


@staff_required
@require_POST
def marks_sync(request, session_id: int):
    """Receive queued marks: `{"marks": [{uuid, day, learner, status, marked_at}]}`.

    Answers one result per mark; `ok` marks (new or already received) can leave the client's
    queue, and so can those rejected for good (`retry: false`). A mark is never half-applied:
    each is its own transaction, and its UUID makes a resend harmless.
    """
    session = session_runnable_or_404(request, session_id)
    try:
        payload = json.loads(request.body or b"{}")
        items = payload["marks"]
        if not isinstance(items, list) or len(items) > MAX_MARKS_PER_REQUEST:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("Malformed request.")}, status=400)
    days = {d.pk: d for d in SessionDay.objects.filter(session=session)}
    for day in days.values():
        day.session = session
    User = get_user_model()
    member_ids = set(ClassMember.objects.filter(session=session).values_list("user_id", flat=True))
    wanted = {i.get("learner") for i in items if isinstance(i, dict)} & member_ids
    members = {u.pk: u for u in User.objects.filter(pk__in=wanted)}
    results = []
    present = set()
    for item in items:
        try:
            key, day, learner, status, marked_at = _parse_mark(item, days, members)
        except LookupError as error:
            results.append(
                {
                    "uuid": str(error.args[0]),
                    "ok": False,
                    "retry": False,
                    "error": _("Not a learner or day of this class."),
                }
            )
            continue
        except (ValueError, TypeError):
            results.append({"uuid": None, "ok": False, "retry": False, "error": "bad mark"})
            continue
        try:
            mark, created = services.attendance_mark(
                user=request.user,
                day=day,
                learner=learner,
                status=status,
                client_uuid=key,
                marked_at=marked_at,
                # Checked once for the request: the class is runnable (above), completion
                # once for the batch (below).
                check_permission=False,
                check_completion=False,
            )
        except ValidationError as error:
            results.append(
                {"uuid": str(key), "ok": False, "retry": False, "error": error_text(error)}
            )
            continue
        results.append({"uuid": str(key), "ok": True, "duplicate": not created})
        if created and mark.applied and mark.status == AttendanceStatus.PRESENT:
            present.add(learner)
    if present:
        services.class_completion_check(session=session, learners=list(present))
    return JsonResponse({"results": results})


@staff_required
@require_POST
def sheet_photo(request, session_id: int, day_id: int):
    session = session_runnable_or_404(request, session_id)
    day = get_object_or_404(SessionDay, session=session, pk=day_id)
    day.session = session
    form = SheetPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.sheet_photo_attach(
                user=request.user, day=day, photo=form.cleaned_data["photo"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The photo of the sheet has been attached."))
    else:
        messages.error(request, " ".join(form.errors.get("photo", [])))
    return HttpResponseRedirect(reverse("classes:day", args=[session.pk, day.pk]))


@staff_required
def attendance_import(request, session_id: int):
    """Upload a typed attendance sheet. Every problem is listed and nothing is written; a
    sheet without problems is shown for checking first (nothing is written yet either)."""
    session = session_runnable_or_404(request, session_id)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            table = read_table(form.cleaned_data["file"])
            preview = attendance_sheet_preview(session=session, table=table)
        except FileError as error:
            form.add_error("file", error.messages)
        except ValidationError as error:
            problems = error.messages
        else:
            request.session[_sheet_key(session)] = table
            return render(
                request,
                "classes/attendance_preview.html",
                {"session": session, "preview": preview},
            )
    return render(
        request,
        "classes/table_upload.html",
        {
            "session": session,
            "form": form,
            "kind": "attendance",
            "problems": problems,
            "days": session.days.all(),
        },
        status=400 if form.is_bound else 200,
    )


def _sheet_key(session) -> str:
    return f"class-attendance-import-{session.pk}"


@staff_required
@require_POST
def attendance_import_confirm(request, session_id: int):
    """Import the sheet the trainer has just checked (kept in their session)."""
    session = session_runnable_or_404(request, session_id)
    table = request.session.get(_sheet_key(session))
    if not table:
        messages.error(request, _("Upload the sheet again: the preview has expired."))
        return HttpResponseRedirect(reverse("classes:attendance_import", args=[session.pk]))
    try:
        count = attendance_sheet_import(user=request.user, session=session, table=table)
    except ValidationError as error:  # the roster or the days changed since the preview
        del request.session[_sheet_key(session)]
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(reverse("classes:attendance_import", args=[session.pk]))
    del request.session[_sheet_key(session)]
    messages.success(request, _("%(count)s marks imported.") % {"count": count})
    return HttpResponseRedirect(reverse("classes:detail", args=[session.pk]))


@login_required
def checkin(request, session_id: int, token: str):
    """A learner on the roster marks themselves present with today's QR code.

    The token is the capability: a wrong or expired one is a 404, so the page reveals nothing
    about a class to someone without today's code.
    """
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=session_id)
    day = checkin_service.checkin_day(session, token)
    if day is None:
        raise Http404
    member = ClassMember.objects.filter(session=session, user=request.user).exists()
    done = False
    if request.method == "POST":
        try:
            checkin_service.self_checkin(user=request.user, session=session, token=token)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            done = True
            messages.success(request, _("You are marked present. Welcome!"))
    return render(
        request,
        "classes/checkin.html",
        {"session": session, "day": day, "member": member, "done": done},
        status=200 if member else 403,
    )
