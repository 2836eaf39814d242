import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lianxi.audit.models import AuditEntry
from lianxi.lib import excel as xl
from lianxi.lists import excel, services, tables
from lianxi.lists.models import Need, Resource
from lianxi.lists.tests.helpers import make_need, make_resource

pytestmark = pytest.mark.django_db


def filled(workbook, rows: list[list]) -> io.BytesIO:
    """The template with ``rows`` written from row 2 (the example row is overwritten)."""
    ws = workbook["数据"]
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO(xl.to_bytes(workbook))
    buffer.name = "needs.xlsx"
    return buffer


def good_row(title="示例需求：助餐", **over):
    row = {"owner": "示例街道", "title": title, "description": "每周五天", "category": "为老服务", "area": "示例街道",
           "quantity": 20, "quantity_unit": "人", "beneficiaries": "独居老人", "deadline": None, "urgency": "紧急",
           "contact_name": "示例联系人", "contact_phone": "000-1234", "source": None, "source_note": None}
    row.update(over)
    return list(row.values())


def test_need_template_has_chinese_headers_and_dropdowns(world):
    wb = excel.need_template(world.district, world.street)
    ws = wb["数据"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["需求单位*", "需求名称*", "需求描述", "类别*", "街道/居民区*", "需求数量*"]
    choices = wb["选项"]
    assert choices.sheet_state == "hidden"
    assert [c.value for c in choices["D"] if c.value][:4] == ["类别", "为老服务", "青少年", "就业创业"]
    assert [c.value for c in choices["A"] if c.value] == ["需求单位", "示例街道"]
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert formulas["D2"] == "'选项'!$D$2:$D$12"
    assert formulas["J2"].startswith("'选项'!$J$2")
    assert formulas["F2"] == "1"  # whole number ≥ 1
    assert "填写说明" in wb.sheetnames


def test_good_file_is_imported_published_with_one_audit_row_each(world):
    wb = excel.need_template(world.district, world.street)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    file = filled(wb, [good_row(), good_row("示例需求：理发", deadline=datetime.datetime.combine(deadline, datetime.time()),
                                          urgency=None, quantity=4.0)])
    result = excel.import_needs(world.street, file, conference=world.district)
    assert (result.ok, result.rows, result.created, result.errors) == (True, 2, 2, [])
    needs = list(Need.objects.order_by("id"))
    assert [(n.title, n.state, n.quantity, n.urgency, n.deadline) for n in needs] == [
        ("示例需求：助餐", "published", 20, "urgent", None),
        ("示例需求：理发", "published", 4, "normal", deadline),
    ]
    assert needs[0].search_text.startswith("示例需求助餐")
    rows = AuditEntry.objects.filter(action="lists.need.import").order_by("id")
    assert [r.target_id for r in rows] == [str(n.pk) for n in needs]
    assert rows[0].actor == world.street and rows[0].changes["state"] == [None, "published"]


def test_every_bad_row_is_reported_once_and_nothing_is_saved(world):
    make_need(world, title="已存在的需求")
    before = (Need.objects.count(), AuditEntry.objects.count())
    wb = excel.need_template(world.district, world.secretariat)
    past = timezone.localdate() - datetime.timedelta(days=3)
    rows = [
        good_row("示例需求：好的一行"),                              # 2 fine
        good_row(None),                                              # 3 no title
        good_row("类别错", category="养宠物"),                        # 4 unknown category
        good_row("数量为零", quantity=0),                             # 5 quantity below 1
        good_row("数量不是数", quantity="二十"),                      # 6 not a number
        good_row("日期错", deadline="下个月"),                        # 7 not a date
        good_row("区域错", area="火星街道"),                          # 8 unknown area
        good_row("单位错", owner="示例单位Z"),                        # 9 not allowed to post here
        good_row("示例需求：好的一行"),                              # 10 duplicate of row 2
        good_row("已过期", deadline=past.isoformat()),               # 11 deadline passed
        good_row("紧急程度错", urgency="十万火急"),                   # 12 bad choice
        good_row("已存在的需求"),                                    # 13 already in the database
        good_row("两处错", category="养宠物", quantity=-1),           # 14 two errors in one row
    ]
    result = excel.import_needs(world.secretariat, filled(wb, rows), conference=world.district)
    assert not result.ok and result.created == 0 and result.rows == 13
    assert [(e.row, e.messages) for e in result.errors] == [
        (3, ["需求名称：这个字段是必填项。"]),
        (4, ["类别：“养宠物”不是有效的类别。"]),
        (5, ["需求数量：需求数量至少为 1。"]),
        (6, ["需求数量：需求数量须为正整数。"]),
        (7, ["截止日期：截止日期格式应为 2024-06-30。"]),
        (8, ["街道/居民区：“火星街道”不是有效的街道或居民区。"]),
        (9, ["需求单位：“示例单位Z”不是可代为发布需求的单位。"]),
        (10, ["需求名称：与第 2 行重复（同一单位、同名需求）。"]),
        (11, ["截止日期：截止日期已过，不能发布。"]),
        (12, ["紧急程度：“十万火急”不是有效的紧急程度。"]),
        (13, ["需求名称：示例街道已有同名需求“已存在的需求”。"]),
        (14, ["类别：“养宠物”不是有效的类别。", "需求数量：需求数量至少为 1。"]),
    ]
    assert str(result.errors[0]) == "第 3 行：需求名称：这个字段是必填项。"
    assert (Need.objects.count(), AuditEntry.objects.count()) == before


def test_missing_header_and_not_a_workbook(world):
    wb = Workbook()
    wb.active.append(["需求名称", "类别"])
    wb.active.append(["x", "为老服务"])
    result = excel.import_needs(world.street, io.BytesIO(xl.to_bytes(wb)), conference=world.district)
    assert result.file_error == "缺少必填列：需求单位、街道/居民区、需求数量。请使用下载的模板。"
    result = excel.import_needs(world.street, io.BytesIO(b"not a workbook"), conference=world.district)
    assert result.file_error == "文件已损坏或格式不受支持（不是 .xlsx 文件），请在 Excel 中另存为 .xlsx 后重新上传。"
    empty = filled(excel.need_template(world.district, world.street), [])
    assert excel.import_needs(world.street, empty, conference=world.district).file_error == "文件中没有数据行。"


def test_unit_account_may_leave_the_owner_blank(world):
    wb = excel.need_template(world.district, world.street)
    result = excel.import_needs(world.street, filled(wb, [good_row(owner=None)]), conference=world.district)
    assert result.ok and Need.objects.get().owner == world.street_unit


def test_resource_import_with_several_areas_and_errors(world):
    wb = excel.resource_template(world.district, world.liaison)
    headers = [c.value for c in wb["数据"][1]]
    assert headers[:6] == ["提供单位*", "资源名称*", "资源描述", "类别*", "资源类型*", "可提供数量*"]
    row = ["示例单位A", "示例资源：场地", "", "阵地场地", "场地阵地", 4, "场", "每月", None, None, "示例街道", "", "", ""]
    bad = ["示例单位B", "别人的资源", "", "阵地场地", "飞船", 0, "", "", None, None, "火星街道", "", "", ""]
    result = excel.import_resources(world.liaison, filled(wb, [row, bad]), conference=world.district)
    assert [(e.row, e.messages) for e in result.errors] == [(3, [
        "提供单位：“示例单位B”不是可代为提供资源的单位。", "资源类型：“飞船”不是有效的资源类型。",
        "可提供数量：可提供数量至少为 1。", "服务街道/区域：“火星街道”不是有效的街道或区域。"])]
    assert Resource.objects.count() == 0
    result = excel.import_resources(world.liaison, filled(wb, [row]), conference=world.district)
    assert result.ok
    resource = Resource.objects.get()
    assert (resource.unit, resource.kind, resource.period) == (world.unit_a, "venue", "monthly")
    assert [a.name for a in resource.areas.all()] == ["示例街道"]
    assert AuditEntry.objects.filter(action="lists.resource.import").get().changes["areas"] == [None, ["示例街道"]]


def test_export_in_the_plenary_layout(world):
    need = make_need(world, contact_name="示例联系人", contact_phone="000-9", beneficiaries="独居老人")
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, co_claimants=[(world.unit_b, 1)])
    make_resource(world, contact_name="示例联系人丙")
    released = tables.plenary_tables(world.district)
    assert released["needs"]["rows"] == [[1, "示例街道", "示例需求：助餐", "为老服务", "示例街道", "4人", "独居老人", "",
                                        "示例联系人", "000-9", "部分认领", "示例单位A、示例单位B（联合）"]]
    assert released["resources"]["rows"] == [[1, "示例单位A", "示例资源：志愿者", "志愿者", "为老服务", "5/每月", "示例街道",
                                            "长期", "示例联系人丙", ""]]
    wb = load_workbook(io.BytesIO(xl.to_bytes(tables.tables_workbook(released, caption="示例区"))))
    assert wb.sheetnames == ["需求清单", "资源清单", "项目清单"]
    assert [c.value for c in wb["需求清单"][2]][:4] == ["序号", "单位", "内容", "类别"]
    assert wb["需求清单"]["A1"].value == "示例区 需求清单"


def test_import_needs_command_reports_rows_and_refuses_bad_files(world, tmp_path, capsys):
    wb = excel.need_template(world.district, world.street)
    good = tmp_path / "good.xlsx"
    good.write_bytes(filled(wb, [good_row(), good_row("第二条")]).getvalue())
    out = io.StringIO()
    call_command("import_needs", str(good), conference=world.district.pk, user="street", stdout=out)
    assert "已导入 2 条（共 2 行" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(filled(excel.need_template(world.district, world.street), [good_row("第三条"), good_row(None)]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="共 2 行，1 行有错误，整个文件未导入"):
        call_command("import_needs", str(bad), conference=world.district.pk, user="street", stderr=err)
    assert err.getvalue().strip() == "第 3 行：需求名称：这个字段是必填项。"
    assert Need.objects.count() == 2
    with pytest.raises(CommandError, match="账号 nobody 不存在"):
        call_command("import_needs", str(good), conference=world.district.pk, user="nobody")


def test_read_rows_keeps_excel_row_numbers_and_skips_blank_rows():
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["名称*", "数量"])
    ws.append(["甲", 1.0])
    ws.append([None, None])
    ws.append(["  乙 ", "2"])
    cols = [xl.Column("name", "名称", required=True), xl.Column("n", "数量")]
    assert list(xl.read_rows(io.BytesIO(xl.to_bytes(wb)), cols)) == [(2, {"name": "甲", "n": 1}), (4, {"name": "乙", "n": "2"})]
    assert xl.split_multiple("甲、乙，丙;丁") == ["甲", "乙", "丙", "丁"]


def test_download_names_the_file_in_chinese():
    response = xl.download(Workbook(), "示例区需求清单模板.xlsx")
    assert response["Content-Type"] == xl.XLSX_CONTENT_TYPE
    assert "filename*=UTF-8''%E7%A4%BA%E4%BE%8B" in response["Content-Disposition"]
