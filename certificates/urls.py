from django.urls import path

from courses.urls import IdConverter  # noqa: F401  (registers the "id" converter)

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<id:certificate_id>/download/", views.download, name="download"),
    path("<id:certificate_id>/credential.json", views.my_credential, name="credential"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/<id:certificate_id>/", views.manage_detail, name="manage_detail"),
    path("manage/<id:certificate_id>/revoke/", views.revoke, name="revoke"),
    path("manage/<id:certificate_id>/reissue/", views.reissue, name="reissue"),
    path("manage/<id:certificate_id>/retry/", views.retry, name="retry"),
    path("status/", views.status_lists, name="status_lists"),
    path("status/<str:name>.json", views.status_list, name="status_list"),
]
