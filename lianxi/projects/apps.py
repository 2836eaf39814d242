from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "lianxi.projects"
    verbose_name = "项目"
