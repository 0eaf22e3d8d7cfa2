from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.library_redirect, name="redirect"),
    path("items/<int:pk>/file/", views.library_file, name="file"),
]
