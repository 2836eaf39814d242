"""Plain builders for the registry page tests: meetings, posts and projects around ``world``.
Everything is visibly synthetic (示例…)."""

import datetime

from lianxi.lib.services import create_object
from lianxi.meetings.models import AgendaItem, Meeting, StatedFigure
from lianxi.projects.services import create_project
from lianxi.registry.models import Appointment, Unit
from lianxi.registry.services import admit_unit, appoint, create_person, create_unit

DAY = datetime.date(2024, 6, 24)


def plenary(conference, number=10, *, date=DAY, published=True) -> Meeting:
    return create_object(None, Meeting, "test.meeting", conference=conference, kind=Meeting.Kind.PLENARY,
                         number=number, title=f"{conference.display_name}第{number}次全体会议（示例）", date=date,
                         is_published=published)


def agenda(meeting, kind, title="示例议程", order=None) -> AgendaItem:
    order = order or (meeting.agenda_items.count() + 1)
    return create_object(None, AgendaItem, "test.agenda", meeting=meeting, order=order, kind=kind, title=title)


def figure(meeting, value=66) -> StatedFigure:
    return create_object(None, StatedFigure, "test.figure", meeting=meeting, key="member-units",
                         label="成员单位共有", value=value, unit_label="家")


def member_units(conference, n, prefix="示例成员单位", start=datetime.date(2021, 1, 1)) -> list[Unit]:
    units = []
    for i in range(n):
        unit = create_unit(None, name=f"{prefix}{i:04d}", category=list(Unit.Category.values)[i % 6],
                           party_org_name=f"{prefix}{i:04d}党委", party_org_level=Unit.PartyOrgLevel.COMMITTEE)
        admit_unit(None, unit=unit, conference=conference, start=start)
        units.append(unit)
    return units


def people(unit, n, prefix="示例人员") -> list:
    return [create_person(None, name=f"{prefix}{i:03d}", unit=unit, title="示例职务") for i in range(n)]


def rotating_terms(conference, units, *, first_start: datetime.date):
    """One one-year rotating-convener term per unit, back to back from ``first_start``."""
    posts = []
    for i, unit in enumerate(units):
        person = create_person(None, name=f"示例轮值{i:03d}", unit=unit)
        start = first_start.replace(year=first_start.year + i)
        posts.append(appoint(None, conference=conference, role=Appointment.Role.ROTATING_CONVENER, person=person,
                             unit=unit, start=start, end=start.replace(year=start.year + 1)))
    return posts


def projects(conference, n, *, year=2024, kind="key", published=True, lead=None, prefix="示例项目"):
    return [create_project(None, conference=conference, title=f"{prefix}{i:03d}", kind=kind, year=year,
                           lead_unit=lead, links=["organisation", "talent"] if i % 2 else ["brand"],
                           is_published=published, order=i)
            for i in range(n)]
