"""The course outline in the Wagtail admin: a course's lessons in order (drafts too), what
each counts for, and whether the course issues certificates, for the trainer who edits it.
Importing this module also registers the Django admin of LRS clients and xAPI forwarding
(superusers only, see lms/urls.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import CoursePage
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
