"""A campaign from the call to the award on a meeting's agenda, in Chromium: a nominating unit
nominates, the secretariat recommends and assigns, two reviewers score (the one with a declared
conflict never sees that nomination), the decision goes to 公示, an anonymous visitor reads it,
the secretariat awards the result on a plenary's 颁授 item, and the visitor sees the showcase."""

import datetime

import pytest
from django.test import Client

from lianxi.campaigns import services
from lianxi.campaigns.models import Campaign, Nomination
from lianxi.campaigns.tests.helpers import body, campaign, reviewer, rubric
from lianxi.registry.tests.helpers import agenda, plenary

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def as_user(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_campaign_from_call_to_award(world, live_server, chromium):
    today = datetime.date.today()
    c = campaign(world, places=2, k=1, call_start=today, call_end=today + datetime.timedelta(days=5),
                 notice_start=today, notice_end=today + datetime.timedelta(days=3))
    b = body(world, c, quota=3)
    crit = rubric(world, c)
    services.advance(world.secretariat, c)
    url = f"{live_server.url}/campaigns/{c.pk}/"

    liaison = as_user(chromium, live_server, world.liaison)
    liaison.goto(url)
    liaison.get_by_role("link", name="申报").click()
    assert liaison.get_by_label("申报单位").input_value() == str(world.unit_a.pk)  # the one unit, preselected
    liaison.get_by_label("推荐主体").select_option(label=b.name)
    liaison.get_by_label("申报名称").fill("示例品牌项目甲")
    liaison.get_by_label("团队").fill("示例团队")
    liaison.get_by_label("直接提交（否则保存为草稿）").check()
    liaison.get_by_role("button", name="保存").click()
    liaison.wait_for_load_state()
    assert "/campaigns/nominations/" in liaison.url, liaison.locator("main, body").first.inner_text()[:1500]
    nom_a = Nomination.objects.get(title="示例品牌项目甲")
    nom_b = services.create_nomination(world.liaison_b, c, unit=world.unit_b, body=b, title="示例品牌项目乙",
                                       values={"team": "t"}, submit=True)

    sec = as_user(chromium, live_server, world.secretariat)
    sec.goto(url)
    sec.get_by_role("button", name="进入下一阶段").click()
    for _ in range(2):
        sec.get_by_role("button", name="推荐").first.click()
        sec.wait_for_load_state()
    assert Nomination.objects.filter(state="recommended").count() == 2
    conflicted = reviewer(world, c, "评审甲")
    plain = reviewer(world, c, "评审乙")
    services.declare_conflict(conflicted.user, conflicted, nom_a, reason="曾参与该项目")
    sec.get_by_role("button", name="进入下一阶段").click()
    sec.get_by_role("button", name="分配评审（精确求解）").click()
    sec.get_by_text("已分配 2 份评审").wait_for()

    for rev in (conflicted, plain):
        page = as_user(chromium, live_server, rev.user)
        page.goto(url)
        titles = page.get_by_test_id("assignment").all_inner_texts()
        if rev == conflicted:
            assert all("示例品牌项目甲" not in t for t in titles)
            assert "示例品牌项目甲" not in page.content()
        for a in rev.assignments.all():
            page.goto(f"{live_server.url}/campaigns/reviews/{a.pk}/")
            page.get_by_label("成效（权重 60%，满分 10）").fill("9" if a.nomination == nom_a else "7")
            page.get_by_label("示范性（权重 40%，满分 10）").fill("8")
            page.get_by_role("button", name="提交评分").click()
            page.get_by_text("已评分").first.wait_for()

    sec.goto(url)
    sec.get_by_role("button", name="进入下一阶段").click()
    sec.get_by_label("决定说明").fill("联席会议审议通过")
    sec.get_by_role("button", name="记录评选决定").click()
    sec.get_by_role("button", name="进入下一阶段").click()
    sec.get_by_test_id("notice-window").wait_for()
    assert Campaign.objects.get(pk=c.pk).phase == "notice"

    visitor = as_user(chromium, live_server, None)
    visitor.goto(url)
    assert visitor.get_by_text("公示名单").is_visible()
    assert "示例品牌项目甲" in visitor.content() and "示例品牌项目乙" in visitor.content()

    services.advance(world.secretariat, c, today=today + datetime.timedelta(days=4))
    item = agenda(plenary(world.district), "award", title="颁授示例品牌项目")
    sec.goto(url)
    sec.get_by_role("link", name="在会议议程中颁授").click()
    sec.get_by_role("button", name="执行颁授").click()
    sec.get_by_text("评选结果").wait_for()
    item.refresh_from_db()
    assert item.applied_on is not None and Campaign.objects.get(pk=c.pk).phase == "awarded"

    visitor.goto(f"{live_server.url}/projects/showcase/")
    shown = visitor.get_by_test_id("showcase-project").all_inner_texts()
    assert any("示例品牌项目甲" in t for t in shown) and any("示例品牌项目乙" in t for t in shown)
    assert crit and nom_b
