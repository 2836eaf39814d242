"""The visits pages through HTTP with the named personas: who sees what, who may do what, and
query counts that do not grow with the rows."""

import datetime

import pytest

from lianxi.lists.models import Need, NeedCategory
from lianxi.registry.models import Person, Unit, Venue
from lianxi.registry.services import admit_unit, create_unit
from lianxi.visits import services
from lianxi.visits.models import Secondment, Visit

pytestmark = pytest.mark.django_db


def test_outsider_and_anonymous_see_nothing(world, plan, client_for):
    for user in (None, world.outsider):
        client = client_for(user)
        assert client.get(f"/visits/plans/{plan.pk}/").status_code in (302, 404)
        assert client.get(f"/visits/coverage/{world.district.pk}/").status_code in (302, 404)
        assert client.get(f"/visits/rotation/{world.district.pk}/").status_code in (302, 404)
    assert client_for(world.outsider).get(f"/visits/plans/{plan.pk}/").status_code == 404


def test_reader_may_see_but_not_compute(world, plan, client_for):
    client = client_for(world.reviewer)
    assert client.get(f"/visits/plans/{plan.pk}/").status_code == 200
    assert client.post(f"/visits/plans/{plan.pk}/compute/").status_code == 403
    assert not Visit.objects.filter(plan=plan).exists()


def test_secretariat_computes_and_the_page_shows_the_figures(world, current_plan, client_for):
    client = client_for(world.secretariat)
    response = client.post(f"/visits/plans/{current_plan.pk}/compute/", follow=True)
    assert response.status_code == 200
    assert Visit.objects.filter(plan=current_plan).count() == 3
    page = client.get(f"/visits/plans/{current_plan.pk}/").content.decode()
    assert "CP-SAT" in page and "贪心基线" in page and "示例单位A" in page


def test_plan_page_query_count_is_constant(world, plan, client_for, count_queries):
    client = client_for(world.secretariat)
    services.compute_plan(world.secretariat, plan, today=plan.start)
    with count_queries() as small:
        assert client.get(f"/visits/plans/{plan.pk}/").status_code == 200
    for i in range(12):
        unit = create_unit(None, name=f"示例加测单位{i:02d}", category=Unit.Category.ENTERPRISE, area=world.street_area)
        admit_unit(None, unit=unit, conference=world.district, start=datetime.date(2020, 1, 1))
    services.compute_plan(world.secretariat, plan, today=plan.start)
    with count_queries() as large:
        assert client.get(f"/visits/plans/{plan.pk}/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_visitor_records_a_visit_with_a_need(world, plan, client_for):
    services.compute_plan(world.secretariat, plan, today=plan.start)
    visit = Visit.objects.get(plan=plan, unit=world.street_unit)
    client = client_for(plan.visitor_user)
    mine = client.get("/visits/mine/").content.decode()
    assert "示例街道" in mine
    category = NeedCategory.objects.order_by("order").first()
    day = min(visit.planned_on, datetime.date.today())
    response = client.post(f"/visits/{visit.pk}/record/", {
        "done_on": day.isoformat(), "participants": "示例走访人", "met_with": "示例书记", "notes": "情况良好",
        "need_title": "社区助餐志愿者", "need_category": category.pk, "need_quantity": 4, "need_quantity_unit": "人",
        "need_urgency": "normal",
    })
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.state == Visit.State.DONE
    need = Need.objects.get(title="社区助餐志愿者")
    assert need.source == Need.Source.VISIT
    hall = client_for(world.liaison).get("/lists/").content.decode()
    assert "社区助餐志愿者" in hall and "走访收集" in hall
    # Another plan's visitor may not record this visit.
    assert client_for(world.liaison).post(f"/visits/{visit.pk}/record/", {}).status_code in (403, 404)


def test_record_form_names_the_missing_category(world, plan, client_for):
    visit = services.add_visit(world.secretariat, plan, unit=world.unit_a, planned_on=datetime.date(2025, 2, 4))
    response = client_for(world.secretariat).post(f"/visits/{visit.pk}/record/", {
        "done_on": "2025-02-04", "need_title": "缺类别的需求", "need_quantity": 1})
    assert response.status_code == 400
    assert "登记需求时请选择类别" in response.content.decode()
    visit.refresh_from_db()
    assert visit.state == Visit.State.PLANNED


def test_unit_confirms_a_proposed_visit(world, plan, client_for):
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    assert client_for(world.secretariat).post(f"/visits/{visit.pk}/propose/").status_code == 302
    assert client_for(world.liaison).post(f"/visits/{visit.pk}/confirm/").status_code == 403
    assert client_for(world.street).post(f"/visits/{visit.pk}/confirm/").status_code == 302
    visit.refresh_from_db()
    assert visit.state == Visit.State.CONFIRMED


def test_coverage_page(world, client_for, count_queries):
    client = client_for(world.secretariat)
    with count_queries() as ctx:
        response = client.get(f"/visits/coverage/{world.district.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "两新覆盖率" in page and "示例街道" in page
    assert len(ctx.captured_queries) < 20


def test_venue_registered_and_offered_as_a_resource(world, client_for):
    client = client_for(world.liaison)
    response = client.post("/visits/venues/new/", {
        "name": "示例党群服务站", "kind": Venue.Kind.SERVICE_STATION, "owner": world.unit_a.pk,
        "area": world.street_area.pk, "capacity": 40, "access": Venue.Access.MEMBERS})
    assert response.status_code == 302
    venue = Venue.objects.get(name="示例党群服务站")
    category = NeedCategory.objects.order_by("order").first()
    response = client.post(f"/visits/venues/{venue.pk}/offer/", {
        "conference": world.district.pk, "category": category.pk, "capacity": 4})
    assert response.status_code == 302
    resource = venue.resources.get()
    assert (resource.kind, resource.unit_id, resource.conference_id) == ("venue", world.unit_a.pk, world.district.pk)
    # Someone else's unit: not theirs to offer.
    assert client_for(world.liaison_b).post(f"/visits/venues/{venue.pk}/offer/", {}).status_code == 403


def test_batch_and_secondments(world, client_for):
    client = client_for(world.secretariat)
    response = client.post("/visits/secondments/new/", {"conference": world.district.pk, "name": "演示2025年第一批",
                                                        "year": 2025})
    assert response.status_code == 302
    batch = world.district.secondment_batches.get()
    person = Person.objects.create(name="示例交流干部", unit=world.unit_a)
    response = client.post(f"/visits/secondments/{batch.pk}/add/", {
        "person": person.pk, "home_unit": world.unit_a.pk, "host_unit": world.street_unit.pk,
        "host_post": "党建办副主任", "kind": "attachment", "start": "2025-03-01", "end": "2025-09-01"})
    assert response.status_code == 302
    secondment = Secondment.objects.get()
    client.post(f"/visits/secondment/{secondment.pk}/start/")
    client.post(f"/visits/secondment/{secondment.pk}/complete/", {"grade": "excellent", "evaluation": "表现突出"})
    secondment.refresh_from_db()
    assert (secondment.state, secondment.grade) == ("completed", "excellent")
    page = client.get("/visits/secondments/").content.decode()
    assert "演示2025年第一批" in page and "示例单位A：1" in page
    assert client_for(world.reviewer).post(f"/visits/secondments/{batch.pk}/add/", {}).status_code == 403


def test_rotation_page(world, client_for):
    response = client_for(world.secretariat).get(f"/visits/rotation/{world.district.pk}/")
    assert response.status_code == 200
    assert "尚未制定轮值规则" in response.content.decode()


def test_list_pages_query_counts_do_not_grow(world, plan, client_for, count_queries):
    client = client_for(world.secretariat)
    batch = services.create_batch(world.secretariat, conference=world.district, name="演示批次", year=2025)

    def add_rows(k):
        for i in range(k):
            unit = world.unit_a if i % 2 else world.unit_b
            Venue.objects.create(name=f"示例阵地{k}-{i}", kind=Venue.Kind.OTHER, owner=unit, area=world.street_area)
            person = Person.objects.create(name=f"示例干部{k}-{i}", unit=unit)
            services.add_secondment(world.secretariat, batch=batch, person=person, home_unit=unit,
                                    host_unit=world.street_unit, host_post="岗位", kind="training",
                                    start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 1))

    def measure():
        counts = []
        for url in ("/visits/", "/visits/venues/", "/visits/secondments/", f"/visits/secondments/{batch.pk}/",
                    f"/visits/coverage/{world.district.pk}/"):
            with count_queries() as ctx:
                assert client.get(url).status_code == 200, url
            counts.append(len(ctx.captured_queries))
        return counts

    add_rows(2)
    few = measure()
    add_rows(9)
    assert measure() == few


def _venue(world):
    return Venue.objects.create(name="示例党员活动室", kind=Venue.Kind.ACTIVITY_ROOM, owner=world.unit_a,
                                area=world.street_area, capacity=30)


def test_venue_edit_page_saves_through_the_service_for_its_owner_only(world, client_for):
    from lianxi.audit.models import AuditEntry

    venue = _venue(world)
    assert client_for(world.outsider).get(f"/visits/venues/{venue.pk}/edit/").status_code == 404
    for persona in (world.reviewer, world.liaison_b):
        client = client_for(persona)
        assert client.get(f"/visits/venues/{venue.pk}/edit/").status_code == 403
        assert client.post(f"/visits/venues/{venue.pk}/edit/", {"name": "改名"}).status_code == 403
        assert client.post(f"/visits/venues/{venue.pk}/retire/").status_code == 403
    client = client_for(world.liaison)
    page = client.get(f"/visits/venues/{venue.pk}/edit/").content.decode()
    assert "修改阵地" in page and "示例党员活动室" in page and "<script>" not in page and 'style="' not in page
    data = {"name": "示例党员活动室（新址）", "kind": Venue.Kind.ACTIVITY_ROOM, "owner": world.unit_b.pk,
            "area": world.street_area.pk, "address": "示例路1号", "capacity": 50, "access": Venue.Access.PUBLIC,
            "opening_hours": "周一至周五 9:00-17:00"}
    assert client.post(f"/visits/venues/{venue.pk}/edit/", data).status_code == 302
    venue.refresh_from_db()
    # The owner field is shown but not taken: a venue changing hands is retired and registered anew.
    assert (venue.name, venue.capacity, venue.access, venue.owner_id) == (
        "示例党员活动室（新址）", 50, Venue.Access.PUBLIC, world.unit_a.pk)
    entry = AuditEntry.objects.filter(action="registry.venue.update").get()
    assert entry.changes["capacity"] == [30, 50]
    assert client.post(f"/visits/venues/{venue.pk}/retire/").status_code == 302
    venue.refresh_from_db()
    assert not venue.is_active
    page = client.post(f"/visits/venues/{venue.pk}/retire/", follow=True).content.decode()
    assert "该阵地已停用" in page
    assert AuditEntry.objects.filter(action="registry.venue.retire").count() == 1


def test_venue_edit_with_bad_input_names_the_field_and_saves_nothing(world, client_for):
    from lianxi.audit.models import AuditEntry

    venue = _venue(world)
    Venue.objects.create(name="示例党群服务站", kind=Venue.Kind.SERVICE_STATION, owner=world.unit_a)
    client = client_for(world.liaison)
    before = AuditEntry.objects.count()
    base = {"name": "示例党员活动室", "kind": Venue.Kind.ACTIVITY_ROOM, "access": Venue.Access.MEMBERS}
    for bad, message in (({"capacity": "很多"}, "输入整数"), ({"kind": "castle"}, "不在可用的选项中"),
                         ({"name": ""}, "这个字段是必填项"), ({"name": "示例党群服务站"}, "该单位已有同名阵地")):
        response = client.post(f"/visits/venues/{venue.pk}/edit/", {**base, **bad})
        assert response.status_code == 400, bad
        assert message in response.content.decode(), bad
    venue.refresh_from_db()
    assert (venue.name, venue.capacity) == ("示例党员活动室", 30)
    assert AuditEntry.objects.count() == before


def _secondment(world):
    batch = services.create_batch(world.secretariat, conference=world.district, name="演示批次", year=2025)
    person = Person.objects.create(name="示例交流干部", unit=world.unit_a)
    return services.add_secondment(world.secretariat, batch=batch, person=person, home_unit=world.unit_a,
                                   host_unit=world.street_unit, host_post="党建办副主任", kind="attachment",
                                   start=datetime.date(2025, 3, 1), end=datetime.date(2025, 9, 1))


def test_secondment_edit_page_for_the_conference_managers(world, client_for):
    from lianxi.audit.models import AuditEntry

    secondment = _secondment(world)
    url = f"/visits/secondment/{secondment.pk}/edit/"
    assert client_for(world.outsider).get(url).status_code == 404
    for persona in (world.reviewer, world.liaison):
        assert client_for(persona).get(url).status_code == 403
        assert client_for(persona).post(url, {"host_post": "改"}).status_code == 403
    client = client_for(world.secretariat)
    assert "示例交流干部" in client.get(f"/visits/secondments/{secondment.batch_id}/").content.decode()
    page = client.get(url).content.decode()
    assert "修改安排" in page and "提前终止" in page and 'style="' not in page
    data = {"person": secondment.person_id, "home_unit": world.unit_a.pk, "host_unit": world.street_unit.pk,
            "host_post": "党建办主任助理", "kind": "exchange", "start": "2025-03-01", "end": "2025-12-31"}
    assert client.post(url, data).status_code == 302
    secondment.refresh_from_db()
    assert (secondment.host_post, secondment.kind, secondment.end) == ("党建办主任助理", "exchange",
                                                                       datetime.date(2025, 12, 31))
    assert AuditEntry.objects.filter(action="visits.secondment.update").get().changes["kind"] == ["attachment",
                                                                                                   "exchange"]
    # Ending it: withdrawn early; then the record is closed to edits.
    assert client.post(f"/visits/secondment/{secondment.pk}/withdraw/").status_code == 302
    secondment.refresh_from_db()
    assert secondment.state == Secondment.State.WITHDRAWN
    response = client.post(url, {**data, "host_post": "再改"})
    assert response.status_code == 400 and "不能再修改" in response.content.decode()
    secondment.refresh_from_db()
    assert secondment.host_post == "党建办主任助理"


def test_secondment_edit_with_bad_input_names_the_field_and_saves_nothing(world, client_for):
    from lianxi.audit.models import AuditEntry

    secondment = _secondment(world)
    other = Person.objects.create(name="示例另一干部", unit=world.unit_a)
    services.add_secondment(world.secretariat, batch=secondment.batch, person=other, home_unit=world.unit_a,
                            host_unit=world.street_unit, host_post="岗位", kind="training",
                            start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 1))
    client = client_for(world.secretariat)
    url = f"/visits/secondment/{secondment.pk}/edit/"
    base = {"person": secondment.person_id, "home_unit": world.unit_a.pk, "host_unit": world.street_unit.pk,
            "host_post": "党建办副主任", "kind": "attachment", "start": "2025-03-01", "end": "2025-09-01"}
    before = AuditEntry.objects.count()
    for bad, message in (({"end": "2025-02-01"}, "截止日期必须晚于起始日期"),
                         ({"host_unit": world.unit_a.pk}, "派出单位与接收单位不能相同"),
                         ({"person": other.pk}, "已有双向交流安排"),
                         ({"start": "2025-13-01"}, "有效的日期"),
                         ({"kind": "holiday"}, "不在可用的选项中")):
        response = client.post(url, {**base, **bad})
        assert response.status_code == 400, bad
        assert message in response.content.decode(), bad
    secondment.refresh_from_db()
    assert (secondment.person_id, secondment.end, secondment.host_unit_id) == (
        base["person"], datetime.date(2025, 9, 1), world.street_unit.pk)
    assert AuditEntry.objects.count() == before


def test_visitor_and_unit_days_are_typed_with_suggestions_not_listed(world, plan, client_for):
    from lianxi.visits.models import UnitUnavailability, Visitor

    person = Person.objects.create(name="示例副召集人", unit=world.unit_b)
    client = client_for(world.secretariat)
    page = client.get(f"/visits/plans/{plan.pk}/").content.decode()
    assert "<option" not in page.split('id="id_person"')[1].split("</div>")[0]  # a text box, not a select
    response = client.post(f"/visits/plans/{plan.pk}/visitors/", {
        "person": f"示例副召集人（{world.unit_b.name}）", "role": "deputy_convener", "capacity": 4}, follow=True)
    assert "已添加走访人" in response.content.decode()
    assert Visitor.objects.get(plan=plan, person=person).capacity == 4
    response = client.post(f"/visits/plans/{plan.pk}/visitors/", {
        "person": "不存在的人", "role": "deputy_convener", "capacity": 4}, follow=True)
    assert "未找到“不存在的人”" in response.content.decode()
    assert Visitor.objects.filter(plan=plan).count() == 2
    client.post(f"/visits/plans/{plan.pk}/unavailable/", {"unit": world.unit_a.name, "dates": "2025-02-03"})
    assert UnitUnavailability.objects.get(plan=plan, unit=world.unit_a).dates == ["2025-02-03"]
