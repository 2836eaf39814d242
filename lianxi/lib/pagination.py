"""Paginate a queryset in SQL, keeping the filter query string on the page links.

Counting is bounded: a city-sized list (100,000 units, 500,000 needs) is not counted to the last
row just to print "共 N 条". ``bounded_count`` counts at most ``bound + 1`` rows
(``SELECT COUNT(*) FROM (… LIMIT bound + 1)``); past the bound the page shows "1000+" and offers
the pages up to it, plus "下一页" — the bound moves with the requested page (at least one page past
it), so every row stays reachable. Lists of up to 1,000 rows (every filtered list in practice)
are counted exactly. Pass ``exact=True`` where the total itself is the figure users read.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from lianxi.lib.params import MAX_PAGE, page_param, parse_int

PAGE_SIZE = 50
COUNT_BOUND = 1000


def count_bound(page_number, per_page: int) -> int:
    """How far to count for ``page_number``: ``COUNT_BOUND`` rows, or one page past the requested
    page when that is further, so a capped count still shows a next page."""
    number = parse_int(page_number, min_value=1, max_value=MAX_PAGE) or 1
    return max(COUNT_BOUND, (number + 1) * per_page)


def bounded_count(queryset, bound: int) -> tuple[int, bool]:
    """``(count, capped)``: the exact number of rows when there are at most ``bound``, else
    ``(bound, True)``. Reads at most ``bound + 1`` rows."""
    if not hasattr(queryset, "order_by"):  # a list
        n = len(queryset)
    else:
        queryset = queryset.order_by()
        query = queryset.query
        if queryset._fields is None and query.group_by is None and not query.distinct_fields:
            # Model rows: count their keys, leaving out per-row annotations (a partner count…)
            # that a sliced COUNT would otherwise compute for every counted row.
            queryset = queryset.values("pk")
        n = queryset[: bound + 1].count()
    return (bound, True) if n > bound else (n, False)


class BoundedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``bound`` (``None``: exact). ``count_capped`` says
    whether it stopped; ``count_display`` and ``num_pages_display`` read "1000+" then."""

    def __init__(self, object_list, per_page, *, bound: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound
        self._capped = False

    @cached_property
    def count(self):
        if self.bound is None:
            return super().count
        n, self._capped = bounded_count(self.object_list, self.bound)
        return n

    @property
    def count_capped(self) -> bool:
        self.count  # noqa: B018 — counting sets the flag
        return self._capped

    @property
    def count_display(self) -> str:
        return f"{self.count}+" if self.count_capped else str(self.count)

    @property
    def num_pages_display(self) -> str:
        return f"{self.num_pages}+" if self.count_capped else str(self.num_pages)


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, exact: bool = False):
    """The requested page of ``queryset``; the count bounded (see the module) unless ``exact``."""
    number = page_param(request)
    bound = None if exact else count_bound(number, per_page)
    paginator = BoundedPaginator(queryset, per_page, bound=bound)
    page = paginator.get_page(number)
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()
    return page
