from django.urls import include, path, register_converter

from . import views


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
    path("lessons/<id:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("h5p/", include("courses.h5p.urls")),
]
