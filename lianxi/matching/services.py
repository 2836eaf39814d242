"""Writes of the matching app: run the matcher for a conference, send chosen suggestions as
invitations through the burden gate, accept (which makes the claim) or decline.

A run reads everything it needs in a handful of bulk queries (``values_list``, never a query per
row), builds arrays, and hands them to the pure core (``candidates``, ``scoring``, ``solver``);
its suggestions are bulk-inserted with one audit row for the whole run."""

import datetime
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lib.services import update_object
from lianxi.lists.models import Claim, Delivery, Need, NeedCategory, Resource
from lianxi.lists.services import claim_need
from lianxi.matching import candidates as cand_mod
from lianxi.matching import scoring, solver
from lianxi.matching.models import AreaNeighbour, MatchRun, Suggestion, TextVector
from lianxi.registry.models import Area, Conference, Membership

log = logging.getLogger(__name__)

# Most a unit is asked to take on in one run (in the needs' own quantities, summed over all of
# its resources), so that one generous unit does not absorb every need. Override with
# ``settings.MATCHING_UNIT_CAP``.
UNIT_CAP = 40
# Resource categories that fit a need category less well than its own (need code, resource code).
RELATED_CATEGORIES = [
    ("elderly", "volunteering"),
    ("youth", "volunteering"),
    ("environment", "volunteering"),
    ("culture", "venue"),
    ("youth", "venue"),
]
# A need without a deadline, or a resource without an end date, is open this far ahead.
OPEN_ENDED_DAYS = 3650

PHASES = ["读取数据", "文本特征", "候选配对", "评分", "求解", "保存推荐"]

Progress = Callable[[int, str], None]


def unit_cap() -> int:
    return int(getattr(settings, "MATCHING_UNIT_CAP", UNIT_CAP))


# ------------------------------------------------------------------------------------- loading

class _Codes:
    """Dense codes 0…n-1 for database ids (categories, streets)."""

    def __init__(self, ids: Iterable[int]):
        self.ids = np.unique(np.fromiter(ids, dtype=np.int64))

    def __call__(self, values) -> np.ndarray:
        values = np.asarray(values, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, values), 0, max(len(self.ids) - 1, 0))
        return np.where((len(self.ids) > 0) & (self.ids[pos] == values), pos, -1).astype(np.int32)

    def __len__(self):
        return len(self.ids)


def _street_map(area_ids: Iterable[int]) -> tuple[dict[int, int], dict[int, str], dict[int, str]]:
    """Each area's street (a residents' area belongs to its parent street), the names, the kinds —
    for ``area_ids``, their streets and every area below those streets; not the whole city, so a
    run reads areas in proportion to where its own needs and resources are."""
    street, names, kinds = {}, {}, {}
    wanted = {a for a in area_ids if a is not None}
    if not wanted:
        return street, names, kinds
    streets = set()
    for pk, kind, parent in _chunked_values(Area.objects.all(), "id__in", wanted, ("id", "kind", "parent_id")):
        streets.add(parent if kind == Area.Kind.NEIGHBOURHOOD and parent else pk)
    for field in ("id__in", "parent_id__in"):
        for pk, kind, parent, name in _chunked_values(Area.objects.all(), field, streets,
                                                      ("id", "kind", "parent_id", "name")):
            street[pk] = parent if kind == Area.Kind.NEIGHBOURHOOD and parent else pk
            names[pk], kinds[pk] = name, kind
    return street, names, kinds


def _chunked_values(qs, lookup: str, ids: Iterable[int], fields: tuple[str, ...]):
    """``qs.filter(<lookup>=ids).values_list(*fields)`` in chunks that stay within SQLite's limit
    on bound parameters."""
    ids = sorted(ids)
    for start in range(0, len(ids), INDEX_BATCH):
        yield from qs.filter(**{lookup: ids[start:start + INDEX_BATCH]}).values_list(*fields)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def text_features(kind: str, rows: list[tuple[int, str]], cached_qs, *, by_shape: bool = False
                  ) -> tuple[list[np.ndarray], int]:
    """Features for ``rows`` (id, text), from the cache where the text is unchanged; new or changed
    texts are segmented with jieba and written back. Returns the features and the number segmented.
    ``by_shape``: the texts are templates around running numbers (the synthetic data), segmented
    once per template (:func:`scoring.features_by_shape`)."""
    cache = {oid: (bytes(d), bytes(f)) for oid, d, f in cached_qs.values_list("object_id", "digest", "features")}
    out, stale = [], []
    for i, (oid, text) in enumerate(rows):
        digest = _digest(text)
        hit = cache.get(oid)
        if hit is not None and hit[0] == digest:
            out.append(np.frombuffer(hit[1], dtype=np.int32))
        else:
            out.append(None)
            stale.append((i, oid, text, digest))
    if stale:
        segment = scoring.features_by_shape if by_shape else scoring.features_many
        computed = segment([t for _, _, t, _ in stale])
        fresh = []
        for (i, oid, _, digest), feats in zip(stale, computed, strict=True):
            out[i] = feats
            fresh.append(TextVector(kind=kind, object_id=oid, digest=digest, features=feats.astype(np.int32).tobytes()))
        TextVector.objects.bulk_create(fresh, batch_size=2000, update_conflicts=True,
                                       unique_fields=["kind", "object_id"], update_fields=["digest", "features"])
    return out, len(stale)


def matching_text(title: str, description: str) -> str:
    """The text of a need or a resource that the matcher compares: title and description."""
    return f"{title}\n{description}"


# Ids per query when segmenting saved texts (keeps ``IN (…)`` lists within every database's limits).
INDEX_BATCH = 20_000
# With a progress callback (an import run as a job): chunks of this many, a fraction of a second each.
INDEX_PROGRESS_BATCH = 5_000


def index_texts(model, ids: Iterable[int], *, by_shape: bool = False, progress=None) -> int:
    """Segment the texts of these needs or resources (``model`` is ``Need`` or ``Resource``) now,
    so that a matching run finds them ready. Called when the lists app saves them
    (:data:`lianxi.lists.signals.texts_saved`) and by the synthetic-data step; a text that has not
    changed since it was last segmented is not segmented again. Returns how many were segmented.
    ``progress(n)`` is called after each chunk (smaller chunks then, so a job's page moves)."""
    kind = TextVector.Kind.NEED if model is Need else TextVector.Kind.RESOURCE
    ids = list(ids)
    segmented = 0
    step = INDEX_BATCH if progress is None else INDEX_PROGRESS_BATCH
    if progress:
        progress(0)
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        rows = [(pk, matching_text(title, description))
                for pk, title, description in model.objects.filter(pk__in=chunk).values_list("pk", "title", "description")]
        _, n = text_features(kind, rows, TextVector.objects.filter(kind=kind, object_id__in=chunk), by_shape=by_shape)
        segmented += n
        if progress:
            progress(len(chunk))
    return segmented


@dataclass
class Loaded:
    """What one run reads from the database, as arrays for the core plus names for the reasons."""

    need_rows: list[tuple]
    res_rows: list[tuple]
    needs: cand_mod.Needs
    resources: cand_mod.Resources
    fit: cand_mod.CategoryFit
    context: scoring.Context
    blocked: tuple[np.ndarray, np.ndarray]  # (need id, unit id) pairs that may not be suggested
    category_names: list[str]
    street_ids: np.ndarray  # street code → area id
    area_names: dict[int, str]


def load(conference: Conference, today: datetime.date) -> Loaded:
    """Everything one run needs, read with filters on this conference (its needs, its members'
    resources, its claims and deliveries, the areas they name), so a run costs in proportion to
    the conference, not to the city."""
    day0 = today.toordinal()
    far = day0 + OPEN_ENDED_DAYS

    need_qs = Need.objects.in_hall().filter(conference=conference)
    need_rows = list(need_qs.values_list("id", "category_id", "area_id", "owner_id", "quantity", "claimed_quantity",
                                         "deadline", "title", "description"))
    members = Membership.objects.current(today).filter(conference=conference).values("unit_id")
    res_qs = Resource.objects.filter(conference=conference, state=Resource.State.OFFERED, unit_id__in=members)
    res_rows = list(res_qs.values_list("id", "category_id", "unit_id", "unit__area_id", "capacity", "available_from",
                                       "available_until", "title", "description"))
    served_rows = list(Resource.areas.through.objects.filter(resource__in=res_qs).values_list("resource_id", "area_id"))
    # Capacity already promised: active claims drawing on a resource, invitations still out.
    in_use = dict(Claim.objects.filter(resource__in=res_qs, state=Claim.State.ACTIVE)
                  .values("resource_id").annotate(q=Sum("quantity")).values_list("resource_id", "q"))
    outstanding = list(Suggestion.objects.filter(conference=conference, state=Suggestion.State.SENT)
                       .values_list("need_id", "resource_id", "unit_id", "quantity"))
    # Pairs that cannot be claimed again: the unit already holds an active claim on the need.
    held = list(Claim.objects.filter(conference=conference, state=Claim.State.ACTIVE, need__in=need_qs)
                .values_list("need_id", "unit_id"))
    # Earlier successful claims per (claiming unit, need's owner): completed, or with a confirmed delivery.
    # (A delivery belongs to its claim's conference, so the confirmed ones are read for this one only.)
    confirmed = Delivery.objects.filter(conference=conference, state=Delivery.State.CONFIRMED).values("claim_id")
    res_units = res_qs.values("unit_id")
    history = list(Claim.objects.filter(conference=conference, unit_id__in=res_units)
                   .filter(Q(state=Claim.State.COMPLETED) | Q(pk__in=confirmed))
                   .values("unit_id", "need__owner_id").annotate(n=Count("id")).order_by()
                   .values_list("unit_id", "need__owner_id", "n"))
    # A unit's load counts its active claims in every conference, but only units offering resources
    # here are scored: read theirs (index claim_unit_state_created), not the whole city's.
    load_rows = list(Claim.objects.filter(state=Claim.State.ACTIVE, unit_id__in=res_units).values("unit_id")
                     .annotate(n=Count("id")).order_by().values_list("unit_id", "n"))
    street_of, area_names, area_kinds = _street_map(
        {r[2] for r in need_rows} | {r[3] for r in res_rows} | {aid for _, aid in served_rows})
    known = sorted(street_of)
    neighbours = [(a, b) for a, b in _chunked_values(AreaNeighbour.objects.all(), "area_id__in", known,
                                                     ("area_id", "neighbour_id")) if b in street_of]
    categories = dict(NeedCategory.objects.values_list("id", "name"))
    cat_codes = dict(NeedCategory.objects.values_list("code", "id"))

    cats = _Codes(categories.keys())
    related = []
    for need_code, res_code in RELATED_CATEGORIES:
        if need_code in cat_codes and res_code in cat_codes:
            related.append((int(cats([cat_codes[need_code]])[0]), int(cats([cat_codes[res_code]])[0])))

    # Streets as codes. A resource with no streets, or serving the whole district, serves every
    # street where a need of this run lives.
    need_street = [street_of.get(r[2], r[2]) for r in need_rows]
    streets = _Codes(set(need_street) | set(street_of.values()))
    all_need_streets = sorted(set(streets(need_street).tolist()))
    code_of = {int(pk): code for code, pk in enumerate(streets.ids.tolist())}
    served: dict[int, set[int]] = {}
    for rid, aid in served_rows:
        if area_kinds.get(aid) == Area.Kind.DISTRICT:
            served.setdefault(rid, set()).update(all_need_streets)
        else:
            served.setdefault(rid, set()).add(code_of[street_of.get(aid, aid)])

    # Quantities left once outstanding invitations are counted.
    out_need: dict[int, int] = {}
    out_res: dict[int, int] = {}
    for nid, rid, _, qty in outstanding:
        out_need[nid] = out_need.get(nid, 0) + qty
        out_res[rid] = out_res.get(rid, 0) + qty

    n = len(need_rows)
    deadline = [r[6].toordinal() if r[6] else far for r in need_rows]
    needs = cand_mod.make_needs(
        id=[r[0] for r in need_rows],
        category=cats([r[1] for r in need_rows]) if n else [],
        area=streets(need_street) if n else [],
        unit=[r[3] for r in need_rows],
        quantity=[max(r[4] - r[5] - out_need.get(r[0], 0), 0) for r in need_rows],
        start=np.full(n, day0),
        end=deadline,
    )
    ptr, flat = cand_mod.served_from_lists([served.get(r[0]) or all_need_streets for r in res_rows])
    m = len(res_rows)
    resources = cand_mod.make_resources(
        id=[r[0] for r in res_rows],
        category=cats([r[1] for r in res_rows]) if m else [],
        unit=[r[2] for r in res_rows],
        unit_area=streets([street_of.get(r[3], r[3]) if r[3] else -1 for r in res_rows]) if m else [],
        capacity=[max(r[4] - in_use.get(r[0], 0) - out_res.get(r[0], 0), 0) for r in res_rows],
        start=[r[5].toordinal() if r[5] else day0 - OPEN_ENDED_DAYS for r in res_rows],
        end=[r[6].toordinal() if r[6] else far for r in res_rows],
        served_ptr=ptr,
        served_area=flat,
    )
    blocked = [(nid, uid) for nid, uid in held] + [(nid, uid) for nid, _, uid, _ in outstanding]
    # The neighbour map may name residents' areas too: compare the streets they belong to.
    nb = np.array([(street_of.get(a, a), street_of.get(b, b)) for a, b in neighbours], dtype=np.int64).reshape(-1, 2)
    context = scoring.Context(
        neighbours=streets(nb.ravel()).reshape(-1, 2).astype(np.int64) if len(nb) else None,
        history_units=tuple(np.array(col, dtype=np.int64) for col in zip(*history, strict=True)) if history else None,
        load_units=tuple(np.array(col, dtype=np.int64) for col in zip(*load_rows, strict=True)) if load_rows else None,
    )
    return Loaded(
        need_rows=need_rows, res_rows=res_rows, needs=needs, resources=resources,
        fit=cand_mod.CategoryFit(len(cats), related), context=context,
        blocked=(np.array([b[0] for b in blocked], dtype=np.int64), np.array([b[1] for b in blocked], dtype=np.int64)),
        category_names=[categories[int(i)] for i in cats.ids], street_ids=streets.ids, area_names=area_names,
    )


# ------------------------------------------------------------------------------------- the run

def _timed(timings: dict, key: str, started: float) -> float:
    now = time.perf_counter()
    timings[key] = round(now - started, 3)
    return now


def run_matching(actor, conference: Conference, progress: Progress | None = None, *,
                 today: datetime.date | None = None, started=None) -> MatchRun:
    """Match the conference's open needs (in the hall) with its members' offered resources and
    store the suggestions of the best total score. Proposed suggestions of earlier runs expire.
    ``started(run)`` is told the run as soon as it is recorded as 计算中 (the background job keeps
    its id, so a run whose worker dies is closed by :func:`fail_interrupted_run`)."""
    progress = progress or (lambda step, label: None)
    today = today or timezone.localdate()
    run = MatchRun.objects.create(conference=conference, started_by=actor if getattr(actor, "is_authenticated", False)
                                  else None)
    timings: dict[str, float] = {}
    if started is not None:
        started(run)
    try:
        t = time.perf_counter()
        progress(0, PHASES[0])
        data = load(conference, today)
        t = _timed(timings, "load", t)

        progress(1, PHASES[1])
        need_feats, n_new = text_features(
            TextVector.Kind.NEED, [(r[0], matching_text(r[7], r[8])) for r in data.need_rows],
            TextVector.objects.filter(kind=TextVector.Kind.NEED,
                                      object_id__in=Need.objects.in_hall().filter(conference=conference).values("id")))
        res_feats, r_new = text_features(
            TextVector.Kind.RESOURCE, [(r[0], matching_text(r[7], r[8])) for r in data.res_rows],
            TextVector.objects.filter(kind=TextVector.Kind.RESOURCE,
                                      object_id__in=Resource.objects.filter(conference=conference).values("id")))
        timings["texts_segmented"] = n_new + r_new
        t = _timed(timings, "texts", t)

        progress(2, PHASES[2])
        cand = cand_mod.build_candidates(data.needs, data.resources, data.fit)
        if len(data.blocked[0]) and len(cand):
            is_blocked = scoring.lookup_pairs(data.blocked[0], data.blocked[1], np.ones(len(data.blocked[0]), np.int64),
                                              data.needs.id[cand.need], data.resources.unit[cand.resource]) > 0
            cand = cand_mod.Candidates(cand.need[~is_blocked], cand.resource[~is_blocked], cand.fit[~is_blocked])
        t = _timed(timings, "candidates", t)

        progress(3, PHASES[3])
        a, b = scoring.tfidf_pair(need_feats, res_feats)
        similarity = scoring.pair_similarity(a, b, cand.need, cand.resource)
        scored = scoring.score_pairs(data.needs, data.resources, cand, similarity, data.context)
        t = _timed(timings, "scoring", t)

        progress(4, PHASES[4])
        caps = {int(u): unit_cap() for u in np.unique(data.resources.unit)}
        problem = solver.build_problem(data.needs, data.resources, cand, scored.score, caps)
        keep = np.flatnonzero(scored.score > 0)  # build_problem keeps exactly these pairs, in order
        result = solver.solve(problem)
        timings["solve_rounds"] = result.stats.get("rounds", 0)
        timings["solve_pairs"] = result.stats.get("pairs_solved", 0)
        t = _timed(timings, "solve", t)

        progress(5, PHASES[5])
        chosen = result.chosen
        pairs = keep[chosen]
        rows = _suggestion_rows(run, data, cand, scored, pairs, result.flow[chosen])
        with transaction.atomic():
            expired = (Suggestion.objects.filter(conference=conference, state=Suggestion.State.PROPOSED)
                       .exclude(run=run).update(state=Suggestion.State.EXPIRED))
            _insert_suggestions(rows)
            t = _timed(timings, "save", t)
            timings["total"] = round(sum(timings[k] for k in ("load", "texts", "candidates", "scoring", "solve", "save")), 3)
            fields = {
                "status": MatchRun.Status.FINISHED, "finished_at": timezone.now(),
                "needs_count": len(data.needs), "resources_count": len(data.resources),
                "candidates_count": len(cand), "suggestions_count": len(rows), "total_score": result.total,
                "total_quantity": int(result.flow.sum()), "timings": timings,
            }
            for k, v in fields.items():
                setattr(run, k, v)
            run.save(update_fields=list(fields))
            changes = {k: [None, v] for k, v in fields.items() if k not in ("finished_at", "timings", "status")}
            changes["expired_suggestions"] = [None, expired]
            record(actor, "matching.run", run, changes)
        return run
    except Exception as exc:
        log.exception("matching run %s failed", run.pk)
        run.status, run.error, run.finished_at, run.timings = MatchRun.Status.FAILED, str(exc)[:2000], timezone.now(), timings
        run.save(update_fields=["status", "error", "finished_at", "timings"])
        record(actor, "matching.run.fail", run, {"error": [None, str(exc)[:300]]})
        raise


def fail_interrupted_run(run_id: int, reason: str) -> MatchRun | None:
    """Mark a run that is still 计算中 as failed because the process computing it died (its job was
    found dead): nothing of it was saved — its suggestions are written in one transaction at the
    end — and a new run can be started. A run that has ended is left as it is."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id, status=MatchRun.Status.RUNNING).first()
        if run is None:
            return None
        reason = reason or "计算进程在运行中退出。"
        run.status, run.error, run.finished_at = MatchRun.Status.FAILED, reason[:2000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        record(None, "matching.run.fail", run, {"error": [None, reason[:300]]})
    return run


def _suggestion_rows(run, data: Loaded, cand, scored, pairs: np.ndarray, flows: np.ndarray) -> list[tuple]:
    names, streets = data.category_names, data.street_ids
    need_cat, res_cat = data.needs.category, data.resources.category
    rows = []
    for k, qty in zip(pairs.tolist(), flows.tolist(), strict=True):
        ni, rj = int(cand.need[k]), int(cand.resource[k])
        unit_area = int(data.resources.unit_area[rj])
        reasons = scoring.reasons(
            int(cand.fit[k]), names[need_cat[ni]], names[res_cat[rj]], int(scored.proximity[k]),
            data.area_names.get(int(streets[data.needs.area[ni]]), ""),
            data.area_names.get(int(streets[unit_area]), "") if unit_area >= 0 else "",
            float(scored.similarity[k]), int(scored.history[k]), int(scored.load[k]),
        )
        rows.append((run.pk, run.conference_id, int(data.needs.id[ni]), int(data.resources.id[rj]),
                     int(data.resources.unit[rj]), int(qty), int(scored.score[k]),
                     json.dumps(reasons, ensure_ascii=False), Suggestion.State.PROPOSED.value))
    return rows


def _insert_suggestions(rows: list[tuple]) -> None:
    """Write a run's suggestions straight to the driver: COPY on PostgreSQL, one prepared INSERT
    executed for all rows on SQLite. ``bulk_create`` spends about 100 µs of Python per row
    preparing values (half of a city-scale save); these rows are plain numbers and one JSON text
    built here, so nothing needs preparing."""
    meta = Suggestion._meta
    columns = [meta.get_field(f).column for f in
               ("run", "conference", "need", "resource", "unit", "quantity", "score", "reasons", "state")]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        for lo in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[lo:lo + 5000])


# ------------------------------------------------------------------------------------- decisions

def _require_state(suggestion: Suggestion, new_state: str):
    if new_state not in Suggestion.TRANSITIONS.get(suggestion.state, set()):
        labels = dict(Suggestion.State.choices)
        raise ValidationError({"state": f"该推荐“{labels[suggestion.state]}”，不能变为“{labels[new_state]}”。"})


@transaction.atomic
def send_invitations(actor, suggestions: Iterable[Suggestion]) -> list[BurdenRequest]:
    """Send each proposed suggestion to its resource's unit as a claim invitation, through the
    burden gate (which may hold it in the month's queue past the unit's cap — it is never dropped)."""
    sent = []
    for s in sorted(suggestions, key=lambda s: s.pk):
        s = Suggestion.objects.select_for_update(of=("self",)).select_related("need", "resource", "unit").get(pk=s.pk)
        _require_state(s, Suggestion.State.SENT)
        summary = f"认领邀请：{s.need.title}（{s.quantity}{s.need.quantity_unit}），可使用资源“{s.resource.title}”"
        req = burden.request(actor, unit=s.unit, kind=BurdenRequest.Kind.INVITATION, subject=s, summary=summary)
        update_object(actor, s, "matching.suggestion.send", state=Suggestion.State.SENT, invitation=req)
        sent.append(req)
    return sent


def _open_invitation(suggestion: Suggestion) -> BurdenRequest | None:
    """The suggestion's invitation while the unit still owes an answer to it."""
    req = suggestion.invitation
    if req is not None and req.state in BurdenRequest.OPEN_STATES:
        return req
    return None


@transaction.atomic
def accept_suggestion(actor, suggestion: Suggestion, *, now: datetime.datetime | None = None) -> Claim:
    """The unit accepts: the claim is made (as much of the suggested quantity as is still open),
    drawing on the suggested resource, and the invitation is answered."""
    now = now or timezone.now()
    s = (Suggestion.objects.select_for_update(of=("self",)).select_related("need", "resource", "unit", "invitation")
         .get(pk=suggestion.pk))
    _require_state(s, Suggestion.State.ACCEPTED)
    need = Need.objects.get(pk=s.need_id)
    quantity = min(s.quantity, need.remaining)
    if quantity < 1:
        raise ValidationError({"quantity": "该需求已被认领完，无需再认领。"})
    claim = claim_need(actor, need, unit=s.unit, quantity=quantity, resource=s.resource,
                       invitation=_open_invitation(s), note="来自推荐匹配", now=now)
    update_object(actor, s, "matching.suggestion.accept", state=Suggestion.State.ACCEPTED, claim=claim,
                  decided_at=now, decided_by=actor if getattr(actor, "is_authenticated", False) else None)
    return claim


@transaction.atomic
def decline_suggestion(actor, suggestion: Suggestion, *, now: datetime.datetime | None = None) -> dict:
    """The unit declines: the invitation is answered and nothing is claimed."""
    now = now or timezone.now()
    s = Suggestion.objects.select_for_update(of=("self",)).select_related("invitation").get(pk=suggestion.pk)
    _require_state(s, Suggestion.State.DECLINED)
    req = _open_invitation(s)
    if req is not None:
        burden.answer(actor, req)
    return update_object(actor, s, "matching.suggestion.decline", state=Suggestion.State.DECLINED, decided_at=now,
                         decided_by=actor if getattr(actor, "is_authenticated", False) else None)


@transaction.atomic
def set_neighbours(actor, area: Area, neighbours: Iterable[Area]) -> dict:
    """Record which areas border ``area`` (replacing what was recorded); one audit row."""
    wanted = {n.pk for n in neighbours if n.pk != area.pk}
    rows = AreaNeighbour.objects.filter(Q(area=area) | Q(neighbour=area))
    current = {r.neighbour_id if r.area_id == area.pk else r.area_id for r in rows}
    if wanted == current:
        return {}
    rows.exclude(area_id__in=wanted).exclude(neighbour_id__in=wanted).delete()
    AreaNeighbour.objects.bulk_create([
        AreaNeighbour(area_id=min(area.pk, other), neighbour_id=max(area.pk, other)) for other in wanted - current
    ])
    changes = {"neighbours": [sorted(current), sorted(wanted)]}
    record(actor, "matching.neighbours.set", area, changes)
    return changes


def latest_run(conference_id: int) -> MatchRun | None:
    return (MatchRun.objects.filter(conference_id=conference_id, status=MatchRun.Status.FINISHED)
            .order_by("-started_at", "-id").first())


__all__ = ["run_matching", "send_invitations", "accept_suggestion", "decline_suggestion", "set_neighbours",
           "latest_run", "unit_cap", "PHASES"]
