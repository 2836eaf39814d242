from django.urls import path

from lianxi.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("<int:pk>/download/", views.job_output, name="job_output"),
]
