from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("doc/", views.notification_read, name="read"),
    path("cai-dat/", views.preferences, name="preferences"),
]
