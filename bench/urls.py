from django.urls import path

from . import views

app_name = "bench"

urlpatterns = [
    path("hello/", views.hello, name="hello"),
    path("bare/", views.bare, name="bare"),
    path("bare-insert/", views.bare_insert, name="bare_insert"),
]
