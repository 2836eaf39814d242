"""Mounted at /lists/burden/ (see lianxi/urls.py): the paths the burden pages had inside the lists
app, so existing links and bookmarks keep working."""

from django.urls import path

from lianxi.burden import views

app_name = "burden"

urlpatterns = [
    path("", views.burden_overview, name="burden"),
    path("units/<int:pk>/", views.burden_unit, name="burden_unit"),
    path("units/<int:pk>/cap/", views.burden_cap, name="burden_cap"),
    path("requests/<int:pk>/answer/", views.burden_answer, name="burden_answer"),
    path("requests/<int:pk>/<str:decision>/", views.burden_decide, name="burden_decide"),
    path("digests/<int:pk>/send/", views.digest_send, name="digest_send"),
]
