"""The list pages as rewritten for city scale (benchmarks items 9, 14, 17): who sees which needs
when the visitor's query is written as exclusions, the bounded count on the hall and the API, the
inbox's "needs my resources fit", and the overview's counts from two grouped queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxi.lib import pagination
from lianxi.lists import gates, services
from lianxi.lists.models import Cadence, Need
from lianxi.lists.tests.helpers import make_need, make_resource
from lianxi.registry.models import Conference
from lianxi.registry.services import admit_unit, create_conference

pytestmark = pytest.mark.django_db
API = "/api/v1"


def url(name, *args):
    return reverse(f"lists:{name}", args=args)


@pytest.fixture
def mixed(world):
    """One need in each state a visitor must not see, one in a non-public conference, and two
    a visitor sees (one open, one claimed in full)."""
    hidden = create_conference(None, name="示例内部联席会议", kind=Conference.Kind.THEME, is_public=False)
    admit_unit(None, unit=world.street_unit, conference=hidden, start=datetime.date(2020, 1, 1))
    private = services.post_need(world.street, publish=True, conference=hidden, owner=world.street_unit,
                                 title="示例需求：内部", category=make_need(world, title="示例需求：公开").category,
                                 area=world.street_area, quantity=1, quantity_unit="人")
    draft = make_need(world, title="示例需求：草稿", publish=False)
    withdrawn = make_need(world, title="示例需求：撤回")
    services.withdraw_need(world.street, withdrawn)
    expired = make_need(world, title="示例需求：过期")
    Need.objects.filter(pk=expired.pk).update(state=Need.State.EXPIRED, is_open=False)
    full = make_need(world, title="示例需求：认满", quantity=1)
    services.claim_need(world.liaison, full, unit=world.unit_a, quantity=1)
    return {"private": private, "draft": draft, "withdrawn": withdrawn, "expired": expired, "full": full}


def titles(needs) -> set[str]:
    return {n.title for n in needs}


def test_a_visitor_sees_released_needs_of_public_conferences_only(world, mixed, client_for):
    assert titles(gates.needs_visible_to(None)) == {"示例需求：公开", "示例需求：认满"}
    assert titles(gates.open_needs_visible_to(None)) == {"示例需求：公开"}
    assert titles(gates.needs_visible_to(world.reviewer)) == {
        "示例需求：公开", "示例需求：认满", "示例需求：内部", "示例需求：撤回", "示例需求：过期"}
    page = client_for(None).get(url("hall"), {"scope": "all"}).content.decode()
    assert "示例需求：认满" in page and "示例需求：公开" in page
    assert not any(t in page for t in ("示例需求：内部", "示例需求：草稿", "示例需求：撤回", "示例需求：过期"))
    body = client_for(None).get(f"{API}/needs").json()
    assert {n["title"] for n in body["items"]} == {"示例需求：公开", "示例需求：认满"}
    assert (body["count"], body["count_capped"]) == (2, False)
    assert client_for(None).get(f"{API}/needs/{mixed['private'].pk}").status_code == 404


def test_a_visitor_sees_every_need_when_no_conference_is_private(world, client_for):
    make_need(world, title="示例需求：一")
    make_need(world, title="示例需求：二")
    assert not Conference.objects.filter(is_public=False).exists()
    assert titles(gates.open_needs_visible_to(None)) == {"示例需求：一", "示例需求：二"}


def test_hall_and_api_say_more_than_the_bound(world, client_for, monkeypatch, count_queries):
    for i in range(5):
        make_need(world, title=f"示例需求{i}")
    client = client_for(None)
    assert "共 5 条需求" in client.get(url("hall")).content.decode()
    # The hall shows 20 a page, so its bound is at least 40: stand in a bound of 3.
    monkeypatch.setattr(pagination, "count_bound", lambda number, per_page: 3)
    with count_queries() as ctx:
        page = client.get(url("hall")).content.decode()
    assert "共 3+ 条需求" in page
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]
    monkeypatch.setattr(pagination, "COUNT_BOUND", 3)
    body = client.get(f"{API}/needs", {"open": "true", "page_size": 1}).json()
    assert (body["count"], body["count_capped"]) == (3, True)
    assert client.get(f"{API}/needs", {"open": "true", "page_size": 5}).json()["count"] == 5


def test_inbox_fitting_leaves_out_only_needs_my_unit_holds_an_active_claim_on(world, client_for):
    make_resource(world)  # 示例单位A offers 为老服务 in 示例街道
    held = make_need(world, title="示例需求：我在认领", quantity=3)
    services.claim_need(world.liaison, held, unit=world.unit_a, quantity=1)
    # Claimed by another unit, and once by mine but withdrawn: it still fits and is still open.
    others = make_need(world, title="示例需求：他人认领", quantity=3)
    services.claim_need(world.liaison_b, others, unit=world.unit_b, quantity=1, cadence=Cadence.WEEKLY)
    mine = services.claim_need(world.liaison, others, unit=world.unit_a, quantity=1)
    services.cancel_claim(world.liaison, mine)
    make_need(world, title="示例需求：法律", code="legal")
    response = client_for(world.liaison).get(url("inbox"))
    assert titles(response.context["fitting"]) == {"示例需求：他人认领"}


def test_inbox_without_offered_resources_fits_nothing_in_one_query(world, client_for, count_queries):
    make_need(world)
    client = client_for(world.liaison)
    with count_queries() as ctx:
        response = client.get(url("inbox"))
    assert response.context["fitting"] == []
    assert sum('FROM "lists_resource"' in q["sql"] for q in ctx.captured_queries) == 1


def test_inbox_lists_claims_shared_and_led_and_their_deliveries(world, client_for):
    need = make_need(world, quantity=4)
    led = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, cadence=Cadence.WEEKLY,
                              start_on=timezone.localdate())
    shared = services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=2, co_claimants=[(world.unit_a, 1)],
                                 cadence=Cadence.WEEKLY, start_on=timezone.localdate())
    response = client_for(world.liaison).get(url("inbox"))
    assert [c.pk for c in response.context["page"].object_list] == [shared.pk, led.pk]
    assert {d.claim_id for d in response.context["due"]} == {led.pk, shared.pk}


def test_overview_counts_states_categories_and_streets_in_two_grouped_queries(world, client_for, count_queries):
    make_need(world, quantity=1)
    make_need(world, title="法律", code="legal")
    make_need(world, title="草稿", publish=False)
    expired = make_need(world, title="过期")
    Need.objects.filter(pk=expired.pk).update(state=Need.State.EXPIRED, is_open=False)
    with count_queries() as ctx:
        response = client_for(world.secretariat).get(url("overview"))
    ctx_ = response.context
    states = dict(ctx_["states"])
    assert (states["待认领"], states["已过期"], states["已撤回"]) == (2, 1, 0)
    assert "草稿" not in states
    assert {k: ctx_["totals"][k] for k in ("total", "open", "expired", "rate")} == {
        "total": 3, "open": 2, "expired": 1, "rate": 0.0}
    assert [(r["category__name"], r["total"], r["open"], r["expired"]) for r in ctx_["by_category"]] == [
        ("为老服务", 2, 1, 1), ("法律", 1, 1, 0)]
    assert [(r["street"], r["total"]) for r in ctx_["by_street"]] == [("示例街道", 3)]
    grouped = [q["sql"] for q in ctx.captured_queries if 'FROM "lists_need"' in q["sql"] and "GROUP BY" in q["sql"]]
    assert len(grouped) == 2


@pytest.mark.parametrize("state", [*Need.State.values, "active", "scheduled", "completed", "offered", "cancelled"])
def test_state_badge_filter_draws_what_the_include_draws(state):
    from django.template.loader import render_to_string

    from lianxi.lists.templatetags.lists_tags import state_badge

    class Row:
        def __init__(self, state):
            self.state = state

        def get_state_display(self):
            return f"标签<{self.state}>"

    row = Row(state)
    included = render_to_string("lists/_state_badge.html", {"state": state, "label": row.get_state_display()})
    assert state_badge(row) == included.strip()
