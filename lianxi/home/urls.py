"""The home room's pages. The conference, unit and person pages keep their names (``registry:conference_detail`` …)
and paths: lianxi/urls.py adds ``registry_patterns`` to the registry's namespace,
so every existing link (``Conference.get_absolute_url`` …) still resolves."""

from django.urls import path

from lianxi.home import views

# Joined to the registry's namespace by lianxi/urls.py.
registry_patterns = [
    path("conferences/<int:pk>/", views.conference_home, name="conference_detail"),
    path("conferences/<int:pk>/rotation/", views.rotation, name="rotation"),
    path("units/<int:pk>/", views.unit_home, name="unit_detail"),
    path("people/<int:pk>/", views.person_home, name="person_detail"),
]
