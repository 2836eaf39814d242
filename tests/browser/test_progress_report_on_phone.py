"""On a 390 px phone: the lead unit's liaison files a progress report for a key project (text,
figures, a photo, a milestone done), then sees the project's status and the roll-up change."""

import datetime

import pytest
from django.test import Client

from lianxi.projects import services
from lianxi.projects.models import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def phone(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_file_a_progress_report_on_a_phone(world, live_server, chromium, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = services.create_project(world.secretariat, conference=world.district, title="示例重点项目（手机填报）",
                                      kind=Project.Kind.KEY, year=2025, lead_unit=world.unit_a)
    services.add_milestone(world.secretariat, project, title="启动",
                           due=datetime.date.today() + datetime.timedelta(days=10))
    page = phone(chromium, live_server, world.liaison)
    page.goto(f"{live_server.url}/projects/rollup/")
    assert page.locator("[data-testid=rollup-row] td[data-status=not_started]").inner_text() == "1"
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert page.get_by_test_id("tracking-status").inner_text() == "未启动"
    page.get_by_role("link", name="填报进展").click()
    page.get_by_label("进展情况").fill("启动仪式已举行")
    page.get_by_label("数据（每行“名称: 数值”）").fill("参与人次: 45")
    page.get_by_label("启动").check()
    page.set_input_files("input[type=file]", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交填报").click()
    page.get_by_test_id("tracking-status").wait_for()
    assert page.get_by_test_id("tracking-status").inner_text() == "已完成"
    assert page.get_by_test_id("progress").inner_text() == "100%"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/projects/rollup/")
    assert page.locator("[data-testid=rollup-row] td[data-status=completed]").inner_text() == "1"
    assert project.reports.get().attachments.count() == 1
