"""The planner against the rules and against a brute force on small random instances."""

import datetime
from collections import Counter
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianxi.visits import planner
from lianxi.visits.planner import FixedVisit, Problem, UnitIn, VisitorIn

START = datetime.date(2025, 3, 3)  # a Monday
DAYS = [START + datetime.timedelta(days=i) for i in range(21)]  # three weeks
WORKDAYS = [d for d in DAYS if d.weekday() < 5]


def week(day):
    return day.isocalendar()[:2]


@st.composite
def instances(draw):
    n_units = draw(st.integers(1, 6))
    n_visitors = draw(st.integers(1, 2))
    units = [UnitIn(id=i + 1, street=draw(st.integers(0, 2)),
                    unavailable=frozenset(draw(st.lists(st.sampled_from(WORKDAYS), max_size=12))))
             for i in range(n_units)]
    visitors = [VisitorIn(id=100 + v, capacity=draw(st.integers(0, 2)),
                          unavailable=frozenset(draw(st.lists(st.sampled_from(WORKDAYS), max_size=10))))
                for v in range(n_visitors)]
    blocked = frozenset()
    if draw(st.booleans()):
        monday = START + datetime.timedelta(days=7 * draw(st.integers(0, 2)))
        blocked = frozenset(monday + datetime.timedelta(days=i) for i in range(7))
    return Problem(start=START, end=DAYS[-1], units=units, visitors=visitors, blocked_days=blocked)


def coverable_subset(problem: Problem, subset) -> bool:
    """Backtracking over (visitor, day): can every unit of ``subset`` be visited? Independent of
    the planner's week-level model."""
    used = Counter()
    units = [u for u in problem.units if u.id in subset]

    def place(i):
        if i == len(units):
            return True
        u = units[i]
        for v in problem.visitors:
            for d in WORKDAYS:
                if d in problem.blocked_days or d in u.unavailable or d in v.unavailable:
                    continue
                if used[(v.id, week(d))] >= v.capacity:
                    continue
                used[(v.id, week(d))] += 1
                if place(i + 1):
                    return True
                used[(v.id, week(d))] -= 1
        return False

    return place(0)


def brute_force_coverage(problem: Problem) -> int:
    ids = [u.id for u in problem.units]
    for size in range(len(ids), -1, -1):
        if any(coverable_subset(problem, set(c)) for c in combinations(ids, size)):
            return size
    return 0


def assert_rules(problem: Problem, result):
    units = {u.id: u for u in problem.units}
    visitors = {v.id: v for v in problem.visitors}
    per_week = Counter()
    for a in result.assignments:
        assert a.day.weekday() < 5
        assert problem.start <= a.day <= problem.end
        assert a.day not in problem.blocked_days, "visit in a blocked week"
        assert a.day not in units[a.unit].unavailable
        assert a.day not in visitors[a.visitor].unavailable
        per_week[(a.visitor, week(a.day))] += 1
    for f in problem.fixed:
        per_week[(f.visitor, week(f.day))] += 1
    for (v, _w), n in per_week.items():
        assert n <= visitors[v].capacity, "capacity exceeded"
    planned = [a.unit for a in result.assignments]
    assert len(planned) == len(set(planned)), "a unit planned twice"
    fixed = {f.unit for f in problem.fixed}
    assert not (set(planned) & fixed), "a fixed unit planned again"
    assert set(planned) | fixed | set(result.unplanned) == set(units)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_cp_sat_covers_what_brute_force_can_and_keeps_rules(problem):
    result = planner.plan(problem, time_limit=2)
    assert_rules(problem, result)
    assert result.covered == brute_force_coverage(problem)
    assert result.coverable == result.covered
    assert_rules(problem, result.greedy)
    assert result.greedy.covered <= result.covered


def test_blocked_week_and_capacity_on_a_fixed_example():
    units = [UnitIn(id=i, street=1) for i in range(1, 6)]
    visitors = [VisitorIn(id=100, capacity=2)]
    blocked = frozenset(START + datetime.timedelta(days=i) for i in range(7))  # the first week
    problem = Problem(start=START, end=DAYS[-1], units=units, visitors=visitors, blocked_days=blocked)
    result = planner.plan(problem, time_limit=2)
    assert_rules(problem, result)
    # Two weeks left × 2 visits: four units covered, grouped into one trip per week.
    assert result.covered == 4
    assert result.trips == 2
    assert list(result.unplanned.values()) == [planner.REASON_NO_CAPACITY]


def test_reasons_for_unplanned_units():
    everything = frozenset(WORKDAYS)
    units = [UnitIn(id=1, street=1, unavailable=everything),  # no day left at all
             UnitIn(id=2, street=1, unavailable=frozenset(WORKDAYS[1:])),  # only the first Monday
             UnitIn(id=3, street=1)]
    visitors = [VisitorIn(id=100, capacity=3, unavailable=frozenset(WORKDAYS[:1]))]
    problem = Problem(start=START, end=DAYS[-1], units=units, visitors=visitors)
    result = planner.plan(problem, time_limit=2)
    assert result.unplanned == {1: planner.REASON_NO_DATE, 2: planner.REASON_NO_VISITOR}
    assert [a.unit for a in result.assignments] == [3]


def test_fixed_visits_use_capacity_and_are_not_planned_again():
    units = [UnitIn(id=i, street=1) for i in range(1, 4)]
    visitors = [VisitorIn(id=100, capacity=1)]
    fixed = [FixedVisit(unit=1, visitor=100, day=WORKDAYS[0])]
    problem = Problem(start=START, end=DAYS[-1], units=units, visitors=visitors, fixed=fixed)
    result = planner.plan(problem, time_limit=2)
    assert_rules(problem, result)
    assert result.covered == 3
    # Week one's single place is taken by the fixed visit: the other two go to weeks two and three.
    assert sorted(week(a.day) for a in result.assignments) == [week(DAYS[7]), week(DAYS[14])]


def test_same_street_units_share_a_day():
    units = [UnitIn(id=i, street=1 if i <= 3 else 2) for i in range(1, 7)]
    visitors = [VisitorIn(id=100, capacity=6)]
    problem = Problem(start=START, end=START + datetime.timedelta(days=6), units=units, visitors=visitors)
    result = planner.plan(problem, time_limit=2)
    days = {}
    for a in result.assignments:
        days.setdefault(1 if a.unit <= 3 else 2, set()).add(a.day)
    assert result.covered == 6 and result.trips == 2
    assert all(len(d) == 1 for d in days.values())


def _sized(seed: int, n_units: int) -> Problem:
    import random

    rng = random.Random(seed)
    units = [UnitIn(id=i + 1, street=rng.randrange(3),
                    unavailable=frozenset(rng.sample(WORKDAYS, rng.randint(0, 5)))) for i in range(n_units)]
    visitors = [VisitorIn(id=100 + v, capacity=2, unavailable=frozenset(rng.sample(WORKDAYS, 3))) for v in range(2)]
    return Problem(start=START, end=DAYS[-1], units=units, visitors=visitors)


def test_time_limits_share_the_budget_by_size_within_the_bounds():
    problems = {k: _sized(k, n) for k, n in enumerate([5, 10, 40, 200])}
    limits = planner.time_limits(problems, budget=10, processes=2, low=0.5, high=8)
    assert all(0.5 <= t <= 8 for t in limits.values())
    assert limits[0] < limits[1] < limits[2] <= limits[3]
    assert sum(limits.values()) <= 10 * 2 + 1e-9
    # A budget too small for everyone: every problem still gets the floor, nothing more.
    assert set(planner.time_limits(problems, budget=0.5, processes=2, low=0.5).values()) == {0.5}


def test_plan_many_in_two_processes_gives_what_plan_gives():
    problems = {k: _sized(k, n) for k, n in enumerate([4, 9, 14])}
    solved = planner.plan_many(problems, budget=6, processes=2, low=1.0)
    assert set(solved) == set(problems)
    for key, (result, limit, seconds) in solved.items():
        problem = problems[key]
        assert planner.check(problem, result) == []
        assert_rules(problem, result)
        assert result.covered == result.coverable == planner.plan(problem, time_limit=1.0).covered
        assert seconds > 0
        # Finished in the first round (no CP-SAT, limit 0) or given CP-SAT time in the second.
        assert (limit == 0 and result.method.startswith("greedy")) or (limit >= 1.0 and result.method.startswith("cp-sat"))
        assert result.status != planner.NOT_SOLVED
        gap = planner.gap(result)
        assert gap is None or 0 <= gap <= 1


def _week(problem: Problem, day) -> int:
    return [i for i, days in enumerate(problem.weeks()) if day in days][0]


def brute_force_objective(problem: Problem) -> int:
    """The least week-level objective (trips × weight + busiest load) over every assignment of
    units to (visitor, week) slots that covers the most units: every choice of slot (or none) for
    every unit, independent of the planner's flow, classes and bounds."""
    from itertools import product

    weeks = problem.weeks()
    weight = len(problem.units) + len(problem.fixed) + 1
    options = []
    for u in problem.units:
        opts = [None]
        for v in problem.visitors:
            for w, days in enumerate(weeks):
                if any(d not in u.unavailable and d not in v.unavailable for d in days):
                    opts.append((v.id, w))
        options.append(opts)
    capacity = {v.id: v.capacity for v in problem.visitors}
    best = None
    for choice in product(*options):
        used = Counter(s for s in choice if s is not None)
        if any(n > capacity[v] for (v, _w), n in used.items()):
            continue
        covered = sum(s is not None for s in choice)
        trips = len({(u.street, s) for u, s in zip(problem.units, choice, strict=True) if s is not None})
        load = Counter(v for v, _w in used.elements())
        value = (-covered, weight * trips + max([load[v.id] for v in problem.visitors] or [0]))
        best = value if best is None or value < best else best
    return best[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_objective_bound_never_exceeds_the_brute_force_optimum(problem):
    """The lower bound that lets the greedy plan skip CP-SAT is a true bound (checked against every
    assignment), and a plan that says OPTIMAL has the brute force's objective."""
    problem.units = problem.units[:5]
    best = brute_force_objective(problem)
    inst = planner._Instance(problem)
    covered = len(planner.max_coverage(inst))
    trips, load, load_at_trips = planner.objective_lower_bound(inst, covered)
    weight = len(problem.units) + 1
    assert weight * trips + load <= weight * trips + load_at_trips <= best
    result = planner.plan(problem, time_limit=2)
    assert result.bound is None or result.bound <= best
    if result.status == "OPTIMAL":
        assert result.objective == best
    for balance in (True, False):
        fast = planner.plan(problem, time_limit=2, balance=balance)
        assert_rules(problem, fast)
        assert fast.covered == covered
        if fast.objective is not None:
            assert fast.objective >= best and fast.objective // weight == best // weight or balance is False


def test_greedy_proven_optimal_skips_cp_sat():
    # One street, 12 units, two visitors of 2 a week over three weeks: 6 trips of 2, 6 visits each
    # — the greedy plan reaches the bound, so CP-SAT is not run.
    units = [UnitIn(id=i, street=1) for i in range(1, 13)]
    visitors = [VisitorIn(id=100, capacity=2), VisitorIn(id=101, capacity=2)]
    problem = Problem(start=START, end=DAYS[-1], units=units, visitors=visitors)
    result = planner.plan(problem, time_limit=2)
    assert_rules(problem, result)
    assert (result.method, result.status) == ("greedy-optimal", "OPTIMAL")
    assert result.objective == result.bound == result.greedy.objective == 13 * 6 + 6
    assert planner.gap(result) == 0


def test_fewest_trips_are_enough_without_balance():
    # 18 units of one street, two visitors of 5 a week: the greedy plan makes the fewest trips (4:
    # 5 + 5 + 5 + 3) but loads them 10 and 8, where 9 and 9 can be had. With balance the plan goes
    # to CP-SAT, which finds it; without, the greedy plan is kept, its gap the load only.
    units = [UnitIn(id=i, street=1) for i in range(1, 19)]
    visitors = [VisitorIn(id=100, capacity=5), VisitorIn(id=101, capacity=5)]
    problem = Problem(start=START, end=DAYS[-1], units=units, visitors=visitors)
    weight = len(units) + 1
    kept = planner.plan(problem, time_limit=2, balance=False)
    assert_rules(problem, kept)
    assert (kept.method, kept.status, kept.max_load) == ("greedy-trips", "FEASIBLE", 10)
    assert (kept.objective, kept.bound) == (weight * 4 + 10, weight * 4 + 9)
    solved = planner.plan(problem, time_limit=2, balance=True)
    assert_rules(problem, solved)
    assert (solved.method, solved.status, solved.objective, solved.max_load) == ("cp-sat", "OPTIMAL", weight * 4 + 9, 9)
    unsolved = planner.plan(problem, time_limit=0, balance=True)
    assert unsolved.status == planner.NOT_SOLVED and unsolved.objective == kept.objective
