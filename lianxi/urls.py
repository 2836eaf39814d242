from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lianxi.api.api import api
from lianxi.registry import views as registry_views

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("lianxi.registry.urls")),
    path("meetings/", include("lianxi.meetings.urls")),
    path("projects/", include("lianxi.projects.urls")),
    path("lists/", include("lianxi.lists.urls")),
    path("matching/", include("lianxi.matching.urls")),
]
