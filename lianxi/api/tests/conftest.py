"""The ``world`` of lianxi.testing plus what the API shows: people and posts, a rotation roster,
one published plenary with a full agenda, an unpublished meeting, projects, and a private
conference with a member, a meeting and a project that outsiders must not see. All synthetic."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure
from lianxi.projects.models import Link, Project
from lianxi.registry.models import Appointment, Conference, Person, Unit
from lianxi.registry.services import admit_unit, appoint, create_conference, create_person, create_unit

PLENARY_DAY = datetime.date(2024, 6, 24)

API = "/api/v1"


def ref(obj, label="name"):
    """The ``{"id", "name"}`` a response gives for another object."""
    return {"id": obj.pk, "name": getattr(obj, label)}


@dataclass
class ApiWorld:
    world: object
    hidden: Conference
    hidden_unit: Unit
    person_a: Person
    person_b: Person
    convener: Appointment
    rotation_past: Appointment
    rotation_current: Appointment
    rotation_next: Appointment
    plenary: Meeting
    draft_meeting: Meeting
    hidden_meeting: Meeting
    items: dict
    key_project: Project
    brand_project: Project
    draft_project: Project
    hidden_project: Project

    def __getattr__(self, name):
        return getattr(self.world, name)


def build_api_world(world) -> ApiWorld:
    today = timezone.localdate()
    district = world.district
    hidden = create_conference(None, name="示例内部联席会议", kind=Conference.Kind.THEME, is_public=False)
    hidden_unit = create_unit(None, name="示例单位H", category=Unit.Category.ENTERPRISE)
    admit_unit(None, unit=hidden_unit, conference=hidden, start=datetime.date(2021, 1, 1))

    person_a = create_person(None, name="示例人员甲", unit=world.unit_a, title="示例单位A党委书记", phone="000-0001")
    person_b = create_person(None, name="示例人员乙", unit=world.unit_b, title="示例单位B党总支书记")
    convener = appoint(None, conference=district, role=Appointment.Role.CONVENER, person=person_a, unit=world.unit_a,
                       attested_on=PLENARY_DAY)
    appoint(None, conference=district, role=Appointment.Role.SECRETARIAT, unit=world.street_unit,
            start=datetime.date(2020, 1, 1))
    rotating = Appointment.Role.ROTATING_CONVENER
    rotation_past = appoint(None, conference=district, role=rotating, person=person_b, unit=world.unit_b,
                            start=today - datetime.timedelta(days=730), end=today - datetime.timedelta(days=365))
    rotation_current = appoint(None, conference=district, role=rotating, person=person_a, unit=world.unit_a,
                               start=today - datetime.timedelta(days=365), end=today + datetime.timedelta(days=1))
    rotation_next = appoint(None, conference=district, role=rotating, person=person_b, unit=world.unit_b,
                            start=today + datetime.timedelta(days=1))
    appoint(None, conference=hidden, role=Appointment.Role.CONVENER, person=person_b, start=datetime.date(2021, 1, 1))

    plenary = Meeting.objects.create(
        conference=district, kind=Meeting.Kind.PLENARY, number=1, date=PLENARY_DAY, host_unit=world.unit_a,
        title="示例区区域化党建联席会议第一次全体会议", summary="示例概要",
    )
    StatedFigure.objects.create(meeting=plenary, key="member_units", label="成员单位", value=3, unit_label="家",
                                quote="示例成员单位共有3家")
    items = {}
    items["speech"] = AgendaItem.objects.create(meeting=plenary, order=1, kind=AgendaItem.Kind.SPEECH, title="示例讲话")
    AgendaParticipant.objects.create(item=items["speech"], person=person_a, role=AgendaParticipant.Role.SPEAKER,
                                     title="示例区委书记", unit=world.unit_a)
    items["admission"] = AgendaItem.objects.create(meeting=plenary, order=2, kind=AgendaItem.Kind.ADMISSION,
                                                   title="通过新成员单位并授牌", concerns_conference=district)
    AgendaUnit.objects.create(item=items["admission"], unit=world.unit_b, role=AgendaUnit.Role.ADMITTED,
                              label="示例单位B党总支")
    AgendaParticipant.objects.create(item=items["admission"], person=person_b, role=AgendaParticipant.Role.PRESENTER,
                                     title="示例副书记")
    items["unveiling"] = AgendaItem.objects.create(meeting=plenary, order=3, kind=AgendaItem.Kind.UNVEILING,
                                                   title="示例揭牌", concerns_conference=hidden)
    items["exchange"] = AgendaItem.objects.create(meeting=plenary, order=4, kind=AgendaItem.Kind.EXCHANGE, title="交流")
    Exchange.objects.create(item=items["exchange"], unit=world.unit_a, mode=Exchange.Mode.LIVE,
                            speaker_label="示例单位A秘书处", topic="示例交流题目", order=1)
    Exchange.objects.create(item=items["exchange"], unit=world.street_unit, mode=Exchange.Mode.WRITTEN, order=2)
    items["release"] = AgendaItem.objects.create(meeting=plenary, order=5, kind=AgendaItem.Kind.RELEASE,
                                                 title="发布2024年度重点项目")
    items["award"] = AgendaItem.objects.create(meeting=plenary, order=6, kind=AgendaItem.Kind.AWARD,
                                               title="颁授品牌项目")

    key_project = Project.objects.create(
        conference=district, title="示例重点项目一", kind=Project.Kind.KEY, year=2024, lead_unit=world.unit_a,
        links=[Link.RESOURCES, Link.TALENT], released_at=items["release"], order=1,
    )
    key_project.partner_units.set([world.unit_b, world.street_unit])
    brand_project = Project.objects.create(
        conference=district, title="示例品牌项目一", kind=Project.Kind.BRAND, year=2023, lead_unit=world.unit_b,
        links=[Link.BRAND], awarded_at=items["award"], order=1,
    )
    draft_project = Project.objects.create(
        conference=district, title="示例未公开项目", kind=Project.Kind.KEY, year=2024, released_at=items["release"],
        order=2, is_published=False,
    )
    hidden_project = Project.objects.create(conference=hidden, title="示例内部项目", kind=Project.Kind.ORDINARY,
                                            year=2024, lead_unit=hidden_unit)
    draft_meeting = Meeting.objects.create(conference=district, kind=Meeting.Kind.WORKING, date=datetime.date(2024, 3, 1),
                                           title="示例工作会议", is_published=False)
    hidden_meeting = Meeting.objects.create(conference=hidden, kind=Meeting.Kind.PLENARY, number=1,
                                            date=datetime.date(2023, 5, 1), title="示例内部联席会议第一次全体会议")
    return ApiWorld(world, hidden, hidden_unit, person_a, person_b, convener, rotation_past, rotation_current,
                    rotation_next, plenary, draft_meeting, hidden_meeting, items, key_project, brand_project,
                    draft_project, hidden_project)


@pytest.fixture
def api_world(world):
    return build_api_world(world)


@pytest.fixture
def get_json(client_for):
    """``get_json(user, url, **params)`` → (status, body)."""

    def get(user, url, **params):
        response = client_for(user).get(url, params)
        return response.status_code, response.json()

    return get
