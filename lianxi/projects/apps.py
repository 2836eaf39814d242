from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "lianxi.projects"
    verbose_name = "项目"

    def ready(self):
        from lianxi.meetings.models import AgendaItem
        from lianxi.meetings.resolutions import register_agenda_link, register_resolution
        from lianxi.projects import forms, gates, services

        # Applying a release (发布) or award (颁授) agenda item links projects to it: the projects room
        # owns that effect and hands it to meetings, which sits below and never imports projects.
        register_resolution(AgendaItem.Kind.RELEASE, services.apply_release, forms.ProjectsApplyForm)
        register_resolution(AgendaItem.Kind.AWARD, services.apply_award, forms.ProjectsApplyForm)
        # The meeting page and API show each item's projects, as far as the user may see them.
        register_agenda_link("released_projects", gates.projects_visible_to)
        register_agenda_link("awarded_projects", gates.projects_visible_to)

        from lianxi.accounts.gates import register_history_gate
        from lianxi.projects.models import Project

        register_history_gate(Project, gates.may_read_project_history)
