"""Synthetic lists for ``lianxi generate``: needs, resources, claims (some joint, some long-term) and
deliveries over ten years, in proportion to the scale (city: about 1,000,000 needs and claims,
100,000 open needs, 20,000 resources; district: about a sixteenth of that).

Built for the synthetic conferences, units and areas the registry step made; every title says
示例需求/示例资源 and every description says it is synthetic. Rows follow from the seed alone and
are written with ``bulk_create`` in chunks, so the city scale never holds all rows in memory. The
invariants the services keep hold here too: ``claimed_quantity`` is the sum of the non-cancelled
claims and never exceeds the quantity, and each state is one the claims and deliveries imply."""

import datetime
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from lianxi.lib.text import pinyin_initials, search_key
from lianxi.lists.models import Cadence, Claim, ClaimShare, Delivery, Need, NeedCategory, Resource, Urgency
from lianxi.registry.generate import (
    ANCHOR,
    FIRST_YEAR,
    MARK,
    FastInsert,
    Timer,
    bulk_create,
    conference_plans,
    current_members,
    indexes_deferred,
    members_by_conference,
    progress,
    rng,
    synthetic_conferences,
)
from lianxi.registry.models import Area, Conference, Unit


@dataclass(frozen=True)
class ListScale:
    needs: int  # over the ten years, open ones included
    open_needs: int  # published or partly claimed on the anchor day
    claims: int  # about this many follow from the needs' states (not a target the builder counts to)
    resources: int


LIST_SCALES = {
    "tiny": ListScale(needs=300, open_needs=50, claims=200, resources=40),
    "district": ListScale(needs=32_500, open_needs=6_250, claims=30_000, resources=1_250),
    "city": ListScale(needs=520_000, open_needs=100_000, claims=480_000, resources=20_000),
}
CHUNK = 20_000
TOPICS = {
    "elderly": ["助餐送餐", "独居老人探访", "适老化改造", "老年人智能手机课"],
    "youth": ["暑期托管", "科普讲座", "课后辅导", "职业体验"],
    "employment": ["招聘专场", "创业指导", "技能培训", "见习岗位"],
    "culture": ["社区演出", "读书会", "非遗体验", "观影活动"],
    "health": ["义诊", "健康讲座", "心理疏导", "急救培训"],
    "legal": ["法律咨询", "调解服务", "普法讲座", "合同审查"],
    "environment": ["楼道微更新", "垃圾分类宣传", "口袋花园", "绿化认养"],
    "venue": ["活动场地", "会议室", "党群服务站", "运动场地"],
    "volunteering": ["志愿者招募", "文明引导", "助老志愿", "环境整治志愿"],
    "funding": ["项目资金", "困难帮扶", "设施采购", "活动经费"],
    "other": ["综合服务", "宣传展示", "便民服务", "结对共建"],
}
UNITS_LABEL = ["人", "场", "次", "场/月", "人次", "小时"]
KIND_BY_CATEGORY = {
    "venue": Resource.Kind.VENUE, "volunteering": Resource.Kind.VOLUNTEERS, "legal": Resource.Kind.EXPERTISE,
    "health": Resource.Kind.SERVICE, "funding": Resource.Kind.FUNDING, "employment": Resource.Kind.JOBS,
    "youth": Resource.Kind.TRAINING,
}
DAYS = (ANCHOR - datetime.date(FIRST_YEAR, 1, 1)).days


SOURCES = list(Need.Source.values)
URGENCIES = list(Urgency.values)
CLAIMABLE = frozenset(Need.CLAIMABLE_STATES)


@functools.cache
def _keys(text: str) -> tuple[str, str]:
    return search_key(text), pinyin_initials(text)


def _search_text(prefix: str, number: str, topic: str) -> str:
    """``Need.derive`` for a generated title, from cached pieces (pinyin is the slow part)."""
    (pk, pi), (tk, ti) = _keys(prefix), _keys(topic)
    # pypinyin keeps a run of digits as one token, and the initials keep it whole.
    return f"{pk}{number}{tk} {pi}{number}{ti}"[:300]


@functools.cache
def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _street_areas() -> dict[int | None, list[int]]:
    """``{area_id: [street or residents' area ids below it]}`` for the conferences' areas."""
    parent = dict(Area.objects.values_list("id", "parent_id"))
    kinds = dict(Area.objects.values_list("id", "kind"))
    below = defaultdict(list)
    for area_id, kind in kinds.items():
        if kind == Area.Kind.DISTRICT:
            continue
        node = parent.get(area_id)
        while node is not None:
            below[node].append(area_id)
            node = parent.get(node)
    return below


class Builder:
    def __init__(self, scale: str, seed: int, stdout):
        self.s = LIST_SCALES[scale]
        self.r = rng(seed, "lists")
        self.stdout = stdout
        self.counts = defaultdict(int)
        self.categories = list(NeedCategory.objects.filter(is_active=True).order_by("order").values_list("id", "code"))
        plans = [p for p in conference_plans() if p.founded_on <= ANCHOR]
        members = members_by_conference([p.id for p in plans])
        units = {u: (cat, area) for u, cat, area in Unit.objects.filter(
            memberships__conference_id__in=[p.id for p in plans]).values_list("id", "category", "area_id").distinct()}
        conference_area = dict(Conference.objects.filter(pk__in=[p.id for p in plans]).values_list("id", "area_id"))
        by_parent = {p.id: p.parent_id for p in plans}
        below = _street_areas()
        self.conferences = []  # (id, weight, owners, claimants, areas)
        for plan in plans:
            now = current_members(members[plan.id], ANCHOR)
            if len(now) < 3:
                continue
            area = conference_area.get(plan.id) or conference_area.get(by_parent.get(plan.id))
            areas = [a for a in below.get(area, []) if a is not None] or [
                a for a in (units[u][1] for u in now) if a is not None]
            if not areas:
                continue
            owners = [u for u in now if units[u][0] == Unit.Category.STREET] or now[: max(1, len(now) // 10)]
            claimants = [u for u in now if units[u][0] != Unit.Category.STREET] or now
            self.conferences.append((plan.id, len(now), owners, claimants, areas, units))
        self.weights = [c[1] for c in self.conferences]
        # random.choices with weights adds them up on every call (327 conferences at city scale, once per
        # need): added up once here, the same draws.
        self.cum_weights = list(itertools.accumulate(self.weights))
        # Needs, claims, their shares and deliveries are written as prepared rows (FastInsert), a
        # chunk at a time: at city scale that is millions of rows, and model instances and
        # bulk_create's per-value preparation were most of the run.
        self.need_rows, self.claim_rows = FastInsert(Need), FastInsert(Claim)
        self.share_rows, self.delivery_rows = FastInsert(ClaimShare), FastInsert(Delivery)

    def pick_conference(self):
        return self.r.choices(self.conferences, cum_weights=self.cum_weights)[0]

    # ------------------------------------------------------------------ needs, claims, deliveries

    def plan_need(self, index: int, open_need: bool):
        r = self.r
        conf_id, _w, owners, claimants, areas, units = self.pick_conference()
        owner = r.choice(owners)
        owner_area = units[owner][1]
        area = owner_area if owner_area in areas else r.choice(areas)
        category_id, code = r.choice(self.categories)
        if open_need:
            created = ANCHOR - datetime.timedelta(days=r.randrange(1, 180))
        else:
            # Older needs; a few more each year as the platform spreads.
            created = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=int(DAYS * (r.random() ** 0.8)))
            created = min(created, ANCHOR - datetime.timedelta(days=1))
        quantity = r.choice([1, 1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 30, 50])
        deadline = created + datetime.timedelta(days=r.randrange(30, 365))
        if open_need:
            deadline = ANCHOR + datetime.timedelta(days=r.randrange(30, 365))
        topic = r.choice(TOPICS.get(code, TOPICS["other"]))
        need = self.need_rows.new(
            conference_id=conf_id, owner_id=owner, source=r.choices(SOURCES, [80, 12, 8])[0],
            title=f"示例需求{index:07d}{topic}", description=MARK,
            category_id=category_id, area_id=area, quantity=quantity, quantity_unit=r.choice(UNITS_LABEL),
            claimed_quantity=0,
            beneficiaries="示例受益对象", deadline=deadline,
            urgency=r.choices(URGENCIES, [70, 20, 10])[0],
            contact_name=f"示例联系人{owner % 10000:04d}", contact_phone=f"000-{owner % 100000000:08d}",
            created_at=_aware(created, 9), published_at=_aware(created, 10),
        )
        need.search_text = _search_text("示例需求", f"{index:07d}", topic)
        return need, claimants, created

    def claims_for(self, need, claimants, created: datetime.date, open_need: bool, state_hint: str):
        """Claims that fill ``need`` to the amount its intended state needs; returns them with
        their shares and deliveries, and sets the need's claimed quantity and state."""
        r = self.r
        S = Need.State
        if state_hint in (S.WITHDRAWN, S.EXPIRED, S.PUBLISHED):
            need.state = state_hint
            return [], [], []
        target = need.quantity if state_hint != S.PARTLY_CLAIMED else r.randrange(1, need.quantity) if need.quantity > 1 else 0
        if target == 0:
            need.state = S.PUBLISHED
            return [], [], []
        pool = [u for u in claimants if u != need.owner_id]
        if not pool:
            need.state = S.PUBLISHED
            return [], [], []
        # Mostly one claimant; sometimes two or three share a need.
        how_many = min(target, r.choices([1, 2, 3], [75, 18, 7])[0])
        cuts = sorted(r.sample(range(1, target), how_many - 1)) if how_many > 1 else []
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, target], strict=True)]
        chosen = r.sample(pool, min(len(parts), len(pool)))
        parts = parts[: len(chosen)]
        if sum(parts) < target:
            parts[-1] += target - sum(parts)
        claims, shares, deliveries = [], [], []
        delivering = state_hint in (S.IN_DELIVERY, S.DELIVERED, S.CONFIRMED, S.CLOSED)
        for unit, qty in zip(chosen, parts, strict=True):
            start = created + datetime.timedelta(days=r.randrange(1, 20))
            start = min(start, ANCHOR)
            long_term = r.random() < 0.15
            cadence = r.choice([Cadence.WEEKLY, Cadence.MONTHLY, Cadence.MONTHLY, Cadence.QUARTERLY]) if long_term else Cadence.ONCE
            end_on = None
            if long_term and (state_hint != S.IN_DELIVERY or r.random() < 0.5):
                end_on = start + datetime.timedelta(days=r.choice([90, 180, 365]))
            finished = state_hint in (S.DELIVERED, S.CONFIRMED, S.CLOSED)
            claim = self.claim_rows.new(need_id=need.id, conference_id=need.conference_id, unit_id=unit, quantity=qty, cadence=cadence,
                          start_on=start, end_on=end_on if cadence != Cadence.ONCE else None,
                          state=Claim.State.COMPLETED if finished else Claim.State.ACTIVE,
                          created_at=_aware(start, 11), ended_at=_aware(min(start + datetime.timedelta(days=60), ANCHOR), 16) if finished else None)
            if finished and cadence != Cadence.ONCE and claim.end_on is None:
                claim.end_on = start + datetime.timedelta(days=90)
            claims.append(claim)
            if qty > 1 and r.random() < 0.1 and len(pool) > 1:
                partner = r.choice([u for u in pool if u != unit])
                shares.append(self.share_rows.new(claim_id=claim.id, unit_id=unit, quantity=qty - 1))
                shares.append(self.share_rows.new(claim_id=claim.id, unit_id=partner, quantity=1))
            if delivering:
                deliveries.extend(self._deliveries(claim, state_hint))
        need.claimed_quantity = target
        if state_hint == S.PARTLY_CLAIMED:
            need.state = S.PARTLY_CLAIMED
        else:
            need.state = state_hint
        return claims, shares, deliveries

    def _deliveries(self, claim, state_hint: str) -> list:
        r = self.r
        S = Need.State
        out = []
        if claim.cadence == Cadence.ONCE:
            dues = [claim.start_on + datetime.timedelta(days=30)]
        else:
            step = {Cadence.WEEKLY: 7, Cadence.MONTHLY: 30, Cadence.QUARTERLY: 91}[claim.cadence]
            last = claim.end_on or ANCHOR + datetime.timedelta(days=31)
            dues = [claim.start_on + datetime.timedelta(days=step * k) for k in range(1, 13)
                    if claim.start_on + datetime.timedelta(days=step * k) <= last] or [claim.end_on or claim.start_on + datetime.timedelta(days=step)]
        for seq, due in enumerate(dues, start=1):
            d = self.delivery_rows.new(claim_id=claim.id, conference_id=claim.conference_id, sequence=seq,
                                       due_on=due, quantity=None)
            past = due <= ANCHOR
            if state_hint in (S.CONFIRMED, S.CLOSED) or (state_hint == S.DELIVERED and seq < len(dues)):
                self._deliver(d, due, confirmed=True, quantity=claim.quantity)
            elif state_hint == S.DELIVERED:
                self._deliver(d, due, confirmed=False, quantity=claim.quantity)
            elif past and (seq == 1 or r.random() < 0.85):
                # In delivery: the first is always delivered (that is what "in delivery" means);
                # some later ones are missed and show as overdue.
                self._deliver(d, due, confirmed=r.random() < 0.7, quantity=claim.quantity)
            out.append(d)
        return out

    def _deliver(self, d, due: datetime.date, *, confirmed: bool, quantity: int):
        r = self.r
        delivered = min(due + datetime.timedelta(days=r.randrange(-3, 5)), ANCHOR)
        d.state = Delivery.State.DELIVERED
        d.delivered_on = delivered
        d.quantity = quantity
        if confirmed:
            d.state = Delivery.State.CONFIRMED
            d.confirmed_on = _aware(min(delivered + datetime.timedelta(days=r.randrange(0, 10)), ANCHOR), 15)
            if r.random() < 0.6:
                d.rating = r.choices([3, 4, 5], [10, 35, 55])[0]

    def state_hint(self, open_need: bool, created: datetime.date) -> str:
        S = Need.State
        r = self.r
        if open_need:
            return r.choice([S.PUBLISHED, S.PUBLISHED, S.PARTLY_CLAIMED])
        age = (ANCHOR - created).days
        if age < 120:
            return r.choices([S.CLAIMED, S.IN_DELIVERY, S.DELIVERED, S.WITHDRAWN], [25, 55, 15, 5])[0]
        if age < 365:
            return r.choices([S.IN_DELIVERY, S.DELIVERED, S.CONFIRMED, S.CLOSED, S.EXPIRED, S.WITHDRAWN],
                             [20, 10, 25, 30, 10, 5])[0]
        return r.choices([S.CLOSED, S.CONFIRMED, S.EXPIRED, S.WITHDRAWN], [70, 10, 14, 6])[0]

    def make_needs(self):
        with indexes_deferred(Need, Claim, ClaimShare, Delivery):
            self._make_needs()

    def _make_needs(self):
        total, open_total = self.s.needs, self.s.open_needs
        # Claims come with the claimed states; their count follows from the share of such needs.
        index = 0
        for start in progress(range(0, total, CHUNK), desc="需求", unit="批"):
            needs = claims = shares = deliveries = 0
            for i in range(start, min(start + CHUNK, total)):
                index += 1
                open_need = i % max(1, total // open_total) == 0 and self.counts["open_needs"] < open_total
                need, claimants, created = self.plan_need(index, open_need)
                hint = self.state_hint(open_need, created)
                c, s, d = self.claims_for(need, claimants, created, open_need, hint)
                need.is_open = need.state in CLAIMABLE and need.claimed_quantity < need.quantity  # Need.refresh_open
                if open_need and need.state in (Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED):
                    self.counts["open_needs"] += 1
                needs += 1
                claims += len(c)
                shares += len(s)
                deliveries += len(d)
            # Parents before children: the foreign keys are checked at the commit, but keep the order.
            for rows in (self.need_rows, self.claim_rows, self.share_rows, self.delivery_rows):
                rows.flush()
            self.counts["needs"] += needs
            self.counts["claims"] += claims
            self.counts["claim_shares"] += shares
            self.counts["deliveries"] += deliveries
        for rows in (self.need_rows, self.claim_rows, self.share_rows, self.delivery_rows):
            rows.finish()

    # ------------------------------------------------------------------ resources

    def make_resources(self):
        r = self.r
        resources, links = [], []
        for index in range(1, self.s.resources + 1):
            conf_id, _w, _owners, claimants, areas, _units = self.pick_conference()
            category_id, code = r.choice(self.categories)
            start = ANCHOR - datetime.timedelta(days=r.randrange(0, 3 * 365))
            until = None if r.random() < 0.6 else start + datetime.timedelta(days=r.choice([180, 365, 730]))
            resource = Resource(
                conference_id=conf_id, unit_id=r.choice(claimants), category_id=category_id,
                title=f"示例资源{index:06d}{r.choice(TOPICS.get(code, TOPICS['other']))}", description=MARK,
                kind=KIND_BY_CATEGORY.get(code, r.choice(list(Resource.Kind.values))),
                capacity=r.choice([1, 2, 4, 5, 10, 20, 50]), capacity_unit=r.choice(UNITS_LABEL),
                period=r.choice(list(Resource.Period.values)), available_from=start, available_until=until,
                state=Resource.State.OFFERED if until is None or until >= ANCHOR else Resource.State.WITHDRAWN,
                contact_name="示例联系人", created_at=_aware(start, 9),
            )
            resource.derive()
            resources.append(resource)
            links.append((resource, r.sample(areas, min(len(areas), r.randint(1, 3)))))
        bulk_create(Resource, resources, "资源")
        Through = Resource.areas.through
        rows = [Through(resource_id=res.pk, area_id=a) for res, areas in links for a in areas]
        bulk_create(Through, rows, "资源服务区域")
        self.counts["resources"] = len(resources)
        self.counts["resource_areas"] = len(rows)


def generate_lists(scale: str, seed: int, stdout):
    """Needs, resources, claims and deliveries of the synthetic conferences, in proportion to ``scale``."""
    with Timer(stdout, "三张清单") as timer:
        builder = Builder(scale, seed, stdout)
        if not builder.conferences:
            stdout.write("  没有可用的合成联席会议（需先生成 registry），跳过清单。\n")
            return {}
        builder.make_resources()
        builder.make_needs()
        timer.rows = sum(v for k, v in builder.counts.items() if k != "open_needs")
    return {f"lists_{k}": v for k, v in builder.counts.items()}


def reset_lists(stdout):
    """Delete the lists of synthetic conferences (deliveries and shares go with their claims)."""
    with Timer(stdout, "删除清单"):
        conferences = synthetic_conferences()
        Delivery.objects.filter(conference__in=conferences).delete()
        ClaimShare.objects.filter(claim__conference__in=conferences).delete()
        Claim.objects.filter(conference__in=conferences).delete()
        Need.objects.filter(conference__in=conferences).delete()
        Resource.objects.filter(conference__in=conferences).delete()
