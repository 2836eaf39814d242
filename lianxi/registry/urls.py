from django.urls import path

from lianxi.registry import views

app_name = "registry"

urlpatterns = [
    path("conferences/", views.conference_list, name="conference_list"),
    path("conferences/new/", views.conference_create, name="conference_create"),
    path("conferences/<int:pk>/edit/", views.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/committees/add/", views.committee_add, name="committee_add"),
    path("committees/<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("committees/<int:pk>/delete/", views.committee_delete, name="committee_delete"),
    path("conferences/<int:pk>/posts/", views.posts, name="posts"),
    path("conferences/<int:pk>/posts/add/", views.appointment_add, name="appointment_add"),
    path("posts/<int:pk>/end/", views.appointment_end, name="appointment_end"),
    path("posts/<int:pk>/replace/", views.appointment_replace, name="appointment_replace"),
    path("conferences/pick/", views.conference_pick, name="conference_pick"),
    path("areas/pick/", views.area_pick, name="area_pick"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/suggest/", views.unit_suggest, name="unit_suggest"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/memberships/add/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("memberships/<int:pk>/plaque/", views.membership_plaque, name="membership_plaque"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/suggest/", views.person_suggest, name="person_suggest"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("roles/", views.grant_list, name="grant_list"),
    path("roles/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
]
