"""A learner's quiz attempts for a trainer in scope or an administrator, and the POST that
grants one more attempt. Reached from the class roster."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .selectors import learner_quiz_attempts
from .services import GRANT_REASON_MAX, quiz_attempt_grant


@login_required
@require_GET
def learner_attempts(request, course_id: int, learner_id: int):
    profile, enrolment, quizzes = learner_quiz_attempts(
        request.user, course_id=course_id, learner_id=learner_id
    )
    return render(
        request,
        "courses/quiz_attempts.html",
        {
            "profile": profile,
            "enrolment": enrolment,
            "course": enrolment.course,
            "quizzes": quizzes,
            "reason_max": GRANT_REASON_MAX,
        },
    )


@login_required
@require_POST
def attempt_grant(request, course_id: int, learner_id: int):
    _profile, enrolment, quizzes = learner_quiz_attempts(
        request.user, course_id=course_id, learner_id=learner_id
    )
    lesson = next(
        (q.lesson for q in quizzes if str(q.lesson.pk) == request.POST.get("lesson")), None
    )
    if lesson is None:
        raise Http404
    try:
        quiz_attempt_grant(
            by=request.user,
            enrolment=enrolment,
            lesson=lesson,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The learner has one more attempt at this quiz."))
    return HttpResponseRedirect(reverse("courses:quiz_attempts", args=[course_id, learner_id]))
