"""Going live in a browser, on an empty database: the superuser sets up the district, imports a
sheet of 66 member units and a sheet of their liaisons, issues the accounts and downloads the list;
a liaison activates its account on a 390 px phone and lands on its own work."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from lianxi.lib import excel
from lianxi.onboarding import registry_sheets as sheets
from lianxi.onboarding import services
from lianxi.onboarding.models import Invitation
from lianxi.registry.models import Conference, Membership
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONF = "示例上线区区域化党建联席会议"


def _sheet(template, columns, rows, path):
    confs = Conference.objects.filter(name=CONF)
    wb = template(confs)
    ws = wb[excel.DATA_SHEET]
    ws.delete_rows(2, ws.max_row)
    for values in rows:
        ws.append([values.get(c.key) for c in columns(confs)])
    wb.save(path)
    return path


def test_a_district_goes_live_in_an_afternoon(live_server, page, phone_page, tmp_path, django_user_model):
    django_user_model.objects.create_superuser("root-admin", password="root-password-1")
    login(page, live_server, "root-admin", "root-password-1")
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="初始设置").wait_for()
    page.get_by_label("区名称").fill("示例上线区")
    page.get_by_label("区级联席会议名称").fill(CONF)
    page.get_by_label("区级管理员账号").fill("shili-admin")
    page.get_by_label("秘书处账号").fill("shili-msc")
    page.get_by_role("button", name="完成设置").click()
    page.get_by_role("heading", name="设置完成").wait_for()
    assert page.locator("code").count() == 2
    shot(page, "going-live-1-setup-done")

    page.get_by_role("link", name="前往上线清单").click()
    page.get_by_role("heading", name="上线清单 · 示例上线区区域化党建联席会议").wait_for()
    units = [{"name": f"示例上线单位{i:02d}", "category": "街道/社区" if i < 6 else "企事业单位", "party_org_level": "党委",
              "party_org_name": f"示例上线单位{i:02d}党委", "area": f"示例上线街道{i % 6}", "conference": CONF,
              "start": datetime.date(2024, 1, 1)} for i in range(66)]
    units_path = _sheet(sheets.unit_template, sheets.unit_columns, units, tmp_path / "units.xlsx")
    page.set_input_files("#file-units", str(units_path))
    page.locator("form[action$='/setup/registry/units/upload/'] button").click()
    page.get_by_role("link", name="查看导入预览").click()
    page.get_by_text("新建 66 条 · 更新 0 条 · 无变化 0 条").wait_for()
    shot(page, "going-live-2-preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入成员单位：新建 66 条").wait_for()
    assert Membership.objects.filter(conference__name=CONF).count() == 66

    people = [{"name": f"示例联络员{i:02d}", "unit": f"示例上线单位{i:02d}", "conference": CONF, "role": "联络员"}
              for i in range(66)]
    people_path = _sheet(sheets.people_template, sheets.people_columns, people, tmp_path / "people.xlsx")
    page.goto(f"{live_server.url}/setup/checklist/")
    page.set_input_files("#file-people", str(people_path))
    page.locator("form[action$='/setup/registry/people/upload/'] button").click()
    page.get_by_role("link", name="查看导入预览").click()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入人员与职务：新建 66 条").wait_for()

    page.goto(f"{live_server.url}/setup/accounts/")
    page.get_by_role("button", name="批量开通账号").click()
    page.get_by_text("已开通联络员账号 66 个、基层账号 6 个").wait_for()
    shot(page, "going-live-3-accounts")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet.max_row == 2 + 66 + 6 + 2  # caption, header, liaisons, street accounts, the two setup accounts

    invitation = Invitation.objects.get(person__name="示例联络员07")
    phone_page.goto(f"{live_server.url}/activate/{services.activation_token(invitation)}/")
    phone_page.get_by_label("新密码").fill("liaison-pass-7")
    phone_page.get_by_label("再次输入").fill("liaison-pass-7")
    phone_page.get_by_role("button", name="激活并登录").click()
    phone_page.get_by_text("账号已激活，欢迎使用联席。").wait_for()
    shot(phone_page, "going-live-4-liaison-landed")
    assert phone_page.url.rstrip("/") != f"{live_server.url}/activate"
