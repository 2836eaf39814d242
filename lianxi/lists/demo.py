"""A small, plainly labelled sample of the lists for ``lianxi demo``, so a new user sees needs,
resources, claims and deliveries working in the Huangpu conference.

The article names 淮海中路街道党工委 and 五里桥街道党工委 (they gave exchanges) but states no need of
theirs: every need here is titled 【示例】 and says in its description that it is sample data, not
something the article or the streets said. No real organisation is shown offering or claiming
anything: the resource and the claims belong to one visibly synthetic unit, 示例共建单位（演示）, admitted
to the conference with a note saying so. The demo liaison's own unit can claim the open samples in
the hall. Every write goes through a service; loading twice changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from lianxi.lists import services
from lianxi.lists.models import Cadence, Claim, Need, NeedCategory, Resource, Urgency
from lianxi.registry import services as registry
from lianxi.registry.models import Conference, Membership, Unit

DISTRICT = "黄浦区区域化党建联席会议"
MARK = "【示例数据】本条为演示用示例，并非报道所载或该单位提出的真实需求。"
SAMPLE_UNIT = "示例共建单位（演示）"
SAMPLE_NOTE = "演示用示例单位，并非真实成员单位；其资源和认领均为示例数据。"

NEEDS = [
    # (owner unit, title, category code, quantity, unit label, beneficiaries, urgency, days to deadline)
    ("淮海中路街道", "【示例】社区老年人助餐服务志愿者", "elderly", 10, "人", "辖区独居老人（示例）", Urgency.SOON, 60),
    ("淮海中路街道", "【示例】居民区党群服务站周末活动场地", "venue", 4, "场/月", "居民区党员和居民（示例）", Urgency.NORMAL, 120),
    ("五里桥街道", "【示例】青少年暑期科普讲座", "youth", 6, "场", "辖区中小学生（示例）", Urgency.NORMAL, 90),
    ("五里桥街道", "【示例】社区法律咨询进楼宇", "legal", 12, "次", "楼宇白领和居民（示例）", Urgency.NORMAL, 180),
]
RESOURCE = ("【示例】党群活动室周末开放", "venue", Resource.Kind.VENUE, 4, "场", Resource.Period.MONTHLY)


def _sample_unit(actor, conference: Conference) -> Unit:
    unit = Unit.objects.filter(name=SAMPLE_UNIT).first()
    if unit is None:
        unit = registry.create_unit(actor, name=SAMPLE_UNIT, category=Unit.Category.ENTERPRISE,
                                    party_org_level=Unit.PartyOrgLevel.UNKNOWN, description=SAMPLE_NOTE)
    if not Membership.objects.current().filter(unit=unit, conference=conference).exists():
        registry.admit_unit(actor, unit=unit, conference=conference, start=timezone.localdate() - datetime.timedelta(days=30),
                            note=SAMPLE_NOTE)
    return unit


@transaction.atomic
def load_samples(actor=None) -> dict:
    """Load (or complete) the sample lists of the Huangpu conference; a no-op without it."""
    conference = Conference.objects.filter(name=DISTRICT).first()
    if conference is None:
        return {}
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

    sample = _sample_unit(actor, conference)
    title, code, kind, capacity, unit_label, period = RESOURCE
    resource = Resource.objects.filter(unit=sample, title=title).first()
    if resource is None:
        streets = [n.area for n in needs.values() if n.area_id]
        resource = services.offer_resource(
            actor, areas=sorted(set(streets), key=lambda a: a.pk), conference=conference, unit=sample, title=title,
            description="【示例数据】演示用示例资源。", category=categories[code], kind=kind, capacity=capacity,
            capacity_unit=unit_label, period=period, conditions="【示例数据】需提前一周预约（示例）。",
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
