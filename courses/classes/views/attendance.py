"""Attendance: the day page (works offline with static/js/attendance.js), the endpoint its
queue sends marks to, the paper sheet's photo and import, and the learners' self check-in."""

import datetime
import json
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
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
        marks = []
        for user_id, learner in learners.items():
            status = request.POST.get(f"s-{user_id}", "")
            if status not in ATTENDANCE_STATUSES:
                continue
            try:
                key = uuid.UUID(request.POST.get(f"u-{user_id}", ""))
            except ValueError:
                key = uuid.uuid4()
            marks.append(services.MarkRequest(day, learner, status, key))
        try:
            results = services.attendance_marks_record(
                user=request.user, session=session, marks=marks
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            refused = [result.error for result in results if result.error is not None]
            for error in refused[:3]:
                messages.error(request, error_text(error))
            count = len(results) - len(refused)
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


class MarkRefused(Exception):
    """A queued mark refused before it reaches the service: its UUID (None when it has no
    valid one) and the reason shown to the trainer."""

    def __init__(self, key, reason: str):
        super().__init__(reason)
        self.key, self.reason = key, reason


def _int_field(item: dict, name: str) -> int | None:
    value = item.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _parse_mark(item, days: dict[int, SessionDay], members: dict[int, object]):
    """One queued mark: (uuid, day, learner, status, marked_at), or MarkRefused with why."""
    if not isinstance(item, dict):
        raise MarkRefused(None, _("A mark must be an object."))
    try:
        key = uuid.UUID(str(item.get("uuid", "")))
    except ValueError as error:
        raise MarkRefused(None, _("A mark without a valid id was ignored.")) from error
    day = days.get(_int_field(item, "day"))
    if day is None:
        raise MarkRefused(key, _("This day is not a day of this class; the mark was not saved."))
    learner = members.get(_int_field(item, "learner"))
    if learner is None:
        raise MarkRefused(key, _("This person is not on the class roster; the mark was not saved."))
    status = item.get("status")
    if status not in ATTENDANCE_STATUSES:
        raise MarkRefused(key, _("Unknown attendance status."))
    marked_at = item.get("marked_at")
    try:
        marked_at = parse_datetime(marked_at) if isinstance(marked_at, str) else None
    except ValueError:
        marked_at = None
    if marked_at is None:
        marked_at = timezone.now()  # the time it arrives, clamped like any other
    elif timezone.is_naive(marked_at):
        marked_at = timezone.make_aware(marked_at, datetime.UTC)
    return key, day, learner, status, marked_at


def _runnable_or_json_error(request, session_id: int):
    """The class for the queue's endpoint, or a JSON answer with the reason the queue shows
    (a 404 or 403 page would leave the phone retrying without saying why)."""
    try:
        return session_runnable_or_404(request, session_id), None
    except Http404:
        reason = _("This class does not exist or is outside the units you train in.")
        return None, JsonResponse({"error": reason}, status=404)
    except PermissionDenied:
        reason = _("Only a trainer of this class's unit can mark its attendance.")
        return None, JsonResponse({"error": reason}, status=403)


@staff_required
@require_POST
def marks_sync(request, session_id: int):
    """Receive queued marks: `{"marks": [{uuid, day, learner, status, marked_at}]}`.

    Answers one result per mark; `ok` marks (new or already received) can leave the client's
    queue, and so can those rejected for good (`retry: false`, with the reason the phone
    shows): a learner not on the roster, a day not of this class, an id already used for
    another class, day or learner. A mark is never half-applied: each is its own transaction,
    and its UUID makes a resend harmless. A class the trainer does not run answers 404/403
    with the reason, and the phone keeps the marks.
    """
    session, refusal = _runnable_or_json_error(request, session_id)
    if refusal is not None:
        return refusal
    try:
        payload = json.loads(request.body or b"{}")
        items = payload["marks"]
        if not isinstance(items, list) or len(items) > MAX_MARKS_PER_REQUEST:
            raise ValueError
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse({"error": _("Malformed request.")}, status=400)
    days = {d.pk: d for d in SessionDay.objects.filter(session=session)}
    for day in days.values():
        day.session = session
    User = get_user_model()
    member_ids = set(ClassMember.objects.filter(session=session).values_list("user_id", flat=True))
    wanted = {_int_field(i, "learner") for i in items if isinstance(i, dict)} & member_ids
    members = {u.pk: u for u in User.objects.filter(pk__in=wanted)}
    results, requests = [], []
    for item in items:
        try:
            key, day, learner, status, marked_at = _parse_mark(item, days, members)
        except MarkRefused as refused:
            key = str(refused.key) if refused.key else None
            results.append({"uuid": key, "ok": False, "retry": False, "error": refused.reason})
            continue
        request_ = services.MarkRequest(day, learner, status, key, marked_at)
        requests.append(request_)
        results.append(request_)  # replaced by its result below, in the order received
    recorded = {
        id(result.request): result
        for result in services.attendance_marks_record(
            user=request.user, session=session, marks=requests
        )
    }
    for index, entry in enumerate(results):
        if isinstance(entry, services.MarkRequest):
            result = recorded[id(entry)]
            if result.error is not None:
                results[index] = {
                    "uuid": str(entry.client_uuid),
                    "ok": False,
                    "retry": False,
                    "error": error_text(result.error),
                }
            else:
                results[index] = {
                    "uuid": str(entry.client_uuid),
                    "ok": True,
                    "duplicate": not result.created,
                }
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
    """A learner on the roster marks themselves present with the class's code (the QR code's
    URL carries it). A wrong, expired or foreign code is answered with the reason and nothing
    about the class; a learner not on the roster is told so and recorded nowhere."""
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=session_id)
    try:
        day = checkin_service.checkin_verify(user=request.user, session=session, token=token)
    except ValidationError as error:
        status = 429 if error.code == "too_many_codes" else 400
        return render(
            request, "classes/checkin.html", {"refusal": error_text(error)}, status=status
        )
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


@login_required
def checkin_enter(request):
    """Type the 6-digit code shown on the trainer's screen (when scanning is not possible)."""
    refusal, done = "", False
    status = 200
    if request.method == "POST":
        try:
            checkin_service.self_checkin_by_code(
                user=request.user, code=request.POST.get("code", "")[:32]
            )
        except ValidationError as error:
            refusal = error_text(error)
            status = 429 if error.code == "too_many_codes" else 400
        else:
            done = True
            messages.success(request, _("You are marked present. Welcome!"))
    return render(
        request,
        "classes/checkin_enter.html",
        {
            "refusal": refusal,
            "done": done,
            "sessions": checkin_service.checkin_classes_today(request.user),
            "digits": checkin_service.CODE_DIGITS,
        },
        status=status,
    )


def _qr_svg(url: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    svg = qrcode.make(url, image_factory=SvgPathImage, box_size=12).to_string(encoding="unicode")
    return mark_safe(svg)  # generated by qrcode from our own URL


@staff_required
def checkin_screen(request, session_id: int):
    """The trainer's check-in screen: the current code in large digits and as a QR code.

    It refreshes itself (static/js/checkin-screen.js asks for `?format=json` when the code
    changes); without JavaScript the page still shows a valid code, refreshes itself with a
    `<meta refresh>` in `<noscript>`, and has a refresh link."""
    session = session_runnable_or_404(request, session_id)
    day = checkin_service.checkin_open_day(session)
    context = {"session": session, "day": day, "rotating": False}
    if day is not None:
        code, seconds = checkin_service.checkin_current(session)
        url = request.build_absolute_uri(reverse("classes:checkin", args=[session.pk, code]))
        rotating = session.checkin_mode == TrainingSession.CheckinMode.ROTATING
        context.update(
            code=code, seconds=seconds, url=url, qr=_qr_svg(url), rotating=rotating,
            enter_url=request.build_absolute_uri(reverse("classes:checkin_enter")),
        )  # fmt: skip
        if request.GET.get("format") == "json":
            response = JsonResponse(
                {"code": code, "seconds": seconds, "url": url, "qr": str(context["qr"])}
            )
            response["Cache-Control"] = "no-store"
            return response
    elif request.GET.get("format") == "json":
        return JsonResponse(
            {"error": _("Self check-in is not open for this class today.")}, status=409
        )
    response = render(request, "classes/checkin_screen.html", context)
    response["Cache-Control"] = "no-store"
    return response
