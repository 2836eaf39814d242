"""The filters of the needs and resources lists, one definition for the pages (认领大厅, 资源清单)
and for ``GET /api/v1/needs`` and ``/resources``. The pages keep their filter forms for what the
form shows (choices of the conferences a user may see); the narrowing is done here."""

import django_filters
from django.db.models import Q

from lianxi.lib.filters import PositiveIntFilter, SearchTextFilter, positive
from lianxi.lists.models import Need, Resource, Urgency


def _by_pk(value):
    """A filter form's model choice (or an API id) as the id this filter set takes."""
    return getattr(value, "pk", value)


def bound_values(cleaned: dict, names) -> dict:
    """The filter values of a valid page form, ready to bind a filter set (empty ones left out)."""
    return {n: _by_pk(cleaned[n]) for n in names if cleaned.get(n) not in (None, "")}


class NeedFilterSet(django_filters.FilterSet):
    q = SearchTextFilter()
    conference = PositiveIntFilter(field_name="conference_id")
    owner = PositiveIntFilter(field_name="owner_id")
    category = PositiveIntFilter(field_name="category_id")
    area = PositiveIntFilter(method="filter_area")
    state = django_filters.ChoiceFilter(choices=Need.State.choices)
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    in_hall = django_filters.BooleanFilter(method="filter_in_hall")

    class Meta:
        model = Need
        fields = []

    def filter_area(self, qs, name, value):
        area_id = positive(value)
        return qs if area_id is None else qs.filter(Q(area_id=area_id) | Q(area__parent_id=area_id))

    def filter_in_hall(self, qs, name, value):
        return qs.in_hall() if value else qs


class ResourceFilterSet(django_filters.FilterSet):
    q = SearchTextFilter()
    conference = PositiveIntFilter(field_name="conference_id")
    unit = PositiveIntFilter(field_name="unit_id")
    category = PositiveIntFilter(field_name="category_id")
    kind = django_filters.ChoiceFilter(choices=Resource.Kind.choices)
    state = django_filters.ChoiceFilter(choices=Resource.State.choices)
    area = PositiveIntFilter(field_name="areas__id")

    class Meta:
        model = Resource
        fields = []
