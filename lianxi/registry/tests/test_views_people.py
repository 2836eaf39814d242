"""People, posts and the rotation roster: insiders only, through HTTP with named personas."""

import datetime

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.lib.services import create_object
from lianxi.meetings.models import AgendaParticipant
from lianxi.registry.models import Appointment, Person
from lianxi.registry.services import appoint, create_person
from lianxi.registry.tests.helpers import DAY, agenda, member_units, people, plenary, rotating_terms

pytestmark = pytest.mark.django_db

ROTATING = Appointment.Role.ROTATING_CONVENER


def person_url(person, name="registry:person_detail"):
    return reverse(name, args=[person.pk])


def names_in(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


# --- who may see people ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["person_list", "person_create"])
def test_people_pages_send_anonymous_to_login_and_hide_from_outsiders(world, client_for, name):
    url = reverse(f"registry:{name}")
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}"
    assert client_for(world.outsider).get(url).status_code == 404


def test_person_pages_send_anonymous_to_login_and_hide_from_outsiders(world, client_for):
    person = people(world.unit_a, 1)[0]
    for url in (person_url(person), person_url(person, "registry:person_edit")):
        assert client_for(None).get(url).status_code == 302
        assert client_for(world.outsider).get(url).status_code == 404


def test_person_list_search_by_initials_and_traditional(world, client_for):
    create_person(None, name="张示例", unit=world.unit_a)
    create_person(None, name="王測試", unit=world.unit_b)
    client = client_for(world.liaison)
    assert names_in(client.get(reverse("registry:person_list"), {"q": "zsl"})) == ["张示例"]
    assert names_in(client.get(reverse("registry:person_list"), {"q": "張示例"})) == ["张示例"]
    assert names_in(client.get(reverse("registry:person_list"), {"q": "王测试"})) == ["王測試"]


def test_person_list_filters_by_current_post(world, client_for):
    convener, other = people(world.unit_a, 2)
    appoint(None, conference=world.district, role=Appointment.Role.CONVENER, person=convener, unit=world.unit_a,
            start=DAY)
    response = client_for(world.reviewer).get(reverse("registry:person_list"),
                                              {"role": "convener", "conference": world.district.pk})
    assert names_in(response) == [convener.name]
    assert [str(a.get_role_display()) for a in response.context["page"].object_list[0].current_posts] == ["召集人"]


def test_person_list_query_count_does_not_grow(world, client_for, count_queries):
    client = client_for(world.secretariat)
    url = reverse("registry:person_list")
    for person in people(world.unit_a, 3):
        appoint(None, conference=world.district, role=Appointment.Role.LIAISON, person=person, unit=world.unit_a,
                start=DAY)
    with count_queries() as few:
        assert len(names_in(client.get(url))) == 3
    for person in people(world.unit_b, 30, prefix="示例乙"):
        appoint(None, conference=world.district, role=Appointment.Role.LIAISON, person=person, unit=world.unit_b,
                start=DAY)
    with count_queries() as many:
        assert len(names_in(client.get(url))) == 33
    assert len(many.captured_queries) == len(few.captured_queries)


def test_person_page_shows_posts_and_agenda_roles_read_only_for_reviewer(world, client_for):
    person = people(world.unit_a, 1)[0]
    meeting = plenary(world.district)
    item = agenda(meeting, "speech", "讲话")
    create_object(None, AgendaParticipant, "test.participant", item=item, person=person, role="speaker",
                  title="示例职务（当日）")
    appoint(None, conference=world.district, role=Appointment.Role.CONVENER, person=person, unit=world.unit_a,
            attested_on=DAY)
    page = client_for(world.reviewer).get(person_url(person)).content.decode()
    assert "召集人" in page and "起始未知，见于2024-06-24资料" in page
    assert meeting.title in page and "示例职务（当日）" in page
    assert person_url(person, "registry:person_edit") not in page


# --- editing people -------------------------------------------------------------------------------

def test_liaison_edits_a_person_of_own_unit_and_the_audit_row_is_written(world, client_for):
    person = people(world.unit_a, 1)[0]
    client = client_for(world.liaison)
    assert person_url(person, "registry:person_edit") in client.get(person_url(person)).content.decode()
    response = client.post(person_url(person, "registry:person_edit"),
                           {"name": person.name, "unit": "示例单位A", "title": "示例新职务", "phone": "", "email": ""})
    assert response.status_code == 302
    entry = AuditEntry.objects.for_object(person).first()
    assert (entry.action, entry.actor, entry.changes) == (
        "registry.person.update", world.liaison, {"title": ["示例职务", "示例新职务"]})


def test_liaison_cannot_edit_a_person_of_another_unit(world, client_for):
    person = people(world.unit_b, 1)[0]
    url = person_url(person, "registry:person_edit")
    assert client_for(world.liaison).get(url).status_code == 403
    assert client_for(world.liaison).post(url, {"name": "改名", "unit": "示例单位B"}).status_code == 403
    assert client_for(world.reviewer).get(url).status_code == 403
    person.refresh_from_db()
    assert person.name == "示例人员000"


def test_liaison_creates_people_only_for_own_unit(world, client_for):
    client = client_for(world.liaison)
    url = reverse("registry:person_create")
    response = client.post(url, {"name": "示例新人", "unit": "示例单位B"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"unit": ["只能登记本单位或所管理联席会议成员单位的人员。"]}
    response = client.post(url, {"name": "示例新人", "unit": "示例单位A", "email": "不是邮箱"})
    assert response.context["form"].errors == {"email": ["输入一个有效的 Email 地址。"]}
    response = client.post(url, {"name": "示例新人", "unit": "示例单位不存在"})
    assert response.context["form"].errors == {"unit": ["未找到“示例单位不存在”，请从提示中选择。"]}
    assert not Person.objects.filter(name="示例新人").exists()
    response = client.post(url, {"name": "示例新人", "unit": "示例单位A"})
    person = Person.objects.get(name="示例新人")
    assert response["Location"] == person_url(person)
    assert AuditEntry.objects.for_object(person).get().action == "registry.person.create"
    assert client_for(world.reviewer).get(url).status_code == 403


# --- posts ----------------------------------------------------------------------------------------

def posts_url(conference, name="registry:posts"):
    return reverse(name, args=[conference.pk])


def test_posts_page_is_for_insiders_and_read_only_for_reviewer(world, client_for):
    url = posts_url(world.district)
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.outsider).get(url).status_code == 404
    page = client_for(world.reviewer).get(url).content.decode()
    assert posts_url(world.district, "registry:appointment_add") not in page
    assert client_for(world.reviewer).get(posts_url(world.district, "registry:appointment_add")).status_code == 403
    assert client_for(world.liaison).get(posts_url(world.district, "registry:appointment_add")).status_code == 403
    assert client_for(world.outsider).get(posts_url(world.district, "registry:appointment_add")).status_code == 404


def test_posts_page_lists_current_and_past_by_role(world, client_for):
    first, second = people(world.unit_a, 2)
    old = appoint(None, conference=world.district, role=Appointment.Role.SECRETARY_GENERAL, person=first,
                  unit=world.unit_a, start=datetime.date(2020, 1, 1), end=datetime.date(2023, 1, 1))
    new = appoint(None, conference=world.district, role=Appointment.Role.SECRETARY_GENERAL, person=second,
                  unit=world.unit_a, start=datetime.date(2023, 1, 1))
    unit_post = appoint(None, conference=world.district, role=Appointment.Role.SECRETARIAT, unit=world.unit_b,
                        attested_on=DAY)
    response = client_for(world.secretariat).get(posts_url(world.district))
    assert list(response.context["page"].object_list) == [new, old, unit_post]
    page = response.content.decode()
    assert "历任" in page and "现任" in page
    assert reverse("registry:appointment_replace", args=[new.pk]) in page
    assert reverse("registry:appointment_end", args=[old.pk]) not in page  # already ended
    current = client_for(world.secretariat).get(posts_url(world.district), {"state": "past"})
    assert list(current.context["page"].object_list) == [old]


def test_secretariat_appoints_and_the_audit_row_is_written(world, client_for):
    person = people(world.unit_a, 1)[0]
    meeting = plenary(world.district)
    response = client_for(world.secretariat).post(posts_url(world.district, "registry:appointment_add"), {
        "role": "deputy_convener", "person": f"{person.name}（示例单位A） #{person.pk}", "unit": "示例单位A",
        "start": "2024-06-24", "appointed_at": meeting.pk,
    })
    assert response.status_code == 302 and response["Location"] == posts_url(world.district)
    post = Appointment.objects.get(person=person)
    assert (post.role, post.unit, post.start, post.appointed_at) == ("deputy_convener", world.unit_a, DAY, meeting)
    entry = AuditEntry.objects.for_object(post).get()
    assert (entry.action, entry.actor) == ("registry.appointment.create", world.secretariat)


def test_bad_appointment_names_the_field_and_saves_nothing(world, client_for):
    client = client_for(world.secretariat)
    url = posts_url(world.district, "registry:appointment_add")
    response = client.post(url, {"role": "secretariat"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"unit": ["秘书长单位、秘书处须指定单位。"]}
    response = client.post(url, {"role": "convener", "unit": "示例单位A"})
    assert response.context["form"].errors == {"person": ["该职务须指定人员。"]}
    person = people(world.unit_a, 1)[0]
    response = client.post(url, {"role": "convener", "person": f"#{person.pk}", "start": "2024-06-24",
                                 "end": "2024-01-01"})
    assert response.context["form"].non_field_errors() == ["任职结束日期必须晚于起始日期。"]
    assert not Appointment.objects.exists()


def test_end_and_replace_a_post(world, client_for):
    first, second = people(world.unit_a, 2)
    meeting = plenary(world.district)
    post = appoint(None, conference=world.district, role=ROTATING, person=first, unit=world.unit_a,
                   start=datetime.date(2023, 6, 1))
    client = client_for(world.secretariat)
    url = reverse("registry:appointment_replace", args=[post.pk])
    response = client.post(url, {"on": "2023-01-01", "person": f"#{second.pk}", "unit": "示例单位B"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"on": ["结束日期必须晚于起始日期。"]}
    response = client.post(url, {"on": "2024-06-24", "person": f"#{second.pk}", "unit": "示例单位B",
                                 "at_meeting": meeting.pk})
    assert response.status_code == 302
    post.refresh_from_db()
    successor = Appointment.objects.get(person=second)
    assert (post.end, post.ended_at) == (DAY, meeting)
    assert (successor.start, successor.unit, successor.appointed_at) == (DAY, world.unit_b, meeting)
    actions = sorted(AuditEntry.objects.filter(actor=world.secretariat).values_list("action", flat=True))
    assert actions == ["registry.appointment.create", "registry.appointment.end"]

    response = client.post(reverse("registry:appointment_end", args=[successor.pk]), {"end": "2025-06-24"})
    assert response.status_code == 302
    successor.refresh_from_db()
    assert successor.end == datetime.date(2025, 6, 24)
    assert client.post(reverse("registry:appointment_end", args=[successor.pk]),
                       {"end": "2025-07-01"}).context["form"].errors == {"end": ["该任职已经结束。"]}


def test_post_forms_are_forbidden_to_read_only_users(world, client_for):
    person = people(world.unit_a, 1)[0]
    post = appoint(None, conference=world.district, role=ROTATING, person=person, unit=world.unit_a, start=DAY)
    for name in ("registry:appointment_end", "registry:appointment_replace"):
        url = reverse(name, args=[post.pk])
        assert client_for(world.liaison).post(url, {"end": "2025-01-01", "on": "2025-01-01"}).status_code == 403
        assert client_for(world.outsider).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302
    post.refresh_from_db()
    assert post.end is None


def test_posts_query_count_does_not_grow(world, client_for, count_queries):
    client = client_for(world.secretariat)
    units = member_units(world.district, 30)
    rotating_terms(world.district, units[:3], first_start=datetime.date(2000, 7, 1))
    with count_queries() as few:
        client.get(posts_url(world.district))
    rotating_terms(world.district, units[3:], first_start=datetime.date(2003, 7, 1))
    with count_queries() as many:
        assert len(client.get(posts_url(world.district)).context["page"].object_list) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the rotation roster --------------------------------------------------------------------------

def rotation_url(conference):
    return reverse("registry:rotation", args=[conference.pk])


def test_rotation_is_for_insiders(world, client_for):
    assert client_for(None).get(rotation_url(world.district)).status_code == 302
    assert client_for(world.outsider).get(rotation_url(world.district)).status_code == 404
    page = client_for(world.liaison).get(rotation_url(world.district)).content.decode()
    assert "任命轮值召集人" not in page  # read-only


def test_rotation_shows_past_current_and_next_terms(world, client_for):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    if (yesterday.month, yesterday.day) == (2, 29):
        yesterday -= datetime.timedelta(days=1)
    start = yesterday.replace(year=yesterday.year - 2)  # the third term began yesterday
    units = member_units(world.district, 4)
    terms = rotating_terms(world.district, units, first_start=start)
    unknown = create_person(None, name="示例起始未知", unit=world.unit_a)
    appoint(None, conference=world.district, role=Appointment.Role.DEPUTY_CONVENER, person=unknown,
            unit=world.unit_a, attested_on=DAY)
    response = client_for(world.reviewer).get(rotation_url(world.district))
    rotating, deputy = response.context["sections"]
    assert (rotating["past"], rotating["current"], rotating["future"]) == ([terms[1], terms[0]], [terms[2]], [terms[3]])
    assert (deputy["past"], deputy["current"], deputy["future"]) == ([], [deputy_post := deputy["current"][0]], [])
    assert deputy_post.person == unknown
    page = response.content.decode()
    assert "起始未知，见于2024-06-24资料" in page


def test_rotation_notes_adjustments_whose_successor_is_not_stated(world, client_for):
    person, successor = people(world.unit_a, 2)
    post = appoint(None, conference=world.district, role=ROTATING, person=person, unit=world.unit_a, attested_on=DAY)
    unstated = plenary(world.district, 10)
    agenda(unstated, "adjustment", "调整了联席会议轮值召集人、副召集人")
    stated = plenary(world.district, 11, date=datetime.date(2025, 6, 24))
    agenda(stated, "adjustment", "调整轮值召集人（示例）")
    from lianxi.registry.services import replace_appointment

    replace_appointment(None, post, on=stated.date, person=successor, unit=world.unit_a, at_meeting=stated)
    response = client_for(world.secretariat).get(rotation_url(world.district))
    items = response.context["adjustments"]
    assert [(i.meeting.number, i.has_successor) for i in items] == [(11, True), (10, False)]
    assert [a.person for a in items[0].meeting.roster_ended] == [person]
    page = response.content.decode()
    assert page.count("新任人选未载明") == 1
    assert "卸任" in page


def test_rotation_query_count_does_not_grow(world, client_for, count_queries):
    client = client_for(world.secretariat)
    units = member_units(world.district, 30)
    for number in (1, 2):
        agenda(plenary(world.district, number, date=datetime.date(2000 + number, 6, 1)), "adjustment")
    rotating_terms(world.district, units[:3], first_start=datetime.date(2000, 7, 1))
    with count_queries() as few:
        client.get(rotation_url(world.district))
    rotating_terms(world.district, units[3:], first_start=datetime.date(2003, 7, 1))
    for number in range(3, 10):
        agenda(plenary(world.district, number, date=datetime.date(2000 + number, 6, 1)), "adjustment")
    with count_queries() as many:
        response = client.get(rotation_url(world.district))
    assert len(response.context["adjustments"]) == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_person_suggest_is_for_insiders(world, client_for):
    people(world.unit_a, 1)
    url = reverse("registry:person_suggest")
    assert client_for(None).get(url, {"q": "示例"}).content.decode().strip() == ""
    page = client_for(world.liaison).get(url, {"q": "sl"}).content.decode()
    # No record number unless two people would read the same.
    assert page.strip() == '<option value="示例人员000（示例单位A）"></option>'
