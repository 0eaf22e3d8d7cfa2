"""URLs of the class pages, mounted at /classes/."""

from django.urls import path

from ..urls import IdConverter  # noqa: F401  (registers the "id" converter)
from .views import attendance, roster, sessions

app_name = "classes"

urlpatterns = [
    path("", sessions.class_list, name="list"),
    path("new/", sessions.class_create, name="create"),
    path("<id:session_id>/", sessions.class_detail, name="detail"),
    path("<id:session_id>/edit/", sessions.class_edit, name="edit"),
    path("<id:session_id>/status/", sessions.class_status, name="status"),
    path("<id:session_id>/scores/", sessions.class_scores, name="scores"),
    path("<id:session_id>/learners/add/", roster.learner_add, name="learner_add"),
    path(
        "<id:session_id>/members/<id:member_id>/remove/", roster.member_remove, name="member_remove"
    ),
    path("<id:session_id>/members/<id:member_id>/pin/", roster.member_pin_reset, name="member_pin"),
    path("<id:session_id>/roster/import/", roster.roster_import, name="roster_import"),
    path(
        "<id:session_id>/roster/import/confirm/",
        roster.roster_import_confirm,
        name="roster_import_confirm",
    ),
    path("<id:session_id>/handout.pdf", roster.handout, name="handout"),
    path("<id:session_id>/days/<id:day_id>/", attendance.day_attendance, name="day"),
    path("<id:session_id>/days/<id:day_id>/photo/", attendance.sheet_photo, name="sheet_photo"),
    path("<id:session_id>/marks/", attendance.marks_sync, name="marks_sync"),
    path(
        "<id:session_id>/attendance/import/", attendance.attendance_import, name="attendance_import"
    ),
    path(
        "<id:session_id>/attendance/import/confirm/",
        attendance.attendance_import_confirm,
        name="attendance_import_confirm",
    ),
    path("<id:session_id>/checkin/<str:token>/", attendance.checkin, name="checkin"),
    path("<id:session_id>/checkin-screen/", attendance.checkin_screen, name="checkin_screen"),
    path("checkin/", attendance.checkin_enter, name="checkin_enter"),
]
