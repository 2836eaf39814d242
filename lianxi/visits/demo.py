"""A visibly synthetic conference for ``lianxi demo`` that shows the visits room working: a
quarter's visit plan computed and partly done (with a need raised into the lists), organisation
coverage with a trend, venues, a secondment batch and a rotation rule.

Nothing here concerns Huangpu: the article states no visit, venue or secondment, so none is
invented for it. Every name says it is a sample (演示…, 示例单位…). Every write goes through a
service; loading twice changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lianxi.accounts.models import Grant
from lianxi.accounts.services import grant_role, user_holds
from lianxi.lists.models import NeedCategory
from lianxi.registry import services as registry
from lianxi.registry.models import Area, Conference, Person, Unit, Venue
from lianxi.visits import services
from lianxi.visits.models import Visit, Visitor

CONFERENCE = "演示区域化党建联席会议（示例数据）"
NOTE = "演示用示例数据，并非真实单位、人员或走访记录。"
STREETS = ["演示街道甲", "演示街道乙", "演示街道丙"]
# (category, party organisation level) cycled over the sample units.
KINDS = [
    (Unit.Category.ENTERPRISE, Unit.PartyOrgLevel.COMMITTEE),
    (Unit.Category.NEW_ECONOMIC, Unit.PartyOrgLevel.BRANCH),
    (Unit.Category.NEW_ECONOMIC, Unit.PartyOrgLevel.NONE),
    (Unit.Category.NEW_SOCIAL, Unit.PartyOrgLevel.BRANCH),
    (Unit.Category.NEW_SOCIAL, Unit.PartyOrgLevel.UNKNOWN),
    (Unit.Category.ORGAN, Unit.PartyOrgLevel.LEADING_GROUP),
]
UNITS = 24


@transaction.atomic
def load_samples(actor=None) -> dict:
    """Build the demo conference once; a second call finds it and does nothing."""
    if Conference.objects.filter(name=CONFERENCE).exists():
        return {}
    today = timezone.localdate()
    district = registry.create_area(actor, name="演示区（示例）", kind=Area.Kind.DISTRICT)
    streets = [registry.create_area(actor, name=name, kind=Area.Kind.STREET, parent=district) for name in STREETS]
    conference = registry.create_conference(actor, name=CONFERENCE, short_name="演示联席", kind=Conference.Kind.DISTRICT,
                                            area=district, description=NOTE, is_public=False)
    units = []
    for i in range(UNITS):
        category, level = KINDS[i % len(KINDS)]
        founded = None
        if level not in (Unit.PartyOrgLevel.NONE, Unit.PartyOrgLevel.UNKNOWN) and i % 4:
            founded = today - datetime.timedelta(days=60 * (i + 1))
        unit = registry.create_unit(actor, name=f"示例走访单位{i + 1:04d}（演示）", category=category, party_org_level=level,
                                    party_org_founded_on=founded, area=streets[i % len(streets)], description=NOTE)
        registry.admit_unit(actor, unit=unit, conference=conference, start=today - datetime.timedelta(days=400 - 10 * i),
                            note=NOTE)
        units.append(unit)

    people = [Person.objects.create(name=name, unit=units[k], title="演示走访人（示例）")
              for k, name in ((0, "演示走访人甲"), (5, "演示走访人乙"))]
    secretariat_user = get_user_model().objects.filter(username="demo-secretariat").first()
    if secretariat_user is not None:
        # The demo secretariat account runs this sample conference too and visits as 演示走访人甲.
        if not user_holds(secretariat_user, Grant.Role.SECRETARIAT, conference=conference):
            grant_role(actor, user=secretariat_user, role=Grant.Role.SECRETARIAT, conference=conference)
        if not Person.objects.filter(user=secretariat_user).exists():
            people[0].user = secretariat_user
            people[0].save(update_fields=["user"])

    # Thirteen weeks from today (not the calendar quarter, which may be nearly over on the day the
    # demo is loaded).
    plan = services.create_plan(actor, conference=conference, start=today, end=today + datetime.timedelta(days=90),
                                title="演示联席 未来十三周常态走访（示例）")
    services.add_visitor(actor, plan, person=people[0], role=Visitor.Role.SECRETARIAT, capacity=4)
    services.add_visitor(actor, plan, person=people[1], role=Visitor.Role.NAMED, capacity=3,
                         unavailable=[today + datetime.timedelta(days=d) for d in range(7, 12)])
    services.set_unit_unavailable(actor, plan, unit=units[3], dates=[today + datetime.timedelta(days=d) for d in range(10)])
    services.compute_plan(actor, plan, time_limit=3)
    # One visit done today, with a need raised into the lists.
    first = Visit.objects.filter(plan=plan, state=Visit.State.PLANNED).order_by("planned_on", "id").first()
    category = NeedCategory.objects.filter(is_active=True).order_by("order").first()
    if first is not None and category is not None:
        services.record_visit(actor, first, done_on=today, participants="演示走访人甲", met_with="示例负责人（演示）",
                              notes="【示例数据】演示用走访记录。",
                              needs=[{"title": "【示例】社区志愿服务场地", "category": category, "quantity": 2,
                                      "quantity_unit": "场/月", "description": "【示例数据】演示用需求。"}])

    for i, unit in enumerate(units[:6]):
        registry.create_venue(actor, name=f"演示党群服务站点{i + 1}", kind=Venue.Kind.SERVICE_STATION, owner=unit,
                              area=unit.area, capacity=30 + 10 * i, opening_hours="工作日 9:00–17:00（示例）",
                              access=Venue.Access.MEMBERS, access_note="演示用示例阵地")
    batch = services.create_batch(actor, conference=conference, name="演示双向交流第一批（示例）", year=today.year,
                                  description=NOTE)
    cadres = [Person.objects.create(name=f"演示交流干部{k}", unit=units[k], title="示例") for k in (1, 2)]
    for k, person in enumerate(cadres):
        services.add_secondment(actor, batch=batch, person=person, home_unit=person.unit, host_unit=units[12 + k],
                                host_post="党建工作指导员（示例）", kind="attachment",
                                start=today - datetime.timedelta(days=30), end=today + datetime.timedelta(days=150))
    services.set_rotation_rule(actor, conference, order=units[:6], term_months=12, seats=2,
                               note="演示规则：按顺序每年两家轮值（示例）")
    return {"conference": conference, "plan": plan}
