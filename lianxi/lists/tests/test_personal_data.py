"""Personal contact data (PIPL, 等保): in full only to those whose work needs it, masked for other
insiders, absent for the public; every view of full data leaves one audit row per page view."""

import pytest

from lianxi.audit.models import AuditEntry
from lianxi.audit.services import VIEW_PERSONAL_DATA
from lianxi.lib.privacy import mask_email, mask_phone
from lianxi.lists import services
from lianxi.lists.tests.helpers import make_need, make_resource
from lianxi.registry.services import create_person

pytestmark = pytest.mark.django_db
API = "/api/v1"
PHONE, MASKED = "13812345678", "138****5678"


def views():
    return list(AuditEntry.objects.filter(action=VIEW_PERSONAL_DATA).order_by("id"))


def test_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-6328 0000") == "021****0000"
    assert mask_phone("000-1") == "**01"
    assert mask_email("abc@x.cn") == "a***@x.cn"
    assert (mask_phone(""), mask_email("")) == ("", "")


def test_need_contact_phone_by_role(world, client_for):
    need = make_need(world, contact_name="示例联系人", contact_phone=PHONE)
    expected = {
        "street": PHONE,        # the owner unit
        "secretariat": PHONE,   # runs the need's conference
        "admin": PHONE,
        "liaison": MASKED,      # an insider with no part in it
        "reviewer": MASKED,
    }
    for persona, phone in expected.items():
        client = client_for(getattr(world, persona))
        assert client.get(f"{API}/needs/{need.pk}").json()["contact_phone"] == phone, persona
        html = client.get(f"/lists/needs/{need.pk}/").content.decode()
        assert phone in html, persona
        if phone == MASKED:
            assert PHONE not in html, persona
    assert client_for(None).get(f"{API}/needs/{need.pk}").json()["contact_phone"] is None
    assert PHONE not in client_for(None).get(f"/lists/needs/{need.pk}/").content.decode()


def test_a_claimant_sees_the_need_contact_in_full(world, client_for):
    need = make_need(world, contact_phone=PHONE)
    assert client_for(world.liaison).get(f"{API}/needs/{need.pk}").json()["contact_phone"] == MASKED
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    assert client_for(world.liaison).get(f"{API}/needs/{need.pk}").json()["contact_phone"] == PHONE
    assert client_for(world.liaison_b).get(f"{API}/needs/{need.pk}").json()["contact_phone"] == MASKED


def test_full_views_are_audited_once_per_view_and_masked_views_not(world, client_for):
    need = make_need(world, contact_phone=PHONE)
    client_for(world.liaison).get(f"/lists/needs/{need.pk}/")
    assert views() == []
    client_for(world.secretariat).get(f"/lists/needs/{need.pk}/")
    client_for(world.secretariat).get(f"{API}/needs/{need.pk}")
    rows = views()
    assert [(r.actor, r.target_id, r.changes) for r in rows] == [
        (world.secretariat, str(need.pk), {"records": [need.pk], "fields": ["contact_phone"]})] * 2
    assert rows[0].target_repr.startswith("查看个人信息")
    # The need's own change history is not cluttered by views.
    page = client_for(world.secretariat).get(f"/lists/needs/{need.pk}/").content.decode()
    assert VIEW_PERSONAL_DATA not in page


def test_resource_list_masks_per_row_and_audits_one_row_per_page(world, client_for, count_queries):
    mine = [make_resource(world, title=f"示例资源{i}", contact_phone=PHONE) for i in range(3)]  # unit A's
    theirs = make_resource(world, unit=world.unit_b, actor=world.liaison_b, contact_phone="13900001111")
    html = client_for(world.liaison).get("/lists/resources/").content.decode()
    assert html.count(PHONE) == 3 and "139****1111" in html and "13900001111" not in html
    [row] = views()
    assert sorted(row.changes["records"]) == sorted(r.pk for r in mine)
    assert theirs.pk not in row.changes["records"]
    # The number of queries does not grow with the rows shown.
    client = client_for(world.liaison)
    with count_queries() as few:
        client.get("/lists/resources/")
    for i in range(5):
        make_resource(world, title=f"更多{i}", unit=world.unit_b, actor=world.liaison_b, contact_phone=PHONE)
    with count_queries() as more:
        client.get("/lists/resources/")
    assert len(more.captured_queries) == len(few.captured_queries)


def test_resource_contact_for_the_owner_of_a_need_it_fills(world, client_for):
    resource = make_resource(world, contact_phone=PHONE)
    need = make_need(world)
    assert client_for(world.street).get(f"{API}/resources/{resource.pk}").json()["contact_phone"] == MASKED
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, resource=resource)
    assert client_for(world.street).get(f"{API}/resources/{resource.pk}").json()["contact_phone"] == PHONE


def test_person_contact_by_role(world, client_for):
    person = create_person(None, name="示例人员丙", unit=world.unit_a, phone=PHONE, email="bing@example.cn")
    full = {"phone": PHONE, "email": "bing@example.cn"}
    masked = {"phone": MASKED, "email": "b***@example.cn"}
    expected = {"liaison": full, "secretariat": full, "admin": full, "liaison_b": masked, "street": masked,
                "reviewer": masked}
    for persona, want in expected.items():
        client = client_for(getattr(world, persona))
        body = client.get(f"{API}/people/{person.pk}").json()
        assert {"phone": body["phone"], "email": body["email"]} == want, persona
        html = client.get(f"/people/{person.pk}/").content.decode()
        assert want["phone"] in html and want["email"] in html, persona
        if want is masked:
            assert PHONE not in html and "bing@example.cn" not in html
    assert [r.actor.username for r in views()] == ["liaison", "liaison", "secretariat", "secretariat", "admin", "admin"]


def test_released_list_snapshot_masks_contacts_for_readers_who_do_not_run_it(world, client_for):
    import io

    import openpyxl
    from django.utils import timezone

    from lianxi.meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(conference=world.district, title="示例全体会议", date=timezone.localdate())
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.RELEASE, title="发布清单")
    make_need(world, contact_phone=PHONE)
    location = client_for(world.secretariat).post("/lists/snapshots/freeze/", {"agenda_item": item.pk})["Location"]
    snapshot_id = int(location.rstrip("/").split("/")[-1])

    def cells(persona):
        response = client_for(getattr(world, persona)).get(f"/lists/snapshots/{snapshot_id}/xlsx/")
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}

    assert PHONE in client_for(world.secretariat).get(location).content.decode()
    assert PHONE in cells("secretariat")
    reviewer_page = client_for(world.reviewer).get(location).content.decode()
    assert PHONE not in reviewer_page and MASKED in reviewer_page
    assert PHONE not in cells("reviewer") and MASKED in cells("reviewer")
    assert [r.actor for r in views()] == [world.secretariat, world.secretariat]
