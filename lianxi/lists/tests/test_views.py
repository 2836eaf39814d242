import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxi.audit.models import AuditEntry
from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.jobs.models import Job
from lianxi.lists import services
from lianxi.lists.models import Cadence, Claim, Delivery, Need, Resource
from lianxi.lists.tests.helpers import export_plenary_file, extra_members, later, make_need, make_resource

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"lists:{name}", args=args)


# ------------------------------------------------------------------ the hall


def test_hall_is_public_without_contacts(world, client_for):
    make_need(world, contact_name="示例联系人", contact_phone="000-5555")
    draft = make_need(world, title="示例草稿", publish=False)
    page = client_for(None).get(url("hall")).content.decode()
    assert "示例需求：助餐" in page and "000-5555" not in page
    assert draft.title not in page
    assert 'name="quantity"' not in page  # no claim button without a unit


def test_hall_filters_by_category_and_scope(world, client_for):
    make_need(world)
    make_need(world, title="示例需求：普法", code="legal")
    paired = make_need(world, title="示例需求：结对中")
    services.pair_need(world.secretariat, paired, units=[world.unit_b], until=later(days=2))
    client = client_for(world.liaison)
    legal = client.get(url("hall"), {"category": paired.category_id - 0, "scope": "hall"}).content.decode()
    assert "示例需求：助餐" in legal and "示例需求：结对中" not in legal
    everything = client.get(url("hall"), {"scope": "open"}).content.decode()
    assert "结对单位优先认领至" in everything and "示例需求：普法" in everything


def test_liaison_claims_with_one_click_htmx(world, client_for):
    need = make_need(world, quantity=4)
    client = client_for(world.liaison)
    page = client.get(url("hall")).content.decode()
    assert "以示例单位A认领" in page
    response = client.post(url("need_claim", need.pk), {"partial": "card", "unit": world.unit_a.pk, "quantity": 3}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "示例单位A已认领 3人。" in body and f'id="need-{need.pk}"' in body
    need.refresh_from_db()
    assert (need.claimed_quantity, need.state) == (3, Need.State.PARTLY_CLAIMED)
    assert AuditEntry.objects.filter(action="lists.claim.create", actor=world.liaison).count() == 1
    # The card now offers nothing more to this unit (it already claims).
    assert "以示例单位A认领" not in body


def test_over_claim_in_the_card_shows_the_reason(world, client_for):
    need = make_need(world, quantity=1)
    services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1)
    client = client_for(world.liaison)
    response = client.post(url("need_claim", need.pk), {"partial": "card", "unit": world.unit_a.pk, "quantity": 1}, **HTMX)
    assert response.status_code == 200
    assert "需求已认领，不能认领。" in response.content.decode()


def test_full_claim_form_joint_and_long_term(world, client_for):
    need = make_need(world, quantity=5)
    client = client_for(world.liaison)
    assert client.get(url("need_claim", need.pk)).status_code == 200
    response = client.post(url("need_claim", need.pk), {
        "unit": world.unit_a.pk, "quantity": 5, "cadence": Cadence.MONTHLY, "co_claimants": "示例单位B 2",
    })
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    claim = Claim.objects.get()
    assert (claim.cadence, claim.end_on) == (Cadence.MONTHLY, None)
    assert sorted(claim.shares.values_list("unit__name", "quantity")) == [("示例单位A", 3), ("示例单位B", 2)]


def test_claim_form_reports_unknown_co_claimant(world, client_for):
    need = make_need(world, quantity=5)
    response = client_for(world.liaison).post(url("need_claim", need.pk), {
        "unit": world.unit_a.pk, "quantity": 5, "co_claimants": "不存在的单位 2"})
    assert response.status_code == 200
    assert "第 1 行：没有名为“不存在的单位”的单位。" in response.content.decode()


def test_claim_is_refused_to_outsider_and_read_only(world, client_for):
    need = make_need(world)
    for user in (world.outsider, world.reviewer):
        response = client_for(user).post(url("need_claim", need.pk), {"unit": world.unit_a.pk, "quantity": 1})
        assert response.status_code == 403
    assert client_for(None).post(url("need_claim", need.pk), {}).status_code == 302  # to login
    assert Claim.objects.count() == 0


# ------------------------------------------------------------------ need pages


def test_need_detail_shows_claims_and_deliveries(world, client_for):
    need = make_need(world)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.WEEKLY)
    page = client_for(world.secretariat).get(url("need_detail", need.pk)).content.decode()
    assert "示例单位A 认领 2人" in page and "长效认领" in page
    assert page.count('class="delivery') == claim.deliveries.count()
    assert "变更记录" in page


def test_draft_need_is_hidden_from_outsiders_and_other_units(world, client_for):
    draft = make_need(world, publish=False)
    assert client_for(world.outsider).get(url("need_detail", draft.pk)).status_code == 404
    assert client_for(None).get(url("need_detail", draft.pk)).status_code == 404
    assert client_for(world.liaison).get(url("need_detail", draft.pk)).status_code == 404
    assert client_for(world.street).get(url("need_detail", draft.pk)).status_code == 200
    assert client_for(world.secretariat).get(url("need_detail", draft.pk)).status_code == 200


def test_create_need_prefilled_and_published(world, client_for):
    make_need(world, title="上一条", contact_name="示例联系人甲", contact_phone="000-7777")
    client = client_for(world.street)
    page = client.get(url("need_create")).content.decode()
    assert 'value="示例联系人甲"' in page and 'value="000-7777"' in page
    data = {"conference": world.district.pk, "owner": world.street_unit.pk, "title": "示例需求：新", "category": 1,
            "area": world.street_area.pk, "quantity": 3, "urgency": "normal", "source": "posted", "publish": "1"}
    response = client.post(url("need_create"), data)
    need = Need.objects.get(title="示例需求：新")
    assert response.status_code == 302 and need.state == Need.State.PUBLISHED


def test_create_need_errors_are_shown_by_field(world, client_for):
    response = client_for(world.street).post(url("need_create"), {
        "conference": world.district.pk, "owner": world.street_unit.pk, "title": "", "category": 1,
        "area": world.street_area.pk, "quantity": 0, "urgency": "normal", "source": "posted"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项。" in page and "需求数量至少为 1。" in page


def test_create_need_access(world, client_for):
    assert client_for(None).get(url("need_create")).status_code == 302
    assert client_for(world.outsider).get(url("need_create")).status_code == 404
    assert client_for(world.reviewer).get(url("need_create")).status_code == 403
    # A liaison may not post in the name of the street.
    response = client_for(world.liaison).post(url("need_create"), {
        "conference": world.district.pk, "owner": world.street_unit.pk, "title": "x", "category": 1,
        "area": world.street_area.pk, "quantity": 1, "urgency": "normal", "source": "posted"})
    assert response.status_code == 200 and "不是可代为发布需求的单位" in response.content.decode()


def test_edit_publish_withdraw_close_access(world, client_for):
    draft = make_need(world, publish=False)
    published = make_need(world, title="已发布")
    assert client_for(world.outsider).get(url("need_edit", draft.pk)).status_code == 404
    assert client_for(world.outsider).get(url("need_edit", published.pk)).status_code == 403
    assert client_for(world.reviewer).post(url("need_publish", draft.pk)).status_code == 404
    assert client_for(world.reviewer).post(url("need_withdraw", published.pk)).status_code == 403
    assert client_for(world.liaison).post(url("need_withdraw", published.pk)).status_code == 403
    assert client_for(world.street).post(url("need_publish", draft.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Need.State.PUBLISHED
    response = client_for(world.street).post(url("need_edit", published.pk), {
        "title": "已发布（改）", "category": published.category_id, "area": world.street_area.pk, "quantity": 6,
        "urgency": "urgent", "description": ""})
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.title, published.quantity, published.urgency) == ("已发布（改）", 6, "urgent")
    assert client_for(world.secretariat).post(url("need_withdraw", published.pk), {"reason": "重复"}).status_code == 302
    published.refresh_from_db()
    assert published.state == Need.State.WITHDRAWN
    response = client_for(world.secretariat).post(url("need_close", published.pk), follow=True)
    assert "需求不能从“已撤回”变为“已关闭”。" in response.content.decode()


def test_pair_page(world, client_for):
    need = make_need(world)
    assert client_for(world.liaison).get(url("need_pair", need.pk)).status_code == 403
    client = client_for(world.secretariat)
    assert client.get(url("need_pair", need.pk)).status_code == 200
    until = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url("need_pair", need.pk), {"units": [world.unit_b.pk], "until": until}).status_code == 302
    need.refresh_from_db()
    assert need.window_open() and list(need.pairings.values_list("unit__name", flat=True)) == ["示例单位B"]


# ------------------------------------------------------------------ deliveries


def test_record_confirm_and_rate_by_one_click(world, client_for):
    need = make_need(world, quantity=1)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    # The street cannot record, the liaison cannot confirm.
    assert client_for(world.street).post(url("delivery_record", delivery.pk), **HTMX).status_code == 403
    response = client_for(world.liaison).post(url("delivery_record", delivery.pk), {"note": "已完成"}, **HTMX)
    assert response.status_code == 200 and "已登记交付，等待需求方确认。" in response.content.decode()
    assert client_for(world.liaison).post(url("delivery_confirm", delivery.pk), **HTMX).status_code == 403
    response = client_for(world.street).post(url("delivery_confirm", delivery.pk), {"rating": "5", "comment": "好"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "已确认。" in body and "★★★★★" in body
    delivery.refresh_from_db()
    assert (delivery.state, delivery.rating, delivery.rating_comment) == (Delivery.State.CONFIRMED, 5, "好")


def test_rate_after_confirm_and_errors_in_the_line(world, client_for):
    need = make_need(world, quantity=1)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    services.record_delivery(world.liaison, delivery)
    client = client_for(world.street)
    client.post(url("delivery_confirm", delivery.pk), {}, **HTMX)
    response = client.post(url("delivery_rate", delivery.pk), {"rating": "9"}, **HTMX)
    assert "请选择 1 到 5 分。" in response.content.decode()
    response = client.post(url("delivery_rate", delivery.pk), {"rating": "4"}, **HTMX)
    assert "感谢评价。" in response.content.decode()
    response = client.post(url("delivery_confirm", delivery.pk), {}, **HTMX)
    assert "交付不能从“已确认”变为“已确认”。" in response.content.decode()
    # Without htmx, the same form redirects to the need page.
    response = client.post(url("delivery_rate", delivery.pk), {"rating": "4"})
    assert response.status_code == 302 and response["Location"].endswith(f"#delivery-{delivery.pk}")


def test_cancel_and_end_claim(world, client_for):
    need = make_need(world, quantity=3)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    assert client_for(world.liaison_b).post(url("claim_cancel", claim.pk)).status_code == 403
    assert client_for(world.liaison).post(url("claim_cancel", claim.pk), {"reason": "改期"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.CANCELLED
    long = services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1, cadence=Cadence.WEEKLY)
    response = client_for(world.liaison_b).post(url("claim_end", long.pk), follow=True)
    assert "该认领到结束日期前没有任何交付，请撤回认领，而不是结束。" in response.content.decode()


# ------------------------------------------------------------------ resources


def test_resource_pages(world, client_for):
    resource = make_resource(world, contact_phone="000-3333")
    page = client_for(None).get(url("resource_list")).content.decode()
    assert "示例资源：志愿者" in page and "000-3333" not in page
    assert client_for(None).get(url("resource_detail", resource.pk)).status_code == 200
    # Another unit's liaison sees the contact phone masked (PIPL); the offering unit sees it whole.
    other = client_for(world.liaison_b).get(url("resource_detail", resource.pk)).content.decode()
    assert "000-3333" not in other and "*****33" in other
    assert "000-3333" in client_for(world.liaison).get(url("resource_detail", resource.pk)).content.decode()
    assert client_for(world.outsider).get(url("resource_edit", resource.pk)).status_code == 403
    assert client_for(world.liaison_b).post(url("resource_state", resource.pk, "withdraw")).status_code == 403
    assert client_for(world.liaison).post(url("resource_state", resource.pk, "withdraw")).status_code == 302
    resource.refresh_from_db()
    assert resource.state == Resource.State.WITHDRAWN
    assert client_for(None).get(url("resource_detail", resource.pk)).status_code == 404


def test_offer_resource_by_form(world, client_for):
    client = client_for(world.liaison)
    page = client.get(url("resource_create")).content.decode()
    assert f'<option value="{world.unit_a.pk}" selected>' in page
    response = client.post(url("resource_create"), {
        "conference": world.district.pk, "unit": world.unit_a.pk, "title": "示例资源：会议室", "category": 8,
        "kind": "venue", "capacity": 2, "period": "monthly", "areas": [world.street_area.pk]})
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert [a.pk for a in resource.areas.all()] == [world.street_area.pk]
    assert client_for(world.reviewer).get(url("resource_create")).status_code == 403
    assert client_for(world.outsider).get(url("resource_create")).status_code == 404


# ------------------------------------------------------------------ inbox, overview


def test_inbox_sections(world, client_for):
    make_resource(world)  # 示例单位A offers 为老服务 in 示例街道
    fitting = make_need(world, title="示例需求：相符")
    make_need(world, title="示例需求：不相符", code="legal")
    mine = make_need(world, title="示例需求：已认领", quantity=2)
    claim = services.claim_need(world.liaison, mine, unit=world.unit_a, quantity=1)
    burden.request(world.secretariat, unit=world.unit_a, kind=BurdenRequest.Kind.INVITATION, subject=fitting,
                   summary="邀请认领：示例需求：相符")
    page = client_for(world.liaison).get(url("inbox")).content.decode()
    fit_section = page.split("与本单位资源相符的需求")[1].split("我的认领")[0]
    assert "示例需求：相符" in fit_section and "示例需求：不相符" not in fit_section
    assert "邀请认领：示例需求：相符" in page
    assert f"#claim-{claim.pk}" in page
    assert "近期应交付与逾期" in page


def test_inbox_for_the_street_lists_deliveries_to_confirm(world, client_for):
    need = make_need(world, quantity=1)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    services.record_delivery(world.liaison, delivery)
    page = client_for(world.street).get(url("inbox")).content.decode()
    section = page.split("待我确认的交付")[1].split("近期应交付与逾期")[0]
    assert f'id="delivery-{delivery.pk}"' in section and "确认已交付" in section
    assert "请确认示例单位A对“示例需求：助餐”的第1期交付" in page


def test_inbox_access(world, client_for):
    assert client_for(None).get(url("inbox")).status_code == 302
    assert client_for(world.outsider).get(url("inbox")).status_code == 404
    assert client_for(world.reviewer).get(url("inbox")).status_code == 403
    assert client_for(world.secretariat).get(url("inbox")).status_code == 403


def test_overview_aggregates(world, client_for):
    a = make_need(world, quantity=1)
    make_need(world, title="开放", code="legal")
    delivery = services.claim_need(world.liaison, a, unit=world.unit_a, quantity=1).deliveries.get()
    services.record_delivery(world.liaison, delivery)
    services.confirm_delivery(world.street, delivery, rating=4)
    late = make_need(world, title="逾期")
    services.claim_need(world.liaison, late, unit=world.unit_a, quantity=1, cadence=Cadence.WEEKLY,
                        start_on=timezone.localdate() - datetime.timedelta(days=10))
    response = client_for(world.secretariat).get(url("overview"))
    assert response.status_code == 200
    ctx = response.context
    assert {k: ctx["totals"][k] for k in ("total", "open", "claimed", "fulfilled")} == {
        "total": 3, "open": 2, "claimed": 0, "fulfilled": 1}
    assert ctx["totals"]["rate"] == 33.3
    assert [(r["category__name"], r["total"], r["fulfilled"], r["rate"]) for r in ctx["by_category"]] == [
        ("为老服务", 2, 1, 50.0), ("法律", 1, 0, 0.0)]
    assert [(r["street"], r["total"]) for r in ctx["by_street"]] == [("示例街道", 3)]
    assert ctx["overdue_count"] == 1 and ctx["ratings"] == {"mean": 4.0, "n": 1}


def test_overview_access(world, client_for):
    assert client_for(world.outsider).get(url("overview")).status_code == 404
    assert client_for(world.liaison).get(url("overview")).status_code == 403
    assert client_for(world.reviewer).get(url("overview")).status_code == 403
    assert client_for(world.admin).get(url("overview"), {"conference": world.sub.pk}).status_code == 200


# ------------------------------------------------------------------ Excel pages and snapshots


def test_excel_page_access_and_template_download(world, client_for):
    assert client_for(world.outsider).get(url("excel")).status_code == 404
    assert client_for(world.reviewer).get(url("excel")).status_code == 403
    assert client_for(world.street).get(url("excel")).status_code == 200
    response = client_for(world.street).get(url("excel_template", "needs"), {"conference": world.district.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client_for(world.street).get(url("excel_template", "needs"), {"conference": 99999}).status_code == 404


def test_excel_import_page_reports_rows(world, client_for):
    from lianxi.lists import excel
    from lianxi.lists.tests.test_excel import filled, good_row

    file = filled(excel.need_template(world.district, world.street), [good_row(), good_row(None)])
    response = client_for(world.street).post(url("excel"), {
        "which": "needs", "needs-conference": world.district.pk, "needs-file": file}, follow=True)
    # The import ran as a job; its page shows every bad row and that nothing was saved.
    assert response.redirect_chain[0][0].startswith("/jobs/")
    page = response.content.decode()
    assert "共 2 行，其中 1 行有错误，整个文件未导入" in page and "第 3 行：需求名称：这个字段是必填项。" in page
    assert Need.objects.count() == 0


def test_excel_import_runs_as_a_job_and_reports_what_it_saved(world, client_for):
    from lianxi.jobs.models import Job
    from lianxi.lists import excel
    from lianxi.lists.tests.test_excel import filled, good_row

    file = filled(excel.need_template(world.district, world.street), [good_row(), good_row("示例需求：理发")])
    response = client_for(world.street).post(url("excel"), {
        "which": "needs", "needs-conference": world.district.pk, "needs-file": file}, follow=True)
    job = Job.objects.get(kind="lists.import_needs")
    assert (job.state, job.owner, job.done, job.result["created"]) == (Job.State.SUCCEEDED, world.street, 2, 2)
    assert "已导入需求 2 条。" in response.content.decode()
    assert Need.objects.count() == 2


def test_the_import_job_reports_progress_while_it_saves(world, client_for, monkeypatch, settings, tmp_path):
    """Saving runs in one transaction (on SQLite, under the write lock): each batch's progress goes
    to the file beside the database, which the job's page reads over the row; gone at the end."""
    from lianxi.jobs import runner
    from lianxi.lists import excel
    from lianxi.lists.tests.test_excel import filled, good_row

    settings.JOBS_PROGRESS_DIR = str(tmp_path)
    monkeypatch.setattr(runner, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr(services, "BULK_BATCH", 2)
    seen = []
    write_file = runner._write_file

    def spy(job_id, fields):
        write_file(job_id, fields)
        live = runner.live_progress(Job.objects.get(pk=job_id))  # what the page shows now
        seen.append((live.stage, live.done, live.total, Need.objects.count()))

    monkeypatch.setattr(runner, "_write_file", spy)
    file = filled(excel.need_template(world.district, world.street), [good_row(f"示例需求：第{i}项") for i in range(5)])
    client_for(world.street).post(url("excel"), {"which": "needs", "needs-conference": world.district.pk,
                                                 "needs-file": file})
    assert [(done, total, saved) for stage, done, total, saved in seen if stage == "第 2/3 步：保存"] == [
        (0, 5, 0), (2, 5, 2), (4, 5, 4), (5, 5, 5)]
    # The steps are named in order (the third, the search index, runs after the commit, which a
    # test transaction never reaches).
    steps = [s for s in dict.fromkeys(stage for stage, *_ in seen) if s.startswith("第")]
    assert steps == ["第 1/3 步：逐行检查", "第 2/3 步：保存"]
    assert Job.objects.get(kind="lists.import_needs").state == Job.State.SUCCEEDED
    assert list(tmp_path.iterdir()) == []  # the row holds the final figures again


def test_export_access(world, client_for):
    make_need(world)
    assert client_for(world.liaison).get(url("excel_export"), {"conference": world.district.pk}).status_code == 403
    assert client_for(world.liaison).post(url("excel_export"), {"conference": world.district.pk}).status_code == 403
    assert client_for(world.outsider).post(url("excel_export"), {"conference": world.district.pk}).status_code == 404
    assert not Job.objects.filter(kind="lists.export_plenary").exists()
    # A bare link (GET) makes nothing: it lands on the Excel page, whose buttons start the job.
    response = client_for(world.secretariat).get(url("excel_export"), {"conference": world.district.pk})
    assert response.status_code == 302 and response["Location"] == url("excel")
    assert not Job.objects.filter(kind="lists.export_plenary").exists()
    response = export_plenary_file(client_for(world.secretariat), world.district)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb["需求清单"]["C3"].value.startswith("示例需求：助餐")


def test_the_export_job_reports_and_its_file_is_only_for_the_one_who_asked(world, client_for):
    from lianxi.accounts.models import Grant
    from lianxi.testing import grant, make_user

    make_need(world, contact_phone="13812345678")
    response = client_for(world.secretariat).post(url("excel_export"), {"conference": world.district.pk})
    job = Job.objects.get(kind="lists.export_plenary")
    assert (job.state, job.owner, job.result["needs"]) == (Job.State.SUCCEEDED, world.secretariat, 1)
    assert job.output_name.endswith(".xlsx")
    page = client_for(world.secretariat).get(response["Location"]).content.decode()
    assert "需求 1 条" in page and reverse("jobs:job_output", args=[job.pk]) in page
    # The file holds contact phones in full: one personal-data row for the export, by its owner.
    assert AuditEntry.objects.filter(action="privacy.personal_data.view", actor=world.secretariat).count() == 1
    # Another manager of the same conference, the admin's colleagues, a liaison: not theirs to fetch.
    colleague = make_user("second_secretariat")
    grant(colleague, Grant.Role.SECRETARIAT, conference=world.district)
    for user in (colleague, world.liaison, world.outsider):
        assert client_for(user).get(reverse("jobs:job_output", args=[job.pk])).status_code == 404
        assert client_for(user).get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
    assert client_for(None).get(reverse("jobs:job_output", args=[job.pk])).status_code == 302


def test_snapshot_pages(world, client_for):
    from lianxi.meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(conference=world.district, title="示例全体会议", date=timezone.localdate())
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.RELEASE, title="发布清单")
    make_need(world)
    assert client_for(world.reviewer).post(url("snapshot_freeze"), {"agenda_item": item.pk}).status_code == 403
    assert client_for(world.outsider).get(url("snapshot_list")).status_code == 404
    page = client_for(world.secretariat).get(url("snapshot_list")).content.decode()
    assert "发布清单" in page
    response = client_for(world.secretariat).post(url("snapshot_freeze"), {"agenda_item": item.pk})
    assert response.status_code == 302
    detail = client_for(world.reviewer).get(response["Location"]).content.decode()
    assert "示例需求：助餐" in detail
    snapshot_id = int(response["Location"].rstrip("/").split("/")[-1])
    xlsx = client_for(world.reviewer).get(url("snapshot_export", snapshot_id))
    assert xlsx.status_code == 200
    assert client_for(world.outsider).get(url("snapshot_detail", snapshot_id)).status_code == 404


# ------------------------------------------------------------------ query counts: no query per row


def _count(client, count_queries, path, params=None):
    with count_queries() as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow_needs(world, n, start=0):
    for i in range(n):
        need = make_need(world, title=f"示例需求{start + i:03d}", quantity=3)
        services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1, cadence=Cadence.WEEKLY)


@pytest.mark.parametrize("persona", ["liaison", "secretariat", None])
def test_hall_query_count_does_not_grow(world, client_for, count_queries, persona):
    client = client_for(getattr(world, persona) if persona else None)
    _grow_needs(world, 2)
    few = _count(client, count_queries, url("hall"))
    _grow_needs(world, 8, start=10)
    assert _count(client, count_queries, url("hall")) == few


def test_resource_list_query_count_does_not_grow(world, client_for, count_queries):
    client = client_for(world.liaison)
    make_resource(world)
    few = _count(client, count_queries, url("resource_list"))
    for i in range(6):
        make_resource(world, title=f"示例资源{i}")
    assert _count(client, count_queries, url("resource_list")) == few


def test_inbox_query_count_does_not_grow(world, client_for, count_queries):
    make_resource(world, unit=world.unit_b, actor=world.liaison_b)
    client = client_for(world.liaison_b)
    _grow_needs(world, 2)
    make_need(world, title="示例相符")
    few = _count(client, count_queries, url("inbox"))
    _grow_needs(world, 6, start=10)
    for i in range(3):
        make_need(world, title=f"示例相符{i}")
    assert _count(client, count_queries, url("inbox")) == few


def test_need_detail_query_count_does_not_grow_with_claims(world, client_for, count_queries):
    need = make_need(world, quantity=20)
    units = extra_members(world, 6)
    services.claim_need(None, need, unit=units[0], quantity=2, cadence=Cadence.WEEKLY, co_claimants=[(units[1], 1)])
    client = client_for(world.secretariat)
    few = _count(client, count_queries, url("need_detail", need.pk))
    for unit in units[1:]:
        services.claim_need(None, need, unit=unit, quantity=2, cadence=Cadence.WEEKLY, co_claimants=[(units[0], 1)])
        services.record_delivery(None, Delivery.objects.filter(claim__unit=unit).first())
    assert _count(client, count_queries, url("need_detail", need.pk)) == few


def test_overview_and_burden_query_counts_do_not_grow(world, client_for, count_queries):
    client = client_for(world.admin)
    _grow_needs(world, 2)
    units = extra_members(world, 5)
    burden.request(None, unit=units[0], kind=BurdenRequest.Kind.FORM, summary="填报")
    Delivery.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    few = (_count(client, count_queries, url("overview")), _count(client, count_queries, reverse("burden:burden")),
           _count(client, count_queries, reverse("burden:burden_unit", args=[units[0].pk])))
    _grow_needs(world, 6, start=10)
    Delivery.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    for unit in units:
        for i in range(3):
            burden.request(None, unit=unit, kind=BurdenRequest.Kind.FORM, summary=f"填报{i}")
    many = (_count(client, count_queries, url("overview")), _count(client, count_queries, reverse("burden:burden")),
            _count(client, count_queries, reverse("burden:burden_unit", args=[units[0].pk])))
    assert many == few


def test_snapshot_list_query_count_does_not_grow(world, client_for, count_queries):
    from lianxi.meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(conference=world.district, title="示例全体会议", date=timezone.localdate())
    items = [AgendaItem.objects.create(meeting=meeting, order=i, kind=AgendaItem.Kind.RELEASE, title=f"发布{i}")
             for i in range(1, 6)]
    services.freeze_lists(world.secretariat, items[0])
    client = client_for(world.secretariat)
    few = _count(client, count_queries, url("snapshot_list"))
    for item in items[1:]:
        services.freeze_lists(world.secretariat, item)
    assert _count(client, count_queries, url("snapshot_list")) == few
