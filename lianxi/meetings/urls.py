from django.urls import path

from lianxi.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/figures/add/", views.figure_add, name="figure_add"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/apply/", views.agenda_apply, name="agenda_apply"),
    path("agenda/<int:pk>/move/", views.agenda_move, name="agenda_move"),
    path("agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("agenda/<int:pk>/<str:what>/add/", views.agenda_part_add, name="agenda_part_add"),
    path("agenda/<int:pk>/<str:what>/<int:part_pk>/remove/", views.agenda_part_remove, name="agenda_part_remove"),
]
