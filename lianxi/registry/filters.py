"""The unit list's filters, one definition for the page and ``GET /api/v1/units``. Bind with
``request=`` so the conference filter only reaches conferences the user may see."""

import django_filters
from django.db.models import Q

from lianxi.lib.filters import PositiveIntFilter, SearchTextFilter, positive
from lianxi.registry.gates import conferences_visible_to
from lianxi.registry.models import Membership, Unit


class UnitFilterSet(django_filters.FilterSet):
    q = SearchTextFilter()
    category = django_filters.ChoiceFilter(choices=Unit.Category.choices)
    conference = PositiveIntFilter(method="filter_conference")
    area = PositiveIntFilter(method="filter_area")
    party = django_filters.ChoiceFilter(choices=[("yes", "有党组织"), ("no", "未建党组织")], method="filter_party")

    class Meta:
        model = Unit
        fields = []

    def filter_conference(self, qs, name, value):
        if positive(value) is None:
            return qs
        # pk IN (current members): SQLite evaluates it once, not an EXISTS per unit.
        members = Membership.objects.current().filter(
            conference_id=positive(value), conference__in=conferences_visible_to(getattr(self.request, "user", None))
        ).values("unit_id")
        return qs.filter(pk__in=members)

    def filter_area(self, qs, name, value):
        area_id = positive(value)
        if area_id is None:
            return qs
        return qs.filter(Q(area_id=area_id) | Q(area__parent_id=area_id))

    def filter_party(self, qs, name, value):
        if value == "yes":
            return qs.exclude(party_org_level=Unit.PartyOrgLevel.NONE)
        return qs.filter(party_org_level=Unit.PartyOrgLevel.NONE)
