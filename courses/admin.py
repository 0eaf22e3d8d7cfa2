"""The course outline in the Wagtail admin: a course's lessons in order (drafts too), what
each counts for, and whether the course issues certificates, for the trainer who edits it;
and the question statistics of a quiz lesson.
Importing this module also registers the Django admin of LRS clients and xAPI forwarding
(superusers only, see lms/urls.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import CoursePage, LessonPage
from .quiz.statistics import EASY, HARD, MIN_ATTEMPTS, WEAK, question_statistics
from .selectors import course_outline_for_authors
from .xapi import admin  # noqa: F401  (LRS clients, xAPI forwarding)


class CourseOutlineView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "courses/admin/course_outline.html"
    header_icon = "list-ol"
    page_title = _("Course outline")

    def dispatch(self, request, *args, **kwargs):
        self.course = get_object_or_404(CoursePage, pk=kwargs["course_id"])
        if not self.course.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["outline"] = course_outline_for_authors(course=self.course)
        context["can_reorder"] = self.course.permissions_for_user(
            self.request.user
        ).can_reorder_children()
        return context


class QuizStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    """Per-question statistics of a lesson's quiz (courses.quiz.statistics), over the attempts
    of learners in the viewer's scope, for whoever may edit the lesson."""

    template_name = "courses/admin/quiz_statistics.html"
    header_icon = "table"
    page_title = _("Question statistics")

    def dispatch(self, request, *args, **kwargs):
        self.lesson = get_object_or_404(LessonPage, pk=kwargs["lesson_id"])
        if not self.lesson.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.lesson.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions, attempts = question_statistics(user=self.request.user, lesson=self.lesson)
        context.update(
            lesson=self.lesson,
            course=self.lesson.get_parent(),
            questions=questions,
            attempts=attempts,
            limits={"easy": int(EASY * 100), "hard": int(HARD * 100), "weak": WEAK,
                    "min": MIN_ATTEMPTS},
        )  # fmt: skip
        return context
