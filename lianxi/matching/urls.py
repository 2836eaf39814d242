from django.urls import path

from lianxi.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.suggestions, name="suggestions"),
    path("run/", views.run, name="run"),
    path("send/", views.send, name="send"),
    path("neighbours/", views.neighbours, name="neighbours"),
    path("neighbours/<int:conference>/<int:pk>/", views.neighbours_set, name="neighbours_set"),
    path("invitations/", views.invitations, name="invitations"),
    path("suggestions/<int:pk>/", views.suggestion, name="suggestion"),
    path("suggestions/<int:pk>/accept/", views.accept, name="accept"),
    path("suggestions/<int:pk>/decline/", views.decline, name="decline"),
]
