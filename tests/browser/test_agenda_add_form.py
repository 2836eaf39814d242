"""The secretariat opens an agenda item's add-form on the meeting page: htmx fetches it in place
(the page no longer carries a blank form per item and part), the first field has the focus, and
adding a person re-renders the item with them."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_open_the_add_form_in_place_and_add_a_person(world, live_server, chromium):
    from lianxi.meetings import services
    from lianxi.meetings.models import AgendaItem
    from lianxi.meetings.tests.helpers import make_meeting

    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="示例讲话")
    page = login(chromium, live_server, world.secretariat)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    agenda_item = page.locator(f"#item-{item.pk}")
    assert agenda_item.locator("input[name=person_name]").count() == 0

    agenda_item.get_by_role("link", name="添加人员").click()
    person_name = agenda_item.locator("input[name=person_name]")
    person_name.wait_for()
    assert page.url == f"{live_server.url}/meetings/{meeting.pk}/"  # fetched in place, no navigation
    assert person_name.evaluate("element => element === document.activeElement")
    assert agenda_item.get_by_role("link", name="添加涉及单位").count() == 1  # the others stay closed

    person_name.fill("示例新人员")
    agenda_item.locator("input[name=title]").fill("示例职务")
    agenda_item.get_by_role("button", name="添加").click()
    page.locator(f"#item-{item.pk} ul.people").get_by_text("示例新人员").wait_for()
    assert item.participants.get().person.name == "示例新人员"
    assert page.locator(f"#item-{item.pk} input[name=person_name]").count() == 0
