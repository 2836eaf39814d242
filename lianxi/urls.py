from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lianxi.api.api import api, handler400, handler403, handler404, handler500  # noqa: F401
from lianxi.home import urls as home_urls
from lianxi.home import views as home_views
from lianxi.registry import urls as registry_urls

urlpatterns = [
    path("", home_views.landing, name="home"),
    path("start/", home_views.start, name="start"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("lianxi.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The registry's pages plus the conference home page, which the home room assembles.
    path("", include((registry_urls.urlpatterns + home_urls.registry_patterns, "registry"))),
    path("meetings/", include("lianxi.meetings.urls")),
    path("projects/", include("lianxi.projects.urls")),
    path("lists/burden/", include("lianxi.burden.urls")),
    path("lists/", include("lianxi.lists.urls")),
    path("matching/", include("lianxi.matching.urls")),
    path("campaigns/", include("lianxi.campaigns.urls")),
    path("visits/", include("lianxi.visits.urls")),
    path("jobs/", include("lianxi.jobs.urls")),
    path("documents/", include("lianxi.documents.urls")),
    path("dashboard/", include("lianxi.dashboards.urls")),
    path("ingest/", include("lianxi.ingest.urls")),
    path("", include("lianxi.onboarding.urls")),
]
