"""What a street worker and a liaison hit in their first hour: the Excel template's own choices
and example row, the exports each role needs, landing on one's own work, confirming and rating in
two taps."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxi.lib import excel as xl
from lianxi.lists import excel, services
from lianxi.lists.models import Delivery, Need
from lianxi.lists.tests.helpers import make_need
from lianxi.lists.tests.test_excel import filled, good_row

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"lists:{name}", args=args)


# ------------------------------------------------------------------ Excel: choices and example row

def _source_choices(workbook) -> list[str]:
    choices = workbook["选项"]
    column = [c.value for c in choices[1]].index("来源") + 1
    return [row[0].value for row in choices.iter_rows(min_row=2, min_col=column, max_col=column) if row[0].value]


@pytest.mark.parametrize("persona, expected", [
    ("street", ["基层单位发布"]),
    ("secretariat", ["基层单位发布", "会议收集", "走访收集"]),
])
def test_template_offers_only_the_sources_the_import_accepts(world, persona, expected):
    user = getattr(world, persona)
    workbook = excel.need_template(world.district, user)
    assert _source_choices(workbook) == expected
    owner = "示例街道"
    rows = [good_row(f"示例需求：来源{i}", owner=owner, source=label) for i, label in enumerate(expected)]
    result = excel.import_needs(user, filled(excel.need_template(world.district, user), rows), conference=world.district)
    assert (result.ok, result.created, result.errors) == (True, len(expected), [])


def test_a_refused_source_is_explained_in_words_not_codes(world):
    row = good_row(source="会议收集")
    result = excel.import_needs(world.street, filled(excel.need_template(world.district, world.street), [row]),
                                conference=world.district)
    assert not result.ok
    message = result.errors[0].messages[0]
    assert "meeting" not in message
    assert message == "来源：只有秘书处可以登记“会议收集”“走访收集”的需求；本单位发布的需求来源为“基层单位发布”。"


def test_the_example_row_is_never_imported(world):
    workbook = excel.need_template(world.district, world.street)
    assert workbook["数据"]["B2"].value.startswith(xl.EXAMPLE_MARK)
    ws = workbook["数据"]
    ws.append(good_row("示例需求：真实的一行"))  # the user's row under the example they left in
    buffer = io.BytesIO(xl.to_bytes(workbook))
    buffer.name = "needs.xlsx"
    result = excel.import_needs(world.street, buffer, conference=world.district)
    assert (result.ok, result.rows, result.created) == (True, 1, 1)
    assert list(Need.objects.values_list("title", flat=True)) == ["示例需求：真实的一行"]


# ------------------------------------------------------------------ exports for every role

def test_a_unit_account_exports_its_own_needs_resources_and_claims(world, client_for):
    make_need(world, title="示例需求：本单位的")
    page = client_for(world.street).get(url("excel")).content.decode()
    assert f'href="{url("excel_export")}"' in page and "导出本单位的需求、资源和认领" in page
    response = client_for(world.street).get(url("excel_export"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["本单位需求", "本单位资源", "本单位认领"]
    cells = [c for row in workbook["本单位需求"].iter_rows(values_only=True) for c in row]
    assert "示例需求：本单位的" in cells
    # A liaison's export holds its own unit only, not the street's need.
    response = client_for(world.liaison).get(url("excel_export"))
    cells = [c for row in load_workbook(io.BytesIO(response.content))["本单位需求"].iter_rows(values_only=True) for c in row]
    assert "示例需求：本单位的" not in cells
    assert client_for(world.outsider).get(url("excel_export")).status_code == 404


# ------------------------------------------------------------------ landing and two-tap confirm

@pytest.mark.parametrize("persona, landing", [
    ("street", "lists:confirmations"),
    ("liaison", "lists:inbox"),
    ("secretariat", "dashboards:dashboard"),
    ("admin", "dashboards:dashboard"),
    ("reviewer", "projects:project_list"),
    ("outsider", "home"),
])
def test_each_role_lands_on_its_own_work_after_signing_in(world, client, persona, landing):
    from lianxi.testing import PASSWORD

    user = getattr(world, persona)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse(landing)


def _delivered(world, title="示例需求：助餐"):
    need = make_need(world, quantity=1, title=title)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    services.record_delivery(world.liaison, delivery, note="已完成")
    return delivery


def test_the_street_page_counts_and_lists_what_waits_for_confirmation(world, client_for, count_queries):
    first = _delivered(world, "示例需求：一")
    client = client_for(world.street)
    page = client.get(url("confirmations")).content.decode()
    assert '<span class="stat">1</span> <span class="stat-label">件交付待确认</span>' in page
    assert f'id="delivery-{first.pk}"' in page and "确认已交付" in page
    # Two taps: a star, then 确认已交付 — one POST with the rating.
    assert f'id="rate-{first.pk}-5"' in page
    response = client.post(url("delivery_confirm", first.pk), {"rating": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已确认。" in response.content.decode()
    # The row is swapped in place; the counts above it fetch themselves again on this event.
    assert response["HX-Trigger"] == "deliveries-changed"
    assert 'hx-trigger="deliveries-changed from:body"' in page
    counts = client.get(url("confirmation_counts")).content.decode()
    assert '<span class="stat">0</span> <span class="stat-label">件交付待确认</span>' in counts
    assert '<span class="stat">0</span> <span class="stat-label">件已确认待评价</span>' in counts  # rated at once
    first.refresh_from_db()
    assert (first.state, first.rating) == (Delivery.State.CONFIRMED, 4)
    with count_queries() as few:
        client.get(url("confirmations"))
    for i in range(5):
        _delivered(world, f"示例需求：更多{i}")
    with count_queries() as many:
        page = client.get(url("confirmations")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert '<span class="stat">5</span> <span class="stat-label">件交付待确认</span>' in page


def test_confirmations_page_access(world, client_for):
    assert client_for(None).get(url("confirmations")).status_code == 302
    assert client_for(world.outsider).get(url("confirmations")).status_code == 404
    assert client_for(world.reviewer).get(url("confirmations")).status_code == 403
    assert client_for(world.liaison).get(url("confirmations")).status_code == 200
    assert client_for(None).get(url("confirmation_counts")).status_code == 302
    assert client_for(world.reviewer).get(url("confirmation_counts")).status_code == 403


def test_a_refused_confirmation_does_not_refresh_the_counts(world, client_for):
    delivery = _delivered(world)
    client = client_for(world.street)
    client.post(url("delivery_confirm", delivery.pk), {}, HTTP_HX_REQUEST="true")
    again = client.post(url("delivery_confirm", delivery.pk), {}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and 'role="alert"' in again.content.decode()
    assert "HX-Trigger" not in again


# ------------------------------------------------------------------ asked before, not one small tap

def test_irreversible_actions_are_asked_first_on_a_page_of_their_own(world, client_for):
    from lianxi.lists.models import Cadence, Claim
    from lianxi.lists.tests.helpers import make_resource

    need = make_need(world, quantity=6)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.MONTHLY)
    liaison = client_for(world.liaison)
    page = liaison.get(url("need_detail", need.pk)).content.decode()
    # Links styled as buttons (44 px on phones), not small text buttons that act at once.
    assert f'<a class="button" href="{url("claim_cancel", claim.pk)}">撤回认领…</a>' in page
    assert f'<a class="button" href="{url("claim_end", claim.pk)}">结束长效认领…</a>' in page
    question = liaison.get(url("claim_cancel", claim.pk))
    body = question.content.decode()
    assert question.status_code == 200 and "<h1>撤回认领？</h1>" in body and "不能恢复" in body
    assert f'action="{url("claim_cancel", claim.pk)}"' in body and "不，返回" in body
    claim.refresh_from_db()
    assert claim.state == Claim.State.ACTIVE  # asking changed nothing
    assert "<h1>结束长效认领？</h1>" in liaison.get(url("claim_end", claim.pk)).content.decode()
    assert client_for(world.liaison_b).get(url("claim_cancel", claim.pk)).status_code == 403

    close = client_for(world.secretariat).get(url("need_close", need.pk)).content.decode()
    assert "<h1>关闭需求？</h1>" in close and "不能重新打开" in close
    resource = make_resource(world)
    withdraw = liaison.get(url("resource_state", resource.pk, "withdraw")).content.decode()
    assert "<h1>撤回资源？</h1>" in withdraw and "重新发布" in withdraw
    assert liaison.get(url("resource_state", resource.pk, "reoffer")).status_code == 404


def test_the_hall_claim_does_not_default_to_everything_left(world, client_for):
    need = make_need(world, quantity=12)
    page = client_for(world.liaison).get(url("hall")).content.decode()
    import re

    field = re.search(rf'<input type="number" id="qty-{need.pk}"[^>]*>', page).group(0)
    assert "value=" not in field and 'max="12"' in field and "required" in field
    assert "认领数量（最多 12人）" in page


@pytest.mark.parametrize("name", ["lists:need_create", "lists:resource_create", "registry:unit_create",
                                  "registry:conference_create"])
def test_empty_choices_read_please_choose_not_dashes(world, client_for, name):
    html = client_for(world.admin).get(reverse(name)).content.decode()
    assert "---------" not in html
    assert ">请选择</option>" in html


def test_error_pages_are_lianxi_pages_with_a_way_back(world, client_for, settings):
    settings.DEBUG = False
    client = client_for(world.reviewer)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "<h1>找不到页面</h1>" in html and 'href="/"' in html
    assert '<nav class="mainnav">' in html and "我的工作" in html
    response = client.get(url("excel"))  # a reviewer may not import lists
    html = response.content.decode()
    assert response.status_code == 403 and "<h1>没有权限</h1>" in html and "403 Forbidden" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    assert "<h1>沒有權限</h1>" in client.get(url("excel")).content.decode()


def test_the_500_page_stands_alone_in_chinese():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert '<html lang="zh-hans">' in html and "出错了" in html and 'href="/"' in html
