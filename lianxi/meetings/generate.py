"""Synthetic meetings for ``lianxi generate``: for every synthetic conference a plenary each year (with
its agenda: chairing, report, unveilings, admissions, rotation handover, release, awards, exchanges,
speech) and working and liaison meetings in proportion, with the people in the posts they held that
day, the units admitted and exchanging, and the member count as a stated figure."""

import datetime
from collections import defaultdict

from django.db.models import F, OuterRef, Subquery

from lianxi.lib.numbers import chinese_ordinal
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure
from lianxi.registry.generate import (
    ANCHOR,
    FIRST_YEAR,
    MARK,
    SCALES,
    Timer,
    bulk_create,
    conference_plans,
    current_members,
    is_current,
    members_by_conference,
    plenary_date,
    progress,
    rng,
    synthetic_conferences,
    synthetic_units,
)
from lianxi.registry.models import Appointment, Conference, Membership

ROLE_LABEL = dict(Appointment.Role.choices)
TOPICS = ["共建共享阵地资源", "结对帮扶居民区", "党建引领基层治理", "服务楼宇白领", "志愿服务常态化", "人才双向交流",
          "为老服务项目化", "助力营商环境", "文化惠民进社区", "青年突击队建设"]


class _Meetings:
    def __init__(self, scale: str, seed: int, stdout):
        self.scale, self.seed, self.stdout = SCALES[scale], seed, stdout
        self.r = rng(seed, "meetings")
        self.plans = conference_plans()
        ids = [p.id for p in self.plans]
        self.members = members_by_conference(ids)
        self.posts = defaultdict(list)  # (conference id, role) → [(start, end, person id, unit id)]
        rows = Appointment.objects.filter(conference_id__in=ids).order_by("id").values_list(
            "conference_id", "role", "start", "end", "person_id", "unit_id")
        for conference_id, role, start, end, person_id, unit_id in rows.iterator(chunk_size=10_000):
            self.posts[(conference_id, role)].append((start, end, person_id, unit_id))
        self.unit_names = dict(synthetic_units().values_list("id", "name"))
        # Units admitted at a plenary: memberships that start on a handover day, after the founding.
        self.admitted = defaultdict(list)
        for plan in self.plans:
            for unit_id, start, _end in self.members[plan.id]:
                if start != plan.founded_on:
                    self.admitted[(plan.id, start)].append(unit_id)
        # Sub-conferences unveiled at their parent's plenary on their founding day.
        self.unveiled = defaultdict(list)
        for plan in self.plans:
            if plan.parent_id is not None:
                self.unveiled[(plan.parent_id, plan.founded_on)].append(plan)
        self.meetings, self.items, self.participants, self.units, self.exchanges, self.figures = [], [], [], [], [], []

    def holders(self, plan, role, day):
        return [(p, u) for start, end, p, u in self.posts[(plan.id, role)] if is_current(start, end, day)]

    def label(self, plan, role) -> str:
        return f"{plan.short_name}区域化党建联席会议{ROLE_LABEL[role]}"

    def item(self, meeting, kind, title, **extra) -> AgendaItem:
        item = AgendaItem(meeting=meeting, order=len(meeting._items) + 1, kind=kind, title=title, **extra)
        meeting._items.append(item)
        self.items.append(item)
        return item

    def person(self, item, plan, role, day, participant_role, title=None):
        """Put whoever held ``role`` on ``day`` on the item, with the post they held that day."""
        for k, (person_id, unit_id) in enumerate(self.holders(plan, role, day)[:1]):
            self.participants.append(AgendaParticipant(
                item=item, person_id=person_id, unit_id=unit_id, role=participant_role,
                title=title or self.label(plan, role), order=k + 1))

    def exchange(self, item, plan, day, live: int, written: int):
        now = current_members(self.members[plan.id], day)
        chosen = self.r.sample(now, min(live + written, len(now)))
        for k, unit_id in enumerate(chosen):
            self.exchanges.append(Exchange(
                item=item, unit_id=unit_id, mode=Exchange.Mode.LIVE if k < live else Exchange.Mode.WRITTEN,
                topic=f"{self.r.choice(TOPICS)}的做法（示例）", order=k + 1))

    def meeting(self, plan, kind, number, title, day) -> Meeting:
        hosts = self.holders(plan, Appointment.Role.ROTATING_CONVENER, day) or self.holders(
            plan, Appointment.Role.SECRETARY_GENERAL_UNIT, day)
        host = hosts[0][1] if hosts else None
        meeting = Meeting(
            conference_id=plan.id, kind=kind, number=number, title=title, date=day, host_unit_id=host,
            venue=f"{self.unit_names[host]}（示例会场）" if host in self.unit_names else "",
            summary=MARK, source=f"lianxi generate（种子 {self.seed}）",
            is_published=kind == Meeting.Kind.PLENARY,
        )
        meeting._items = []
        self.meetings.append(meeting)
        return meeting

    def plenary(self, plan, number, year):
        R = Appointment.Role
        day = plenary_date(self.seed, plan.name, year)
        m = self.meeting(plan, Meeting.Kind.PLENARY, number, f"{plan.name}第{chinese_ordinal(number)}次全体会议", day)
        self.person(self.item(m, AgendaItem.Kind.CHAIRING, "主持会议"), plan, R.ROTATING_CONVENER, day,
                    AgendaParticipant.Role.HOST)
        self.person(self.item(m, AgendaItem.Kind.REPORT, f"{year}年度工作情况介绍"), plan, R.SECRETARY_GENERAL, day,
                    AgendaParticipant.Role.INTRODUCER)
        for sub in self.unveiled[(plan.id, day)]:
            item = self.item(m, AgendaItem.Kind.UNVEILING, f"为{sub.name}揭牌", concerns_conference_id=sub.id)
            self.person(item, plan, R.CONVENER, day, AgendaParticipant.Role.UNVEILER)
        admitted = self.admitted[(plan.id, day)]
        if admitted:
            item = self.item(m, AgendaItem.Kind.ADMISSION, f"通过{len(admitted)}家新成员单位并授牌")
            self.person(item, plan, R.CONVENER, day, AgendaParticipant.Role.PRESENTER)
            self.units.extend(AgendaUnit(item=item, unit_id=u, role=AgendaUnit.Role.ADMITTED, order=k + 1)
                              for k, u in enumerate(admitted))
        incoming = [(p, u) for start, _end, p, u in self.posts[(plan.id, R.ROTATING_CONVENER)] if start == day]
        if incoming:
            item = self.item(m, AgendaItem.Kind.ADJUSTMENT, "调整轮值召集人")
            for k, (person_id, unit_id) in enumerate(incoming):
                self.participants.append(AgendaParticipant(
                    item=item, person_id=person_id, unit_id=unit_id, role=AgendaParticipant.Role.ATTENDEE,
                    title=f"新任{self.label(plan, R.ROTATING_CONVENER)}", order=k + 1))
        self.item(m, AgendaItem.Kind.RELEASE, f"发布{year}年度重点项目")
        if plan.parent_id is None and year >= FIRST_YEAR + 2:
            self.person(self.item(m, AgendaItem.Kind.AWARD, f"颁授{year}年度品牌项目"), plan, R.CONVENER, day,
                        AgendaParticipant.Role.PRESENTER)
        self.exchange(self.item(m, AgendaItem.Kind.EXCHANGE, "交流发言"), plan, day, live=3, written=2)
        self.person(self.item(m, AgendaItem.Kind.SPEECH, "讲话"), plan, R.CONVENER, day, AgendaParticipant.Role.SPEAKER)
        count = len(current_members(self.members[plan.id], day))
        self.figures.append(StatedFigure(meeting=m, key="member_count", label="成员单位数", value=count,
                                         unit_label="家", quote=f"成员单位共有{count}家（合成数据）"))

    def other(self, plan, kind, number, year, k):
        R = Appointment.Role
        low = datetime.date(year, 1, 1)
        if year == plan.founded_on.year:
            low = plan.founded_on + datetime.timedelta(days=1)
        high = min(datetime.date(year, 12, 31), ANCHOR)
        day = low + datetime.timedelta(days=self.r.randrange(max(1, (high - low).days + 1)))
        what = "工作会议" if kind == Meeting.Kind.WORKING else "联络员会议"
        m = self.meeting(plan, kind, number, f"{plan.short_name}区域化党建联席会议{year}年第{k}次{what}", day)
        self.person(self.item(m, AgendaItem.Kind.CHAIRING, "主持会议"), plan, R.SECRETARY_GENERAL, day,
                    AgendaParticipant.Role.HOST)
        if kind == Meeting.Kind.WORKING:
            self.item(m, AgendaItem.Kind.REPORT, "通报重点项目推进情况")
            self.exchange(self.item(m, AgendaItem.Kind.EXCHANGE, "书面交流"), plan, day, live=0, written=2)
        else:
            self.item(m, AgendaItem.Kind.REPORT, "布置联络员工作与三张清单更新")

    def build(self):
        conf_years = sum(len(p.plenary_years) for p in self.plans) or 1
        extra = max(0.0, (self.scale.meetings - conf_years) / conf_years)
        whole, frac = int(extra), extra - int(extra)
        for plan in progress(self.plans, desc="会议", unit="个联席会议"):
            numbers = defaultdict(int)
            for year in plan.plenary_years:
                numbers[Meeting.Kind.PLENARY] += 1
                self.plenary(plan, numbers[Meeting.Kind.PLENARY], year)
                count = whole + (1 if self.r.random() < frac else 0)
                for k in range(1, count + 1):
                    kind = Meeting.Kind.WORKING if k % 2 else Meeting.Kind.LIAISON
                    numbers[kind] += 1
                    self.other(plan, kind, numbers[kind], year, (k + 1) // 2)

    def save(self):
        bulk_create(Meeting, self.meetings, "会议")
        bulk_create(AgendaItem, self.items, "议程")
        bulk_create(AgendaParticipant, self.participants, "议程人员")
        bulk_create(AgendaUnit, self.units, "议程单位")
        bulk_create(Exchange, self.exchanges, "交流")
        bulk_create(StatedFigure, self.figures, "会议所载数字")

    def link_registry(self):
        """Point the registry at the meetings: where each sub-conference was unveiled, at which plenary
        each unit was admitted and each post started or ended."""
        unveiled_at = {item.concerns_conference_id: item.meeting_id for item in self.items
                       if item.kind == AgendaItem.Kind.UNVEILING}
        confs = list(Conference.objects.filter(pk__in=unveiled_at))
        for conf in confs:
            conf.founded_at_id = unveiled_at[conf.pk]
        Conference.objects.bulk_update(confs, ["founded_at"])
        plenary_on = Meeting.objects.filter(conference_id=OuterRef("conference_id"), kind=Meeting.Kind.PLENARY)
        synthetic = synthetic_conferences()
        Membership.objects.filter(conference__in=synthetic).exclude(start=F("conference__founded_on")).update(
            admitted_at=Subquery(plenary_on.filter(date=OuterRef("start")).values("id")[:1]))
        posts = Appointment.objects.filter(conference__in=synthetic)
        posts.update(appointed_at=Subquery(plenary_on.filter(date=OuterRef("start")).values("id")[:1]))
        posts.filter(end__isnull=False).update(
            ended_at=Subquery(plenary_on.filter(date=OuterRef("end")).values("id")[:1]))


def generate_meetings(scale: str, seed: int, stdout):
    """Meetings with agenda items, participants, admitted and exchanging units and stated figures."""
    gen = _Meetings(scale, seed, stdout)
    with Timer(stdout, "会议（生成）"):
        gen.build()
    with Timer(stdout, "会议与议程（写入）") as t:
        gen.save()
        t.rows = sum(len(x) for x in (gen.meetings, gen.items, gen.participants, gen.units, gen.exchanges, gen.figures))
    with Timer(stdout, "揭牌、入会与任职关联会议"):
        gen.link_registry()
    return {"meetings": len(gen.meetings), "agenda_items": len(gen.items), "participants": len(gen.participants),
            "agenda_units": len(gen.units), "exchanges": len(gen.exchanges), "figures": len(gen.figures)}


def reset_meetings(stdout):
    """Delete the meetings of synthetic conferences (agenda, participants, exchanges cascade)."""
    with Timer(stdout, "删除会议"):
        Meeting.objects.filter(conference__in=synthetic_conferences()).delete()
