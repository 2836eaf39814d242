"""Reviewer assignment: the min-cost flow equals the brute-force optimum on small random instances,
never assigns a conflict, and the greedy baseline is never better."""

import numpy as np
import pytest
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


@st.composite
def larger_problems(draw):
    n = draw(st.integers(2, 5))
    r = draw(st.integers(3, 5))
    k = draw(st.integers(1, 2))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n * r, max_size=n * r)), dtype=bool).reshape(n, r)
    cost = np.array(draw(st.lists(st.integers(0, 2), min_size=n * r, max_size=n * r))).reshape(n, r)
    cap = draw(st.one_of(st.none(), st.integers(1, 3)))
    return Problem(allowed, cost, k, cap)


@settings(max_examples=80, deadline=None)
@given(larger_problems())
def test_pruned_network_priced_to_the_exact_optimum(problem):
    """Forced onto the pruned path (one cheapest reviewer per review, no reviewer's own picks), the
    pricing rounds add what the optimum needs: equal to brute force, every rule kept."""
    from lianxi.campaigns import assignment

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(assignment, "PRUNE_FROM", 1)
        mp.setattr(assignment, "PRUNE_PER_K", 1)
        mp.setattr(assignment, "PRUNE_PER_CAP", 0)
        result = solve(problem)
    problem.check(result.pairs)
    assert result.objective == brute_force(problem)


def test_pricing_adds_pairs_the_pruned_network_left_out(monkeypatch):
    """An instance where the first pruned network is not optimal: the cheap reviewer of every
    nomination is the same one, with room for one. Pricing adds the pairs that fix it, and with
    no pricing round allowed the full network is solved instead; both equal brute force."""
    from lianxi.campaigns import assignment

    monkeypatch.setattr(assignment, "PRUNE_FROM", 1)
    monkeypatch.setattr(assignment, "PRUNE_PER_K", 1)
    monkeypatch.setattr(assignment, "PRUNE_PER_CAP", 0)
    cost = np.array([[0, 1, 1, 1]] * 4)
    problem = Problem(np.ones((4, 4), dtype=bool), cost, k=1, cap=1)
    result = solve(problem)
    assert result.stats["pruned"] and result.stats["rounds"] >= 2
    assert result.objective == brute_force(problem) == 3 and result.shortfall == 0
    monkeypatch.setattr(assignment, "MAX_ROUNDS", 1)
    fallback = solve(problem)
    assert not fallback.stats["pruned"] and fallback.objective == 3


def test_benchmark_sized_instance_pruned_equals_the_full_network():
    """5,000 × 300 with conflicts as in a campaign: the pruned, priced optimum equals the optimum
    of the whole network (no timing here: bench/bench_campaigns.py measures it)."""
    from lianxi.campaigns import assignment

    rng = np.random.default_rng(1)
    n, r = 1500, 90
    rev_unit = rng.choice(n, r, replace=False)
    body = rng.integers(0, 20, n)
    allowed = (np.arange(n)[:, None] != rev_unit[None, :]) & (body[:, None] != np.where(
        rng.random(r) < 0.5, body[rev_unit], -1)[None, :]) & (rng.random((n, r)) >= 0.01)
    bits = 1 << np.arange(5)
    nom_mask, rev_mask = (rng.random((n, 5)) < 0.4) @ bits, (rng.random((r, 5)) < 0.4) @ bits
    problem = Problem(allowed, np.where((nom_mask[:, None] & rev_mask[None, :]) != 0, 0, 1), k=3)
    assert allowed.sum() >= assignment.PRUNE_FROM / 2
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(assignment, "PRUNE_FROM", 100_000)
        result = solve(problem)
    assert result.stats["pruned"]
    problem.check(result.pairs)
    assert result.objective == assignment._solve(problem, problem.allowed).objective
