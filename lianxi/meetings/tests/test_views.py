import datetime
import re

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.meetings import services
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting
from lianxi.meetings.tests.helpers import DAY, make_meeting
from lianxi.projects.models import Project
from lianxi.projects.services import create_project
from lianxi.registry.models import Membership, Person
from lianxi.registry.services import create_person

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail_url(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def fill_agenda(world, meeting, n):
    """``n`` items, each with a person, a unit, an exchange and a project."""
    for i in range(n):
        item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.EXCHANGE, title=f"交流{i}")
        person = create_person(world.admin, name=f"示例人员{meeting.pk}-{i}", unit=world.unit_a)
        services.add_participant(world.secretariat, item, person=person, role=AgendaParticipant.Role.SPEAKER,
                                 title="示例职务", unit=world.unit_a)
        services.add_agenda_unit(world.secretariat, item, unit=world.unit_b, role=AgendaUnit.Role.CONCERNED)
        services.add_exchange(world.secretariat, item, unit=world.street_unit, mode=Exchange.Mode.LIVE,
                              speaker_label="示例街道党工委")
        project = create_project(world.admin, conference=world.district, title=f"示例项目{meeting.pk}-{i}",
                                 kind=Project.Kind.KEY, year=2024)
        project.released_at = item
        project.save()


# --- list --------------------------------------------------------------------------------------------

def test_list_shows_published_meetings_to_anonymous_and_all_to_insiders(world, client_for):
    make_meeting(world, number=1, title="公开的会议")
    make_meeting(world, number=2, title="未公开的会议", published=False)
    anonymous = client_for(None).get(reverse("meetings:meeting_list"))
    assert anonymous.status_code == 200
    assert [m.title for m in anonymous.context["page"]] == ["公开的会议"]
    outsider = client_for(world.outsider).get(reverse("meetings:meeting_list"))
    assert [m.title for m in outsider.context["page"]] == ["公开的会议"]
    liaison = client_for(world.liaison).get(reverse("meetings:meeting_list"))
    assert sorted(m.title for m in liaison.context["page"]) == ["公开的会议", "未公开的会议"]
    assert liaison.context["can_create"] is False
    assert "新建会议" not in liaison.content.decode()


def test_list_filters_by_conference_kind_and_year(world, client_for):
    make_meeting(world, number=1, title="甲", date=datetime.date(2023, 5, 1))
    make_meeting(world, number=2, title="乙")
    make_meeting(world, number=1, title="丙", conference=world.sub)
    services.create_meeting(world.secretariat, conference=world.district, kind=Meeting.Kind.WORKING, title="丁",
                            date=DAY)
    client = client_for(world.secretariat)
    url = reverse("meetings:meeting_list")

    def titles(**params):
        return sorted(m.title for m in client.get(url, params).context["page"])

    assert titles(conference=world.sub.pk) == ["丙"]
    assert titles(kind="working") == ["丁"]
    assert titles(year=2023) == ["甲"]
    assert titles(conference=world.district.pk, kind="plenary", year=2024) == ["乙"]
    assert client.get(url, {"conference": world.sub.pk}).context["years"] == [2024, 2023]


def test_list_query_count_does_not_grow_with_rows(world, client_for, count_queries):
    client = client_for(world.secretariat)
    make_meeting(world, number=1)
    fill_agenda(world, Meeting.objects.get(), 2)
    with count_queries() as few:
        assert client.get(reverse("meetings:meeting_list")).status_code == 200
    for n in range(2, 12):
        meeting = make_meeting(world, number=n)
        fill_agenda(world, meeting, 1)
    with count_queries() as many:
        response = client.get(reverse("meetings:meeting_list"))
    assert len(response.context["page"]) == 11
    assert len(many.captured_queries) == len(few.captured_queries)


# --- detail ------------------------------------------------------------------------------------------

def test_anonymous_gets_404_on_unpublished_meeting_and_insider_sees_it(world, client_for):
    hidden = make_meeting(world, published=False)
    assert client_for(None).get(detail_url(hidden)).status_code == 404
    assert client_for(world.outsider).get(detail_url(hidden)).status_code == 404
    assert client_for(world.liaison).get(detail_url(hidden)).status_code == 200


def test_detail_shows_the_agenda_timeline(world, client_for):
    meeting = make_meeting(world)
    fill_agenda(world, meeting, 2)
    services.add_figure(world.secretariat, meeting, key="member_units", label="成员单位", value=3, unit_label="家")
    response = client_for(None).get(detail_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert [i.title for i in response.context["items"]] == ["交流0", "交流1"]
    assert "示例人员" in html and "示例职务" in html
    assert "示例街道党工委" in html and "现场" in html
    assert "示例项目" in html
    assert "未载明" in html  # the venue
    assert "变更记录" not in html  # history is for insiders
    assert "执行决议" not in html and "添加议程" not in html


def test_detail_for_read_only_insider_has_history_but_no_forms(world, client_for):
    meeting = make_meeting(world)
    response = client_for(world.reviewer).get(detail_url(meeting))
    html = response.content.decode()
    assert "变更记录" in html and "新建会议" in html and "meetings.meeting.create" not in html
    assert response.context["can_manage"] is False
    assert "添加议程" not in html


def test_meeting_history_is_for_those_who_run_or_review_its_conference(world, client_for):
    """A member unit's liaison reads the meeting but not its 变更记录 (meetings.gates)."""
    meeting = make_meeting(world)
    html = client_for(world.liaison).get(detail_url(meeting)).content.decode()
    assert meeting.title in html and "变更记录" not in html


def test_detail_query_count_does_not_grow_with_items(world, client_for, count_queries):
    client = client_for(world.secretariat)
    small = make_meeting(world, number=1)
    fill_agenda(world, small, 1)
    big = make_meeting(world, number=2)
    fill_agenda(world, big, 8)
    with count_queries() as few:
        assert client.get(detail_url(small)).status_code == 200
    with count_queries() as many:
        assert client.get(detail_url(big)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    client = client_for(None)
    with count_queries() as few:
        client.get(detail_url(small))
    with count_queries() as many:
        client.get(detail_url(big))
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the add-forms of an agenda item, opened on demand ------------------------------------------------

ADD_LINK = re.compile(r'<a class="button" href="([^"]+)" hx-get="([^"]+)" hx-target="closest \.part-add"')


def part_url(item, what):
    return reverse("meetings:agenda_part_add", args=[item.pk, what])


def test_manager_page_links_each_add_form_instead_of_rendering_it(world, client_for):
    """Item 12 of docs/benchmarks.md: no blank form per item and part on the page, a link per part
    that htmx follows to fetch the form, and that works as a plain link without JavaScript."""
    meeting = make_meeting(world)
    fill_agenda(world, meeting, 2)
    speech = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="讲话")
    exchanges = list(meeting.agenda_items.filter(kind=AgendaItem.Kind.EXCHANGE).order_by("order"))

    html = client_for(world.secretariat).get(detail_url(meeting)).content.decode()
    assert 'name="person_name"' not in html and 'name="speaker_label"' not in html
    assert "<details" not in html
    links = ADD_LINK.findall(html)
    assert all(href == hx_get for href, hx_get in links)
    expected = [part_url(item, what) for item in exchanges for what in ("participant", "unit", "exchange")]
    expected += [part_url(speech, "participant"), part_url(speech, "unit")]  # no exchanges on a speech
    assert [href for href, _ in links] == expected
    assert "添加人员" in html and "添加交流单位" in html
    assert 'name="title"' in html  # the one form still on the page: a new agenda item


def test_add_form_comes_as_a_partial_for_htmx_and_as_a_page_without_javascript(world, client_for):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.EXCHANGE, title="现场交流")
    client = client_for(world.secretariat)
    url = part_url(item, "participant")

    partial = client.get(url, **HTMX)
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "HX-Request" in partial["Vary"]
    assert "<html" not in html and "<nav" not in html
    assert html.startswith(f'<form method="post" action="{url}" hx-post="{url}" hx-target="#item-{item.pk}"')
    assert "<legend>添加人员</legend>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'id="id_{item.pk}_participant_person_name"' in html and 'name="role"' in html
    # The first field takes the focus from the link the form replaces.
    assert re.search(r'<input[^>]*name="person_name"[^>]*autofocus', html)
    assert html.count("autofocus") == 1
    # The blank form is a GET: nothing is written.
    assert AgendaParticipant.objects.count() == 0

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert "现场交流 · 添加人员" in html and detail_url(meeting) in html
    assert 'name="person_name"' in html and "autofocus" not in html

    exchange = client.get(part_url(item, "exchange"), **HTMX).content.decode()
    assert "<legend>添加交流单位</legend>" in exchange and 'name="speaker_label"' in exchange


def test_only_managers_may_open_an_add_form(world, client_for):
    from lianxi.accounts.models import Grant
    from lianxi.testing import grant, make_user

    shown = make_meeting(world)
    hidden = make_meeting(world, number=2, published=False)
    shown_item = services.add_agenda_item(world.secretariat, shown, kind=AgendaItem.Kind.SPEECH, title="讲话")
    hidden_item = services.add_agenda_item(world.secretariat, hidden, kind=AgendaItem.Kind.SPEECH, title="讲话")
    sub_secretariat = make_user("sub_secretariat")
    grant(sub_secretariat, Grant.Role.SECRETARIAT, conference=world.sub)

    for what in ("participant", "unit"):
        for headers in (HTMX, {}):
            assert client_for(world.liaison).get(part_url(shown_item, what), **headers).status_code == 403
            assert client_for(world.liaison).get(part_url(hidden_item, what), **headers).status_code == 403
            assert client_for(sub_secretariat).get(part_url(shown_item, what), **headers).status_code == 403
            assert client_for(world.outsider).get(part_url(shown_item, what), **headers).status_code == 403
            assert client_for(world.outsider).get(part_url(hidden_item, what), **headers).status_code == 404
            anonymous = client_for(None).get(part_url(shown_item, what), **headers)
            assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
            assert client_for(world.secretariat).get(part_url(hidden_item, what), **headers).status_code == 200
    assert client_for(world.secretariat).get(part_url(shown_item, "nothing"), **HTMX).status_code == 404
    # Nor do they see the links.
    html = client_for(world.liaison).get(detail_url(shown)).content.decode()
    assert part_url(shown_item, "participant") not in html and "添加人员" not in html


def test_failed_add_comes_back_inline_with_its_errors_and_the_other_parts_stay_links(world, client_for):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.EXCHANGE, title="现场交流")
    client = client_for(world.secretariat)
    response = client.post(part_url(item, "unit"), {"unit": "没有这个单位", "role": "concerned"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith(f'<li id="item-{item.pk}"')
    assert "单位名录中没有“没有这个单位”" in html
    assert 'value="没有这个单位"' in html  # what was typed is kept
    assert [href for href, _ in ADD_LINK.findall(html)] == [part_url(item, "participant"), part_url(item, "exchange")]

    response = client.post(part_url(item, "unit"), {"unit": "示例单位B", "role": "concerned"}, **HTMX)
    html = response.content.decode()
    assert list(item.units.values_list("unit__name", flat=True)) == ["示例单位B"]
    assert "<form method=\"post\" action=\"" + part_url(item, "unit") not in html
    assert [href for href, _ in ADD_LINK.findall(html)] == [
        part_url(item, "participant"), part_url(item, "unit"), part_url(item, "exchange")
    ]


# --- writes: gates ------------------------------------------------------------------------------------

def test_liaison_gets_403_on_every_write_view(world, client_for):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员")
    client = client_for(world.liaison)
    urls = [
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("meetings:agenda_add", args=[meeting.pk]),
        reverse("meetings:figure_add", args=[meeting.pk]),
        reverse("meetings:agenda_apply", args=[item.pk]),
        reverse("meetings:agenda_part_add", args=[item.pk, "unit"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    for url in [reverse("meetings:agenda_move", args=[item.pk]), reverse("meetings:agenda_remove", args=[item.pk])]:
        assert client.post(url).status_code == 403, url
    assert client.get(reverse("meetings:meeting_create")).status_code == 403
    assert client.get(reverse("meetings:meeting_create"), {"conference": world.district.pk}).status_code == 403
    assert AgendaItem.objects.count() == 1


def test_outsider_and_anonymous_cannot_write(world, client_for):
    hidden = make_meeting(world, published=False)
    shown = make_meeting(world, number=2)
    assert client_for(world.outsider).get(reverse("meetings:meeting_edit", args=[hidden.pk])).status_code == 404
    assert client_for(world.outsider).get(reverse("meetings:meeting_edit", args=[shown.pk])).status_code == 403
    anonymous = client_for(None)
    assert anonymous.get(reverse("meetings:meeting_edit", args=[hidden.pk])).status_code == 302  # to login
    assert anonymous.get(reverse("meetings:meeting_create")).status_code == 302


def test_secretariat_of_the_sub_conference_cannot_edit_district_meetings(world, client_for):
    from lianxi.accounts.models import Grant
    from lianxi.testing import grant, make_user

    sub_secretariat = make_user("sub_secretariat")
    grant(sub_secretariat, Grant.Role.SECRETARIAT, conference=world.sub)
    meeting = make_meeting(world)
    assert client_for(sub_secretariat).get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403
    # The district admin's scope includes the sub-conference.
    sub_meeting = make_meeting(world, conference=world.sub)
    assert client_for(world.admin).get(reverse("meetings:meeting_edit", args=[sub_meeting.pk])).status_code == 200


# --- writes: forms -------------------------------------------------------------------------------------

def test_create_meeting_suggests_the_next_number_and_saves(world, client_for):
    make_meeting(world, number=9)
    client = client_for(world.secretariat)
    url = reverse("meetings:meeting_create")
    choose = client.get(url)
    assert choose.status_code == 200 and world.district.name in choose.content.decode()
    form_page = client.get(url, {"conference": world.district.pk})
    # Not prefilled (a prefilled plenary number was kept for working meetings); the help says what
    # a blank number becomes for each kind.
    assert form_page.context["form"]["number"].value() is None
    assert "全体会议第十次；工作会议第一次；联络员会议第一次" in form_page.content.decode()
    response = client.post(f"{url}?conference={world.district.pk}", {
        "kind": "plenary", "number": 10, "title": "示例区联席会议第十次全体会议", "date": "2024-06-24",
        "venue": "", "host_unit": "", "summary": "", "source": "", "is_published": "on",
    })
    meeting = Meeting.objects.get(number=10)
    assert response.status_code == 302 and response["Location"] == detail_url(meeting)
    assert (meeting.conference, meeting.kind, meeting.is_published) == (world.district, "plenary", True)
    assert AuditEntry.objects.for_object(meeting).get().actor == world.secretariat


def test_numbers_follow_the_kind_when_left_blank(world, client_for):
    """The trap: 届次 prefilled with the next plenary number made "第十一次工作会议", and the next
    working meeting was refused. Left blank, each kind takes its own next number."""
    make_meeting(world, number=10)
    client = client_for(world.secretariat)
    url = f"{reverse('meetings:meeting_create')}?conference={world.district.pk}"
    for title in ("第一次工作会议", "第二次工作会议"):
        response = client.post(url, {"kind": "working", "number": "", "title": title, "date": "2024-07-01"})
        assert response.status_code == 302, response.content.decode()[:500]
    client.post(url, {"kind": "plenary", "number": "", "title": "第十一次全体会议", "date": "2024-12-01"})
    assert sorted(Meeting.objects.values_list("kind", "number", "title")) == [
        ("plenary", 10, "示例区联席会议第10次全体会议"), ("plenary", 11, "第十一次全体会议"),
        ("working", 1, "第一次工作会议"), ("working", 2, "第二次工作会议"),
    ]
    assert [m.number_label for m in Meeting.objects.filter(kind="working").order_by("number")] == [
        "第一次工作会议", "第二次工作会议"]


def test_create_meeting_with_taken_number_shows_the_error_on_number(world, client_for):
    make_meeting(world, number=1)
    response = client_for(world.secretariat).post(
        f"{reverse('meetings:meeting_create')}?conference={world.district.pk}",
        {"kind": "plenary", "number": 1, "title": "重复", "date": "2024-06-24"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number"]
    assert Meeting.objects.count() == 1


def test_edit_meeting_with_unknown_host_unit_names_the_field(world, client_for):
    meeting = make_meeting(world)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    data = {"kind": "plenary", "number": 1, "title": meeting.title, "date": "2024-06-24", "host_unit": "不存在的单位",
            "is_published": "on"}
    response = client_for(world.secretariat).post(url, data)
    assert list(response.context["form"].errors) == ["host_unit"]
    data["host_unit"] = "示例单位A"
    data["venue"] = "示例会场"
    response = client_for(world.secretariat).post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.host_unit, meeting.venue) == (world.unit_a, "示例会场")
    entry = AuditEntry.objects.for_object(meeting).first()
    assert entry.changes == {"venue": ["", "示例会场"], "host_unit": [None, "示例单位A"]}


def test_add_agenda_item_by_htmx_then_people_units_and_exchange(world, client_for):
    meeting = make_meeting(world)
    client = client_for(world.secretariat)
    response = client.post(reverse("meetings:agenda_add", args=[meeting.pk]),
                           {"kind": "exchange", "title": "现场交流", "description": ""}, **HTMX)
    item = AgendaItem.objects.get()
    assert response.status_code == 204
    assert f"#item-{item.pk}" in response["HX-Location"]

    bad = client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"kind": "exchange", "title": ""}, **HTMX)
    assert bad.status_code == 200 and list(bad.context["agenda_form"].errors) == ["title"]

    part = reverse("meetings:agenda_part_add", args=[item.pk, "participant"])
    response = client.post(part, {"person_name": "示例新人员", "role": "speaker", "title": "示例职务",
                                  "unit": "示例单位B"}, **HTMX)
    assert response.status_code == 200
    assert "示例新人员" in response.content.decode()
    person = Person.objects.get(name="示例新人员")
    assert (person.unit, person.title) == (world.unit_b, "示例职务")
    assert item.participants.get().title == "示例职务"

    response = client.post(reverse("meetings:agenda_part_add", args=[item.pk, "exchange"]),
                           {"unit": "示例单位A", "mode": "written", "speaker_label": "示例单位A党委"}, **HTMX)
    assert response.status_code == 200
    assert list(item.exchanges.values_list("unit__name", "mode")) == [("示例单位A", "written")]

    response = client.post(reverse("meetings:agenda_part_add", args=[item.pk, "unit"]),
                           {"unit": "没有这个单位", "role": "concerned"}, **HTMX)
    assert response.status_code == 200
    assert "单位名录中没有“没有这个单位”" in response.content.decode()
    assert item.units.count() == 0

    response = client.post(reverse("meetings:agenda_part_add", args=[item.pk, "unit"]),
                           {"unit": f"示例单位B #{world.unit_b.pk}", "role": "concerned"})
    assert response.status_code == 302
    assert list(item.units.values_list("unit__name", flat=True)) == ["示例单位B"]

    exchange = item.exchanges.get()
    response = client.post(reverse("meetings:agenda_part_remove", args=[item.pk, "exchange", exchange.pk]), **HTMX)
    assert response.status_code == 200 and item.exchanges.count() == 0


def test_apply_admission_through_the_page(world, client_for):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员")
    services.add_agenda_unit(world.secretariat, item, unit=world.outside_unit, role=AgendaUnit.Role.ADMITTED)
    client = client_for(world.secretariat)
    url = reverse("meetings:agenda_apply", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200 and "示例单位Z" in page.content.decode()
    response = client.post(url, {"plaque": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(unit=world.outside_unit)
    assert (membership.start, membership.plaque_awarded_on, membership.admitted_at) == (DAY, DAY, meeting)
    again = client.post(url, {"plaque": "on"})
    assert again.status_code == 302
    assert Membership.objects.filter(unit=world.outside_unit).count() == 1
    detail = client.get(detail_url(meeting)).content.decode()
    assert "决议已执行" in detail and "不能重复执行" in detail


def test_apply_unveiling_and_adjustment_forms(world, client_for):
    from lianxi.registry.models import Appointment, Conference
    from lianxi.registry.services import appoint

    meeting = make_meeting(world)
    client = client_for(world.admin)
    unveil = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.UNVEILING, title="揭牌")
    response = client.post(reverse("meetings:agenda_apply", args=[unveil.pk]),
                           {"name": "", "kind": "area", "upgraded_from": world.sub.pk})
    assert list(response.context["form"].errors) == ["name"]
    response = client.post(reverse("meetings:agenda_apply", args=[unveil.pk]),
                           {"name": "示例新区域化党建联席会议", "short_name": "示例新", "kind": "area",
                            "upgraded_from": world.sub.pk})
    assert response.status_code == 302
    new = Conference.objects.get(name="示例新区域化党建联席会议")
    assert (new.parent, new.founded_at, new.upgraded_from) == (world.district, meeting, world.sub)

    person = create_person(world.admin, name="示例人员甲", unit=world.unit_a)
    successor = create_person(world.admin, name="示例人员乙", unit=world.unit_b)
    post = appoint(world.admin, conference=world.district, role=Appointment.Role.ROTATING_CONVENER, person=person,
                   unit=world.unit_a, start=datetime.date(2023, 1, 1))
    adjust = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADJUSTMENT, title="调整")
    url = reverse("meetings:agenda_apply", args=[adjust.pk])
    assert "示例人员甲" in client.get(url).content.decode()
    response = client.post(url, {f"action_{post.pk}": "keep"})
    assert list(response.context["form"].errors) == ["__all__"]
    assert response.context["form"].non_field_errors()[0].startswith("未指定调整内容")
    response = client.post(url, {f"action_{post.pk}": "replace", f"person_{post.pk}": "示例人员乙",
                                 f"unit_{post.pk}": "示例单位B"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end == DAY
    assert Appointment.objects.get(person=successor).start == DAY


def test_apply_release_form_lists_unreleased_key_projects(world, client_for):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.RELEASE, title="发布")
    key = create_project(world.admin, conference=world.district, title="示例重点项目", kind=Project.Kind.KEY, year=2024)
    create_project(world.admin, conference=world.district, title="示例品牌项目", kind=Project.Kind.BRAND, year=2024)
    client = client_for(world.secretariat)
    url = reverse("meetings:agenda_apply", args=[item.pk])
    form = client.get(url).context["form"]
    assert [p.title for p in form.fields["projects"].queryset] == ["示例重点项目"]
    assert client.post(url, {"projects": [key.pk]}).status_code == 302
    key.refresh_from_db()
    assert key.released_at == item


def test_apply_view_404_for_kinds_without_resolution(world, client_for):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="讲话")
    assert client_for(world.secretariat).get(reverse("meetings:agenda_apply", args=[item.pk])).status_code == 404


def test_move_and_remove_items_through_the_page(world, client_for):
    meeting = make_meeting(world)
    a = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="甲")
    b = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="乙")
    client = client_for(world.secretariat)
    assert client.post(reverse("meetings:agenda_move", args=[b.pk]), {"direction": "up"}).status_code == 302
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == ["乙", "甲"]
    assert client.post(reverse("meetings:agenda_remove", args=[a.pk])).status_code == 302
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["乙"]
