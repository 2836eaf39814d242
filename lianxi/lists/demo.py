"""A small, plainly synthetic sample of the lists for ``lianxi demo``, so a new user sees needs,
resources, claims and deliveries working — in a conference of its own.

The Huangpu reference data holds only what the seed article states, so nothing here touches it: the
samples live in 演示联席会议（虚构）, a visibly fictitious conference whose member units are 示例街道甲（演示）,
示例街道乙（演示） and 示例共建单位（演示）, in a fictitious 示例区（演示）. Every need is titled 【示例】
and says it is sample data. The demo accounts for the street, the liaison and the secretariat work
here. Every write goes through a service; loading twice changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from lianxi.lists import services
from lianxi.lists.models import Cadence, Claim, Need, NeedCategory, Resource, Urgency
from lianxi.registry import services as registry
from lianxi.registry.models import Area, Conference, Membership, Unit

CONFERENCE = "演示联席会议（虚构）"
CONFERENCE_NOTE = "【演示】虚构的联席会议，仅用于演示清单、认领和交付如何运转；其成员单位、需求和资源均为示例数据。"
AREA = "示例区（演示）"
MARK = "【示例数据】本条为演示用示例，并非任何真实单位提出的需求。"
SAMPLE_UNIT = "示例共建单位（演示）"
SAMPLE_NOTE = "演示用示例单位，并非真实成员单位；其资源和认领均为示例数据。"
STREET_A = "示例街道甲（演示）"
STREET_B = "示例街道乙（演示）"
STREET_NOTE = "演示用示例街道，并非真实街道；其需求均为示例数据。"

NEEDS = [
    # (owner unit, title, category code, quantity, unit label, beneficiaries, urgency, days to deadline)
    (STREET_A, "【示例】社区老年人助餐服务志愿者", "elderly", 10, "人", "辖区独居老人（示例）", Urgency.SOON, 60),
    (STREET_A, "【示例】居民区党群服务站周末活动场地", "venue", 4, "场/月", "居民区党员和居民（示例）", Urgency.NORMAL, 120),
    (STREET_B, "【示例】青少年暑期科普讲座", "youth", 6, "场", "辖区中小学生（示例）", Urgency.NORMAL, 90),
    (STREET_B, "【示例】社区法律咨询进楼宇", "legal", 12, "次", "楼宇白领和居民（示例）", Urgency.NORMAL, 180),
]
RESOURCE = ("【示例】党群活动室周末开放", "venue", Resource.Kind.VENUE, 4, "场", Resource.Period.MONTHLY)
# A second resource, for 示例街道乙's science lectures: what the recommended matches invite the
# sample unit to take on (lianxi.matching.demo).
LECTURERS = ("【示例】青少年科普讲师", "youth", Resource.Kind.VOLUNTEERS, 6, "场", Resource.Period.MONTHLY)


def _member(actor, conference: Conference, name: str, category: str, note: str, area=None) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        unit = registry.create_unit(actor, name=name, category=category, area=area,
                                    party_org_level=Unit.PartyOrgLevel.UNKNOWN, description=note)
    if not Membership.objects.current().filter(unit=unit, conference=conference).exists():
        registry.admit_unit(actor, unit=unit, conference=conference, start=timezone.localdate() - datetime.timedelta(days=30),
                            note=note)
    return unit


def demo_conference(actor=None) -> Conference:
    """The fictitious conference with its area, two sample streets and the sample co-building unit."""
    district = Area.objects.filter(name=AREA, parent=None).first() or registry.create_area(
        actor, name=AREA, kind=Area.Kind.DISTRICT)
    conference = Conference.objects.filter(name=CONFERENCE).first() or registry.create_conference(
        actor, name=CONFERENCE, short_name="演示（虚构）", kind=Conference.Kind.DISTRICT, area=district,
        description=CONFERENCE_NOTE)
    for name in (STREET_A, STREET_B):
        area = Area.objects.filter(name=name, parent=district).first() or registry.create_area(
            actor, name=name, kind=Area.Kind.STREET, parent=district)
        _member(actor, conference, name, Unit.Category.STREET, STREET_NOTE, area=area)
    _member(actor, conference, SAMPLE_UNIT, Unit.Category.ENTERPRISE, SAMPLE_NOTE)
    return conference


@transaction.atomic
def load_samples(actor=None) -> dict:
    """Load (or complete) the sample lists of the fictitious demo conference."""
    conference = demo_conference(actor)
    today = timezone.localdate()
    categories = {c.code: c for c in NeedCategory.objects.all()}
    needs = {}
    for owner_name, title, code, quantity, unit_label, beneficiaries, urgency, days in NEEDS:
        owner = Unit.objects.filter(name=owner_name).first()
        if owner is None:
            continue
        need = Need.objects.filter(conference=conference, owner=owner, title=title).first()
        if need is None:
            need = services.post_need(
                actor, publish=True, conference=conference, owner=owner, title=title, description=MARK,
                category=categories[code], area=owner.area, quantity=quantity, quantity_unit=unit_label,
                beneficiaries=beneficiaries, deadline=today + datetime.timedelta(days=days), urgency=urgency,
                source=Need.Source.POSTED, source_note="示例数据",
            )
        needs[title] = need
    if not needs:
        return {}

    sample = Unit.objects.get(name=SAMPLE_UNIT)
    title, code, kind, capacity, unit_label, period = RESOURCE
    resource = Resource.objects.filter(unit=sample, title=title).first()
    if resource is None:
        streets = [n.area for n in needs.values() if n.area_id]
        resource = services.offer_resource(
            actor, areas=sorted(set(streets), key=lambda a: a.pk), conference=conference, unit=sample, title=title,
            description="【示例数据】演示用示例资源。", category=categories[code], kind=kind, capacity=capacity,
            capacity_unit=unit_label, period=period, conditions="【示例数据】需提前一周预约（示例）。",
        )

    title, code, kind, capacity, unit_label, period = LECTURERS
    if not Resource.objects.filter(unit=sample, title=title).exists():
        street_b = Area.objects.get(name=STREET_B)
        services.offer_resource(
            actor, areas=[street_b], conference=conference, unit=sample, title=title,
            description="【示例数据】演示用示例资源：为中小学生讲科普。", category=categories[code], kind=kind,
            capacity=capacity, capacity_unit=unit_label, period=period, conditions="【示例数据】提前两周预约（示例）。",
        )

    # One one-off claim with a delivery waiting for the street to confirm it ...
    helpers = needs.get(NEEDS[0][1])
    if helpers is not None and not Claim.objects.filter(need=helpers, unit=sample).exists():
        claim = services.claim_need(actor, helpers, unit=sample, quantity=4, note="【示例数据】")
        services.record_delivery(actor, claim.deliveries.get(), note="【示例数据】首批志愿者已到岗（示例）")
    # ... and one long-term monthly claim drawing on the sample resource.
    venue = needs.get(NEEDS[1][1])
    if venue is not None and not Claim.objects.filter(need=venue, unit=sample).exists():
        services.claim_need(actor, venue, unit=sample, quantity=2, resource=resource, cadence=Cadence.MONTHLY,
                            note="【示例数据】每月两场（示例）")
    return {"needs": needs, "resource": resource, "unit": sample}
