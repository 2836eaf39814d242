"""Campaign data for ``lianxi demo``.

``load_huangpu_campaigns``: the tenth plenary's 十大品牌项目 and 百优支部 become the outcomes of two
campaigns. The article says only "经前期广泛征集、推荐、遴选" for the brand projects and that 100
党(总)支部 were named 百优支部 with 10 representatives receiving plaques; so the campaigns carry
``details_stated=False`` and no dates, bodies, quotas, rubric, reviewers, scores or nominations
(未载明), the 百优支部 honour carries the two stated figures and no names. They are recorded as
awarded at the plenary's 颁授 and 命名 items, which the Huangpu loader has already applied.

``load_demo_campaign``: a running campaign in a visibly synthetic conference (演示区…, 示例单位…),
never inside the Huangpu records."""

import datetime

from django.db import transaction
from django.utils import timezone

from lianxi.campaigns import services
from lianxi.campaigns.models import Campaign, Honour, Phase
from lianxi.lib.services import create_object
from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.registry.models import Conference, Unit

HUANGPU = "黄浦区区域化党建联席会议"
QUOTE_BRAND = "原文：“经前期广泛征集、推荐、遴选，评选出区域化党建‘十大品牌项目’”；征集、推荐、遴选的日期、名额、评审与评分均未载明。"
QUOTE_HONOUR = ("原文：“黄浦区命名了100个来自各领域的党(总)支部为‘百优支部’”，“为获评‘百优支部’的10位代表颁授奖牌”；"
                "名单、代表姓名及评选过程均未载明。")


@transaction.atomic
def load_huangpu_campaigns(actor=None) -> dict:
    district = Conference.objects.filter(name=HUANGPU).first()
    if district is None:
        return {}
    meeting = Meeting.objects.filter(conference=district, kind=Meeting.Kind.PLENARY, number=10).first()
    if meeting is None:
        return {}
    award = meeting.agenda_items.filter(kind=AgendaItem.Kind.AWARD).first()
    naming = meeting.agenda_items.filter(kind=AgendaItem.Kind.NAMING).first()
    out = {}
    specs = [
        ("brand", "区域化党建“十大品牌项目”评选", Campaign.Kind.BRAND, 10, None, "", award, QUOTE_BRAND),
        ("honour", "“百优支部”命名", Campaign.Kind.HONOUR, 100, 10, "百优支部", naming, QUOTE_HONOUR),
    ]
    for key, title, kind, places, reps, honour_name, item, quote in specs:
        campaign = Campaign.objects.filter(conference=district, title=title).first()
        if campaign is None:
            campaign = services.create_campaign(
                actor, conference=district, title=title, kind=kind, year=meeting.date.year, places=places,
                representatives=reps, honour_name=honour_name, details_stated=False, phase=Phase.AWARDED,
                awarded_at=item, source_note=quote, description="结果见2024-06-24第十次全体会议；过程细节未载明。")
        out[key] = campaign
    honour = Honour.objects.filter(campaign=out["honour"]).first()
    if honour is None:
        honour = create_object(actor, Honour, "campaigns.honour.create", conference=district, name="百优支部",
                               year=meeting.date.year, campaign=out["honour"], stated_count=100,
                               stated_representatives=10, named_at=naming)
    out["honour_list"] = honour
    return out


DEMO_CONFERENCE = "演示区区域化党建联席会议（示例）"


@transaction.atomic
def load_demo_campaign(actor=None) -> Campaign | None:
    """A brand-project selection in its call phase, in a synthetic conference with synthetic units."""
    from lianxi.registry.services import admit_unit, create_conference, create_unit

    if Campaign.objects.filter(conference__name=DEMO_CONFERENCE).exists():
        return Campaign.objects.filter(conference__name=DEMO_CONFERENCE).first()
    conference = create_conference(actor, name=DEMO_CONFERENCE, short_name="演示区", kind=Conference.Kind.DISTRICT,
                                   description="演示用的虚构联席会议，所有单位与数据均为示例。")
    today = timezone.localdate()
    units = []
    for i in range(1, 7):
        unit = create_unit(actor, name=f"示例单位{i:04d}（演示）", category=list(Unit.Category.values)[i % 6],
                           party_org_name=f"示例单位{i:04d}党支部", party_org_level=Unit.PartyOrgLevel.BRANCH)
        admit_unit(actor, unit=unit, conference=conference, start=today - datetime.timedelta(days=365))
        units.append(unit)
    campaign = services.create_campaign(
        actor, conference=conference, title="演示：年度区域化党建品牌项目评选", kind=Campaign.Kind.BRAND,
        year=today.year, places=3, reviews_per_nomination=2, call_start=today - datetime.timedelta(days=7),
        call_end=today + datetime.timedelta(days=21), notice_start=today + datetime.timedelta(days=45),
        notice_end=today + datetime.timedelta(days=52),
        fields=[{"key": "effect", "label": "实施成效", "required": True}],
        description="【示例数据】演示评选流程，非真实活动。")
    body = services.add_body(actor, campaign, name="演示区推荐主体（示例）", quota=4, conference=conference)
    services.add_criterion(actor, campaign, name="实施成效", weight=50)
    services.add_criterion(actor, campaign, name="示范带动", weight=30)
    services.add_criterion(actor, campaign, name="可持续性", weight=20)
    services.advance(actor, campaign)
    for i, unit in enumerate(units[:4], 1):
        services.create_nomination(actor, campaign, unit=unit, body=body, title=f"示例品牌项目{i}（演示）",
                                   links=["brand"], values={"effect": "示例成效说明"}, submit=i % 2 == 1)
    campaign.refresh_from_db()
    return campaign
