"""The H5P player document, its package files, and the endpoints the lesson page posts to.

Playback is split across two origins on purpose. The lesson page (our origin) embeds
`play/` in `<iframe sandbox="allow-scripts">`, and `play/` answers with a CSP `sandbox
allow-scripts` header as well, so the player document runs in an opaque origin: it cannot
read our cookies or storage, and requests it makes carry no session. It loads h5p-standalone
(static files) and the package's files (`files/`, CORS-open, nosniff; public for a shared
package, under a grant the player page hands out for a unit's: courses.package_access) and
passes xAPI statements and resume state to the lesson page with `postMessage`; its script
checks the message source and posts them here with the session and the CSRF token.
"""

import logging
import mimetypes
import time

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from core.storage import tree_open

from ..models import H5PActivityProgress, H5PLibrary, H5PPackage
from ..package_access import (
    h5p_files_grant,
    h5p_grant_valid,
    h5p_package_is_private,
    package_may_be_used,
)
from . import storage
from .activities import lesson_activities
from .services import h5p_state_save, xapi_statement_record
from .xapi import VERB_VOIDED, json_parse, statement_parse

logger = logging.getLogger("courses.h5p.audit")

RATE_LIMIT = 240  # statements and state saves per user per minute
MAX_BODY_BYTES = 256 * 1024
PLAYER_CSP = "sandbox allow-scripts"
FILE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


def _activities_or_404(request, lesson_id: int):
    found = lesson_activities(lesson_id)
    if found is None:
        raise Http404
    # The endpoints are not served through Wagtail: check its view restrictions here too.
    if any(not r.accept_request(request) for r in found.lesson.restrictions):
        raise Http404
    return found


@login_required
@require_GET
@xframe_options_sameorigin
def play(request, lesson_id: int, block_id: str):
    """The sandboxed player document for one H5P block of a lesson."""
    found = _activities_or_404(request, lesson_id)
    activity = found.activities.get(block_id)
    if activity is None or activity.package_uuid is None:
        raise Http404
    state = (
        H5PActivityProgress.objects.filter(
            enrolment__user=request.user,
            enrolment__course_id=found.course_id,
            lesson_id=lesson_id,
            block_id=block_id,
        )
        .values_list("resume_state", flat=True)
        .first()
    )
    head = "h5p.json"
    if h5p_package_is_private(activity.package_uuid):
        # A unit's package: for its learners and the unit (courses.package_access).
        if not package_may_be_used(
            request.user, H5PPackage, activity.package_uuid, course_id=found.course_id
        ):
            raise Http404
        grant = h5p_files_grant(user=request.user, package_uuid=activity.package_uuid)
        head = f"g/{grant}/h5p.json"
    files = request.build_absolute_uri(
        reverse("courses:h5p:file", args=[activity.package_uuid, head])
    ).removesuffix("/h5p.json")
    config = {
        "h5pJsonPath": files,
        "contentJsonPath": files + "/content",
        "librariesPath": files + "/libraries",
        "frameJs": request.build_absolute_uri(static("h5p-standalone/frame.bundle.js")),
        "frameCss": request.build_absolute_uri(static("h5p-standalone/styles/h5p.css")),
        "parentOrigin": request.build_absolute_uri("/").rstrip("/"),
        "state": state or "",
    }
    response = render(request, "courses/h5p/player.html", {"config": config})
    response["Content-Security-Policy"] = PLAYER_CSP
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def package_file(request, package_uuid, path: str):
    """A file of an extracted package: its content, or a library version it uses.

    Public (the sandboxed player sends no cookies) and addressed by the package's random UUID.
    `libraries/<machine>-<major>.<minor>/...` maps to the version this package was imported
    with. Every response says nosniff and carries a sandboxing CSP, so even an SVG or JSON
    file opened directly cannot run script in our origin. A unit's package is served only
    under `g/<grant>/` (courses.package_access), which its player page hands out.
    """
    grant = None
    if path.startswith("g/"):
        _g, grant, path = (path.split("/", 2) + ["", ""])[:3]
    if h5p_package_is_private(package_uuid) and not h5p_grant_valid(grant, package_uuid):
        raise Http404
    head, _sep, rest = path.partition("/")
    if head == "libraries":
        folder, _sep, relative = rest.partition("/")
        library = (
            H5PLibrary.objects.filter(packages__uuid=package_uuid)
            .only("machine_name", "major_version", "minor_version", "patch_version")
            .filter(machine_name=folder.rsplit("-", 1)[0])
        )
        match = next((lib for lib in library if lib.folder == folder), None)
        if match is None:
            raise Http404
        prefix = storage.library_prefix(match.storage_folder)
    elif path == "h5p.json" or head == "content":
        prefix, relative = storage.content_prefix(package_uuid), path
    else:
        raise Http404
    handle = tree_open(prefix, relative)  # local disk or the media object store
    if handle is None:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(relative)
    if relative.endswith(".js"):
        content_type = "text/javascript"
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _rate_limited(user) -> bool:
    """A fixed one-minute window per user in the shared cache (one round trip when warm)."""
    key = f"h5p-rate:{user.pk}:{int(time.time() // 60)}"
    try:
        count = cache.incr(key)
    except ValueError:  # first request of the window
        if cache.add(key, 1, timeout=70):
            return False
        try:
            count = cache.incr(key)
        except ValueError:  # the cache is not answering: do not lock learners out
            return False
    return count > RATE_LIMIT


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _too_large() -> ValidationError:
    return ValidationError(
        _("The request is too large (the limit is %(size)s KB).")
        % {"size": MAX_BODY_BYTES // 1024},
        code="too_large",
    )


def _read_body(request):
    """The request's JSON object, its lesson id and block id; ValidationError says why not.

    The size is checked from Content-Length before the body is read, so a body larger than
    Django's own upload limit is refused here too, with our JSON answer."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise _too_large()
    try:
        body = request.body
    except RequestDataTooBig as error:
        raise _too_large() from error
    if len(body) > MAX_BODY_BYTES:
        raise _too_large()
    data = json_parse(body)
    if not isinstance(data, dict):
        raise ValidationError(_("The request must be a JSON object."), code="invalid_json")
    lesson_id = data.get("lesson")
    if isinstance(lesson_id, str) and lesson_id.isascii() and lesson_id.isdigit():
        lesson_id = int(lesson_id) if len(lesson_id) <= 12 else 0
    if isinstance(lesson_id, bool) or not isinstance(lesson_id, int):
        raise ValidationError(_("The request names no lesson."), code="no_lesson")
    if not 0 < lesson_id < 2**31:  # beyond a database id: no such lesson
        raise Http404
    block_id = data.get("block")
    if not isinstance(block_id, str) or not 0 < len(block_id) <= 64:
        raise ValidationError(_("The request names no activity."), code="no_activity")
    return data, lesson_id, block_id


def _audit(request, action: str, **fields) -> None:
    logger.info(
        "h5p %s",
        action,
        extra={"user": request.user.pk, "ip": request.META.get("REMOTE_ADDR"), **fields},
    )


@login_required
@require_POST
def xapi(request):
    """Record one xAPI statement: {"lesson": id, "block": id, "statement": {...}}."""
    if _rate_limited(request.user):
        _audit(request, "xapi rate-limited")
        return _json_error(_("Too many requests; try again in a minute."), 429)
    try:
        data, lesson_id, block_id = _read_body(request)
        statement = statement_parse(data.get("statement"), json_checked=True)
        if statement.verb == VERB_VOIDED:  # only an LRS client may void a statement
            raise ValidationError(_("A lesson cannot void statements."), code="voiding_refused")
    except ValidationError as error:
        _audit(request, "xapi rejected", code=error.code)
        return _json_error(" ".join(error.messages), 400, code=error.code)
    found = _activities_or_404(request, lesson_id)
    try:
        recorded = xapi_statement_record(
            user=request.user, lesson_activities=found, block_id=block_id, statement=statement
        )
    except ValidationError as error:
        _audit(request, "xapi refused", code=error.code, lesson=lesson_id)
        status = {"unknown_activity": 404, "statement_conflict": 409, "statement_gone": 409}.get(
            error.code, 403
        )
        return _json_error(" ".join(error.messages), status, code=error.code)
    if recorded.duplicate:  # a resend of what was stored: nothing counted again
        return JsonResponse({"stored": recorded.pk, "duplicate": True}, status=200)
    body = {"stored": recorded.pk}
    if recorded.score is not None:
        body.update(score=recorded.score, best=recorded.best, completed=recorded.completed)
    return JsonResponse(body, status=201)


@login_required
@require_POST
def state(request):
    """Save resume state: {"lesson": id, "block": id, "state": "<player state JSON>"}."""
    if _rate_limited(request.user):
        return _json_error(_("Too many requests; try again in a minute."), 429)
    try:
        data, lesson_id, block_id = _read_body(request)
    except ValidationError as error:
        return _json_error(" ".join(error.messages), 400, code=error.code)
    found = _activities_or_404(request, lesson_id)
    try:
        h5p_state_save(
            user=request.user, lesson_activities=found, block_id=block_id, state=data.get("state")
        )
    except ValidationError as error:
        status = {"unknown_activity": 404, "not_enrolled": 403, "withdrawn": 403}.get(
            error.code, 400
        )
        return _json_error(" ".join(error.messages), status, code=error.code)
    return JsonResponse({"saved": True})
