from django.urls import path

from lianxi.documents import views

app_name = "documents"
urlpatterns = [
    path("meetings/<int:pk>/", views.meeting_documents, name="meeting_documents"),
    path("meetings/<int:pk>/<str:kind>.docx", views.meeting_document_docx, name="meeting_document_docx"),
    path("meetings/<int:pk>/<str:kind>/pdf/", views.meeting_document_pdf, name="meeting_document_pdf"),
    path("honours/<int:pk>/certificates.docx", views.honour_certificates_docx, name="honour_certificates_docx"),
    path("honours/<int:pk>/certificates/pdf/", views.honour_certificates_pdf, name="honour_certificates_pdf"),
]
