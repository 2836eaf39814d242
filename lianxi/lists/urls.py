from django.urls import path

from lianxi.lists import views

app_name = "lists"

urlpatterns = [
    path("", views.hall, name="hall"),
    path("inbox/", views.inbox, name="inbox"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("confirmations/counts/", views.confirmation_counts, name="confirmation_counts"),
    path("overview/", views.overview, name="overview"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/publish/", views.need_publish, name="need_publish"),
    path("needs/<int:pk>/withdraw/", views.need_withdraw, name="need_withdraw"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("needs/<int:pk>/pair/", views.need_pair, name="need_pair"),
    path("needs/<int:pk>/claim/", views.need_claim, name="need_claim"),
    path("claims/<int:pk>/cancel/", views.claim_cancel, name="claim_cancel"),
    path("claims/<int:pk>/end/", views.claim_end, name="claim_end"),
    path("deliveries/<int:pk>/record/", views.delivery_record, name="delivery_record"),
    path("deliveries/<int:pk>/confirm/", views.delivery_confirm, name="delivery_confirm"),
    path("deliveries/<int:pk>/rate/", views.delivery_rate, name="delivery_rate"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/<str:action>/", views.resource_state, name="resource_state"),
    path("excel/", views.excel_page, name="excel"),
    path("excel/templates/<str:which>/", views.excel_template, name="excel_template"),
    path("excel/export/", views.excel_export, name="excel_export"),
    path("snapshots/", views.snapshot_list, name="snapshot_list"),
    path("snapshots/freeze/", views.snapshot_freeze, name="snapshot_freeze"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("snapshots/<int:pk>/xlsx/", views.snapshot_export, name="snapshot_export"),
]
