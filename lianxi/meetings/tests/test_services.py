import datetime

import pytest
from django.core.exceptions import ValidationError

from lianxi.audit.models import AuditEntry
from lianxi.meetings import services
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting
from lianxi.meetings.tests.helpers import DAY, make_meeting
from lianxi.projects import services as project_services
from lianxi.projects.models import Project
from lianxi.projects.services import create_project
from lianxi.registry.models import Appointment, Conference, Membership
from lianxi.registry.services import appoint, create_conference, create_person

pytestmark = pytest.mark.django_db


def last_entry(obj):
    return AuditEntry.objects.for_object(obj).first()


def test_create_meeting_writes_audit_row(world):
    meeting = make_meeting(world, number=3)
    entry = AuditEntry.objects.for_object(meeting).get()
    assert (entry.action, entry.actor) == ("meetings.meeting.create", world.secretariat)
    assert entry.changes["number"] == [None, 3]
    assert entry.changes["date"] == [None, "2024-06-24"]


def test_update_meeting_records_old_and_new(world):
    meeting = make_meeting(world)
    changes = services.update_meeting(world.secretariat, meeting, venue="示例会场")
    assert changes == {"venue": ["", "示例会场"]}
    entry = last_entry(meeting)
    assert (entry.action, entry.changes) == ("meetings.meeting.update", {"venue": ["", "示例会场"]})


def test_plenary_number_is_unique_per_conference_and_kind_and_names_the_field(world):
    make_meeting(world, number=1)
    with pytest.raises(ValidationError) as err:
        make_meeting(world, number=1, title="重复届次")
    assert list(err.value.error_dict) == ["number"]
    assert "下一个可用届次为第二次" in err.value.message_dict["number"][0]
    assert Meeting.objects.count() == 1
    # Same number in another conference, or for another kind, is fine.
    make_meeting(world, number=1, conference=world.sub)
    services.create_meeting(world.secretariat, conference=world.district, kind=Meeting.Kind.WORKING, number=1,
                            title="示例工作会议", date=DAY)
    assert Meeting.objects.count() == 3


def test_update_to_taken_number_is_refused_on_number(world):
    make_meeting(world, number=1)
    second = make_meeting(world, number=2)
    with pytest.raises(ValidationError) as err:
        services.update_meeting(world.secretariat, second, number=1)
    assert list(err.value.error_dict) == ["number"]


def test_suggest_next_number(world):
    assert services.suggest_next_number(world.district) == 1
    make_meeting(world, number=9)
    assert services.suggest_next_number(world.district) == 10
    assert services.suggest_next_number(world.district, Meeting.Kind.WORKING) == 1


def test_agenda_item_figure_participant_unit_exchange_each_write_an_audit_row(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="示例讲话")
    assert item.order == 1
    assert last_entry(item).action == "meetings.agenda.create"

    person = create_person(world.secretariat, name="示例人员甲", unit=world.unit_a)
    participant = services.add_participant(world.secretariat, item, person=person, role=AgendaParticipant.Role.SPEAKER,
                                           title="示例单位A党委书记", unit=world.unit_a)
    entry = last_entry(participant)
    assert (entry.action, entry.changes["title"]) == ("meetings.participant.create", [None, "示例单位A党委书记"])

    agenda_unit = services.add_agenda_unit(world.secretariat, item, unit=world.unit_b, role=AgendaUnit.Role.CONCERNED)
    assert last_entry(agenda_unit).action == "meetings.agenda_unit.create"

    exchange_item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.EXCHANGE, title="交流")
    assert exchange_item.order == 2
    exchange = services.add_exchange(world.secretariat, exchange_item, unit=world.unit_a, mode=Exchange.Mode.WRITTEN,
                                     speaker_label="示例单位A党委")
    entry = last_entry(exchange)
    assert (entry.action, entry.changes["mode"]) == ("meetings.exchange.create", [None, "written"])

    figure = services.add_figure(world.secretariat, meeting, key="member_units", label="成员单位", value=3,
                                 unit_label="家")
    assert last_entry(figure).action == "meetings.figure.create"
    assert services.update_figure(world.secretariat, figure, value=4) == {"value": [3, 4]}
    assert last_entry(figure).action == "meetings.figure.update"

    assert services.update_agenda_item(world.secretariat, item, title="示例讲话（改）") == {
        "title": ["示例讲话", "示例讲话（改）"]
    }
    assert last_entry(item).action == "meetings.agenda.update"


def test_duplicates_are_refused_with_field_names(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员")
    services.add_agenda_unit(world.secretariat, item, unit=world.outside_unit, role=AgendaUnit.Role.ADMITTED)
    with pytest.raises(ValidationError) as err:
        services.add_agenda_unit(world.secretariat, item, unit=world.outside_unit, role=AgendaUnit.Role.ADMITTED)
    assert list(err.value.error_dict) == ["unit"]
    with pytest.raises(ValidationError) as err:
        services.add_exchange(world.secretariat, item, unit=world.unit_a, mode=Exchange.Mode.LIVE)
    assert list(err.value.error_dict) == ["mode"]
    with pytest.raises(ValidationError) as err:
        services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.VIDEO, title="视频", order=1)
    assert list(err.value.error_dict) == ["order"]
    services.add_figure(world.secretariat, meeting, key="k", label="示例", value=1)
    with pytest.raises(ValidationError) as err:
        services.add_figure(world.secretariat, meeting, key="k", label="示例", value=2)
    assert list(err.value.error_dict) == ["key"]


def test_reorder_move_and_remove(world):
    meeting = make_meeting(world)
    a, b, c = (services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title=t)
               for t in ("甲", "乙", "丙"))
    services.reorder_agenda(world.secretariat, meeting, [c.pk, a.pk, b.pk])
    assert list(meeting.agenda_items.order_by("order").values_list("title", "order")) == [("丙", 1), ("甲", 2), ("乙", 3)]
    entry = last_entry(meeting)
    assert (entry.action, entry.changes) == ("meetings.agenda.reorder", {"agenda": [["甲", "乙", "丙"], ["丙", "甲", "乙"]]})

    services.move_agenda_item(world.secretariat, AgendaItem.objects.get(pk=b.pk), -1)
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == ["丙", "乙", "甲"]

    with pytest.raises(ValidationError) as err:
        services.reorder_agenda(world.secretariat, meeting, [a.pk, b.pk])
    assert list(err.value.error_dict) == ["order"]

    services.remove_agenda_item(world.secretariat, AgendaItem.objects.get(pk=a.pk))
    entry = last_entry(meeting)
    assert (entry.action, entry.changes) == ("meetings.agenda.remove", {"agenda_item": ["3. 甲", None]})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["丙", "乙"]


def test_remove_detail_is_recorded_on_the_item(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.AWARD, title="颁授")
    row = services.add_agenda_unit(world.secretariat, item, unit=world.unit_a, role=AgendaUnit.Role.AWARDED)
    services.remove_agenda_detail(world.secretariat, row)
    assert item.units.count() == 0
    entry = last_entry(item)
    assert (entry.action, entry.changes) == ("meetings.agendaunit.remove", {"agendaunit": ["示例单位A", None]})


# --- resolutions -------------------------------------------------------------------------------------

def test_admission_creates_memberships_dated_at_the_meeting_with_plaque(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员并授牌")
    services.add_agenda_unit(world.secretariat, item, unit=world.outside_unit, role=AgendaUnit.Role.ADMITTED)
    memberships = services.apply_admission(world.secretariat, item)
    membership = Membership.objects.get(unit=world.outside_unit)
    assert memberships == [membership]
    assert (membership.conference, membership.start, membership.admitted_at, membership.plaque_awarded_on) == (
        world.district, DAY, meeting, DAY
    )
    item.refresh_from_db()
    assert item.applied_on is not None
    entry = last_entry(item)
    assert entry.action == "meetings.agenda.apply.admission"
    assert entry.changes["memberships"] == [None, ["示例单位Z"]]
    assert last_entry(membership).action == "registry.membership.create"


def test_applying_twice_is_refused_and_changes_nothing(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员")
    services.add_agenda_unit(world.secretariat, item, unit=world.outside_unit, role=AgendaUnit.Role.ADMITTED)
    services.apply_resolution(world.secretariat, item)
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        services.apply_resolution(world.secretariat, item)
    assert list(err.value.error_dict) == ["applied_on"]
    assert "不能重复执行" in err.value.message_dict["applied_on"][0]
    assert Membership.objects.filter(unit=world.outside_unit).count() == 1
    assert AuditEntry.objects.count() == audit_rows
    with pytest.raises(ValidationError):
        services.remove_agenda_item(world.secretariat, item)


def test_admission_of_a_current_member_rolls_back_everything(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员")
    services.add_agenda_unit(world.secretariat, item, unit=world.outside_unit, role=AgendaUnit.Role.ADMITTED)
    services.add_agenda_unit(world.secretariat, item, unit=world.unit_a, role=AgendaUnit.Role.ADMITTED)
    with pytest.raises(ValidationError) as err:
        services.apply_admission(world.secretariat, item)
    assert list(err.value.error_dict) == ["unit"]
    assert not Membership.objects.filter(unit=world.outside_unit).exists()
    item.refresh_from_db()
    assert item.applied_on is None


def test_admission_without_units_is_refused(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADMISSION, title="通过新成员")
    with pytest.raises(ValidationError) as err:
        services.apply_admission(world.secretariat, item)
    assert list(err.value.error_dict) == ["units"]


def test_unveiling_founds_the_sub_conference_and_supersedes_its_predecessor(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.UNVEILING, title="揭牌")
    old = create_conference(world.admin, name="示例产业集群党建联席会议", kind=Conference.Kind.INDUSTRY,
                            parent=world.district)
    new = services.apply_unveiling(world.secretariat, item, name="示例新片区区域化党建联席会议", short_name="示例新片区",
                                   kind=Conference.Kind.AREA, upgraded_from=old)
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.parent, new.founded_on, new.founded_at, new.upgraded_from) == (world.district, DAY, meeting, old)
    assert old.status == Conference.Status.SUPERSEDED
    item.refresh_from_db()
    assert item.concerns_conference == new
    entry = last_entry(item)
    assert entry.action == "meetings.agenda.apply.unveiling"
    assert entry.changes["founded"] == [None, "示例新片区区域化党建联席会议"]
    assert last_entry(old).changes == {"status": ["active", "superseded"]}


def test_unveiling_needs_a_name(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.UNVEILING, title="揭牌")
    with pytest.raises(ValidationError) as err:
        services.apply_unveiling(world.secretariat, item)
    assert list(err.value.error_dict) == ["name"]


def test_adjustment_ends_and_starts_appointments(world):
    meeting = make_meeting(world)
    p1 = create_person(world.admin, name="示例人员甲", unit=world.unit_a)
    p2 = create_person(world.admin, name="示例人员乙", unit=world.unit_b)
    p3 = create_person(world.admin, name="示例人员丙", unit=world.unit_b)
    rotating = appoint(world.admin, conference=world.district, role=Appointment.Role.ROTATING_CONVENER, person=p1,
                       unit=world.unit_a, start=datetime.date(2023, 6, 1))
    deputy = appoint(world.admin, conference=world.district, role=Appointment.Role.DEPUTY_CONVENER, person=p3,
                     unit=world.unit_b, start=datetime.date(2023, 6, 1))
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADJUSTMENT, title="调整轮值召集人")
    started = services.apply_adjustment(
        world.secretariat, item,
        changes=[{"appointment": rotating, "person": p2, "unit": world.unit_b},
                 {"appointment": deputy, "person": None, "unit": None}],
        additions=[{"role": Appointment.Role.DEPUTY_CONVENER, "person": p1, "unit": world.unit_a}],
    )
    rotating.refresh_from_db()
    deputy.refresh_from_db()
    assert (rotating.end, rotating.ended_at) == (DAY, meeting)
    assert (deputy.end, deputy.ended_at) == (DAY, meeting)
    assert [(a.role, a.person, a.start, a.appointed_at) for a in started] == [
        ("rotating_convener", p2, DAY, meeting), ("deputy_convener", p1, DAY, meeting)
    ]
    current = Appointment.objects.current(DAY).filter(conference=world.district).order_by("role")
    assert [(a.role, a.person.name) for a in current] == [("deputy_convener", "示例人员甲"),
                                                          ("rotating_convener", "示例人员乙")]
    entry = last_entry(item)
    assert entry.action == "meetings.agenda.apply.adjustment"
    assert entry.changes["appointments"] == [
        ["轮值召集人 示例人员甲（示例单位A）", "副召集人 示例人员丙（示例单位B）"],
        ["轮值召集人 示例人员乙（示例单位B）", "副召集人 示例人员甲（示例单位A）"],
    ]


def test_adjustment_without_known_successors_is_not_applied(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADJUSTMENT, title="调整")
    with pytest.raises(ValidationError) as err:
        services.apply_adjustment(world.secretariat, item)
    assert list(err.value.error_dict) == ["changes"]
    item.refresh_from_db()
    assert item.applied_on is None


def test_release_and_award_link_projects(world):
    meeting = make_meeting(world)
    release = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.RELEASE, title="发布重点项目")
    award = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.AWARD, title="颁授品牌项目")
    key = create_project(world.admin, conference=world.district, title="示例重点项目", kind=Project.Kind.KEY, year=2024)
    brand = create_project(world.admin, conference=world.sub, title="示例品牌项目", kind=Project.Kind.BRAND, year=2024)
    # Through the resolution the projects room registered for these kinds (lianxi.meetings.resolutions).
    services.apply_resolution(world.secretariat, release, projects=[key])
    services.apply_resolution(world.secretariat, award, projects=[brand])
    key.refresh_from_db()
    brand.refresh_from_db()
    assert (key.released_at, brand.awarded_at) == (release, award)
    assert last_entry(release).changes["projects"] == [None, ["示例重点项目"]]
    assert last_entry(key).action == "projects.project.update"

    again = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.RELEASE, title="再次发布")
    with pytest.raises(ValidationError) as err:
        project_services.apply_release(world.secretariat, again, projects=[key])
    assert list(err.value.error_dict) == ["projects"]


def test_wrong_kind_is_refused(world):
    meeting = make_meeting(world)
    speech = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.SPEECH, title="讲话")
    with pytest.raises(ValidationError) as err:
        services.apply_resolution(world.secretariat, speech)
    assert list(err.value.error_dict) == ["kind"]
    with pytest.raises(ValidationError) as err:
        project_services.apply_release(world.secretariat, speech, projects=[])
    assert list(err.value.error_dict) == ["kind"]


def test_naming_records_figures_only(world):
    meeting = make_meeting(world)
    item = services.add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.NAMING, title="命名示例称号")
    figures = services.apply_naming(world.secretariat, item, figures=[
        {"key": "named", "label": "命名示例称号", "value": 5, "unit_label": "个"},
    ])
    assert [(f.key, f.value) for f in meeting.figures.all()] == [("named", 5)]
    assert figures == list(meeting.figures.all())
    assert last_entry(item).changes["figures"] == [None, ["命名示例称号: 5个"]]
