"""Bounded counting: a big list is counted only up to a bound ("1000+"), a short one exactly, and
every row stays reachable page by page. The bound is lowered here so a dozen rows stand for a city."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lianxi.lib import pagination
from lianxi.lib.pagination import bounded_count, count_bound, paginate


@pytest.fixture
def groups(db, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 5)
    Group.objects.bulk_create([Group(name=f"g{i:02}") for i in range(12)])
    return Group.objects.order_by("name")


def page_of(queryset, per_page=2, **params):
    return paginate(RequestFactory().get("/x", params), queryset, per_page=per_page)


def test_count_bound_is_at_least_one_page_past_the_requested_one(monkeypatch):
    assert count_bound(1, 50) == 1000
    assert count_bound("19", 50) == 1000
    assert count_bound(20, 50) == 1050
    assert count_bound("junk", 50) == count_bound(None, 50) == 1000


def test_bounded_count_reads_at_most_bound_plus_one_rows(groups):
    with CaptureQueriesContext(connection) as ctx:
        assert bounded_count(groups, 5) == (5, True)
        assert bounded_count(groups, 12) == (12, False)
        assert bounded_count(groups.filter(name__lt="g03"), 5) == (3, False)
    assert len(ctx.captured_queries) == 3
    sql = ctx.captured_queries[0]["sql"]
    assert "LIMIT 6" in sql and "ORDER BY" not in sql
    assert bounded_count(list(groups), 5) == (5, True)


def test_first_page_of_a_long_list_is_capped(groups):
    page = page_of(groups)
    paginator = page.paginator
    assert (paginator.count, paginator.count_capped) == (5, True)
    assert (paginator.count_display, paginator.num_pages_display) == ("5+", "3+")
    assert [g.name for g in page.object_list] == ["g00", "g01"]
    assert page.has_next()


def test_every_row_stays_reachable_and_the_tail_is_counted_exactly(groups):
    names = []
    page = page_of(groups)
    while True:
        names += [g.name for g in page.object_list]
        if not page.has_next():
            break
        page = page_of(groups, page=page.next_page_number())
    assert names == [f"g{i:02}" for i in range(12)]
    assert (page.number, page.paginator.count, page.paginator.count_capped) == (6, 12, False)
    assert page.paginator.count_display == "12"


def test_a_page_past_the_end_shows_the_last_page(groups):
    page = page_of(groups, page=99)
    assert (page.number, page.paginator.count, page.paginator.count_capped) == (6, 12, False)


def test_short_and_exact_lists_are_counted_exactly(groups):
    short = page_of(groups.filter(name__lt="g03"))
    assert (short.paginator.count, short.paginator.count_capped, short.paginator.count_display) == (3, False, "3")
    exact = paginate(RequestFactory().get("/x"), groups, per_page=2, exact=True)
    assert (exact.paginator.count, exact.paginator.count_capped, exact.paginator.num_pages) == (12, False, 6)


def test_pagination_links_say_more_than_the_bound(groups):
    html = render_to_string("includes/pagination.html", {"page": page_of(groups, q="x")})
    assert "第 1 / 3+ 页，共 5+ 条" in html
    assert 'href="?q=x&page=2"' in html
    html = render_to_string("includes/pagination.html", {"page": page_of(groups, page=6)})
    assert "第 6 / 6 页，共 12 条" in html
