from django.urls import path

from lianxi.ingest import views

app_name = "ingest"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_create, name="import_create"),
    path("<int:pk>/", views.import_review, name="import_review"),
]
