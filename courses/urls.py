from django.urls import include, path, register_converter

from . import images, views
from .offline import views as offline_views
from .quiz import views as quiz_views


class IdConverter:
    """A database id: at most 18 digits, so an overlong number is a 404, not an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/<id:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<id:lesson_id>/done/", views.lesson_mark_done, name="lesson_done"),
    path("lessons/<id:lesson_id>/quiz/start/", views.quiz_start, name="quiz_start"),
    path("lessons/<id:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"),
    path(
        "courses/<id:course_id>/learners/<id:learner_id>/quiz/",
        quiz_views.learner_attempts,
        name="quiz_attempts",
    ),
    path(
        "courses/<id:course_id>/learners/<id:learner_id>/quiz/grant/",
        quiz_views.attempt_grant,
        name="quiz_grant",
    ),
    path(
        "courses/<id:course_id>/offline.json",
        offline_views.course_manifest,
        name="offline_manifest",
    ),
    path("lessons/<id:lesson_id>/quiz/offline/", offline_views.quiz_offline, name="quiz_offline"),
    path("offline/sync/", offline_views.sync, name="offline_sync"),
    # A private image's rendition (courses.images): the name is the stored file's.
    path("images/<str:name>", images.private_image, name="private_image"),
    path("h5p/", include("courses.h5p.urls")),
    path("scorm/", include("courses.scorm.urls")),
]
