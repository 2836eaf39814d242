"""Filters shared by the list pages and the API: one ``FilterSet`` per list, so the page's filter
form and the API's query parameters narrow the same rows the same way.

A page binds its ``request.GET`` (an unknown or malformed value is ignored, the page still lists);
the API binds the values its schema already checked (a malformed value was a 422 before)."""

from decimal import Decimal

import django_filters
from django.db import connection

from lianxi.lib.params import MAX_ID, MAX_TEXT, MAX_YEAR, parse_int


class SearchTextFilter(django_filters.CharFilter):
    """Free text through the queryset's ``search()`` (``lianxi.lib.queries.SearchQuerySet``)."""

    def filter(self, qs, value):
        # No NUL or other control characters (PostgreSQL refuses NUL in a query) and bounded length.
        value = "".join(ch for ch in (value or "") if ch >= " ").strip()[:MAX_TEXT]
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


def positive(value, *, max_value: int = MAX_ID) -> int | None:
    """A filter value as a positive id/year, else ``None`` (the page ignores it). Bounded as
    :mod:`lianxi.lib.params` bounds every query parameter: an id fits a bigint, a year is a year."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value() and abs(value) < 10**19:
        value = int(value)  # NumberFilter's form field hands over a Decimal
    return parse_int(value, min_value=1, max_value=max_value)


class PositiveIntFilter(django_filters.NumberFilter):
    """An id or a year: anything but a positive whole number is ignored, as the pages always did."""

    def filter(self, qs, value):
        is_year = self.field_name.endswith("year") or self.lookup_expr.endswith("year")
        number = positive(value, max_value=MAX_YEAR if is_year else MAX_ID)
        return qs if number is None else super().filter(qs, number)
