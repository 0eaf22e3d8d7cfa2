from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("start/", views.start, name="start"),
    path("roles/", views.role_switch, name="roles"),
    path("units/search/", views.org_unit_search_view, name="org_unit_search"),
    path("language/", views.language_set, name="language_set"),
    path("simple-mode/", views.simple_mode_set, name="simple_mode_set"),
    path("accounts/<int:user_id>/unlock/", views.login_unlock_view, name="login_unlock"),
]
