from django.urls import path

from . import views

app_name = "scorm"

urlpatterns = [
    path("play/<id:lesson_id>/<slug:block_id>/", views.play, name="play"),
    path("files/<uuid:package_uuid>/<path:path>", views.package_file, name="file"),
    path("commit/", views.commit, name="commit"),
]
