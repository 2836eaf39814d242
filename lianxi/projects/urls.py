from django.urls import path

from lianxi.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/tracking/", views.tracking_edit, name="tracking_edit"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("<int:pk>/reports/request/", views.report_request, name="report_request"),
    path("<int:pk>/claims/", views.claim_create, name="claim_create"),
    path("<int:pk>/claims/<int:claim_pk>/", views.claim_decide, name="claim_decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("showcase/", views.showcase, name="showcase"),
    path("rollup/", views.rollup_view, name="rollup"),
]
