from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/done/", views.lesson_mark_done, name="lesson_done"),
    path("lessons/<int:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"),
]
