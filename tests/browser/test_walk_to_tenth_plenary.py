"""A visitor opens the demo in Chromium and walks from the conference home to the tenth plenary."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENDA_KINDS_IN_ARTICLE_ORDER = [
    "主持", "揭牌", "通过新成员并授牌", "颁授", "命名", "发布", "讲话", "讲话", "观看视频", "调整", "交流", "交流",
]


def test_conference_home_to_tenth_plenary_agenda(live_server, page):
    from lianxi.demo.huangpu import load_huangpu

    load_huangpu()
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "黄浦区区域化党建联席会议"
    shot(page, "conference-home")

    page.get_by_role("link", name="黄浦区庆祝中国共产党成立103周年座谈会暨区域化党建联席会议第十次全体会议").first.click()
    page.wait_for_load_state("networkidle")
    assert "第十次全体会议" in page.locator("h1").first.inner_text()

    items = page.locator("#agenda > li.agenda-item")
    kinds = [items.nth(i).locator("h3 .badge").first.inner_text() for i in range(items.count())]
    assert kinds == AGENDA_KINDS_IN_ARTICLE_ORDER
    unveiling = items.nth(1).inner_text()
    assert "“中央科创区”区域化党建联席会议" in unveiling
    assert "吴建雄" in unveiling and "上海数据集团党委书记、董事长" in unveiling
    admission = items.nth(2).inner_text()
    assert "城银清算服务有限责任公司党委" in admission and "东浩兰生（集团）有限公司党委" in admission
    assert "沈山州" in admission
    shot(page, "tenth-plenary")


def test_phone_width_shows_the_agenda(live_server, phone_page):
    from lianxi.demo.huangpu import load_huangpu

    load_huangpu()
    phone_page.goto(live_server.url + "/meetings/")
    phone_page.get_by_role("link", name="黄浦区庆祝中国共产党成立103周年座谈会暨区域化党建联席会议第十次全体会议").first.click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("#agenda > li.agenda-item").count() == len(AGENDA_KINDS_IN_ARTICLE_ORDER)
    # Nothing wider than the phone: no horizontal scrolling of the page itself.
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    shot(phone_page, "tenth-plenary-phone")
