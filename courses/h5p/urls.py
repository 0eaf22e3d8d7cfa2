from django.urls import path

from . import reports, views

app_name = "h5p"

urlpatterns = [
    path("play/<id:lesson_id>/<slug:block_id>/", views.play, name="play"),
    path("files/<uuid:package_uuid>/<path:path>", views.package_file, name="file"),
    path("xapi/", views.xapi, name="xapi"),
    path("state/", views.state, name="state"),
    path("reports/", reports.activity_list, name="reports"),
    path("reports/<id:lesson_id>/<slug:block_id>/", reports.activity_report, name="report"),
    path(
        "reports/<id:lesson_id>/<slug:block_id>/export.csv",
        reports.activity_report_csv,
        name="report_csv",
    ),
]
