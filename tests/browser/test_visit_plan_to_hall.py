"""The visits loop in Chromium: the secretariat computes a quarter's plan, a visitor records a visit
on a 390 px phone with one need raised, the need appears in the claim hall with its source
(走访收集), and the plan's coverage figure moves."""

import pytest
from django.test import Client

from lianxi.registry.models import Person
from lianxi.testing import make_user
from lianxi.visits import services
from lianxi.visits.models import Visit, Visitor
from tests.browser.conftest import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def open_as(browser, live_server, user, *, phone: bool):
    client = Client()
    client.force_login(user)
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_plan_record_on_a_phone_need_in_hall_coverage_moves(need_categories, world, live_server, chromium):
    visitor_user = make_user("visitor")
    person = Person.objects.create(name="示例走访人", unit=world.unit_a, user=visitor_user)
    plan = services.create_plan(world.secretariat, conference=world.district)  # this quarter
    services.add_visitor(world.secretariat, plan, person=person, role=Visitor.Role.SECRETARIAT, capacity=5)

    desk = open_as(chromium, live_server, world.secretariat, phone=False)
    desk.goto(f"{live_server.url}/visits/plans/{plan.pk}/")
    assert desk.locator("#coverage-visited").inner_text() == "0"
    desk.get_by_role("button", name="计算走访安排").click()
    desk.get_by_text("已计算：覆盖 3 / 3 家单位").wait_for()
    assert Visit.objects.filter(plan=plan).count() == 3

    phone = open_as(chromium, live_server, visitor_user, phone=True)
    phone.goto(f"{live_server.url}/visits/mine/")
    visit = Visit.objects.get(plan=plan, unit=world.street_unit)
    card = phone.locator(f"#visit-{visit.pk}")
    card.get_by_role("link", name="登记走访").click()
    phone.get_by_label("接待人员").fill("示例街道党工委书记")
    phone.get_by_label("走访情况").fill("座谈了解辖区老年人助餐情况")
    phone.get_by_label("收集的需求（可留空）").fill("演示需求：老年助餐志愿者")
    phone.get_by_label("需求类别").select_option(index=1)
    phone.get_by_label("需求数量").fill("3")
    phone.get_by_label("计量单位").fill("人")
    shot(phone, "visit-record-phone")
    # Nothing on the form is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="保存走访记录").click()
    phone.get_by_text("走访已登记。").wait_for()

    hall = open_as(chromium, live_server, world.liaison, phone=True)
    hall.goto(f"{live_server.url}/lists/")
    need_card = hall.locator(".need-card", has_text="演示需求：老年助餐志愿者")
    assert "走访收集" in need_card.inner_text()

    desk.goto(f"{live_server.url}/visits/plans/{plan.pk}/")
    assert desk.locator("#coverage-visited").inner_text() == "1"
    shot(desk, "visit-plan-desktop")
