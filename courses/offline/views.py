"""The offline views: the service worker and web manifest (site-wide), the offline page, a
course's offline manifest, the offline quiz form, and the sync of what the phone did offline."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..models import CoursePage, Enrolment, LessonPage
from ..selectors import lesson_view
from . import worker
from .manifest import course_offline_manifest
from .quiz import offline_draw
from .services import MAX_BODY_BYTES, PayloadError, offline_actions_sync


def _viewable(request, page) -> bool:
    return all(r.accept_request(request) for r in page.get_view_restrictions())


@require_GET
def service_worker(request):
    response = HttpResponse(worker.service_worker(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks it for updates on each visit
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def web_manifest(request):
    return HttpResponse(
        json.dumps(worker.web_manifest(), ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )


@require_GET
def offline_page(request):
    """Shown by the service worker for a page that was neither visited nor saved.

    The worker keeps one copy for the phone, whoever is signed in when it installs: the copy
    names no learner (`offline_anonymous`), so showing it to another learner on a shared phone
    neither deletes their saved pages nor takes their queue."""
    return TemplateResponse(
        request, "courses/offline/offline_page.html", {"offline_anonymous": True}
    )


def _enrolment_or_404(request, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    if enrolment is None or enrolment.status == Enrolment.Status.WITHDRAWN:
        raise Http404
    return enrolment


@login_required
@require_GET
def course_manifest(request, course_id: int):
    """Every URL of the course to keep on the phone, with sizes: enrolled learners only, live
    pages they may see."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not _viewable(request, course):
        raise Http404
    enrolment = _enrolment_or_404(request, course)
    manifest = course_offline_manifest(request=request, course=course, enrolment=enrolment)
    response = JsonResponse(manifest.as_json())
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def quiz_offline(request, lesson_id: int):
    """The quiz form to answer without a connection (graded when it reaches the server)."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not lesson.has_quiz or not _viewable(request, lesson):
        raise Http404
    view = lesson_view(lesson=lesson, user=request.user)
    if view.enrolment is None or view.enrolment.status == Enrolment.Status.WITHDRAWN:
        raise Http404
    draw = offline_draw(enrolment=view.enrolment, lesson=lesson)
    return TemplateResponse(
        request,
        "courses/offline/quiz_offline.html",
        {
            "lesson": lesson,
            "course": view.course,
            "draw": draw,
            "quiz_title": lesson.quiz_block.value.get("title") or lesson.title,
            "lesson_url": lesson.url,
        },
    )


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def sync(request):
    """Record the phone's queued actions (courses.offline.services). Answers JSON:
    {"results": [{"id", "ok", "status", "error"?, "score"?, "passed"?}]}; the whole batch is
    refused (4xx, {"error"}) only when it cannot be read."""
    if not request.user.is_authenticated:
        return _error(_("Log in again to send what you did offline."), 401)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return _error(_("Too much at once: send fewer actions per request."), 413)
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(_("Too much at once: send fewer actions per request."), 413)
    if len(body) > MAX_BODY_BYTES:
        return _error(_("Too much at once: send fewer actions per request."), 413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _error(_("The request could not be read."), 400)
    try:
        results = offline_actions_sync(
            user=request.user, payload=payload, may_view=lambda page: _viewable(request, page)
        )
    except PayloadError as error:
        return _error(str(error), 400)
    return JsonResponse({"results": results})
