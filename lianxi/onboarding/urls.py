from django.urls import path

from lianxi.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("setup/checklist/", views.checklist, name="checklist"),
    path("setup/registry/<str:sheet>/template/", views.sheet_template, name="sheet_template"),
    path("setup/registry/<str:sheet>/export/", views.sheet_export, name="sheet_export"),
    path("setup/registry/<str:sheet>/upload/", views.sheet_upload, name="sheet_upload"),
    path("setup/registry/plan/<int:job_id>/", views.sheet_plan, name="sheet_plan"),
    path("setup/registry/plan/<int:job_id>/apply/", views.sheet_apply, name="sheet_apply"),
    path("setup/accounts/", views.accounts, name="accounts"),
    path("setup/accounts/<int:pk>/<str:action>/", views.invitation_action, name="invitation_action"),
    path("activate/<str:token>/", views.activate, name="activate"),
]
