from django.urls import path

from . import views

app_name = "dialogue"
urlpatterns = [
    path("hoi-dap/", views.question_list, name="questions"),
    path("hoi-dap/hoi/", views.question_ask, name="ask"),
    path("hoi-dap/kiem-duyet/", views.moderation, name="moderation"),
    path("hoi-dap/<int:pk>/", views.thread_detail, name="thread"),
    path("hoi-dap/<int:pk>/tra-loi/", views.thread_reply, name="reply"),
    path("hoi-dap/<int:pk>/bao-cao/", views.thread_report, name="report"),
    path("hoi-dap/<int:pk>/kiem-duyet/", views.thread_moderate, name="moderate"),
    path("hoi-dap/khoa-hoc/<int:course_id>/", views.course_discussion, name="course"),
    path("khao-sat/ket-qua/", views.survey_results, name="survey_results"),
    path("khao-sat/<int:course_id>/", views.survey, name="survey"),
]
