from django.urls import path

from lianxi.visits import excel, views

app_name = "visits"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/compute/", views.plan_compute, name="plan_compute"),
    path("plans/<int:pk>/visitors/", views.visitor_add, name="visitor_add"),
    path("plans/<int:pk>/unavailable/", views.unit_unavailable, name="unit_unavailable"),
    path("plans/<int:pk>/export.xlsx", excel.plan_export, name="plan_export"),
    path("mine/", views.my_visits, name="my_visits"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/propose/", views.visit_propose, name="visit_propose"),
    path("<int:pk>/confirm/", views.visit_confirm, name="visit_confirm"),
    path("<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("<int:pk>/record/", views.visit_record, name="visit_record"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("coverage/<int:pk>/", views.org_coverage, name="coverage"),
    path("rotation/<int:pk>/", views.rotation_plan, name="rotation"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/offer/", views.venue_offer, name="venue_offer"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/retire/", views.venue_retire, name="venue_retire"),
    path("venues/export.xlsx", excel.venue_export, name="venue_export"),
    path("secondments/", views.batch_list, name="batch_list"),
    path("secondments/new/", views.batch_create, name="batch_create"),
    path("secondments/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("secondments/<int:pk>/add/", views.secondment_add, name="secondment_add"),
    path("secondments/<int:pk>/export.xlsx", excel.batch_export, name="batch_export"),
    path("secondment/<int:pk>/edit/", views.secondment_edit, name="secondment_edit"),
    path("secondment/<int:pk>/<str:action>/", views.secondment_action, name="secondment_action"),
    path("import/", excel.import_page, name="import"),
    path("import/template/<str:which>/", excel.template_download, name="template"),
]
