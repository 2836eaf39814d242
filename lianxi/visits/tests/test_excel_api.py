"""Excel import (all-or-nothing, every bad row named) and export; the JSON API of the visits room."""

import datetime
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from lianxi.lists.models import Need, NeedCategory
from lianxi.registry.models import Person, Venue
from lianxi.visits import services
from lianxi.visits.models import Secondment, Visit

pytestmark = pytest.mark.django_db


def _xlsx(headers, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "import.xlsx"
    return buffer


VENUE_HEADERS = ["阵地名称*", "类型*", "所属单位*", "所在街道/区域", "地址", "容纳人数", "开放时间", "开放对象", "使用说明"]


def test_venue_import_names_every_bad_row_and_saves_nothing(world, client_for):
    client = client_for(world.secretariat)
    bad = _xlsx(VENUE_HEADERS, [
        ["示例活动室", "党员活动室", "示例单位A", "示例街道", "", 30, "工作日", "联席会议成员单位", ""],
        ["示例站点", "不存在的类型", "示例单位A", "", "", None, "", "", ""],
        ["示例中心", "党群服务中心", "没有这个单位", "", "", -3, "", "", ""],
    ])
    response = client.post("/visits/import/", {"which": "venues", "file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行" in page and "类型“不存在的类型”无效" in page
    assert "第 4 行" in page and "所属单位“没有这个单位”" in page and "容纳人数" in page
    assert "第 2 行" not in page
    assert not Venue.objects.exists()
    good = _xlsx(VENUE_HEADERS, [["示例活动室", "党员活动室", "示例单位A", "示例街道", "", 30, "工作日", "", ""]])
    response = client.post("/visits/import/", {"which": "venues", "file": good})
    assert response.status_code == 200
    venue = Venue.objects.get()
    assert (venue.owner_id, venue.area_id, venue.capacity) == (world.unit_a.pk, world.street_area.pk, 30)
    export = client.get("/visits/venues/export.xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:3] == ("示例活动室", "党员活动室", "示例单位A")


def test_secondment_import_checks_overlaps_inside_the_file(world, client_for):
    client = client_for(world.secretariat)
    batch = services.create_batch(world.secretariat, conference=world.district, name="演示批次", year=2025)
    Person.objects.create(name="示例干部", unit=world.unit_a)
    headers = ["姓名*", "派出单位*", "接收单位*", "挂任岗位*", "方式*", "起始日期*", "截止日期*"]
    rows = [
        ["示例干部", "示例单位A", "示例街道", "党建办副主任", "挂职", datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)],
        ["示例干部", "示例单位A", "示例单位B", "党委委员", "交流", datetime.date(2025, 6, 1), datetime.date(2025, 12, 1)],
        ["示例干部", "示例单位A", "示例单位A", "无", "锻炼", "2025-13-01", datetime.date(2025, 12, 1)],
    ]
    response = client.post("/visits/import/", {"which": "secondments", "batch": batch.pk, "file": _xlsx(headers, rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行" in page and "已有双向交流安排" in page
    assert "第 4 行" in page and "起始日期" in page
    assert not Secondment.objects.exists()


def test_plan_export(world, plan, client_for):
    services.compute_plan(world.secretariat, plan, today=plan.start)
    response = client_for(world.secretariat).get(f"/visits/plans/{plan.pk}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "计划日期"
    assert sorted(r[1] for r in rows[2:]) == ["示例单位A", "示例单位B", "示例街道"]


# ---------------------------------------------------------------- API


def test_api_plan_compute_and_coverage(world, current_plan, client_for):
    client = client_for(world.secretariat)
    response = client.post(f"/api/v1/visit-plans/{current_plan.pk}/compute")
    assert response.status_code == 200
    body = response.json()
    assert body["stats"]["covered"] == 3 and body["stats"]["greedy"]["covered"] == 3
    assert body["coverage"]["total"]["planned"] + body["coverage"]["total"]["overdue"] == 3
    visits = client.get(f"/api/v1/visit-plans/{current_plan.pk}/visits").json()
    assert visits["count"] == 3
    assert client_for(world.reviewer).post(f"/api/v1/visit-plans/{current_plan.pk}/compute").status_code == 403
    assert client_for(world.outsider).get(f"/api/v1/visit-plans/{current_plan.pk}").status_code == 404


def test_api_record_visit_with_a_need(world, plan, client_for):
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    category = NeedCategory.objects.order_by("order").first()
    client = client_for(world.secretariat)
    payload = {"done_on": "2025-02-04", "met_with": "示例书记",
               "needs": [{"title": "楼道照明改造", "category": category.pk, "quantity": 1}]}
    response = client.post(f"/api/v1/visits/{visit.pk}/record", json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"]["code"] == "done" and len(body["needs"]) == 1
    need = Need.objects.get(pk=body["needs"][0])
    assert need.source == Need.Source.VISIT and need.title == "楼道照明改造"
    bad = {"done_on": "2025-02-04", "needs": [{"title": "x", "category": 999999, "quantity": 1}]}
    other = services.add_visit(world.secretariat, plan, unit=world.unit_a, planned_on=datetime.date(2025, 2, 5))
    response = client.post(f"/api/v1/visits/{other.pk}/record", json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    assert Visit.objects.get(pk=other.pk).state == Visit.State.PLANNED


def test_api_org_coverage_venues_secondments_rotation(world, client_for):
    client = client_for(world.secretariat)
    body = client.get(f"/api/v1/conferences/{world.district.pk}/org-coverage").json()
    assert body["total"]["units"] == 3 and body["total"]["two_new"] == 1 and body["total"]["two_new_built"] == 1
    assert client_for(world.outsider).get(f"/api/v1/conferences/{world.district.pk}/org-coverage").status_code == 404
    payload = {"name": "示例服务站", "kind": "service_station", "owner": world.unit_a.pk, "area": world.street_area.pk}
    response = client_for(world.liaison).post("/api/v1/venues", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    payload["owner"] = world.unit_b.pk
    response = client_for(world.liaison).post("/api/v1/venues", json.dumps(payload), content_type="application/json")
    assert response.status_code == 403
    client = client_for(world.secretariat)  # one test client: log the secretariat back in
    assert client.get("/api/v1/venues").json()["count"] == 1
    batch = services.create_batch(world.secretariat, conference=world.district, name="演示批次", year=2025)
    person = Person.objects.create(name="示例干部", unit=world.unit_a)
    payload = {"person": person.pk, "home_unit": world.unit_a.pk, "host_unit": world.unit_a.pk, "host_post": "岗位",
               "kind": "exchange", "start": "2025-01-01", "end": "2025-06-01"}
    response = client.post(f"/api/v1/secondment-batches/{batch.pk}/secondments", json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 422 and "host_unit" in response.content.decode()
    rotation = client.get(f"/api/v1/conferences/{world.district.pk}/rotation-plan").json()
    assert rotation["conflicts"] == ["尚未制定轮值规则。"]


def test_unit_unavailability_import(world, plan, client_for):
    from lianxi.visits.models import UnitUnavailability

    client = client_for(world.secretariat)
    headers = ["单位*", "不便接待日期*"]
    bad = _xlsx(headers, [["示例单位A", "2025-01-06 至 2025-01-08"], ["示例单位Z", "2025-01-09"],
                          ["示例单位B", "2025-07-01"], ["示例街道", "2025-02-30"]])
    response = client.post("/visits/import/", {"which": "unavailable", "plan": plan.pk, "file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行" in page and "示例单位Z" in page
    assert "第 4 行" in page and "不在计划周期内" in page
    assert "第 5 行" in page and "2025-02-30" in page
    assert "第 2 行" not in page and not UnitUnavailability.objects.exists()
    good = _xlsx(headers, [["示例单位A", "2025-01-06 至 2025-01-08、2025-01-10"]])
    assert client.post("/visits/import/", {"which": "unavailable", "plan": plan.pk, "file": good}).status_code == 200
    assert UnitUnavailability.objects.get(unit=world.unit_a).dates == [
        "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-10"]
    assert client_for(world.reviewer).post("/visits/import/", {
        "which": "unavailable", "plan": plan.pk, "file": _xlsx(headers, [])}).status_code in (400, 403)
