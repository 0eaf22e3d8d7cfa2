"""Learner actions (all POST: enrol, mark done, start and submit a quiz attempt) and the
lesson and "My learning" pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .classes.selectors import learner_classes
from .models import CoursePage, Enrolment, LessonPage
from .quiz.selectors import quiz_panel, quiz_panel_shown_in
from .quiz.services import quiz_attempt_start, quiz_attempt_submit
from .selectors import enrolment_certificate, lesson_view, my_enrolments
from .services import enrolment_create, lesson_progress_mark_done
from .translation import content_language, retitle, shown_context, source_of


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _viewable_or_404(request, queryset, pk: int):
    """The live page `pk`, if this request passes its view restrictions (and its ancestors').

    The actions below are not served through Wagtail, so they check what Wagtail checks
    before serving a page: a private course accepts no enrolment, progress or quiz answers
    from someone who may not read it. A translation's id stands for its Vietnamese source
    (`courses.translation`): enrolment and progress are the source's, so an action through a
    translation is checked against the source course like any other.
    """
    page = source_of(queryset, pk)  # a translation's id acts on its source (the same lesson)
    if page is None:
        raise Http404
    if any(not restriction.accept_request(request) for restriction in page.get_view_restrictions()):
        raise Http404
    return page


@login_required
@require_POST
def enrol(request, course_id: int):
    course = _viewable_or_404(request, CoursePage.objects.live(), course_id)
    try:
        enrolment, created = enrolment_create(user=request.user, course=course)
    except ValidationError as error:
        if getattr(error, "code", None) == "profile_incomplete":
            messages.warning(request, _message(error))
            return HttpResponseRedirect(
                reverse("people:profile_edit") + "?next=" + course.get_url(request)
            )
        messages.error(request, _message(error))
        return HttpResponseRedirect(course.get_url(request))
    if created:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    else:
        messages.info(request, _("You are already enrolled in this course."))
    return HttpResponseRedirect(course.get_url(request))


def lesson_serve(request, lesson: LessonPage):
    """Render a lesson for an enrolled learner; others are sent to log in or to enrol."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    view = lesson_view(lesson=lesson, user=request.user)
    if view.enrolment is None:
        messages.info(request, _("Enrol in the course to open its lessons."))
        return HttpResponseRedirect(view.course.get_url(request))
    return _render_lesson(request, lesson, view)


def _render_lesson(request, lesson, view, *, quiz_errors=None, quiz_answers=None, status=200):
    context = lesson.get_context(request)
    # The body and titles in the learner's language where translated, else Vietnamese; the
    # forms, progress and quiz stay the source lesson's.
    language = content_language()
    context.update(shown_context(lesson, language))
    retitle([view.course, *(item.lesson for item in view.outline)], language)
    quiz = None
    if lesson.has_quiz and view.enrolment is not None:
        quiz = quiz_panel(
            lesson=lesson,
            enrolment=view.enrolment,
            attempts=view.attempts,
            answers=quiz_answers,
            errors=quiz_errors,
        )
        if context["shown"] is not lesson:  # the translation's texts, the source's ids
            quiz = quiz_panel_shown_in(quiz, shown=context["shown"], language=language)
    certificate = None
    if quiz is not None and quiz.passed and view.enrolment.is_completed:
        # The result leads to the certificate the completion issued (or says it is coming).
        certificate = enrolment_certificate(view.enrolment)
    context.update(
        {
            "quiz": quiz,
            "certificate": certificate,
            "view": view,
            "course": view.course,
            "enrolment": view.enrolment,
        }
    )
    return TemplateResponse(request, lesson.get_template(request), context, status=status)


def _lesson_or_404(request, lesson_id: int) -> LessonPage:
    return _viewable_or_404(request, LessonPage.objects.live(), lesson_id)


@login_required
@require_POST
def lesson_mark_done(request, lesson_id: int):
    lesson = _lesson_or_404(request, lesson_id)
    try:
        lesson_progress_mark_done(user=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, _message(error))
        return HttpResponseRedirect(lesson.get_url(request))
    view = lesson_view(lesson=lesson, user=request.user)
    if view.enrolment.status == Enrolment.Status.COMPLETED and view.next is None:
        messages.success(request, _("Congratulations! You have completed the course."))
        return HttpResponseRedirect(view.course.get_url(request))
    messages.success(request, _("Lesson marked as done."))
    target = view.next.lesson if view.next else lesson
    return HttpResponseRedirect(target.get_url(request))


_LEAVE_LESSON = {"not_enrolled", "not_live", "withdrawn"}


@login_required
@require_POST
def quiz_start(request, lesson_id: int):
    """Open an attempt (its draw is stored on the server), or resume the open one."""
    lesson = _lesson_or_404(request, lesson_id)
    try:
        quiz_attempt_start(user=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, _message(error))
        if getattr(error, "code", None) in _LEAVE_LESSON:
            return HttpResponseRedirect(lesson_view(lesson=lesson, user=request.user).course.url)
    return HttpResponseRedirect(lesson.get_url(request) + "#quiz")


@login_required
@require_POST
def quiz_submit(request, lesson_id: int):
    """Grade an attempt. Bad input re-renders the quiz with a message per question (HTTP 400);
    the same answers sent again for a graded attempt show its result (nothing counted twice)."""
    lesson = _lesson_or_404(request, lesson_id)
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    try:
        attempt, graded_now = quiz_attempt_submit(
            user=request.user,
            lesson=lesson,
            attempt_id=request.POST.get("attempt", ""),
            answers=answers,
        )
    except ValidationError as error:
        view = lesson_view(lesson=lesson, user=request.user)
        if view.enrolment is None or getattr(error, "code", None) in _LEAVE_LESSON:
            messages.error(request, _message(error))
            return HttpResponseRedirect(view.course.get_url(request))
        if hasattr(error, "error_dict"):
            quiz_errors = {key: errs[0].messages[0] for key, errs in error.error_dict.items()}
            messages.error(request, _("Some questions need your attention."))
        else:
            quiz_errors = {}
            messages.error(request, _message(error))
        return _render_lesson(
            request, lesson, view, quiz_errors=quiz_errors, quiz_answers=answers, status=400
        )
    if not graded_now:
        messages.info(request, _("This attempt was already graded; here is its result."))
    elif attempt.passed:
        messages.success(request, _("You passed with %(score)s%%.") % {"score": attempt.score})
    else:
        messages.warning(
            request,
            _("Your score is %(score)s%%; %(mark)s%% is needed. Review the topics below.")
            % {"score": attempt.score, "mark": attempt.enrolment.course.pass_mark},
        )
    return HttpResponseRedirect(lesson.get_url(request) + "#quiz-result")


@login_required
@require_GET
def my_learning(request):
    enrolments = my_enrolments(user=request.user)
    return render(
        request,
        "courses/my_learning.html",
        {
            "active": [e for e in enrolments if e.status == Enrolment.Status.ACTIVE],
            "completed": [e for e in enrolments if e.status == Enrolment.Status.COMPLETED],
            "classes": learner_classes(request.user),
        },
    )
