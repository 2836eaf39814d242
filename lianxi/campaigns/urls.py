from django.urls import path

from lianxi.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/nominate/", views.nomination_create, name="nomination_create"),
    path("<int:pk>/import/", views.nominations_import, name="nominations_import"),
    path("<int:pk>/advance/", views.campaign_advance, name="campaign_advance"),
    path("<int:pk>/assign/", views.campaign_assign, name="campaign_assign"),
    path("<int:pk>/decide/", views.campaign_decide, name="campaign_decide"),
    path("<int:pk>/award/", views.campaign_award, name="campaign_award"),
    path("<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("<int:pk>/objections/", views.objection_file, name="objection_file"),
    path("<int:pk>/objections/<int:objection_pk>/", views.objection_handle, name="objection_handle"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/recommend/", views.nomination_recommend, name="nomination_recommend"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("honours/<int:pk>/", views.honour_detail, name="honour_detail"),
    path("honours/<int:pk>/publish/", views.honour_publish, name="honour_publish"),
]
