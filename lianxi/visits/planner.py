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
2. *Trips and load* are minimised by CP-SAT over the week-level assignment (as counts of
   interchangeable units, see :func:`plan`), with coverage held at the optimum from step 1, the
   greedy (or flow) assignment as a complete hint, and a time limit. CP-SAT reports its objective
   and its bound on that objective.
3. *Days*: within each visitor-week, units of one street are put on the day that suits most of them
   (their own and the visitor's availability), repeatedly, so one trip serves as many as possible.

A greedy baseline (most constrained unit first, prefer a slot already going to the unit's street)
is computed alongside, for comparison on the page and in the benchmark.
"""

import dataclasses
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
    classes: int | None = None  # interchangeable unit classes in the CP-SAT count model
    pinned: int = 0  # units kept at their starting slot (model restricted to a neighbourhood)

    def as_stats(self) -> dict:
        out = {"covered": self.covered, "coverable": self.coverable, "trips": self.trips, "max_load": self.max_load,
               "method": self.method, "seconds": round(self.seconds, 3), "status": self.status,
               "objective": self.objective, "bound": self.bound, "planned": len(self.assignments),
               "unplanned": len(self.unplanned), "trip_bound": self.trip_bound, "classes": self.classes,
               "pinned": self.pinned}
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
        # Feasible (visitor, week) slots of each open unit, sorted: a day of the week both are
        # available. Units without unavailable days share one tuple.
        self.options: dict[int, tuple[tuple[int, int], ...]] = {}
        self.reasons: dict[int, str] = {}
        # Each visitor's free days per week, as sets: a unit fits a slot when its own free days of
        # that week meet the visitor's. Units without unavailable days share one answer.
        visitor_free = {(v.id, w): frozenset(d for d in days if d not in v.unavailable)
                        for v in self.visitors for w, days in enumerate(self.weeks)}
        open_slots = sorted(s for s, cap in self.capacity.items() if cap > 0)
        all_free = [frozenset(days) for days in self.weeks]
        unrestricted = tuple(s for s in open_slots if visitor_free[s])
        for u in self.units:
            if u.id in fixed_units:
                continue
            if not u.unavailable:
                unit_free = all_free
            else:
                unit_free = [frozenset(d for d in days if d not in u.unavailable) for days in self.weeks]
            if not any(unit_free):
                self.reasons[u.id] = REASON_NO_DATE
                self.options[u.id] = ()
                continue
            if not u.unavailable:
                opts = unrestricted
            else:
                opts = tuple(s for s in open_slots if visitor_free[s] & unit_free[s[1]])
            if not opts and not any(visitor_free[(v.id, w)] & unit_free[w]
                                    for v in self.visitors for w in range(len(self.weeks))):
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
            if not any(self.unit_by_id[u].unavailable for u in unit_ids):  # every day suits them all
                best = days[0]
                assignments.extend(Assignment(unit=u, visitor=v, day=best) for u in sorted(unit_ids))
                trips.add((v, street, best))
                continue
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
    """A maximum assignment unit → (visitor, week) under the weekly capacities (exact).

    Solved over classes of interchangeable units (same feasible slots): source → class (its size)
    → slot → sink (the slot's capacity); the flow on class → slot is then dealt to the units."""
    from ortools.graph.python import max_flow

    groups: dict[tuple, list[int]] = defaultdict(list)
    for u, opts in inst.options.items():
        if opts:
            groups[opts].append(u)
    if not groups:
        return {}
    slots = sorted({s for opts in groups for s in opts})
    slot_index = {s: i for i, s in enumerate(slots)}
    source, sink = 0, 1
    keys = list(groups)
    base = 2 + len(keys)
    flow = max_flow.SimpleMaxFlow()
    arcs = []
    for i, key in enumerate(keys):
        flow.add_arc_with_capacity(source, 2 + i, len(groups[key]))
        for s in key:
            arcs.append((flow.add_arc_with_capacity(2 + i, base + slot_index[s], inst.capacity[s]), key, s))
    for s, i in slot_index.items():
        flow.add_arc_with_capacity(base + i, sink, inst.capacity[s])
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow failed")
    out = {}
    queues = {key: list(members) for key, members in groups.items()}
    for arc, key, s in arcs:
        for _ in range(flow.flow(arc)):
            out[queues[key].pop()] = s
    return out


# --------------------------------------------------------------------------------------------
# Greedy baseline
# --------------------------------------------------------------------------------------------


def _greedy_weekly(inst: _Instance) -> dict[int, tuple[int, int]]:
    """Most constrained unit first; for each, a slot already going to its street first, else an
    empty one (streets sharing a slot make one more trip each), then the least busy visitor, the
    earliest week. The slots going to a street with room left are kept aside, so the full scan of a
    unit's slots happens only when its street needs a new one."""
    left = dict(inst.capacity)
    going: dict[tuple[int, int], set] = defaultdict(set)  # slot → streets already visited there
    open_going: dict[int, set] = defaultdict(set)  # street → its slots with room left
    load: dict[int, int] = defaultdict(int)
    option_sets: dict[int, frozenset] = {}
    weekly = {}
    order = sorted((u for u in inst.options if inst.options[u]),
                   key=lambda u: (len(inst.options[u]), inst.street[u], u))
    for u in order:
        street = inst.street[u]
        opts = inst.options[u]
        best, best_key = None, None
        if open_going[street]:
            allowed = option_sets.get(id(opts))
            if allowed is None:
                allowed = option_sets[id(opts)] = frozenset(opts)
            for s in open_going[street]:
                if s in allowed:
                    key = (load[s[0]], s[1], s[0])
                    if best_key is None or key < best_key:
                        best, best_key = s, key
        if best is None:
            for s in opts:
                if left[s] <= 0:
                    continue
                key = (bool(going[s]), load[s[0]], s[1], s[0])
                if best_key is None or key < best_key:
                    best, best_key = s, key
        if best is None:
            continue
        weekly[u] = best
        left[best] -= 1
        if street not in going[best]:
            going[best].add(street)
            open_going[street].add(best)
        if left[best] <= 0:
            for st in going[best]:
                open_going[st].discard(best)
        load[best[0]] += 1
    return weekly


def plan_greedy(problem: Problem, *, inst: _Instance | None = None, coverable: int | None = None) -> Result:
    started = time.perf_counter()
    inst = inst or _Instance(problem)
    if coverable is None:
        coverable = len(inst.fixed_units) + len(max_coverage(inst))
    weekly = _greedy_weekly(inst)
    trips, load = week_objective(inst, weekly)
    return inst.finish(weekly, "greedy", started, coverable, objective=_weight(problem) * trips + load)


# --------------------------------------------------------------------------------------------
# The secondary objective at the week level, and a lower bound on it valid for every plan
# --------------------------------------------------------------------------------------------


def _weight(problem: Problem) -> int:
    """One week-level trip outweighs any change in the busiest visitor's load."""
    return len(problem.units) + len(problem.fixed) + 1


def _fixed_load(problem: Problem) -> dict[int, int]:
    load: dict[int, int] = defaultdict(int)
    for f in problem.fixed:
        if f.visitor is not None:
            load[f.visitor] += 1
    return load


def week_objective(inst: _Instance, weekly: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(week-level trips, busiest visitor's load) of a week-level assignment: what CP-SAT minimises
    as trips × weight + load. A week-level trip is one visitor's week with units of one street;
    the load counts fixed visits too."""
    load = defaultdict(int, {v: k for v, k in _fixed_load(inst.problem).items() if v in inst.visitor_by_id})
    for v, _w in weekly.values():
        load[v] += 1
    trips = len({(inst.street[u], slot) for u, slot in weekly.items()})
    return trips, max([load[v.id] for v in inst.visitors] or [0])


def objective_lower_bound(inst: _Instance, covered_open: int) -> tuple[int, int, int]:
    """Lower bounds on :func:`week_objective` for plans that cover ``covered_open`` open units (the
    maximum, from the flow): ``(trips, load, load at those trips)``.

    - trips: when every open unit is covered, each street needs ⌈its units / the largest capacity
      of a slot its units can use⌉ week-level trips; otherwise all of them together need
      ⌈covered / the largest slot capacity⌉.
    - load, for every plan: the busiest visitor carries at least the average (all visits, fixed ones
      included, over all visitors) and at least their own fixed visits.
    - load at those trips, for the plans that make no more trips than the bound (the only ones that
      can beat the bound on the whole objective, a trip outweighing any load): ``T`` trips of at
      most ``c`` units carry the ``N`` units with ``S = T·c − N`` places to spare, so a visitor
      with ``q = ⌈T / visitors⌉`` trips — one has that many — carries at least ``q·c − S``; when
      nobody has more than ``q`` trips, at least ``m = T − visitors·(q − 1)`` visitors have ``q``
      and share the spare places, so one of them carries ``q·c − ⌊S / m⌋``. Used only without
      fixed visits. ``trips × weight + load at those trips`` bounds the objective."""
    open_units = [u for u, opts in inst.options.items() if opts]
    top = max(inst.capacity.values(), default=0) or 1
    all_covered = bool(covered_open) and covered_open == len(open_units)
    if all_covered:
        units: dict[int, int] = defaultdict(int)
        largest: dict[int, int] = defaultdict(int)  # the largest slot capacity the street's units can use
        for u in open_units:
            street = inst.street[u]
            units[street] += 1
            if largest[street] < top:
                largest[street] = max(largest[street], max(inst.capacity[s] for s in inst.options[u]))
        trips = sum(-(-n // max(largest[street], 1)) for street, n in units.items())
    else:
        trips = -(-covered_open // top)
    fixed = [k for v, k in _fixed_load(inst.problem).items() if v in inst.visitor_by_id]
    visitors = len(inst.visitors)
    load = max(-(-(covered_open + sum(fixed)) // max(visitors, 1)), max(fixed, default=0))
    at_trips = load
    if all_covered and not fixed and visitors and trips * top >= covered_open:
        spare = trips * top - covered_open
        q = -(-trips // visitors)
        m = trips - visitors * (q - 1)
        at_trips = min(max(load, min(q * top - spare // m, (q + 1) * top - spare)), covered_open)
    return trips, load, max(at_trips, load)


# --------------------------------------------------------------------------------------------
# CP-SAT
# --------------------------------------------------------------------------------------------


PRESOLVE_LARGE = False
# The status of a plan given no time for CP-SAT (``time_limit <= 0``): its starting assignment.
NOT_SOLVED = "NOT_SOLVED"
# (class, slot) count variables CP-SAT is given at most; beyond it small classes are pinned.
MODEL_LIMIT = 3_000


def _classes(inst: _Instance, open_units) -> dict[tuple, list[int]]:
    """Units that are interchangeable at the week level: same street, same feasible slots. Most
    units have no or few unavailable days, so a district's thousand units fall into a few dozen
    classes and the model below stays small (and exact) whatever the number of units."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for u in open_units:
        out[(inst.street[u], inst.options[u])].append(u)
    return out


def plan(problem: Problem, *, time_limit: float = 10.0, workers: int = 2, with_greedy: bool = True,
         seed: int = 0, balance: bool = True) -> Result:
    """The plan: coverage exact (max flow), then trips and load minimised by CP-SAT within
    ``time_limit`` seconds. The greedy baseline is attached as ``result.greedy``.

    CP-SAT works on counts: ``n[c, s]`` units of class ``c`` (see :func:`_classes`) go to slot
    ``s`` = (visitor, week); ``z[street, s]`` says the slot has a trip to the street. Every solution
    of the count model is a unit assignment (units of a class are interchangeable), so the model is
    exact at the week level and its bound is a bound on week-level trips.

    CP-SAT is not run when the greedy plan is proven optimal: it covers every coverable unit and
    its objective reaches :func:`objective_lower_bound` (status ``OPTIMAL``, method
    ``greedy-optimal``). ``time_limit <= 0`` returns the starting plan (greedy, or the flow's when
    the greedy covers less) with status ``NOT_SOLVED`` where CP-SAT would have run. With
    ``balance=False`` (many plans at once) the fewest trips are enough:
    the greedy plan is kept as it is when its trips reach the bound (method ``greedy-trips``,
    status ``FEASIBLE``, the gap left is the busiest visitor's load only), and CP-SAT stops as soon
    as its trips are proven minimal."""
    started = time.perf_counter()
    from ortools.sat.python import cp_model

    inst = _Instance(problem)
    flow_weekly = max_coverage(inst)
    coverable = len(inst.fixed_units) + len(flow_weekly)
    greedy = plan_greedy(problem, inst=inst, coverable=coverable) if with_greedy else None

    open_units = [u for u in inst.options if inst.options[u]]
    if not open_units:
        result = inst.finish({}, "cp-sat", started, coverable, status="NO_OPEN_UNITS")
        result.greedy = greedy
        return result

    classes = _classes(inst, open_units)
    weight = _weight(problem)
    trip_lb, load_lb, load_at_trips = objective_lower_bound(inst, len(flow_weekly))
    lower = weight * trip_lb + load_at_trips
    if greedy is not None and greedy.covered == coverable:
        done = None
        if greedy.objective <= lower:
            done = ("greedy-optimal", "OPTIMAL")
        elif not balance and greedy.objective < weight * (trip_lb + 1):
            done = ("greedy-trips", "FEASIBLE")
        if done is not None:
            week_of = {day: w for w, days in enumerate(inst.weeks) for day in days}
            weekly = {a.unit: (a.visitor, week_of[a.day]) for a in greedy.assignments}
            result = dataclasses.replace(greedy, method=done[0], status=done[1], bound=lower,
                                         seconds=time.perf_counter() - started, greedy=greedy,
                                         trip_bound=trip_lower_bound(inst, weekly, coverable), classes=len(classes))
            return result

    # Start from the best known assignment with optimal coverage: the greedy one when it reaches
    # the optimum (it usually groups better), else the flow's.
    hint = flow_weekly
    if greedy is not None and greedy.covered == coverable:
        week_of = {day: w for w, days in enumerate(inst.weeks) for day in days}
        hint = {a.unit: (a.visitor, week_of[a.day]) for a in greedy.assignments}
    if time_limit <= 0:  # no time for CP-SAT: the starting plan, marked as such
        trips_, load_ = week_objective(inst, hint)
        result = inst.finish(hint, "greedy" if hint is not flow_weekly else "flow", started, coverable,
                             status=NOT_SOLVED, objective=weight * trips_ + load_, bound=lower)
        result.trip_bound = trip_lower_bound(inst, hint, coverable)
        result.greedy, result.classes = greedy, len(classes)
        return result
    # Largest classes first into the model, up to a size CP-SAT can take in the time limit on a
    # shared machine; the small classes left over (units with unusual unavailable days) keep their
    # starting slots ("pinned"). Then the model is a neighbourhood of the starting plan, not the
    # whole problem, and its bound holds for that neighbourhood only; ``result.restricted`` says so.
    modelled, pinned_units, size = {}, [], 0
    for key, members in sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0][0])):
        if size + len(key[1]) <= MODEL_LIMIT or not modelled:
            modelled[key] = members
            size += len(key[1])
        else:
            pinned_units.extend(u for u in members if u in hint)
    pinned = {u: hint[u] for u in pinned_units}
    capacity_left = dict(inst.capacity)
    pinned_trips, pinned_load = set(), defaultdict(int)
    for u, slot in pinned.items():
        capacity_left[slot] -= 1
        pinned_trips.add((inst.street[u], slot))
        pinned_load[slot[0]] += 1

    model = cp_model.CpModel()
    total = cp_model.LinearExpr.sum  # much faster to build than Python's sum() over thousands of terms
    n: dict[tuple, object] = {}
    by_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_trip: dict[tuple[int, tuple], list] = defaultdict(list)
    by_visitor: dict[int, list] = defaultdict(list)
    hint_counts: dict[tuple, int] = defaultdict(int)
    for key, members in modelled.items():
        street, slots = key
        for u in members:
            if u in hint:
                hint_counts[(key, hint[u])] += 1
        for slot in slots:
            var = model.new_int_var(0, max(min(len(members), capacity_left[slot]), 0), "")
            n[(key, slot)] = var
            by_slot[slot].append(var)
            by_trip[(street, slot)].append(var)
            by_visitor[slot[0]].append(var)
        model.add(total([n[(key, slot)] for slot in slots]) <= len(members))
    for slot, vars_ in by_slot.items():
        model.add(total(vars_) <= capacity_left[slot])
    # Coverage held at the optimum found by the flow (lexicographic first objective).
    model.add(total(list(n.values())) + len(pinned) >= len(flow_weekly))
    trips = {}
    for key, vars_ in by_trip.items():
        z = model.new_bool_var("")
        model.add(total(vars_) <= inst.capacity[key[1]] * z)
        trips[key] = z
    for key in pinned_trips:
        if key not in trips:
            trips[key] = model.new_bool_var("")
        model.add(trips[key] == 1)
    if len(flow_weekly) == len(open_units):
        # Everyone can be covered, so everyone is: each class is placed whole, and each street's trips
        # must carry all its units (a cut that gives the LP a useful bound on trips).
        street_units: dict[int, int] = defaultdict(int)
        for key, members in modelled.items():
            model.add(total([n[(key, slot)] for slot in key[1]]) == len(members))
            street_units[key[0]] += len(members)
        for u in pinned:
            street_units[inst.street[u]] += 1
        street_trips: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
        for (street, slot), z in trips.items():
            street_trips[street][0].append(z)
            street_trips[street][1].append(inst.capacity[slot])
        for street, (zs, caps) in street_trips.items():
            model.add(cp_model.LinearExpr.weighted_sum(zs, caps) >= street_units[street])
    fixed_load: dict[int, int] = defaultdict(int)
    for f in problem.fixed:
        if f.visitor is not None:
            fixed_load[f.visitor] += 1
    for v, k in pinned_load.items():
        fixed_load[v] += k
    max_load = model.new_int_var(0, len(problem.units) + len(problem.fixed), "max_load")
    for v in inst.visitors:
        model.add(total(by_visitor.get(v.id, [])) + fixed_load[v.id] <= max_load)
    # The bounds valid for every plan (objective_lower_bound), so CP-SAT starts from them rather
    # than from its LP relaxation.
    model.add(total(list(trips.values())) >= trip_lb)
    model.add(max_load >= load_lb)
    model.add(weight * total(list(trips.values())) + max_load >= lower)
    # Trips first, then the busiest visitor's load: one trip is worth more than any load change.
    model.minimize(weight * total(list(trips.values())) + max_load)
    # A complete hint (counts, trips and the load) lets CP-SAT start from it at once.
    for key, var in n.items():
        model.add_hint(var, hint_counts.get(key, 0))
    hinted_trips = {(inst.street[u], slot) for u, slot in hint.items()}
    for key, z in trips.items():
        model.add_hint(z, 1 if key in hinted_trips else 0)
    hint_load: dict[int, int] = defaultdict(int)
    for v, _w in hint.values():
        hint_load[v] += 1
    fixed_only = defaultdict(int)
    for f in problem.fixed:
        if f.visitor is not None:
            fixed_only[f.visitor] += 1
    model.add_hint(max_load, max((hint_load[v.id] + fixed_only[v.id] for v in inst.visitors), default=0))
    solver = cp_model.CpSolver()
    # What is left of the time limit, less a margin for putting the visits on days afterwards.
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started) - max(1.0, 0.15 * time_limit), 0.5)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    # The complete hint already is a solution: spend the time on search from it, not on symmetry
    # detection, probing and (for large models) presolve, which cost seconds at district scale on a
    # busy machine and could use the whole time limit before the first solution is reported.
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    if len(n) > MODEL_LIMIT // 2:
        solver.parameters.cp_model_presolve = PRESOLVE_LARGE
    if not balance:
        # Stop once the trips are proven minimal: objective − bound ≤ the load bound ≤ the load of
        # the solution, so no plan has a trip less.
        solver.parameters.absolute_gap_limit = load_lb
    status = solver.solve(model)
    status_name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        weekly = dict(pinned)
        for key, members in modelled.items():
            queue = list(members)
            for slot in key[1]:
                for _ in range(solver.value(n[(key, slot)])):
                    weekly[queue.pop()] = slot
        objective, bound = int(round(solver.objective_value)), int(round(solver.best_objective_bound))
    else:  # no solution in time: keep the starting assignment (coverage is still optimal)
        weekly, objective, bound = hint, None, None
    method = "cp-sat" if not pinned else f"cp-sat (restricted: {len(pinned)} units pinned)"
    result = inst.finish(weekly, method, started, coverable, status=status_name, objective=objective, bound=bound)
    result.trip_bound = trip_lower_bound(inst, weekly, coverable)
    result.greedy = greedy
    result.classes = len(classes)
    result.pinned = len(pinned)
    return result


# --------------------------------------------------------------------------------------------
# Many plans at once (every conference of a city)
# --------------------------------------------------------------------------------------------


def time_limits(problems: dict, *, budget: float, processes: int = 2, low: float = 0.6,
                high: float = 10.0) -> dict:
    """A time limit per problem so that all of them fit in ``budget`` seconds of wall time on
    ``processes`` parallel solvers: the CPU time (``budget × processes``) is shared in proportion
    to each problem's units, each share kept within ``[low, high]``. What the low floor takes from
    the small problems is taken back from the large ones, so the sum still fits."""
    sizes = {k: max(len(p.units), 1) for k, p in problems.items()}
    cpu = budget * processes
    limits = {k: low for k in problems}
    spare = cpu - low * len(problems)
    if spare > 0:
        total = sum(sizes.values())
        for k, n in sizes.items():
            limits[k] = min(high, low + spare * n / total)
    return limits


def _plan_one(args):
    key, problem, limit, workers, balance = args
    started = time.perf_counter()
    result = plan(problem, time_limit=limit, workers=workers, balance=balance)
    return key, result, limit, time.perf_counter() - started


def plan_many(problems: dict, *, budget: float, processes: int = 2, low: float = 0.6,
              high: float = 10.0, balance: bool = False) -> dict:
    """Plan every problem of ``problems`` (``{key: Problem}``) within about ``budget`` seconds of
    wall time, ``processes`` at a time (each CP-SAT with one worker, so the machine's cores are not
    oversubscribed), largest first, in two rounds:

    1. every problem without CP-SAT (flow, greedy, bounds): most are finished here, the greedy plan
       proven optimal or — with ``balance=False``, the default — its trips proven minimal (see
       :func:`plan`);
    2. CP-SAT for the others only, each with its :func:`time_limits` share of what is left of the
       budget.

    Returns ``{key: (result, time limit, seconds)}`` (limit 0 for a plan finished in round 1, its
    seconds those of both rounds). Each result carries its objective and bound, so the gap left is
    known, not hidden."""
    started = time.perf_counter()
    order = sorted(problems, key=lambda k: -len(problems[k].units))
    workers = 1 if processes > 1 else 2
    out = {}
    for key, result, limit, seconds in _map(processes, [(k, problems[k], 0.0, workers, balance) for k in order]):
        out[key] = (result, limit, seconds)
    todo = [k for k in order if out[k][0].status == NOT_SOLVED]
    if todo:
        left = max(budget - (time.perf_counter() - started), 0.0)
        limits = time_limits({k: problems[k] for k in todo}, budget=left, processes=processes, low=low, high=high)
        for key, result, limit, seconds in _map(processes, [(k, problems[k], limits[k], workers, balance)
                                                            for k in todo]):
            out[key] = (result, limit, out[key][2] + seconds)
    return out


def _map(processes: int, jobs: list):
    if processes <= 1 or len(jobs) <= 1:
        return [_plan_one(job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Imported once here, so the forked workers inherit OR-Tools instead of each loading it (seconds
    # per worker on a busy machine).
    from ortools.sat.python import cp_model  # noqa: F401

    # Forked workers only compute: they never touch the database connection they inherit.
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_plan_one, jobs, chunksize=4))


def gap(result: Result) -> float | None:
    """CP-SAT's relative gap on its objective (0 = proven optimal for the model); ``None`` without
    a CP-SAT solution."""
    if result.objective is None or result.bound is None:
        return None
    if result.objective == 0:
        return 0.0
    return max(result.objective - result.bound, 0) / result.objective


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
