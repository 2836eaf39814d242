"""A secretary imports a damaged report (pinyin after characters, one GBK byte lost), sees the
repair, corrects one proposed match (a same-named person who is someone else), accepts, and finds
the new meeting with its sources on its page."""

from pathlib import Path

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = Path(__file__).resolve().parents[2] / "lianxi" / "ingest" / "tests" / "data" / "synthetic_district.txt"


def login(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_import_fix_a_match_accept_and_see_the_sources(world, live_server, chromium, tmp_path):
    from lianxi.ingest.damage import damage
    from lianxi.meetings.models import Meeting
    from lianxi.registry.models import Person
    from lianxi.registry.services import create_person

    # someone called 张示例 already works at 示例单位A: the importer proposes them, wrongly
    other = create_person(None, name="张示例", unit=world.unit_a, title="示例单位A党委书记")
    text = REPORT.read_text(encoding="utf-8").translate(str.maketrans(",;:!?()", "，；：！？（）"))
    damaged = damage(text, pinyin_chars="区", byte_losses=[40])  # 全体会议 → 全寤嵋
    assert "寤嵋" in damaged and "区(qū)" in damaged
    path = tmp_path / "damaged.txt"
    path.write_bytes(damaged.encode("gb18030"))

    page = login(chromium, live_server, world.secretariat)
    page.goto(f"{live_server.url}/ingest/new/")
    page.get_by_label("导入到联席会议").select_option(str(world.district.pk))
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="读取并生成草稿").click()
    page.wait_for_url("**/ingest/*/")
    assert page.locator("#repairs").get_by_text("寤嵋").count() == 1
    assert "全体会议" in page.locator("#source-text").inner_text()

    # hovering a value highlights its span in the source
    page.locator("#people .entity").first.hover()
    assert page.locator("#source-text .hl").first.inner_text() == "张示例"

    match = page.locator("select[name='people-0-match']")
    assert match.input_value() == str(other.pk)  # proposed: the existing 张示例
    match.select_option("new")  # the reviewer knows better: a different person
    page.locator("input[name='meeting-date']").fill("2023-03-18")
    for select in page.locator("select[name$='-category']").all():
        select.select_option("enterprise")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/meetings/*/")

    meeting = Meeting.objects.get()
    assert page.locator("h1").inner_text() == "示例区区域化党建联席会议第五次全体会议"
    sources = page.locator("#sources")
    assert "见于 示例新闻网报道" in sources.inner_text()
    assert "示例区区域化党建联席会议第五次全体会议18日在示例区会议中心召开" in sources.inner_text()
    assert Person.objects.filter(name="张示例").count() == 2
    assert meeting.agenda_items.count() == 6
