"""The solver is exact: on random small instances its total equals the optimum SciPy's HiGHS finds
for the same MILP (and LP: the matrix is totally unimodular), it respects every capacity, and the
greedy baseline never beats it."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianxi.matching.solver import Problem, greedy, solve, solve_milp


@st.composite
def problems(draw):
    n_need = draw(st.integers(1, 7))
    n_res = draw(st.integers(1, 6))
    all_pairs = [(n, r) for n in range(n_need) for r in range(n_res)]
    chosen = draw(st.lists(st.sampled_from(all_pairs), min_size=0, max_size=len(all_pairs), unique=True))
    scores = draw(st.lists(st.integers(1, 60), min_size=len(chosen), max_size=len(chosen)))
    quantity = draw(st.lists(st.integers(0, 5), min_size=n_need, max_size=n_need))
    capacity = draw(st.lists(st.integers(0, 6), min_size=n_res, max_size=n_res))
    with_units = draw(st.booleans())
    resource_unit = unit_cap = None
    if with_units:
        n_units = draw(st.integers(1, 3))
        # −1: a resource whose unit has no cap.
        resource_unit = draw(st.lists(st.integers(-1, n_units - 1), min_size=n_res, max_size=n_res))
        unit_cap = draw(st.lists(st.integers(0, 8), min_size=n_units, max_size=n_units))
    pair_cap = None
    if draw(st.booleans()) and chosen:
        pair_cap = draw(st.lists(st.integers(0, 4), min_size=len(chosen), max_size=len(chosen)))
    return Problem(
        pair_need=[p[0] for p in chosen], pair_resource=[p[1] for p in chosen], score=scores,
        need_quantity=quantity, resource_capacity=capacity, resource_unit=resource_unit, unit_cap=unit_cap,
        pair_cap=pair_cap,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_solver_total_equals_highs_optimum(problem):
    exact = solve(problem)
    problem.check(exact.flow)
    milp = solve_milp(problem)
    problem.check(milp.flow)
    lp = solve_milp(problem, relax=True)
    assert exact.total == milp.total
    assert exact.total == lp.total
    fast = greedy(problem)
    problem.check(fast.flow)
    assert fast.total <= exact.total


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(1, 3))
def test_reduced_network_then_proof_is_still_exact(problem, top):
    """Forcing the reduce-then-prove path on every instance (each resource's ``top`` best pairs
    first, then every left-out pair checked by its reduced cost) gives the HiGHS optimum too."""
    reduced = solve(problem, prune_from=0, prune_top=top)
    problem.check(reduced.flow)
    assert reduced.total == solve_milp(problem).total


def test_reduced_network_needs_a_second_round():
    """r0's best pair alone is not optimal: n0 is worth more to r1, so the proof finds r0→n1."""
    problem = Problem(pair_need=[0, 1, 0], pair_resource=[0, 0, 1], score=[10, 9, 30],
                      need_quantity=[1, 1], resource_capacity=[1, 1])
    result = solve(problem, prune_from=0, prune_top=1)
    assert result.flow.tolist() == [0, 1, 1]
    assert result.total == 39
    assert result.stats["rounds"] == 2
    assert result.stats["violations"] == 1


def test_leaves_capacity_unused_when_that_scores_more():
    """Maximum weight, not maximum flow: r0→n0 (10) alone beats r0→n1 (1) + r1→n0 (1)."""
    problem = Problem(pair_need=[0, 1, 0], pair_resource=[0, 0, 1], score=[10, 1, 1],
                      need_quantity=[1, 1], resource_capacity=[1, 1])
    result = solve(problem)
    assert result.flow.tolist() == [1, 0, 0]
    assert result.total == 10
    # The same instance pushed to maximum flow would score 2: the bypass arc is what avoids it.
    assert solve_milp(problem).total == 10


def test_greedy_can_lose():
    """Greedy takes r0→n0 (10) first and blocks r0→n1 (9) + r1→n0 (8) = 17."""
    problem = Problem(pair_need=[0, 1, 0], pair_resource=[0, 0, 1], score=[10, 9, 8],
                      need_quantity=[1, 1], resource_capacity=[1, 1])
    assert greedy(problem).total == 10
    assert solve(problem).total == 17


def test_unit_cap_limits_all_resources_of_the_unit():
    problem = Problem(pair_need=[0, 1, 2], pair_resource=[0, 1, 2], score=[5, 7, 3],
                      need_quantity=[4, 4, 4], resource_capacity=[4, 4, 4],
                      resource_unit=[0, 0, -1], unit_cap=[5])
    result = solve(problem)
    problem.check(result.flow)
    assert result.flow.tolist() == [1, 4, 4]
    assert result.total == 5 + 28 + 12


def test_quantities_split_over_resources():
    problem = Problem(pair_need=[0, 0], pair_resource=[0, 1], score=[3, 2],
                      need_quantity=[5], resource_capacity=[3, 3])
    result = solve(problem)
    assert result.flow.tolist() == [3, 2]
    assert result.total == 13


def test_empty_problem():
    problem = Problem(pair_need=[], pair_resource=[], score=[], need_quantity=[2], resource_capacity=[3])
    assert solve(problem).total == 0
    assert greedy(problem).total == 0
    assert solve_milp(problem).total == 0


def test_check_catches_an_overfull_resource():
    problem = Problem(pair_need=[0, 1], pair_resource=[0, 0], score=[1, 1],
                      need_quantity=[2, 2], resource_capacity=[2])
    with pytest.raises(AssertionError):
        problem.check(np.array([2, 1]))
