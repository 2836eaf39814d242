from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "lianxi.documents"
    verbose_name = "文书"

    def ready(self):
        from lianxi.documents import jobs  # noqa: F401 - registers the PDF job kind
