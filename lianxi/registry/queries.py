"""Queries the registry's pages and the rooms above it share: the seniority of posts and a
conference's current member count, both as annotations (no query per row)."""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from lianxi.registry.models import Appointment, Membership

# The order posts are listed in, most senior first.
ROLE_ORDER = [
    Appointment.Role.CONVENER,
    Appointment.Role.ROTATING_CONVENER,
    Appointment.Role.DEPUTY_CONVENER,
    Appointment.Role.SECRETARY_GENERAL,
    Appointment.Role.SECRETARY_GENERAL_UNIT,
    Appointment.Role.SECRETARIAT,
    Appointment.Role.LIAISON,
]
ROLE_RANK = Case(*[When(role=r, then=Value(i)) for i, r in enumerate(ROLE_ORDER)], output_field=IntegerField())


def current_member_count():
    """Count of a conference's current memberships, as an annotation (no query per row): a correlated
    subquery per conference, answered from the index membership_conf_current."""
    return Coalesce(
        Subquery(
            Membership.objects.current().filter(conference=OuterRef("pk")).order_by()
            .values("conference").annotate(c=Count("*")).values("c")
        ),
        0,
    )
