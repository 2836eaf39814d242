"""The visit planner (常态走访): which visitor sees which member unit on which day of a period.

Pure Python over plain data (no Django), so it is tested on small random instances against a
brute force and benchmarked at district scale. The problem:

- every unit should be visited once in the period by one visitor;
- a visitor makes at most ``capacity`` visits a week, never on a day they are unavailable;
- a unit is never visited on a day it is unavailable; no visit in a blocked week (a plenary);
- visits already done or confirmed are fixed: their unit is covered and they use capacity.

Objectives, lexicographically: (1) as many units covered as possible; (2) as few trips as possible,
a trip being one visitor in one street on one day (units of the same street grouped on one day);
(3) balanced load (the busiest visitor as little busy as possible).

How it is solved:

1. *Coverage* is a bipartite b-matching (unit → visitor-week slot with the visitor's weekly
   capacity), solved exactly as a maximum flow. Its value is the optimum and the proven bound.
2. *Trips and load* are minimised by CP-SAT over the week-level assignment, with coverage held at
   the optimum from step 1, the flow's assignment given as a hint, and a time limit. CP-SAT reports
   its objective and its bound on that objective.
3. *Days*: within each visitor-week, units of one street are put on the day that suits most of them
   (their own and the visitor's availability), repeatedly, so one trip serves as many as possible.

A greedy baseline (most constrained unit first, prefer a slot already going to the unit's street)
is computed alongside, for comparison on the page and in the benchmark.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

# Why a unit is left out of a plan (shown on the page).
REASON_NO_DATE = "no_date"  # every working day of the period is blocked or the unit's own unavailable day
REASON_NO_VISITOR = "no_visitor"  # the unit has days left, but no visitor is available on any of them
REASON_NO_CAPACITY = "no_capacity"  # visitors could go, but their weekly capacity is taken

REASON_LABELS = {
    REASON_NO_DATE: "没有可用日期（全会周、单位不便日期占满）",
    REASON_NO_VISITOR: "单位可用的日子里所有走访人都不可用",
    REASON_NO_CAPACITY: "走访人每周可走访次数已排满",
}


@dataclass(frozen=True)
class UnitIn:
    id: int
    street: int | None  # area id; None = street not recorded (each such unit is its own group)
    unavailable: frozenset = frozenset()


@dataclass(frozen=True)
class VisitorIn:
    id: int
    capacity: int  # visits per week
    unavailable: frozenset = frozenset()


@dataclass(frozen=True)
class FixedVisit:
    """A visit kept as it is (done or confirmed): covers its unit and uses the visitor's capacity."""

    unit: int
    visitor: int | None
    day: datetime.date


@dataclass
class Problem:
    start: datetime.date
    end: datetime.date  # inclusive
    units: list[UnitIn]
    visitors: list[VisitorIn]
    blocked_days: frozenset = frozenset()  # e.g. every day of a plenary's week
    fixed: list[FixedVisit] = field(default_factory=list)

    def weeks(self) -> list[list[datetime.date]]:
        """Working days (Mon–Fri) of the period not blocked, by ISO week, in order."""
        out: dict[tuple, list] = {}
        day = self.start
        while day <= self.end:
            if day.weekday() < 5 and day not in self.blocked_days:
                out.setdefault(day.isocalendar()[:2], []).append(day)
            day += datetime.timedelta(days=1)
        return list(out.values())


@dataclass
class Assignment:
    unit: int
    visitor: int
    day: datetime.date


@dataclass
class Result:
    assignments: list[Assignment]
    unplanned: dict[int, str]  # unit id → reason code
    covered: int  # units covered, fixed ones included
    coverable: int  # the optimum (maximum flow): the most units any plan can cover
    trips: int  # (visitor, street, day) outings, fixed visits included
    max_load: int  # visits of the busiest visitor, fixed visits included
    method: str
    seconds: float
    status: str = ""
    objective: int | None = None  # CP-SAT secondary objective (trips·weight + max load)
    bound: int | None = None  # CP-SAT's proven bound on that objective
    greedy: "Result | None" = None
    trip_bound: int | None = None  # a lower bound on trips valid for every plan covering all units

    def as_stats(self) -> dict:
        out = {"covered": self.covered, "coverable": self.coverable, "trips": self.trips, "max_load": self.max_load,
               "method": self.method, "seconds": round(self.seconds, 3), "status": self.status,
               "objective": self.objective, "bound": self.bound, "planned": len(self.assignments),
               "unplanned": len(self.unplanned), "trip_bound": self.trip_bound}
        if self.greedy is not None:
            out["greedy"] = self.greedy.as_stats()
        return out


# --------------------------------------------------------------------------------------------
# The week-level instance shared by every method
# --------------------------------------------------------------------------------------------


class _Instance:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.weeks = problem.weeks()
        self.units = problem.units
        self.visitors = problem.visitors
        fixed_units = {f.unit for f in problem.fixed}
        self.fixed_units = fixed_units
        week_of_day = {day: w for w, days in enumerate(self.weeks) for day in days}
        # Capacity left in each (visitor, week) once fixed visits are counted.
        self.capacity: dict[tuple[int, int], int] = {}
        used: dict[tuple[int, int], int] = defaultdict(int)
        for f in problem.fixed:
            w = week_of_day.get(f.day)
            if f.visitor is not None and w is not None:
                used[(f.visitor, w)] += 1
        for v in self.visitors:
            for w, days in enumerate(self.weeks):
                free = any(d not in v.unavailable for d in days)
                self.capacity[(v.id, w)] = max(v.capacity - used[(v.id, w)], 0) if free else 0
        # Feasible (visitor, week) slots of each open unit: a day of the week both are available.
        self.options: dict[int, list[tuple[int, int]]] = {}
        self.reasons: dict[int, str] = {}
        for u in self.units:
            if u.id in fixed_units:
                continue
            unit_days = [[d for d in days if d not in u.unavailable] for days in self.weeks]
            if not any(unit_days):
                self.reasons[u.id] = REASON_NO_DATE
                self.options[u.id] = []
                continue
            opts = []
            for v in self.visitors:
                for w, days in enumerate(unit_days):
                    if self.capacity[(v.id, w)] > 0 and any(d not in v.unavailable for d in days):
                        opts.append((v.id, w))
            if not opts and not any(
                any(d not in v.unavailable for d in days) for v in self.visitors for days in unit_days
            ):
                self.reasons[u.id] = REASON_NO_VISITOR
            self.options[u.id] = opts
        self.street = {u.id: (u.street if u.street is not None else -u.id) for u in self.units}
        self.unit_by_id = {u.id: u for u in self.units}
        self.visitor_by_id = {v.id: v for v in self.visitors}

    # -- shared finishing: days, trips, loads, reasons ---------------------------------------

    def finish(self, weekly: dict[int, tuple[int, int]], method: str, started: float, coverable: int,
               **extra) -> Result:
        groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for unit_id, (v, w) in weekly.items():
            groups[(v, w, self.street[unit_id])].append(unit_id)
        assignments, trips = [], set()
        for (v, w, street), unit_ids in groups.items():
            visitor = self.visitor_by_id[v]
            days = [d for d in self.weeks[w] if d not in visitor.unavailable]
            left = set(unit_ids)
            while left:
                # The day that suits most of the street's remaining units (earliest on a tie).
                best = max(days, key=lambda d: (sum(d not in self.unit_by_id[u].unavailable for u in left), -d.toordinal()))
                on_day = sorted(u for u in left if best not in self.unit_by_id[u].unavailable)
                if not on_day:  # cannot happen: each unit's slot has a common day; guard anyway
                    raise AssertionError("unit assigned to a week without a common day")
                for u in on_day:
                    assignments.append(Assignment(unit=u, visitor=v, day=best))
                left -= set(on_day)
                trips.add((v, street, best))
        load: dict[int, int] = defaultdict(int)
        for a in assignments:
            load[a.visitor] += 1
        for f in self.problem.fixed:
            if f.visitor is not None:
                load[f.visitor] += 1
                trips.add((f.visitor, self.street.get(f.unit, -f.unit), f.day))
        unplanned = {}
        for u in self.units:
            if u.id in self.fixed_units or u.id in weekly:
                continue
            unplanned[u.id] = self.reasons.get(u.id, REASON_NO_CAPACITY)
        assignments.sort(key=lambda a: (a.day, a.visitor, a.unit))
        return Result(assignments=assignments, unplanned=unplanned, covered=len(self.fixed_units) + len(weekly),
                      coverable=coverable, trips=len(trips), max_load=max(load.values(), default=0), method=method,
                      seconds=time.perf_counter() - started, **extra)


# --------------------------------------------------------------------------------------------
# Step 1: maximum coverage as a maximum flow
# --------------------------------------------------------------------------------------------


def max_coverage(inst: _Instance) -> dict[int, tuple[int, int]]:
    """A maximum assignment unit → (visitor, week) under the weekly capacities (exact)."""
    from ortools.graph.python import max_flow

    open_units = [u for u in inst.options if inst.options[u]]
    if not open_units:
        return {}
    slots = sorted({s for u in open_units for s in inst.options[u]})
    slot_index = {s: i for i, s in enumerate(slots)}
    source, sink = 0, 1
    unit_node = {u: 2 + i for i, u in enumerate(open_units)}
    base = 2 + len(open_units)
    flow = max_flow.SimpleMaxFlow()
    for u in open_units:
        flow.add_arc_with_capacity(source, unit_node[u], 1)
    arcs = []
    for u in open_units:
        for s in inst.options[u]:
            arcs.append((flow.add_arc_with_capacity(unit_node[u], base + slot_index[s], 1), u, s))
    for s, i in slot_index.items():
        flow.add_arc_with_capacity(base + i, sink, inst.capacity[s])
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow failed")
    return {u: s for arc, u, s in arcs if flow.flow(arc) > 0}


# --------------------------------------------------------------------------------------------
# Greedy baseline
# --------------------------------------------------------------------------------------------


def _greedy_weekly(inst: _Instance) -> dict[int, tuple[int, int]]:
    left = dict(inst.capacity)
    going: dict[tuple[int, int], set] = defaultdict(set)  # slot → streets already visited there
    load: dict[int, int] = defaultdict(int)
    weekly = {}
    order = sorted((u for u in inst.options if inst.options[u]),
                   key=lambda u: (len(inst.options[u]), inst.street[u], u))
    for u in order:
        street = inst.street[u]
        best, best_key = None, None
        for s in inst.options[u]:
            if left[s] <= 0:
                continue
            key = (street not in going[s], load[s[0]], s[1], s[0])
            if best_key is None or key < best_key:
                best, best_key = s, key
        if best is None:
            continue
        weekly[u] = best
        left[best] -= 1
        going[best].add(street)
        load[best[0]] += 1
    return weekly


def plan_greedy(problem: Problem, *, inst: _Instance | None = None, coverable: int | None = None) -> Result:
    started = time.perf_counter()
    inst = inst or _Instance(problem)
    if coverable is None:
        coverable = len(inst.fixed_units) + len(max_coverage(inst))
    return inst.finish(_greedy_weekly(inst), "greedy", started, coverable)


# --------------------------------------------------------------------------------------------
# CP-SAT
# --------------------------------------------------------------------------------------------


# Above this many (unit, slot) pairs CP-SAT works on a neighbourhood of the starting assignment
# instead of the whole problem (see _candidates); below it the model is exact.
FULL_MODEL_LIMIT = 30_000


def _candidates(inst: _Instance, open_units, hint: dict, flow_weekly: dict) -> tuple[dict, bool]:
    """Which (visitor, week) slots each unit may take in the CP-SAT model.

    Small instances: every feasible slot (exact). Large ones: the slots where the starting
    assignments (greedy and flow) already send someone to the unit's street, plus the unit's own
    starting slot. Trips are saved by moving a street's units together into fewer of its existing
    slots, which this neighbourhood allows; coverage stays optimal because the starting assignment
    is inside it. The reported bound is then the bound of this restricted model."""
    total = sum(len(inst.options[u]) for u in open_units)
    if total <= FULL_MODEL_LIMIT:
        return {u: inst.options[u] for u in open_units}, False
    street_slots: dict[int, set] = defaultdict(set)
    for u, slot in hint.items():
        street_slots[inst.street[u]].add(slot)
    out = {}
    for u in open_units:
        allowed = street_slots[inst.street[u]]
        chosen = [s for s in inst.options[u] if s in allowed]
        for own in (hint.get(u), flow_weekly.get(u)):
            if own is not None and own not in chosen:
                chosen.append(own)
        out[u] = chosen
    return out, True


def plan(problem: Problem, *, time_limit: float = 10.0, workers: int = 2, with_greedy: bool = True,
         seed: int = 0) -> Result:
    """The plan: coverage exact (max flow), then trips and load minimised by CP-SAT within
    ``time_limit`` seconds. The greedy baseline is attached as ``result.greedy``."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    inst = _Instance(problem)
    flow_weekly = max_coverage(inst)
    coverable = len(inst.fixed_units) + len(flow_weekly)
    greedy = plan_greedy(problem, inst=inst, coverable=coverable) if with_greedy else None

    open_units = [u for u in inst.options if inst.options[u]]
    if not open_units:
        result = inst.finish({}, "cp-sat", started, coverable, status="NO_OPEN_UNITS")
        result.greedy = greedy
        return result

    # Start from the best known assignment with optimal coverage: the greedy one when it reaches
    # the optimum (it usually groups better), else the flow's.
    hint = flow_weekly
    if greedy is not None and greedy.covered == coverable:
        week_of = {day: w for w, days in enumerate(inst.weeks) for day in days}
        hint = {a.unit: (a.visitor, week_of[a.day]) for a in greedy.assignments}
    candidates, restricted = _candidates(inst, open_units, hint, flow_weekly)

    model = cp_model.CpModel()
    x: dict[tuple[int, tuple[int, int]], object] = {}
    by_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_trip: dict[tuple[int, int, int], list] = defaultdict(list)
    by_visitor: dict[int, list] = defaultdict(list)
    for u in open_units:
        street = inst.street[u]
        for s in candidates[u]:
            var = model.new_bool_var("")
            x[(u, s)] = var
            by_slot[s].append(var)
            by_trip[(s[0], s[1], street)].append(var)
            by_visitor[s[0]].append(var)
        if candidates[u]:
            model.add_at_most_one(x[(u, s)] for s in candidates[u])
    for s, vars_ in by_slot.items():
        if len(vars_) > inst.capacity[s]:
            model.add(sum(vars_) <= inst.capacity[s])
    # Coverage held at the optimum found by the flow (lexicographic first objective).
    model.add(sum(x.values()) >= len(flow_weekly))
    # Trips: a (visitor, week, street) group is "on" when any of its visits is.
    trips = []
    for key, vars_ in by_trip.items():
        z = model.new_bool_var("")
        v, w, _street = key
        cap = inst.capacity[(v, w)]
        model.add(sum(vars_) <= min(cap, len(vars_)) * z)
        trips.append(z)
    fixed_load: dict[int, int] = defaultdict(int)
    for f in problem.fixed:
        if f.visitor is not None:
            fixed_load[f.visitor] += 1
    max_load = model.new_int_var(0, len(problem.units) + len(problem.fixed), "max_load")
    for v in inst.visitors:
        model.add(sum(by_visitor.get(v.id, [])) + fixed_load[v.id] <= max_load)
    # Trips first, then the busiest visitor's load: one trip is worth more than any load change.
    weight = len(problem.units) + len(problem.fixed) + 1
    model.minimize(weight * sum(trips) + max_load)
    for (u, s), var in x.items():
        model.add_hint(var, 1 if hint.get(u) == s else 0)
    # A complete hint (trips and the load too) lets CP-SAT start from it at once.
    hinted_trips = {(v, w, inst.street[u]) for u, (v, w) in hint.items() if (u, (v, w)) in x}
    for key, z in zip(by_trip, trips, strict=True):
        model.add_hint(z, 1 if key in hinted_trips else 0)
    hint_load: dict[int, int] = defaultdict(int)
    for v, _w in hint.values():
        hint_load[v] += 1
    model.add_hint(max_load, max((hint_load[v.id] + fixed_load[v.id] for v in inst.visitors), default=0))
    solver = cp_model.CpSolver()
    # What is left of the time limit, less a margin for putting the visits on days afterwards.
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started) - 0.5, 0.5)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    # Large models: presolve (probing, symmetry) costs seconds on a shared machine and the complete
    # hint already is a solution, so search starts from it at once.
    if restricted or len(x) > FULL_MODEL_LIMIT // 3:
        solver.parameters.cp_model_presolve = False
        solver.parameters.symmetry_level = 0
    status = solver.solve(model)
    status_name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        weekly = {u: s for (u, s), var in x.items() if solver.boolean_value(var)}
        objective, bound = int(round(solver.objective_value)), int(round(solver.best_objective_bound))
    else:  # no solution in time: keep the flow's assignment (coverage is still optimal)
        weekly, objective, bound = hint, None, None
    result = inst.finish(weekly, "cp-sat" + (" (restricted)" if restricted else ""), started, coverable,
                         status=status_name, objective=objective, bound=bound)
    result.trip_bound = trip_lower_bound(inst, weekly, coverable)
    result.greedy = greedy
    return result


def trip_lower_bound(inst: _Instance, weekly: dict, coverable: int) -> int | None:
    """When every open unit is covered: each street needs at least ⌈its units / the largest weekly
    capacity⌉ trips (one trip is one visitor in one week at most; days can only split it further).
    ``None`` when some unit is left out (which units are covered then varies between plans)."""
    open_units = [u for u in inst.options if u not in inst.fixed_units]
    if len(weekly) != len(open_units) or not inst.visitors:
        return None
    top = max(v.capacity for v in inst.visitors) or 1
    per_street: dict[int, int] = defaultdict(int)
    for u in weekly:
        per_street[inst.street[u]] += 1
    return sum(-(-n // top) for n in per_street.values())


def check(problem: Problem, result: Result) -> list[str]:
    """Every rule a plan must keep, as messages (empty when it keeps them all). Used by the tests
    and by the service before a plan is saved."""
    errors = []
    blocked = problem.blocked_days
    units = {u.id: u for u in problem.units}
    visitors = {v.id: v for v in problem.visitors}
    per_week: dict[tuple[int, tuple], int] = defaultdict(int)
    seen = set()
    for f in problem.fixed:
        if f.visitor is not None:
            per_week[(f.visitor, f.day.isocalendar()[:2])] += 1
    for a in result.assignments:
        if a.unit in seen:
            errors.append(f"unit {a.unit} planned twice")
        seen.add(a.unit)
        if not (problem.start <= a.day <= problem.end) or a.day.weekday() >= 5:
            errors.append(f"unit {a.unit} on {a.day}: outside the period's working days")
        if a.day in blocked:
            errors.append(f"unit {a.unit} on {a.day}: blocked day")
        if a.day in units[a.unit].unavailable:
            errors.append(f"unit {a.unit} on {a.day}: unit unavailable")
        if a.day in visitors[a.visitor].unavailable:
            errors.append(f"visitor {a.visitor} on {a.day}: unavailable")
        per_week[(a.visitor, a.day.isocalendar()[:2])] += 1
    for (v, week), n in per_week.items():
        if n > visitors[v].capacity and any(a.visitor == v and a.day.isocalendar()[:2] == week for a in result.assignments):
            errors.append(f"visitor {v} week {week}: {n} visits > capacity {visitors[v].capacity}")
    return errors
