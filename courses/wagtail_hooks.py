from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet

from .admin import CourseOutlineView, QuizStatisticsView
from .h5p.admin import H5PPackageViewSet
from .models import CoursePage, LessonPage
from .scorm.admin import ScormPackageViewSet

register_snippet(H5PPackageViewSet)
register_snippet(ScormPackageViewSet)


@hooks.register("register_admin_urls")
def course_outline_urls():
    return [
        path(
            "courses/<int:course_id>/outline/",
            CourseOutlineView.as_view(),
            name="courses_outline",
        ),
        path(
            "courses/lessons/<int:lesson_id>/quiz-statistics/",
            QuizStatisticsView.as_view(),
            name="courses_quiz_statistics",
        ),
    ]


def _outline_button(page, user, priority):
    if page.specific_class is CoursePage and page.permissions_for_user(user).can_edit():
        yield PageMenuItem(
            _("Course outline"),
            reverse("courses_outline", args=[page.pk]),
            icon_name="list-ol",
            priority=priority,
            page=page,
        )


@hooks.register("register_page_listing_more_buttons")
def course_outline_listing_button(page, user, next_url=None):
    yield from _outline_button(page, user, 35)


@hooks.register("register_page_header_buttons")
def course_outline_header_button(page, user, view_name=None, next_url=None):
    yield from _outline_button(page, user, 35)


@hooks.register("after_create_page")
def new_lesson_before_final_assessment(request, page):
    """A lesson added to a course goes before its final quiz (courses.services)."""
    if isinstance(page, LessonPage):
        from .services import lesson_place_before_final

        lesson_place_before_final(lesson=page, user=request.user)


def private_documents(document, request):
    """Documents of a unit's collection go only to who may see them there (404 for anyone
    else, anonymous included, so a guessed URL tells nothing); runs before Wagtail's own
    collection privacy check."""
    from django.http import Http404

    from .collections import document_visible_to

    if not document_visible_to(request.user, document):
        raise Http404


hooks.register("before_serve_document", private_documents, order=-1)


def images_moved_between_collections(request, action_type, objects, action_class_instance):
    """The admin's "add to collection" moves images with one UPDATE (no save signal): give
    each moved image the name its new collection's privacy wants (courses.images)."""
    from wagtail.images import get_image_model

    from .images import image_privacy_sync

    Image = get_image_model()
    if action_type != "add_to_collection" or not objects or not isinstance(objects[0], Image):
        return
    for image in Image.objects.filter(pk__in=[image.pk for image in objects]).select_related(
        "collection"
    ):
        image_privacy_sync(image=image)


hooks.register("after_bulk_action", images_moved_between_collections)
