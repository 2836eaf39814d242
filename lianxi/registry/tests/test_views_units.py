"""Units: the searchable list, a unit's page, its forms and its memberships, through HTTP."""

import datetime

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.registry.models import Appointment, Membership, Unit
from lianxi.registry.services import admit_unit, appoint, create_unit
from lianxi.registry.tests.helpers import DAY, member_units, people, plenary, projects

pytestmark = pytest.mark.django_db

LIST = "registry:unit_list"


def unit_url(unit, name="registry:unit_detail"):
    return reverse(name, args=[unit.pk])


def names_in(response) -> list[str]:
    return [u.name for u in response.context["page"].object_list]


def unit_post(unit, **overrides):
    data = {
        "name": unit.name, "party_org_name": unit.party_org_name, "party_org_level": unit.party_org_level,
        "category": unit.category, "area": unit.area_id or "", "address": unit.address, "phone": unit.phone,
        "description": unit.description,
    }
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------------

def test_anonymous_sees_only_units_of_public_conferences(world, client_for):
    response = client_for(None).get(reverse(LIST))
    assert response.status_code == 200
    assert names_in(response) == ["示例单位A", "示例单位B", "示例街道"]
    assert "新建单位" not in response.content.decode()
    assert "示例单位Z" in names_in(client_for(world.liaison).get(reverse(LIST)))


def test_outsider_sees_the_public_list_read_only(world, client_for):
    response = client_for(world.outsider).get(reverse(LIST))
    assert names_in(response) == ["示例单位A", "示例单位B", "示例街道"]
    assert "新建单位" not in response.content.decode()


def test_search_by_pinyin_initials_and_traditional_characters(world, client_for):
    unit = create_unit(None, name="黄浦测试单位", category=Unit.Category.ORGAN)
    admit_unit(None, unit=unit, conference=world.district, start=DAY)
    client = client_for(None)
    assert names_in(client.get(reverse(LIST), {"q": "hpcs"})) == ["黄浦测试单位"]
    assert names_in(client.get(reverse(LIST), {"q": "HPCSDW"})) == ["黄浦测试单位"]
    assert names_in(client.get(reverse(LIST), {"q": "黃浦測試"})) == ["黄浦测试单位"]
    assert names_in(client.get(reverse(LIST), {"q": "单位A党委"})) == ["示例单位A"]
    assert names_in(client.get(reverse(LIST), {"q": "sldw"})) == ["示例单位A", "示例单位B"]


def test_filters_by_category_conference_area_and_party_organisation(world, client_for):
    admit_unit(None, unit=world.unit_b, conference=world.sub, start=DAY)
    client = client_for(world.admin)
    assert names_in(client.get(reverse(LIST), {"category": "street"})) == ["示例街道"]
    assert names_in(client.get(reverse(LIST), {"conference": world.sub.pk})) == ["示例单位B"]
    assert names_in(client.get(reverse(LIST), {"area": world.street_area.pk})) == ["示例单位A", "示例单位B", "示例街道"]
    assert names_in(client.get(reverse(LIST), {"party": "no"})) == ["示例单位Z"]
    assert names_in(client.get(reverse(LIST), {"party": "yes", "category": "new_economic"})) == ["示例单位B"]


def test_list_shows_current_conferences_and_htmx_gets_the_partial(world, client_for):
    admit_unit(None, unit=world.unit_b, conference=world.sub, start=DAY)
    membership = Membership.objects.get(unit=world.unit_a, conference=world.district)
    membership.end = DAY
    membership.save()
    client = client_for(None)
    response = client.get(reverse(LIST), {"q": "sldw"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]
    rows = {u.name: [m.conference.display_name for m in u.current_memberships] for u in response.context["page"]}
    assert rows == {"示例单位A": [], "示例单位B": ["示例区", "示例片区"]}


def test_list_query_count_does_not_grow_with_rows(world, client_for, count_queries):
    client = client_for(world.secretariat)
    with count_queries() as few:
        assert len(names_in(client.get(reverse(LIST)))) == 4
    for unit in member_units(world.district, 30):
        admit_unit(None, unit=unit, conference=world.sub, start=DAY)
    with count_queries() as many:
        assert len(names_in(client.get(reverse(LIST)))) == 34
    assert len(many.captured_queries) == len(few.captured_queries)


def test_list_is_paginated_in_sql(world, client_for):
    member_units(world.district, 60)
    response = client_for(None).get(reverse(LIST), {"page": 2, "q": "sl"})
    assert response.context["page"].paginator.count == 63
    assert len(response.context["page"].object_list) == 13
    assert "?q=sl&page=1" in response.content.decode()


# --- a unit's page --------------------------------------------------------------------------------

def test_unit_page_for_anonymous_shows_memberships_and_projects_but_no_people(world, client_for):
    meeting = plenary(world.district)
    admit_unit(None, unit=world.unit_a, conference=world.sub, start=DAY, admitted_at=meeting, plaque_awarded_on=DAY)
    person = people(world.unit_a, 1)[0]
    appoint(None, conference=world.district, role=Appointment.Role.CONVENER, person=person, unit=world.unit_a,
            start=DAY)
    projects(world.district, 1, lead=world.unit_a)
    page = client_for(None).get(unit_url(world.unit_a)).content.decode()
    assert "示例片区" in page and "2024-06-24" in page and "第十次全体会议" in page
    assert "示例项目000" in page and "牵头" in page
    assert person.name not in page
    assert "变更记录" not in page
    assert unit_url(world.unit_a, "registry:unit_edit") not in page


def test_unit_page_for_insider_shows_posts_people_and_history(world, client_for):
    person = people(world.unit_a, 1)[0]
    appoint(None, conference=world.district, role=Appointment.Role.CONVENER, person=person, unit=world.unit_a,
            attested_on=DAY)
    page = client_for(world.reviewer).get(unit_url(world.unit_a)).content.decode()
    assert person.name in page
    assert "起始未知，见于2024-06-24资料" in page
    assert "变更记录" in page and "新建单位" in page and "registry.unit.create" not in page
    assert unit_url(world.unit_a, "registry:unit_edit") not in page  # reviewer is read-only


def test_unit_outside_every_public_conference_is_404_for_anonymous_and_outsider(world, client_for):
    assert client_for(None).get(unit_url(world.outside_unit)).status_code == 404
    assert client_for(world.outsider).get(unit_url(world.outside_unit)).status_code == 404
    assert client_for(world.liaison).get(unit_url(world.outside_unit)).status_code == 200


# --- editing --------------------------------------------------------------------------------------

def test_liaison_edits_own_unit_and_an_audit_row_is_written(world, client_for):
    client = client_for(world.liaison)
    assert "编辑" in client.get(unit_url(world.unit_a)).content.decode()
    response = client.post(unit_url(world.unit_a, "registry:unit_edit"),
                           unit_post(world.unit_a, phone="021-00000000", address="示例路1号"))
    assert response.status_code == 302 and response["Location"] == unit_url(world.unit_a)
    entry = AuditEntry.objects.for_object(world.unit_a).first()
    assert (entry.action, entry.actor) == ("registry.unit.update", world.liaison)
    assert entry.changes == {"address": ["", "示例路1号"], "phone": ["", "021-00000000"]}


def test_liaison_cannot_edit_another_unit(world, client_for):
    client = client_for(world.liaison)
    url = unit_url(world.unit_b, "registry:unit_edit")
    assert client.get(url).status_code == 403
    assert client.post(url, unit_post(world.unit_b, name="示例单位B改")).status_code == 403
    world.unit_b.refresh_from_db()
    assert world.unit_b.name == "示例单位B"
    assert "编辑" not in client.get(unit_url(world.unit_b)).content.decode()


def test_edit_read_only_and_outsiders(world, client_for):
    url = unit_url(world.unit_b, "registry:unit_edit")
    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 403
    assert client_for(world.outsider).get(unit_url(world.outside_unit, "registry:unit_edit")).status_code == 404
    assert client_for(None).get(url).status_code == 302
    # The district secretariat manages only units that are current members of its conference.
    assert client_for(world.secretariat).get(url).status_code == 200
    assert client_for(world.secretariat).get(unit_url(world.outside_unit, "registry:unit_edit")).status_code == 403


def test_bad_unit_input_names_the_field_and_saves_nothing(world, client_for):
    before = AuditEntry.objects.count()
    client = client_for(world.liaison)
    url = unit_url(world.unit_a, "registry:unit_edit")
    response = client.post(url, unit_post(world.unit_a, name="示例单位B", phone="021"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["已有同名单位。"]}
    response = client.post(url, unit_post(world.unit_a, category="nonsense"))
    assert list(response.context["form"].errors) == ["category"]
    world.unit_a.refresh_from_db()
    assert (world.unit_a.name, world.unit_a.phone) == ("示例单位A", "")
    assert AuditEntry.objects.count() == before


def test_secretariat_creates_a_unit_and_admits_it_in_one_step(world, client_for):
    client = client_for(world.secretariat)
    response = client.post(reverse("registry:unit_create"), {
        "name": "示例新单位", "category": "enterprise", "party_org_level": "branch", "party_org_name": "示例新单位党支部",
        "conference": world.district.pk, "start": "2024-06-24",
    })
    unit = Unit.objects.get(name="示例新单位")
    assert response["Location"] == unit_url(unit)
    membership = unit.memberships.get()
    assert (membership.conference, membership.start) == (world.district, DAY)
    actions = sorted(AuditEntry.objects.filter(actor=world.secretariat).values_list("action", flat=True))
    assert actions == ["registry.membership.create", "registry.unit.create"]


def test_unit_create_needs_a_managed_conference_and_saves_nothing_on_error(world, client_for):
    client = client_for(world.secretariat)
    response = client.post(reverse("registry:unit_create"), {"name": "示例新单位", "category": "enterprise",
                                                             "party_org_level": "branch", "conference": world.sub.pk})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["conference"]
    response = client.post(reverse("registry:unit_create"), {"name": "示例单位A", "category": "enterprise",
                                                             "party_org_level": "branch",
                                                             "conference": world.district.pk})
    assert response.context["form"].errors == {"name": ["已有同名单位。"]}
    assert not Unit.objects.filter(name="示例新单位").exists()
    assert client_for(world.liaison).get(reverse("registry:unit_create")).status_code == 403
    assert client_for(None).get(reverse("registry:unit_create")).status_code == 302


# --- memberships ----------------------------------------------------------------------------------

def test_admin_admits_a_unit_at_a_meeting(world, client_for):
    meeting = plenary(world.sub, 1)
    response = client_for(world.admin).post(unit_url(world.outside_unit, "registry:membership_add"), {
        "conference": world.sub.pk, "start": "2024-06-24", "admitted_at": meeting.pk, "plaque_awarded_on": "2024-06-24",
    })
    assert response.status_code == 302
    membership = Membership.objects.get(unit=world.outside_unit)
    assert (membership.conference, membership.admitted_at, membership.plaque_awarded_on) == (world.sub, meeting, DAY)
    entry = AuditEntry.objects.for_object(membership).get()
    assert (entry.action, entry.actor) == ("registry.membership.create", world.admin)


def test_admission_errors_name_the_field(world, client_for):
    other_meeting = plenary(world.district)
    client = client_for(world.admin)
    url = unit_url(world.unit_a, "registry:membership_add")
    response = client.post(url, {"conference": world.district.pk, "start": "2024-06-24"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"conference": ["示例单位A已是示例区的成员单位。"]}
    response = client.post(url, {"conference": world.sub.pk, "admitted_at": other_meeting.pk})
    assert response.context["form"].errors == {"admitted_at": ["所选会议不是该联席会议的会议。"]}
    assert Membership.objects.filter(unit=world.unit_a).count() == 1


def test_membership_forms_are_for_conference_managers_only(world, client_for):
    membership = Membership.objects.get(unit=world.unit_a)
    for user in (world.liaison, world.reviewer, world.outsider):
        client = client_for(user)
        assert client.get(unit_url(world.unit_a, "registry:membership_add")).status_code == 403
        assert client.post(reverse("registry:membership_end", args=[membership.pk]),
                           {"end": "2024-06-24"}).status_code == 403
    assert client_for(None).get(unit_url(world.unit_a, "registry:membership_add")).status_code == 302
    assert client_for(None).post(reverse("registry:membership_end", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.end is None


def test_secretariat_ends_a_membership(world, client_for):
    membership = Membership.objects.get(unit=world.unit_b)
    url = reverse("registry:membership_end", args=[membership.pk])
    client = client_for(world.secretariat)
    response = client.post(url, {"end": "2019-01-01"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["退出日期必须晚于加入日期。"]
    response = client.post(url, {"end": "2024-06-24", "note": "示例退出"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.end, membership.note) == (DAY, "示例退出")
    entry = AuditEntry.objects.for_object(membership).first()
    assert (entry.action, entry.changes) == ("registry.membership.end",
                                             {"end": [None, "2024-06-24"], "note": ["", "示例退出"]})
    assert client.post(url, {"end": "2024-07-01"}).context["form"].errors == {"end": ["该成员资格已经结束。"]}


def test_unit_suggest_lists_visible_units_only(world, client_for):
    url = reverse("registry:unit_suggest")
    page = client_for(None).get(url, {"field": "lead_unit", "lead_unit": "sldw"}).content.decode()
    assert page == '<option value="示例单位A"></option><option value="示例单位B"></option>\n'
    page = client_for(world.admin).get(url, {"q": "示例单位Z"}).content.decode()
    assert page == '<option value="示例单位Z"></option>\n'


def test_membership_start_in_future_shows_as_not_started(world, client_for):
    later = datetime.date.today() + datetime.timedelta(days=30)
    admit_unit(None, unit=world.unit_a, conference=world.sub, start=later)
    page = client_for(None).get(unit_url(world.unit_a)).content.decode()
    assert "尚未开始" in page
