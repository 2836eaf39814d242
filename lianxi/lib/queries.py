"""Query helpers shared by list pages."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_subquery(queryset, outer_field: str, outer_ref: str = "pk"):
    """``Coalesce((SELECT COUNT(*) FROM queryset WHERE outer_field = outer.pk), 0)``.

    Unlike ``annotate(Count(...))`` this does not GROUP BY every row of the outer query before its
    LIMIT: the count runs only for the rows of the page being shown."""
    counted = (
        queryset.filter(**{outer_field: OuterRef(outer_ref)})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
