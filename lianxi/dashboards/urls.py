from django.urls import path

from lianxi.dashboards import views

app_name = "dashboards"
urlpatterns = [path("", views.dashboard, name="dashboard")]
