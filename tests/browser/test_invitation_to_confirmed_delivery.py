"""Issue 3's whole loop in Chromium: the secretariat computes recommended matches and sends one as an
invitation; the liaison accepts it with one click (which makes the claim) and records the delivery;
the street confirms and rates it."""

import pytest

from lianxi.testing import PASSWORD
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_accepts_invitation_and_street_confirms(need_categories, world, live_server, chromium):
    from lianxi.lists.models import Claim, Delivery, Need
    from lianxi.matching.tests.helpers import need, resource

    posted = need(world, "示例需求：社区老人助餐", quantity=2)
    resource(world, "示例资源：助餐志愿服务", unit=world.unit_a, capacity=4)

    def page_for(user):
        context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(20_000)
        login(page, live_server, user.username, PASSWORD)
        return page

    secretariat = page_for(world.secretariat)
    secretariat.goto(f"{live_server.url}/matching/")
    secretariat.get_by_role("button", name="重新计算").click()
    # The run is a background job: its page shows the progress, then a link to the suggestions.
    secretariat.get_by_role("link", name="查看推荐").click()
    secretariat.wait_for_load_state("networkidle")
    row = secretariat.locator("tr", has_text="示例需求：社区老人助餐")
    row.get_by_label("选择").check()
    secretariat.get_by_role("button", name="将所选推荐作为认领邀请发出").click()
    secretariat.wait_for_load_state("networkidle")
    shot(secretariat, "matching-sent")

    liaison = page_for(world.liaison)
    liaison.goto(f"{live_server.url}/lists/inbox/")
    liaison.locator("a", has_text="示例需求：社区老人助餐").first.click()
    liaison.get_by_role("button", name="接受并认领").click()
    liaison.wait_for_load_state("networkidle")
    claim = Claim.objects.get(need=posted)
    assert (claim.unit, claim.quantity) == (world.unit_a, 2)
    shot(liaison, "invitation-accepted")

    liaison.goto(f"{live_server.url}/lists/needs/{posted.pk}/")
    liaison.get_by_role("button", name="登记已交付").click()
    liaison.get_by_text("已登记交付，等待需求方确认。").wait_for()

    street = page_for(world.street)
    street.goto(f"{live_server.url}/lists/inbox/")
    delivery = Delivery.objects.get(claim=claim)
    row = street.locator(f"#delivery-{delivery.pk}")
    row.locator(f"label[for=rate-{delivery.pk}-4]").click()  # the fourth star of the row
    row.get_by_role("button", name="确认已交付").click()
    street.get_by_text("已确认。").wait_for()
    shot(street, "delivery-confirmed")

    delivery.refresh_from_db()
    posted.refresh_from_db()
    assert (delivery.state, delivery.rating) == (Delivery.State.CONFIRMED, 4)
    assert posted.state == Need.State.CONFIRMED
