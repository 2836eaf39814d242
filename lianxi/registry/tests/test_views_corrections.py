"""Corrections to the registry through HTTP: editing and deleting committees, recording a plaque
date after admission, deleting a person entered by mistake (refused, with the reason, while posts
or agenda roles name them). Each with its gate, its audit row and its outsider/read-only tests."""

import datetime

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.lib.services import create_object
from lianxi.meetings.models import AgendaParticipant
from lianxi.registry.models import Appointment, Committee, Membership, Person
from lianxi.registry.services import (
    appoint,
    create_committee,
    create_conference,
    end_appointment,
    end_membership,
)
from lianxi.registry.tests.helpers import DAY, agenda, people, plenary

pytestmark = pytest.mark.django_db


def url(name, obj):
    return reverse(f"registry:{name}", args=[obj.pk])


def audit_rows(model_name: str, pk: int, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(target_type__model=model_name, target_id=str(pk), action=action)
                .order_by("id"))


@pytest.fixture
def committee(world):
    return create_committee(None, conference=world.district, name="基层党建", description="示例职责")


# --- committees -----------------------------------------------------------------------------------

def test_secretariat_edits_a_committee(world, client_for, committee):
    response = client_for(world.secretariat).post(url("committee_edit", committee),
                                                  {"name": "基层党建专委会", "description": "示例职责（修订）"})
    assert response.status_code == 302
    assert response["Location"] == url("conference_detail", world.district)
    committee.refresh_from_db()
    assert (committee.name, committee.description) == ("基层党建专委会", "示例职责（修订）")
    [entry] = audit_rows("committee", committee.pk, "registry.committee.update")
    assert entry.actor == world.secretariat
    assert entry.changes == {"name": ["基层党建", "基层党建专委会"], "description": ["示例职责", "示例职责（修订）"]}


def test_committee_edit_keeps_names_unique(world, client_for, committee):
    create_committee(None, conference=world.district, name="经济发展")
    response = client_for(world.secretariat).post(url("committee_edit", committee), {"name": "经济发展"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["该联席会议已有同名专委会。"]
    committee.refresh_from_db()
    assert committee.name == "基层党建"
    assert audit_rows("committee", committee.pk, "registry.committee.update") == []


def test_secretariat_deletes_a_committee(world, client_for, committee):
    client = client_for(world.secretariat)
    page = client.get(url("committee_delete", committee))
    assert page.status_code == 200
    assert "确认删除" in page.content.decode()
    pk = committee.pk
    response = client.post(url("committee_delete", committee))
    assert response.status_code == 302
    assert response["Location"] == url("conference_detail", world.district)
    assert not Committee.objects.filter(pk=pk).exists()
    [entry] = audit_rows("committee", pk, "registry.committee.delete")
    assert (entry.actor, entry.target_repr) == (world.secretariat, "示例区 · 基层党建")
    assert entry.changes == {"conference": ["示例区区域化党建联席会议", None], "name": ["基层党建", None],
                             "description": ["示例职责", None]}


def test_conference_page_links_to_committee_edits_for_managers_only(world, client_for, committee):
    edit = url("committee_edit", committee)
    assert edit in client_for(world.secretariat).get(url("conference_detail", world.district)).content.decode()
    for user in (world.reviewer, world.liaison, world.outsider, None):
        assert edit not in client_for(user).get(url("conference_detail", world.district)).content.decode()


@pytest.mark.parametrize("name", ["committee_edit", "committee_delete"])
def test_committee_changes_refused(world, client_for, committee, name):
    from lianxi.accounts.models import Grant
    from lianxi.testing import grant, make_user

    path = url(name, committee)
    response = client_for(None).get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in (world.outsider, world.reviewer, world.liaison, world.street):  # a public conference: read-only
        assert client_for(user).get(path).status_code == 403
        assert client_for(user).post(path, {"name": "改名"}).status_code == 403
    sub_secretariat = make_user("sub_secretariat")
    grant(sub_secretariat, Grant.Role.SECRETARIAT, conference=world.sub)
    assert client_for(sub_secretariat).post(path, {"name": "改名"}).status_code == 403
    committee.refresh_from_db()
    assert committee.name == "基层党建"
    assert AuditEntry.objects.filter(action__startswith="registry.committee.", target_id=str(committee.pk)).count() == 1


def test_committee_of_a_private_conference_is_404_for_outsiders(world, client_for):
    private = create_conference(None, name="示例内部联席会议", kind="theme", parent=world.district, is_public=False)
    hidden = create_committee(None, conference=private, name="示例专委会")
    assert client_for(world.outsider).get(url("committee_edit", hidden)).status_code == 404
    assert client_for(world.outsider).post(url("committee_delete", hidden)).status_code == 404
    assert client_for(world.admin).get(url("committee_edit", hidden)).status_code == 200


# --- plaque date ----------------------------------------------------------------------------------

@pytest.fixture
def membership(world):
    return Membership.objects.get(unit=world.unit_a, conference=world.district)


def test_secretariat_records_and_corrects_the_plaque_date(world, client_for, membership):
    client = client_for(world.secretariat)
    path = url("membership_plaque", membership)
    assert client.get(path).status_code == 200
    response = client.post(path, {"plaque_awarded_on": "2024-06-24"})
    assert response.status_code == 302
    assert response["Location"] == url("unit_detail", world.unit_a)
    client.post(path, {"plaque_awarded_on": "2024-06-25"})
    membership.refresh_from_db()
    assert membership.plaque_awarded_on == datetime.date(2024, 6, 25)
    entries = audit_rows("membership", membership.pk, "registry.membership.plaque")
    assert [e.changes for e in entries] == [{"plaque_awarded_on": [None, "2024-06-24"]},
                                            {"plaque_awarded_on": ["2024-06-24", "2024-06-25"]}]
    assert client.get(path).context["form"].initial == {"plaque_awarded_on": datetime.date(2024, 6, 25)}
    client.post(path, {"plaque_awarded_on": ""})
    membership.refresh_from_db()
    assert membership.plaque_awarded_on is None


def test_plaque_date_lies_within_the_membership(world, client_for, membership):
    client = client_for(world.admin)
    response = client.post(url("membership_plaque", membership), {"plaque_awarded_on": "2019-12-31"})
    assert response.status_code == 400
    assert response.context["form"].errors["plaque_awarded_on"] == ["授牌日期不能早于加入日期（2020-01-01）。"]
    end_membership(None, membership, end=datetime.date(2023, 1, 1))
    response = client.post(url("membership_plaque", membership), {"plaque_awarded_on": "2023-01-01"})
    assert response.context["form"].errors["plaque_awarded_on"] == ["授牌日期须早于退出日期（2023-01-01）。"]
    membership.refresh_from_db()
    assert membership.plaque_awarded_on is None
    assert audit_rows("membership", membership.pk, "registry.membership.plaque") == []
    # An ended membership's plaque can still be recorded.
    assert client.post(url("membership_plaque", membership), {"plaque_awarded_on": "2022-05-01"}).status_code == 302


def test_unit_page_links_to_the_plaque_date_for_managers_only(world, client_for, membership):
    path = url("membership_plaque", membership)
    assert path in client_for(world.secretariat).get(url("unit_detail", world.unit_a)).content.decode()
    for user in (world.liaison, world.reviewer, world.outsider, None):
        assert path not in client_for(user).get(url("unit_detail", world.unit_a)).content.decode()


def test_plaque_date_refused(world, client_for, membership):
    path = url("membership_plaque", membership)
    assert client_for(None).get(path).status_code == 302
    for user in (world.outsider, world.reviewer, world.liaison):  # visible, not theirs to change
        assert client_for(user).get(path).status_code == 403
        assert client_for(user).post(path, {"plaque_awarded_on": "2024-06-24"}).status_code == 403
    membership.refresh_from_db()
    assert membership.plaque_awarded_on is None


# --- deleting a person ----------------------------------------------------------------------------

def test_liaison_deletes_a_person_entered_by_mistake(world, client_for):
    person = people(world.unit_a, 1)[0]
    client = client_for(world.liaison)
    page = client.get(url("person_delete", person))
    assert page.status_code == 200
    assert "确认删除" in page.content.decode()
    response = client.post(url("person_delete", person))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_list")
    assert not Person.objects.filter(pk=person.pk).exists()
    [entry] = audit_rows("person", person.pk, "registry.person.delete")
    assert entry.actor == world.liaison
    assert entry.changes == {"name": ["示例人员000", None], "unit": ["示例单位A", None], "title": ["示例职务", None]}


def test_a_person_who_held_a_post_is_not_deleted_and_the_page_says_why(world, client_for):
    person = people(world.unit_a, 1)[0]
    post = appoint(None, conference=world.district, role=Appointment.Role.LIAISON, person=person, unit=world.unit_a,
                   start=DAY)
    end_appointment(None, post, end=datetime.date(2025, 1, 1))
    client = client_for(world.secretariat)
    page = client.get(url("person_delete", person))
    html = page.content.decode()
    assert page.status_code == 200
    reason = "示例人员000有 1 条任职记录（含已结束的任职）。任职记录是联席会议的历史，须保留所任之人，因此不能删除该人员；如信息有误，请改为编辑。"
    assert page.context["reasons"] == [reason]
    assert "确认删除" not in html
    response = client.post(url("person_delete", person))
    assert response.status_code == 400
    assert response.context["reasons"] == [reason]
    assert Person.objects.filter(pk=person.pk).exists()
    assert audit_rows("person", person.pk, "registry.person.delete") == []


def test_a_person_on_an_agenda_is_not_deleted(world, client_for):
    person = people(world.unit_a, 1)[0]
    item = agenda(plenary(world.district), "speech", "讲话")
    create_object(None, AgendaParticipant, "test.participant", item=item, person=person, role="speaker")
    response = client_for(world.admin).post(url("person_delete", person))
    assert response.status_code == 400
    assert response.context["reasons"] == [
        "示例人员000见于 1 项会议议程（讲话、主持等）。会议记录须保留所载之人，因此不能删除该人员；如信息有误，请改为编辑。"]
    assert Person.objects.filter(pk=person.pk).exists()


def test_person_page_links_to_delete_for_writers_only(world, client_for):
    person = people(world.unit_a, 1)[0]
    path = url("person_delete", person)
    assert path in client_for(world.liaison).get(url("person_detail", person)).content.decode()
    for user in (world.reviewer, world.liaison_b):
        assert path not in client_for(user).get(url("person_detail", person)).content.decode()


def test_person_delete_refused(world, client_for):
    person = people(world.unit_a, 1)[0]
    path = url("person_delete", person)
    response = client_for(None).post(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client_for(world.outsider).get(path).status_code == 404  # people are internal records
    assert client_for(world.outsider).post(path).status_code == 404
    for user in (world.reviewer, world.liaison_b, world.street):
        assert client_for(user).get(path).status_code == 403
        assert client_for(user).post(path).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()
    assert audit_rows("person", person.pk, "registry.person.delete") == []
