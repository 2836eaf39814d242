"""Query helpers shared by list pages."""

from django.db import models
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


class SearchQuerySet(models.QuerySet):
    """``search(query)`` on a model with a ``search_text`` column (names simplified and traditional,
    pinyin and its initials, see ``lianxi.lib.text.search_key``).

    ``search_text`` holds the initials whole, so one LIKE '%…%' on it also finds every row whose
    initials start with the query. One condition on one column is what a trigram index serves on
    PostgreSQL; ``initials LIKE 'x%' OR …`` was a scan of every row (the btree on initials does not
    serve LIKE outside the C collation)."""

    def search(self, query: str):
        from lianxi.lib.text import looks_like_initials, normalise_query

        query = (query or "").strip()
        if not query:
            return self
        if looks_like_initials(query):
            return self.filter(search_text__contains=query.lower())
        return self.filter(search_text__contains=normalise_query(query))
