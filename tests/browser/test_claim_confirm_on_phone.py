"""On a phone-sized Chromium: a liaison claims a need from the hall with one tap, records the
delivery, and the street confirms and rates it from its inbox — all through htmx, no page reload."""

import pytest
from django.test import Client

from lianxi.lists.models import Delivery, Need
from lianxi.lists.tests.helpers import make_need

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def login(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_claim_record_confirm_and_rate_on_a_phone(need_categories, world, live_server, chromium):
    need = make_need(world, quantity=2, title="示例需求：助餐送餐")
    liaison = login(chromium, live_server, world.liaison)
    liaison.goto(f"{live_server.url}/lists/")
    card = liaison.locator(f"#need-{need.pk}")
    card.locator("input[name=quantity]").fill("2")
    card.get_by_role("button", name="以示例单位A认领").click()
    liaison.get_by_text("示例单位A已认领 2人。").wait_for()
    need.refresh_from_db()
    assert (need.claimed_quantity, need.state) == (2, Need.State.CLAIMED)

    liaison.goto(f"{live_server.url}/lists/needs/{need.pk}/")
    liaison.get_by_role("button", name="登记已交付").click()
    liaison.get_by_text("已登记交付，等待需求方确认。").wait_for()

    street = login(chromium, live_server, world.street)
    street.goto(f"{live_server.url}/lists/inbox/")
    delivery = Delivery.objects.get()
    row = street.locator(f"#delivery-{delivery.pk}")
    row.locator(f"label[for=rate-{delivery.pk}-5]").click()  # the fifth star of the row
    row.get_by_placeholder("评价意见（可选）").fill("很及时")
    row.get_by_role("button", name="确认已交付").click()
    street.get_by_text("已确认。").wait_for()
    assert "★★★★★" in street.locator(f"#delivery-{delivery.pk}").inner_text()
    delivery.refresh_from_db()
    need.refresh_from_db()
    assert (delivery.state, delivery.rating, delivery.rating_comment) == (Delivery.State.CONFIRMED, 5, "很及时")
    assert need.state == Need.State.CONFIRMED
