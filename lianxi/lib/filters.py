"""Filters shared by the list pages and the API: one ``FilterSet`` per list, so the page's filter
form and the API's query parameters narrow the same rows the same way.

A page binds its ``request.GET`` (an unknown or malformed value is ignored, the page still lists);
the API binds the values its schema already checked (a malformed value was a 422 before)."""

import django_filters
from django.db import connection


class SearchTextFilter(django_filters.CharFilter):
    """Free text through the queryset's ``search()`` (``lianxi.lib.queries.SearchQuerySet``)."""

    def filter(self, qs, value):
        value = (value or "").strip()
        return qs.search(value) if value else qs


class JsonCodeFilter(django_filters.ChoiceFilter):
    """A code in a JSON list column (``links``): containment on PostgreSQL; on SQLite, which has no
    JSON containment, the quoted code in the stored text (the codes are distinct words)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if connection.features.supports_json_field_contains:
            return qs.filter(**{f"{self.field_name}__contains": [value]})
        return qs.filter(**{f"{self.field_name}__icontains": f'"{value}"'})


def positive(value) -> int | None:
    """A filter value as a positive id/year, else ``None`` (the page ignores it)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class PositiveIntFilter(django_filters.NumberFilter):
    """An id or a year: anything but a positive whole number is ignored, as the pages always did."""

    def filter(self, qs, value):
        number = positive(value)
        return qs if number is None else super().filter(qs, number)
