"""The SCORM player document, the package files, and the commit endpoint.

A SCO finds its runtime by walking up `window.parent` for `API` (1.2) or `API_1484_11`
(2004) and calls it synchronously, and multi-page SCOs (the golf examples) script across their
own frames; both need the SCO's frames and the player to share an origin. So the lesson page
embeds `play/` in a sandboxed iframe of our origin (no top navigation, popups or downloads;
scripts, forms and alert/confirm dialogs, which SCOs use to offer to resume, are allowed),
the player runs scorm-again and opens the SCO from `files/` in a child frame, and every
response carries a strict Content-Security-Policy: the player loads only our static files and
posts only to our endpoints; package files may not be framed elsewhere, load anything from
another origin or submit forms. Because package code does run at our origin, only
administrators import packages (`courses.scorm.packages.may_upload`).

The commit endpoint takes scorm-again's JSON, including the `sendBeacon` it sends on
Terminate/LMSFinish (which cannot carry a CSRF header): it is CSRF-exempt and checks instead a
signed token bound to the learner, lesson and block, issued with the player page.
"""

import json
import logging
import mimetypes
import re

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.storage import tree_open

from ..h5p.views import _rate_limited
from ..models import ScormAttempt, ScormPackage
from ..package_access import package_files_allowed, package_grant
from .packages import content_prefix
from .runtime import cmi_initial
from .services import active_enrolment, lesson_scorm, scorm_activity, scorm_commit_record

logger = logging.getLogger("courses.scorm.audit")

MAX_BODY_BYTES = 160 * 1024  # 64,000 characters of suspend data as UTF-8, and the rest
TOKEN_SALT = "courses.scorm.commit"
TOKEN_MAX_AGE = 12 * 3600
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
PLAYER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)
FILE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
    "form-action 'none'; base-uri 'self'; object-src 'none'"
)


def _found_or_404(request, lesson_id: int):
    found = lesson_scorm(lesson_id)
    if found is None:
        raise Http404
    if any(not r.accept_request(request) for r in found.restrictions):
        raise Http404
    return found


def commit_token(*, user_id: int, lesson_id: int, block_id: str) -> str:
    return signing.dumps({"u": user_id, "l": lesson_id, "b": block_id}, salt=TOKEN_SALT)


@login_required
@require_GET
@xframe_options_sameorigin
def play(request, lesson_id: int, block_id: str):
    """The player document for one SCORM block: scorm-again, and the SCO in a child frame."""
    found = _found_or_404(request, lesson_id)
    try:
        activity = scorm_activity(found, block_id)
        enrolment = active_enrolment(user=request.user, course_id=found.course_id)
    except ValidationError as error:
        raise Http404 from error
    # The SCO's files are this learner's to fetch now (courses.package_access).
    if activity.package_uuid:
        package_grant(request, activity.package_uuid)
    attempt = ScormAttempt.objects.filter(
        enrolment=enrolment, lesson_id=lesson_id, block_id=block_id
    ).first()
    profile = getattr(request.user, "profile", None)
    name = (getattr(profile, "full_name", "") or request.user.get_username())[:255]
    config = {
        "version": activity.version,
        "launch": reverse("courses:scorm:file", args=[activity.package_uuid, activity.launch]),
        "commitUrl": reverse("courses:scorm:commit"),
        "lesson": lesson_id,
        "block": block_id,
        "token": commit_token(user_id=request.user.pk, lesson_id=lesson_id, block_id=block_id),
        "cmi": cmi_initial(
            attempt,
            version=activity.version,
            learner_id=str(request.user.pk),
            learner_name=name,
        ),
        "seq": 0,
    }
    script = (
        "scorm-again/scorm12.min.js"
        if activity.version == "1.2"
        else ("scorm-again/scorm2004.min.js")
    )
    response = render(
        request, "courses/scorm/player.html", {"config": config, "runtime": static(script)}
    )
    response["Content-Security-Policy"] = PLAYER_CSP
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_GET
@xframe_options_sameorigin
def package_file(request, package_uuid, path: str):
    """A file of an extracted package, under a strict CSP, nosniff, for who may use the
    package (courses.package_access: its unit, shared packages, learners who opened it)."""
    if not package_files_allowed(request, ScormPackage, package_uuid):
        raise Http404
    handle = tree_open(content_prefix(package_uuid), path)  # local disk or object store
    if handle is None:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(path)
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix in ("js", "mjs"):
        content_type = "text/javascript"
    elif suffix in ("html", "htm"):
        content_type = "text/html; charset=utf-8"
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _answer(status: int, *, ok: bool, message: str = "", code: str = "", **extra):
    """scorm-again reads `result` and `errorCode` (0: saved; 101: general exception)."""
    body = {"result": ok, "errorCode": 0 if ok else 101, **extra}
    if message:
        body.update(error=message, code=code)
    return JsonResponse(body, status=status)


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _read(request) -> dict:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_large = _refused(
        _("The request is too large (the limit is %(size)s KB).")
        % {"size": MAX_BODY_BYTES // 1024},
        "too_large",
    )
    if declared > MAX_BODY_BYTES:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig as error:
        raise too_large from error
    if len(body) > MAX_BODY_BYTES:
        raise too_large
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refused(_("The request is not valid JSON."), "invalid_json") from None
    if not isinstance(data, dict):
        raise _refused(_("The request must be a JSON object."), "invalid_json")
    return data


@csrf_exempt  # the signed token below is bound to the learner; see the module docstring
@login_required
@require_POST
def commit(request):
    """Save one commit: {"token", "session", "seq", "cmi": {...}} from the player."""
    if _rate_limited(request.user):
        return _answer(429, ok=False, message=_("Too many requests; try again in a minute."))
    try:
        data = _read(request)
        try:
            claims = signing.loads(
                str(data.get("token", ""))[:512], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            raise _refused(_("This player has expired; reload the lesson."), "bad_token") from None
        if claims.get("u") != request.user.pk:
            raise _refused(_("This player belongs to another learner."), "wrong_learner")
        session, seq = data.get("session"), data.get("seq")
        if not isinstance(session, str) or not SESSION.match(session):
            raise _refused(_("The request names no player session."), "no_session")
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < 2**31:
            raise _refused(_("The commit number is wrong."), "bad_seq")
    except ValidationError as error:
        logger.info("scorm commit refused", extra={"user": request.user.pk, "code": error.code})
        status = 403 if error.code in ("bad_token", "wrong_learner") else 400
        status = 413 if error.code == "too_large" else status
        return _answer(status, ok=False, message=" ".join(error.messages), code=error.code)
    found = _found_or_404(request, claims["l"])
    try:
        committed = scorm_commit_record(
            user=request.user,
            found=found,
            block_id=claims["b"],
            session=session,
            seq=seq,
            data=data.get("cmi"),
        )
    except ValidationError as error:
        logger.info("scorm commit refused", extra={"user": request.user.pk, "code": error.code})
        status = {"unknown_activity": 404, "not_enrolled": 403, "withdrawn": 403}.get(
            error.code, 400
        )
        return _answer(status, ok=False, message=" ".join(error.messages), code=error.code)
    attempt = committed.attempt
    return _answer(
        200,
        ok=True,
        duplicate=committed.duplicate,
        completed=attempt.completed_at is not None,
        score=attempt.percent,
        lessonCompleted=committed.lesson_completed,
    )
