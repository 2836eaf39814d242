"""The project list's filters, one definition for the page and ``GET /api/v1/projects``."""

import django_filters

from lianxi.lib.filters import JsonCodeFilter, PositiveIntFilter, SearchTextFilter
from lianxi.projects.models import Link, Project


class ProjectFilterSet(django_filters.FilterSet):
    q = SearchTextFilter()
    conference = PositiveIntFilter(field_name="conference_id")
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices)
    year = PositiveIntFilter(field_name="year")
    link = JsonCodeFilter(field_name="links", choices=Link.choices)

    class Meta:
        model = Project
        fields = []
