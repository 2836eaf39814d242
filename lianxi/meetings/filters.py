"""The meeting list's filters, one definition for the page and ``GET /api/v1/meetings``."""

import django_filters

from lianxi.lib.filters import PositiveIntFilter
from lianxi.meetings.models import Meeting


class MeetingFilterSet(django_filters.FilterSet):
    conference = PositiveIntFilter(field_name="conference_id")
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    year = PositiveIntFilter(field_name="date", lookup_expr="year")

    class Meta:
        model = Meeting
        fields = []
