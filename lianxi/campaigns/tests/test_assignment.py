"""Reviewer assignment: the min-cost flow equals the brute-force optimum on small random instances,
never assigns a conflict, and the greedy baseline is never better."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lianxi.campaigns.assignment import Problem, brute_force, greedy, solve


@st.composite
def problems(draw):
    n = draw(st.integers(1, 4))
    r = draw(st.integers(1, 4))
    k = draw(st.integers(1, min(2, r)))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n * r, max_size=n * r)), dtype=bool).reshape(n, r)
    cost = np.array(draw(st.lists(st.integers(0, 3), min_size=n * r, max_size=n * r))).reshape(n, r)
    cap = draw(st.one_of(st.none(), st.integers(1, 3)))
    return Problem(allowed, cost, k, cap)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_exact_equals_brute_force_and_never_assigns_a_conflict(problem):
    exact = solve(problem)
    problem.check(exact.pairs)
    assert exact.objective == brute_force(problem)
    base = greedy(problem)
    problem.check(base.pairs)
    assert base.objective >= exact.objective
    assert base.shortfall >= exact.shortfall


def test_greedy_falls_short_where_the_exact_solution_does_not():
    # Nomination 0 may go to either reviewer, nomination 1 only to reviewer 0; cap 1 each.
    problem = Problem(np.array([[True, True], [True, False]]), np.zeros((2, 2), dtype=int), k=1, cap=1)
    assert solve(problem).shortfall == 0
    assert greedy(problem).shortfall == 1


def test_default_cap_balances_the_load():
    rng = np.random.default_rng(3)
    problem = Problem(rng.random((50, 7)) > 0.1, rng.integers(0, 2, (50, 7)), k=3)
    assert problem.cap == 22  # ⌈50·3 / 7⌉
    result = solve(problem)
    problem.check(result.pairs)
    loads = np.bincount(result.pairs[:, 1], minlength=7)
    assert loads.max() <= 22 and result.shortfall == 0


def test_pruned_solve_is_proved_or_falls_back(monkeypatch):
    from lianxi.campaigns import assignment

    monkeypatch.setattr(assignment, "PRUNE_FROM", 1)
    monkeypatch.setattr(assignment, "PRUNE_PER_K", 1)
    rng = np.random.default_rng(5)
    for _ in range(8):
        problem = Problem(rng.random((4, 4)) > 0.3, rng.integers(0, 3, (4, 4)), k=2, cap=3)
        pruned = solve(problem)
        problem.check(pruned.pairs)
        assert pruned.objective == brute_force(problem)
        assert pruned.objective >= assignment.lower_bound(problem)
