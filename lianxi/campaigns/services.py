"""Every write to campaigns. Each function checks the campaign's phase first (an action outside its
phase is refused with a ValidationError naming the phase), runs in one transaction and appends one
audit row for the change it makes."""

import datetime
import statistics
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.campaigns import assignment as solver
from lianxi.campaigns.models import (
    PHASE_ORDER,
    Assignment,
    Campaign,
    Conflict,
    Criterion,
    Honour,
    HonourEntry,
    NominatingBody,
    Nomination,
    NominationAttachment,
    Objection,
    Phase,
    Reviewer,
    Score,
)
from lianxi.lib.files import save_file
from lianxi.lib.services import create_object, update_object
from lianxi.projects.models import Link, Project
from lianxi.registry.models import Membership, Unit

CAMPAIGN_FIELDS = ["conference", "title", "kind", "year", "places", "honour_name", "representatives", "description",
                   "fields", "reviews_per_nomination", "normalise", "call_start", "call_end", "recommend_end",
                   "review_end", "notice_start", "notice_end", "is_published"]


def _today(today):
    return today or timezone.localdate()


def require_phase(campaign: Campaign, *phases: str, action: str):
    """Refuse ``action`` unless the campaign is in one of ``phases``."""
    if campaign.phase not in phases:
        allowed = "、".join(Phase(p).label for p in phases)
        raise ValidationError({"phase": f"“{action}”只能在{allowed}阶段进行；本活动现处于{campaign.get_phase_display()}阶段。"})


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


# --- the campaign and its phases ---------------------------------------------------------------

def _check_fields(fields: dict):
    spec = fields.get("fields")
    if spec is None:
        return
    if not isinstance(spec, list):
        raise ValidationError({"fields": "申报表字段须为列表。"})
    keys = set()
    for f in spec:
        if not isinstance(f, dict) or not str(f.get("key", "")).strip() or not str(f.get("label", "")).strip():
            raise ValidationError({"fields": "每个申报表字段须有 key 和 label。"})
        if f["key"] in keys:
            raise ValidationError({"fields": f"申报表字段“{f['key']}”重复。"})
        keys.add(f["key"])


@transaction.atomic
def create_campaign(actor, **fields) -> Campaign:
    _check_fields(fields)
    return create_object(actor, Campaign, "campaigns.campaign.create", **fields)


@transaction.atomic
def update_campaign(actor, campaign: Campaign, **fields) -> dict:
    campaign = _locked(campaign)
    structural = {"kind", "places", "fields", "reviews_per_nomination", "conference"}
    if structural & set(fields) and campaign.phase != Phase.DRAFT:
        changed = [k for k in structural & set(fields) if getattr(campaign, k) != fields[k]]
        if changed:
            require_phase(campaign, Phase.DRAFT, action="修改活动类型、名额或申报表")
    _check_fields(fields)
    return update_object(actor, campaign, "campaigns.campaign.update", **fields)


def _check_advance(campaign: Campaign, target: str, today: datetime.date):
    if target == Phase.CALL and not campaign.bodies.exists():
        raise ValidationError({"bodies": "请先设置推荐主体及其名额。"})
    if target == Phase.REVIEW:
        weights = list(campaign.criteria.values_list("weight", flat=True))
        if sum(weights) != 100:
            raise ValidationError({"criteria": f"评分项权重合计须为 100%（现为 {sum(weights)}%）。"})
        if not campaign.nominations.filter(state=Nomination.State.RECOMMENDED).exists():
            raise ValidationError({"nominations": "没有已推荐的申报，无法进入遴选。"})
    if target == Phase.NOTICE:
        if campaign.decided_at is None:
            raise ValidationError({"decision": "请先记录评选决定。"})
        if campaign.notice_start is None or campaign.notice_end is None:
            raise ValidationError({"notice_end": "请先设置公示起止日期。"})
    if target == Phase.FINAL:
        if campaign.notice_end is None or today <= campaign.notice_end:
            raise ValidationError({"notice_end": "公示期结束后结果方可确定。"})
        if campaign.objections.filter(state=Objection.State.PENDING).exists():
            raise ValidationError({"objections": "尚有未处理的异议。"})
    if target == Phase.AWARDED:
        raise ValidationError({"phase": "颁授须由会议议程（颁授、命名或发布）执行。"})


@transaction.atomic
def advance(actor, campaign: Campaign, *, today: datetime.date | None = None) -> str:
    """Move the campaign to its next phase, if the current one's work is done. Leaving 遴选 stores
    the ranking computed from the scores (part of the same change and audit row)."""
    campaign = _locked(campaign)
    index = PHASE_ORDER.index(campaign.phase)
    if index + 1 >= len(PHASE_ORDER):
        raise ValidationError({"phase": "活动已结束。"})
    target = PHASE_ORDER[index + 1]
    _check_advance(campaign, target, _today(today))
    if target == Phase.DECIDE:
        _store_ranking(campaign)
    update_object(actor, campaign, "campaigns.campaign.advance", phase=target)
    return target


# --- nominating bodies, rubric, reviewers -------------------------------------------------------

@transaction.atomic
def add_body(actor, campaign: Campaign, *, name: str, quota: int, conference=None, area=None,
             category: str = "") -> NominatingBody:
    campaign = _locked(campaign)
    require_phase(campaign, Phase.DRAFT, Phase.CALL, action="设置推荐主体")
    return create_object(actor, NominatingBody, "campaigns.body.create", campaign=campaign, name=name, quota=quota,
                         conference=conference, area=area, category=category)


def rubric_locked(campaign: Campaign) -> bool:
    return campaign.rubric_locked_at is not None or Score.objects.filter(criterion__campaign=campaign).exists()


@transaction.atomic
def add_criterion(actor, campaign: Campaign, *, name: str, weight: int, max_score: int = 10,
                  order: int = 0) -> Criterion:
    campaign = _locked(campaign)
    require_phase(campaign, Phase.DRAFT, Phase.CALL, Phase.RECOMMEND, Phase.REVIEW, action="设置评分标准")
    if rubric_locked(campaign):
        raise ValidationError({"criteria": "已有评分，评分标准和权重已锁定。"})
    if max_score < 1:
        raise ValidationError({"max_score": "满分至少为 1。"})
    return create_object(actor, Criterion, "campaigns.criterion.create", campaign=campaign, name=name, weight=weight,
                         max_score=max_score, order=order)


@transaction.atomic
def update_criterion(actor, criterion: Criterion, **fields) -> dict:
    campaign = _locked(criterion.campaign)
    if rubric_locked(campaign):
        raise ValidationError({"criteria": "已有评分，评分标准和权重已锁定。"})
    require_phase(campaign, Phase.DRAFT, Phase.CALL, Phase.RECOMMEND, Phase.REVIEW, action="设置评分标准")
    return update_object(actor, criterion, "campaigns.criterion.update", **fields)


@transaction.atomic
def add_reviewer(actor, campaign: Campaign, *, user, name: str, unit: Unit | None = None,
                 expertise=()) -> Reviewer:
    campaign = _locked(campaign)
    require_phase(campaign, Phase.DRAFT, Phase.CALL, Phase.RECOMMEND, Phase.REVIEW, action="聘请评审")
    expertise = list(expertise)
    unknown = [c for c in expertise if c not in Link.values]
    if unknown:
        raise ValidationError({"expertise": f"未知的五联类别：{'、'.join(unknown)}。"})
    return create_object(actor, Reviewer, "campaigns.reviewer.create", campaign=campaign, user=user, name=name,
                         unit=unit, expertise=expertise)


@transaction.atomic
def declare_conflict(actor, reviewer: Reviewer, nomination: Nomination, *, reason: str) -> Conflict:
    campaign = _locked(reviewer.campaign)
    require_phase(campaign, Phase.CALL, Phase.RECOMMEND, Phase.REVIEW, action="声明回避")
    if nomination.campaign_id != campaign.pk:
        raise ValidationError({"nomination": "该申报不属于本活动。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明回避原因。"})
    conflict = create_object(actor, Conflict, "campaigns.conflict.create", reviewer=reviewer, nomination=nomination,
                             reason=reason.strip())
    # A declared conflict removes an existing, not yet scored assignment at once.
    Assignment.objects.filter(reviewer=reviewer, nomination=nomination, scores__isnull=True).delete()
    return conflict


# --- 征集: nominations --------------------------------------------------------------------------

def _check_call_open(campaign: Campaign, today: datetime.date):
    require_phase(campaign, Phase.CALL, action="申报")
    if campaign.call_start and today < campaign.call_start:
        raise ValidationError({"phase": f"征集自{campaign.call_start:%Y-%m-%d}开始。"})
    if campaign.call_end and today > campaign.call_end:
        raise ValidationError({"phase": f"征集已于{campaign.call_end:%Y-%m-%d}截止，不能再申报或修改。"})


def body_admits(body: NominatingBody, unit: Unit, today: datetime.date) -> bool:
    if body.conference_id and not Membership.objects.current(today).filter(
            conference_id=body.conference_id, unit=unit).exists():
        return False
    if body.area_id and unit.area_id != body.area_id:
        return False
    if body.category and unit.category != body.category:
        return False
    return True


def _check_nomination_values(campaign: Campaign, fields: dict, *, submitting: bool):
    values = fields.get("values") or {}
    if not isinstance(values, dict):
        raise ValidationError({"values": "申报表内容格式无效。"})
    known = {f["key"]: f for f in campaign.fields}
    extra = [k for k in values if k not in known]
    if extra:
        raise ValidationError({"values": f"申报表没有字段：{'、'.join(extra)}。"})
    if submitting:
        missing = [f["label"] for f in campaign.fields if f.get("required") and not str(values.get(f["key"], "")).strip()]
        if missing:
            raise ValidationError({"values": f"请填写：{'、'.join(missing)}。"})
    links = fields.get("links") or []
    unknown = [c for c in links if c not in Link.values]
    if unknown:
        raise ValidationError({"links": f"未知的五联类别：{'、'.join(map(str, unknown))}。"})


NOMINATION_FIELDS = ("title", "party_org_name", "summary", "links", "values")


@transaction.atomic
def create_nomination(actor, campaign: Campaign, *, unit: Unit, body: NominatingBody, submit: bool = False,
                      today: datetime.date | None = None, **fields) -> Nomination:
    """A draft nomination (``submit=True``: submitted at once)."""
    campaign = _locked(campaign)
    today = _today(today)
    _check_call_open(campaign, today)
    if body.campaign_id != campaign.pk:
        raise ValidationError({"body": "推荐主体不属于本活动。"})
    if not body_admits(body, unit, today):
        raise ValidationError({"body": f"{unit.name}不属于推荐主体“{body.name}”。"})
    if not str(fields.get("title", "")).strip():
        raise ValidationError({"title": "请填写申报名称。"})
    _check_nomination_values(campaign, fields, submitting=submit)
    state = {"state": Nomination.State.SUBMITTED, "submitted_at": timezone.now()} if submit else {}
    return create_object(actor, Nomination, "campaigns.nomination.create", campaign=campaign, unit=unit, body=body,
                         **fields, **state)


@transaction.atomic
def update_nomination(actor, nomination: Nomination, *, today: datetime.date | None = None, **fields) -> dict:
    """Edit a draft or submitted nomination while the call is open."""
    campaign = _locked(nomination.campaign)
    _check_call_open(campaign, _today(today))
    if nomination.state not in (Nomination.State.DRAFT, Nomination.State.SUBMITTED):
        raise ValidationError({"state": f"“{nomination.get_state_display()}”的申报不能修改。"})
    bad = set(fields) - set(NOMINATION_FIELDS)
    if bad:
        raise ValidationError({"__all__": f"不能修改：{'、'.join(sorted(bad))}。"})
    _check_nomination_values(campaign, fields, submitting=nomination.state == Nomination.State.SUBMITTED)
    return update_object(actor, nomination, "campaigns.nomination.update", **fields)


@transaction.atomic
def submit_nomination(actor, nomination: Nomination, *, today: datetime.date | None = None) -> dict:
    campaign = _locked(nomination.campaign)
    _check_call_open(campaign, _today(today))
    if nomination.state != Nomination.State.DRAFT:
        raise ValidationError({"state": "只有草稿可以提交。"})
    _check_nomination_values(campaign, {"values": nomination.values, "links": nomination.links}, submitting=True)
    return update_object(actor, nomination, "campaigns.nomination.submit", state=Nomination.State.SUBMITTED,
                         submitted_at=timezone.now())


@transaction.atomic
def add_nomination_attachment(actor, nomination: Nomination, upload,
                              today: datetime.date | None = None) -> NominationAttachment:
    from lianxi.projects.services import check_upload

    campaign = _locked(nomination.campaign)
    _check_call_open(campaign, _today(today))
    if nomination.attachments.count() >= 10:
        raise ValidationError({"attachments": "每件申报最多 10 个附件。"})
    kind, content_type = check_upload(upload)
    att = NominationAttachment(nomination=nomination, kind=kind, name=upload.name[:200], content_type=content_type,
                               size=upload.size)
    save_file(att.file, upload.name, upload)  # deleted again if this transaction rolls back
    att.save()
    record(actor, "campaigns.nomination.attachment", nomination, {"attachment": [None, att.name]})
    return att


# --- 推荐: recommendations within quotas ------------------------------------------------------

@transaction.atomic
def recommend(actor, nomination: Nomination) -> dict:
    """The nominating body recommends a submitted nomination, never beyond its quota: the body's
    row is locked (SELECT … FOR UPDATE; SQLite serialises writers with IMMEDIATE transactions) and a
    check constraint backs the count."""
    campaign = Campaign.objects.get(pk=nomination.campaign_id)
    require_phase(campaign, Phase.RECOMMEND, action="推荐")
    body = NominatingBody.objects.select_for_update().get(pk=nomination.body_id)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.state != Nomination.State.SUBMITTED:
        raise ValidationError({"state": f"“{nomination.get_state_display()}”的申报不能推荐。"})
    if body.recommended_count >= body.quota:
        raise ValidationError({"quota": f"“{body.name}”的推荐名额（{body.quota}）已用完。"})
    try:
        with transaction.atomic():
            NominatingBody.objects.filter(pk=body.pk).update(recommended_count=F("recommended_count") + 1)
    except IntegrityError as exc:
        raise ValidationError({"quota": f"“{body.name}”的推荐名额（{body.quota}）已用完。"}) from exc
    return update_object(actor, nomination, "campaigns.nomination.recommend", state=Nomination.State.RECOMMENDED)


@transaction.atomic
def unrecommend(actor, nomination: Nomination) -> dict:
    campaign = Campaign.objects.get(pk=nomination.campaign_id)
    require_phase(campaign, Phase.RECOMMEND, action="撤回推荐")
    NominatingBody.objects.select_for_update().get(pk=nomination.body_id)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.state != Nomination.State.RECOMMENDED:
        raise ValidationError({"state": "该申报未被推荐。"})
    NominatingBody.objects.filter(pk=nomination.body_id).update(recommended_count=F("recommended_count") - 1)
    return update_object(actor, nomination, "campaigns.nomination.unrecommend", state=Nomination.State.SUBMITTED)


# --- 遴选: assignment and scores -----------------------------------------------------------------

def conflict_reason(reviewer: Reviewer, nomination: Nomination, declared: dict, body_units: dict) -> str:
    """Why ``reviewer`` may not review ``nomination`` ("" when they may)."""
    if reviewer.unit_id is not None and reviewer.unit_id == nomination.unit_id:
        return "利益冲突：申报单位是评审所在单位"
    if reviewer.unit_id is not None and reviewer.unit_id in body_units.get(nomination.body_id, set()):
        return "利益冲突：评审所在单位属于该件的推荐主体"
    if (reviewer.pk, nomination.pk) in declared:
        return f"声明回避：{declared[(reviewer.pk, nomination.pk)]}"
    return ""


def _body_units(campaign: Campaign, reviewers) -> dict[int, set[int]]:
    """For each nominating body, the reviewers' units that belong to it (own nominating body): three
    queries whatever the number of bodies (the bodies, the reviewers' units' area and category, and
    their current memberships), matched in Python."""
    today = timezone.localdate()
    units = {r.unit_id for r in reviewers if r.unit_id}
    bodies = list(campaign.bodies.values_list("pk", "conference_id", "area_id", "category"))
    if not units:
        return {pk: set() for pk, *_rest in bodies}
    facts = {pk: (area, category) for pk, area, category in
             Unit.objects.filter(pk__in=units).values_list("pk", "area_id", "category")}
    member_of: dict[int, set[int]] = {}
    if any(conference for _pk, conference, _a, _c in bodies):
        for conference_id, unit_id in (Membership.objects.current(today).filter(unit_id__in=units)
                                       .values_list("conference_id", "unit_id")):
            member_of.setdefault(conference_id, set()).add(unit_id)
    out = {}
    for pk, conference_id, area_id, category in bodies:
        out[pk] = {u for u, (u_area, u_category) in facts.items()
                   if (not conference_id or u in member_of.get(conference_id, ()))
                   and (not area_id or u_area == area_id) and (not category or u_category == category)}
    return out


_LINK_BITS = {code: 1 << i for i, code in enumerate(Link.values)}  # Link.values is rebuilt on each access


def _link_mask(codes) -> int:
    return sum(_LINK_BITS.get(code, 0) for code in set(codes))


class _NominationRow(NamedTuple):
    pk: int
    unit_id: int
    body_id: int
    links: list


class _ReviewerRow(NamedTuple):
    pk: int
    unit_id: int | None
    expertise: list


def build_problem(campaign: Campaign):
    """The assignment problem of the campaign's recommended nominations and its reviewers, built
    with array operations (5,000 × 300 pairs without a Python loop over pairs)."""
    # Plain rows, not model instances: 5,000 objects with deferred fields cost a query each.
    nominations = [_NominationRow(*row) for row in campaign.nominations.filter(state=Nomination.State.RECOMMENDED)
                   .order_by("pk").values_list("pk", "unit_id", "body_id", "links")]
    reviewers = [_ReviewerRow(*row) for row in campaign.reviewers.order_by("pk")
                 .values_list("pk", "unit_id", "expertise")]
    n, r = len(nominations), len(reviewers)
    nom_unit = np.array([x.unit_id for x in nominations], dtype=np.int64)
    nom_body = np.array([x.body_id for x in nominations], dtype=np.int64)
    rev_unit = np.array([x.unit_id or -1 for x in reviewers], dtype=np.int64)
    allowed = nom_unit[:, None] != rev_unit[None, :]
    # Own nominating body: the reviewer's unit belongs to the body the nomination came through.
    body_units = _body_units(campaign, reviewers)
    body_pos = {pk: i for i, pk in enumerate(sorted(body_units))}
    member = np.zeros((len(body_pos), r), dtype=bool)
    for body_id, units in body_units.items():
        member[body_pos[body_id]] = np.isin(rev_unit, list(units))
    if n and len(body_pos):
        allowed &= ~member[np.array([body_pos.get(b, 0) for b in nom_body])] | (nom_body[:, None] < 0)
    nom_index = {x.pk: i for i, x in enumerate(nominations)}
    rev_index = {x.pk: j for j, x in enumerate(reviewers)}
    for rid, nid in Conflict.objects.filter(reviewer__campaign=campaign).values_list("reviewer_id", "nomination_id"):
        if nid in nom_index and rid in rev_index:
            allowed[nom_index[nid], rev_index[rid]] = False
    nom_mask = np.array([_link_mask(x.links) for x in nominations], dtype=np.int64)
    rev_mask = np.array([_link_mask(x.expertise) for x in reviewers], dtype=np.int64)
    cost = np.where((nom_mask[:, None] & rev_mask[None, :]) != 0, 0, 1).astype(np.int64).reshape(n, r)
    k = min(campaign.reviews_per_nomination, r) if r else campaign.reviews_per_nomination
    return solver.Problem(allowed.reshape(n, r), cost, k), nominations, reviewers


def _insert_assignments(rows: list[tuple[int, int, str]]):
    """Insert prepared ``(reviewer_id, nomination_id, reason)`` rows with one prepared statement
    (``executemany``): 15,000 model instances through ``bulk_create`` cost more than the solver.
    Nothing else about an assignment is set at creation (``submitted_at`` stays NULL)."""
    meta = Assignment._meta
    columns = [meta.get_field(name).column for name in ("reviewer", "nomination", "reason")]
    sql = (f"INSERT INTO {connection.ops.quote_name(meta.db_table)} "
           f"({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES (%s, %s, %s)")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _delete_unscored_assignments(campaign: Campaign):
    """One DELETE for the campaign's earlier assignment. The caller has checked that none is scored,
    so there is nothing to cascade to: ``QuerySet.delete()`` would load every row to collect its
    (absent) scores first."""
    q = connection.ops.quote_name
    table, reviewers = q(Assignment._meta.db_table), q(Reviewer._meta.db_table)
    reviewer_col = q(Assignment._meta.get_field("reviewer").column)
    campaign_col = q(Reviewer._meta.get_field("campaign").column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {reviewer_col} IN "
                       f"(SELECT {q('id')} FROM {reviewers} WHERE {campaign_col} = %s)", [campaign.pk])


@transaction.atomic
def assign_reviewers(actor, campaign: Campaign, *, method: str = "exact") -> solver.Result:
    """Assign reviewers (replacing an earlier assignment while nothing is scored)."""
    campaign = _locked(campaign)
    require_phase(campaign, Phase.REVIEW, action="分配评审")
    if Score.objects.filter(assignment__reviewer__campaign=campaign).exists():
        raise ValidationError({"assignments": "已有评分，不能重新分配。"})
    problem, nominations, reviewers = build_problem(campaign)
    if not reviewers:
        raise ValidationError({"reviewers": "请先聘请评审。"})
    result = solver.solve(problem) if method == "exact" else solver.greedy(problem)
    _delete_unscored_assignments(campaign)
    labels = dict(Link.choices)
    rows = []
    for i, j in result.pairs:
        nom, rev = nominations[i], reviewers[j]
        shared = [labels[c] for c in nom.links if c in rev.expertise]
        reason = f"专长匹配（{'、'.join(shared)}）" if shared else "无利益冲突，按负载均衡分配"
        rows.append((rev.pk, nom.pk, reason))
    _insert_assignments(rows)
    record(actor, "campaigns.assignment.run", campaign, {
        "method": [None, method], "assignments": [None, len(rows)], "shortfall": [None, result.shortfall],
        "expertise_matched": [None, result.matched], "cap": [None, problem.cap],
    })
    return result


def explain(campaign: Campaign, nomination: Nomination) -> list[dict]:
    """For each reviewer: assigned or not, and why (the nomination page)."""
    reviewers = list(campaign.reviewers.order_by("pk"))
    declared = {(r, n): reason for r, n, reason in
                Conflict.objects.filter(nomination=nomination).values_list("reviewer_id", "nomination_id", "reason")}
    body_units = _body_units(campaign, reviewers)
    assigned = {a.reviewer_id: a for a in nomination.assignments.all()}
    loads = dict(Assignment.objects.filter(reviewer__campaign=campaign).order_by().values("reviewer")
                 .annotate(n=Count("id")).values_list("reviewer", "n"))
    problem_cap = -(-campaign.nominations.filter(state=Nomination.State.RECOMMENDED).count()
                    * campaign.reviews_per_nomination // max(len(reviewers), 1))
    out = []
    for rev in reviewers:
        if rev.pk in assigned:
            out.append({"reviewer": rev, "assigned": True, "why": assigned[rev.pk].reason})
            continue
        why = conflict_reason(rev, nomination, declared, body_units)
        if not why:
            if loads.get(rev.pk, 0) >= problem_cap:
                why = f"已满负荷（每人至多 {problem_cap} 件）"
            elif len(assigned) >= campaign.reviews_per_nomination:
                why = f"该件已有 {campaign.reviews_per_nomination} 名评审，其他评审专长更匹配或负载更低"
            else:
                why = "未分配（尚未运行分配）"
        out.append({"reviewer": rev, "assigned": False, "why": why})
    return out


@transaction.atomic
def submit_scores(actor, assignment: Assignment, scores: dict) -> dict:
    """A reviewer's scores for one assigned nomination: ``{criterion_id: value}``, every criterion,
    each within 0…its maximum. The first score of a campaign locks its rubric."""
    campaign = _locked(assignment.reviewer.campaign)
    require_phase(campaign, Phase.REVIEW, action="评分")
    criteria = {c.pk: c for c in campaign.criteria.all()}
    scores = {int(k): v for k, v in scores.items()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError({"scores": "评分项不属于本活动的评分标准。"})
    missing = [c.name for pk, c in criteria.items() if pk not in scores]
    if missing:
        raise ValidationError({"scores": f"请为以下各项评分：{'、'.join(missing)}。"})
    for pk, value in scores.items():
        c = criteria[pk]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= c.max_score:
            raise ValidationError({"scores": f"“{c.name}”的得分须为 0 至 {c.max_score} 的整数。"})
    old = {s.criterion_id: s.value for s in assignment.scores.all()}
    Score.objects.filter(assignment=assignment).delete()
    Score.objects.bulk_create([Score(assignment=assignment, criterion_id=pk, value=v) for pk, v in scores.items()])
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    if campaign.rubric_locked_at is None:
        campaign.rubric_locked_at = assignment.submitted_at
        campaign.save(update_fields=["rubric_locked_at"])
    changes = {"scores": [{criteria[k].name: v for k, v in old.items()} or None,
                          {criteria[k].name: v for k, v in scores.items()}]}
    record(actor, "campaigns.review.submit", assignment, changes)
    return changes


# --- 评选: ranking and decision ------------------------------------------------------------------

def compute_ranking(campaign: Campaign) -> list[dict]:
    """The ranking from the stored scores, reproducibly: each reviewer's weighted total per
    nomination (0–100: Σ weight · value / max); with ``normalise`` each reviewer's totals become
    z-scores over the nominations they scored (a reviewer with one score or no spread gives 0);
    a nomination's score is the mean over its reviewers, rounded to 6 decimals. Ranks are
    competition ranks (1, 2, 2, 4); equal scores are flagged as tied."""
    criteria = {c.pk: c for c in campaign.criteria.all()}
    totals: dict[tuple[int, int], float] = {}
    rows = Score.objects.filter(assignment__reviewer__campaign=campaign).values_list(
        "assignment__reviewer_id", "assignment__nomination_id", "criterion_id", "value")
    for reviewer_id, nomination_id, criterion_id, value in rows:
        c = criteria[criterion_id]
        totals[(reviewer_id, nomination_id)] = totals.get((reviewer_id, nomination_id), 0.0) + c.weight * value / c.max_score
    if campaign.normalise:
        by_reviewer: dict[int, list[float]] = {}
        for (rid, _nid), t in totals.items():
            by_reviewer.setdefault(rid, []).append(t)
        stats = {rid: (statistics.fmean(v), statistics.pstdev(v)) for rid, v in by_reviewer.items()}
        totals = {(rid, nid): (0.0 if stats[rid][1] == 0 else (t - stats[rid][0]) / stats[rid][1])
                  for (rid, nid), t in totals.items()}
    per_nom: dict[int, list[float]] = {}
    for (_rid, nid), t in sorted(totals.items()):
        per_nom.setdefault(nid, []).append(t)
    scored = sorted(((round(statistics.fmean(v), 6), nid) for nid, v in per_nom.items()), key=lambda x: (-x[0], x[1]))
    out, rank = [], 0
    for pos, (score, nid) in enumerate(scored):
        if pos == 0 or score != scored[pos - 1][0]:
            rank = pos + 1
        tied = (pos > 0 and scored[pos - 1][0] == score) or (pos + 1 < len(scored) and scored[pos + 1][0] == score)
        out.append({"nomination": nid, "score": score, "rank": rank, "tied": tied})
    return out


def _store_ranking(campaign: Campaign):
    ranking = compute_ranking(campaign)
    Nomination.objects.filter(campaign=campaign).update(score=None, rank=None, tied=False)
    noms = {n.pk: n for n in Nomination.objects.filter(campaign=campaign, pk__in=[r["nomination"] for r in ranking])}
    for r in ranking:
        n = noms[r["nomination"]]
        n.score, n.rank, n.tied = r["score"], r["rank"], r["tied"]
    Nomination.objects.bulk_update(noms.values(), ["score", "rank", "tied"])


def stored_ranking(campaign: Campaign) -> list[dict]:
    return [{"nomination": pk, "score": s, "rank": r, "tied": t} for pk, s, r, t in
            campaign.nominations.filter(rank__isnull=False).order_by("rank", "pk").values_list("pk", "score", "rank", "tied")]


@transaction.atomic
def decide(actor, campaign: Campaign, *, selected, note: str = "") -> dict:
    """评选: the conference's decision — which ranked nominations are selected — with who decided."""
    campaign = _locked(campaign)
    require_phase(campaign, Phase.DECIDE, action="评选决定")
    selected = list(selected)
    ids = {n.pk for n in selected}
    if len(ids) > campaign.places:
        raise ValidationError({"selected": f"入选数量（{len(ids)}）超过名额（{campaign.places}）。"})
    if not ids:
        raise ValidationError({"selected": "请选择入选的申报。"})
    ranked = set(campaign.nominations.filter(rank__isnull=False).values_list("pk", flat=True))
    if ids - ranked:
        raise ValidationError({"selected": "只能选择已评分排名的申报。"})
    Nomination.objects.filter(campaign=campaign).update(selected=False)
    Nomination.objects.filter(pk__in=ids).update(selected=True)
    titles = list(campaign.nominations.filter(pk__in=ids).order_by("rank", "pk").values_list("title", flat=True))
    update_object(actor, campaign, "campaigns.campaign.decide", decided_by=actor if getattr(actor, "is_authenticated", False) else None,
                  decided_at=timezone.now(), decision_note=note[:300])
    return {"selected": titles}


# --- 公示: objections ----------------------------------------------------------------------------

@transaction.atomic
def file_objection(actor, campaign: Campaign, *, filer_name: str, contact: str, text: str,
                   nomination: Nomination | None = None, today: datetime.date | None = None,
                   address: str = "") -> Objection:
    """Anyone may object during the notice, signed in or not; ``address`` (the client's, from the
    page or the API) is kept and limits how many objections one address files in a while
    (``settings.OBJECTION_LIMIT`` per ``OBJECTION_WINDOW``): past it the refusal names only
    ``address`` (the API answers 429)."""
    campaign = _locked(campaign)
    today = _today(today)
    address = (address or "")[:45]
    _check_objection_rate(address)
    require_phase(campaign, Phase.NOTICE, action="提出异议")
    if not (campaign.notice_start <= today <= campaign.notice_end):
        raise ValidationError({"phase": f"公示期为{campaign.notice_start:%Y-%m-%d}至{campaign.notice_end:%Y-%m-%d}，"
                                        "不在公示期内不能提出异议。"})
    for name, value, label in (("filer_name", filer_name, "署名"), ("contact", contact, "联系方式"), ("text", text, "异议内容")):
        if not (value or "").strip():
            raise ValidationError({name: f"请填写{label}。"})
    if nomination is not None:
        nomination = Nomination.objects.get(pk=nomination.pk)
    if nomination is not None and (nomination.campaign_id != campaign.pk or not nomination.selected):
        raise ValidationError({"nomination": "只能对公示名单中的申报提出异议。"})
    return create_object(actor, Objection, "campaigns.objection.create", campaign=campaign, nomination=nomination,
                         filer_name=filer_name.strip()[:100], contact=contact.strip()[:100], text=text.strip(),
                         filed_from=address)


OBJECTION_THROTTLED = "throttled"


def _check_objection_rate(address: str) -> None:
    limit, window = settings.OBJECTION_LIMIT, settings.OBJECTION_WINDOW
    if not address or limit <= 0:
        return
    since = timezone.now() - window
    if Objection.objects.filter(filed_from=address, filed_at__gte=since).count() >= limit:
        minutes = max(1, int(window.total_seconds() // 60))
        raise ValidationError({"address": ValidationError(
            f"同一网络地址在 {minutes} 分钟内最多可提出 {limit} 条异议，请稍后再试；"
            "如有多条意见，可写在同一条异议中。", code=OBJECTION_THROTTLED)})


@transaction.atomic
def handle_objection(actor, objection: Objection, *, upheld: bool, handling: str) -> dict:
    campaign = _locked(objection.campaign)
    require_phase(campaign, Phase.NOTICE, action="处理异议")
    if objection.state != Objection.State.PENDING:
        raise ValidationError({"state": "该异议已处理。"})
    if not handling.strip():
        raise ValidationError({"handling": "请填写处理意见。"})
    changes = update_object(actor, objection, "campaigns.objection.handle",
                            state=Objection.State.UPHELD if upheld else Objection.State.DISMISSED,
                            handling=handling.strip(),
                            handled_by=actor if getattr(actor, "is_authenticated", False) else None)
    if upheld and objection.nomination_id:
        Nomination.objects.filter(pk=objection.nomination_id).update(selected=False)
    return changes


# --- 颁授: applied by a meeting's agenda item ---------------------------------------------------

@transaction.atomic
def _apply_campaign(actor, item, *, campaign: Campaign, representatives=(), **_options):
    """Registered with meetings: a 颁授 (brand projects; honour representatives), 命名 (an honour's
    list) or 发布 (key projects) item applies the final result of ``campaign``."""
    from lianxi.meetings import services as meetings_services
    from lianxi.meetings.models import AgendaItem

    expected = {Campaign.Kind.BRAND: {AgendaItem.Kind.AWARD},
                Campaign.Kind.HONOUR: {AgendaItem.Kind.NAMING, AgendaItem.Kind.AWARD},
                Campaign.Kind.KEY_RELEASE: {AgendaItem.Kind.RELEASE}}[campaign.kind]
    if item.kind not in expected:
        raise ValidationError({"kind": f"{campaign.get_kind_display()}须由“{'/'.join(AgendaItem.Kind(k).label for k in expected)}”议程执行。"})
    meetings_services.lock_unapplied(item, item.kind)
    campaign = _locked(campaign)
    require_phase(campaign, Phase.FINAL, action="颁授")
    meeting_conference = item.meeting.conference_id
    if meeting_conference not in (campaign.conference_id, campaign.conference.parent_id):
        raise ValidationError({"campaign": "议程所属会议与评选活动的联席会议不符。"})
    selected = list(campaign.nominations.filter(selected=True).select_related("unit").order_by("rank", "pk"))
    if not selected:
        raise ValidationError({"campaign": "没有入选结果。"})
    summary = []
    if campaign.kind in (Campaign.Kind.BRAND, Campaign.Kind.KEY_RELEASE):
        from lianxi.projects.services import create_project

        kind = Project.Kind.BRAND if campaign.kind == Campaign.Kind.BRAND else Project.Kind.KEY
        field = "awarded_at" if kind == Project.Kind.BRAND else "released_at"
        for order, nom in enumerate(selected, 1):
            project = create_project(actor, conference=campaign.conference, title=nom.title, kind=kind,
                                     year=campaign.year, lead_unit=nom.unit, links=nom.links, description=nom.summary,
                                     order=order, **{field: item})
            update_object(actor, nom, "campaigns.nomination.project", project=project)
            summary.append(nom.title)
    else:
        rep_ids = {n.pk for n in representatives}
        if campaign.representatives is not None and len(rep_ids) > campaign.representatives:
            raise ValidationError({"representatives": f"上台代表至多 {campaign.representatives} 名。"})
        sel_ids = {n.pk for n in selected}
        if rep_ids - sel_ids:
            raise ValidationError({"representatives": "上台代表须在命名名单中。"})
        honour, _created = Honour.objects.get_or_create(
            campaign=campaign, defaults={"conference": campaign.conference, "name": campaign.honour_name or campaign.title,
                                         "year": campaign.year, "stated_count": len(selected),
                                         "stated_representatives": len(rep_ids) or None})
        if item.kind == AgendaItem.Kind.NAMING:
            honour.named_at = item
            honour.save(update_fields=["named_at"])
        for order, nom in enumerate(selected, 1):
            entry, _ = HonourEntry.objects.get_or_create(
                honour=honour, nomination=nom,
                defaults={"unit": nom.unit, "party_org_name": nom.party_org_name or nom.title, "order": order})
            if nom.pk in rep_ids:
                entry.is_representative = True
                entry.awarded_at = item
                entry.save(update_fields=["is_representative", "awarded_at"])
        record(actor, "campaigns.honour.apply", honour, {"entries": [None, len(selected)],
                                                           "representatives": [None, len(rep_ids)]})
        summary = [n.party_org_name or n.title for n in selected]
    update_object(actor, campaign, "campaigns.campaign.award", phase=Phase.AWARDED, awarded_at=item)
    meetings_services.mark_applied(actor, item, {"campaign": [None, campaign.title], "results": [None, summary]})
    return selected


def register_with_meetings():
    """Called from CampaignsConfig.ready, after projects and meetings registered their own
    resolutions (lianxi.meetings.resolutions): an award, naming or release item applied with
    ``campaign=…`` applies that campaign's result; without it, the earlier resolution runs as before
    (its form and options unchanged)."""
    from lianxi.meetings.models import AgendaItem
    from lianxi.meetings.resolutions import register_resolution, resolution_for

    for kind in (AgendaItem.Kind.AWARD, AgendaItem.Kind.NAMING, AgendaItem.Kind.RELEASE):
        earlier = resolution_for(kind)

        def apply(actor, item, _earlier=earlier, **options):
            if options.get("campaign") is not None:
                return _apply_campaign(actor, item, **options)
            return _earlier.apply(actor, item, **options)

        register_resolution(kind, apply, earlier.form)


@transaction.atomic
def publish_honour(actor, honour: Honour, *, published: bool = True) -> dict:
    return update_object(actor, honour, "campaigns.honour.publish", is_published=published)
