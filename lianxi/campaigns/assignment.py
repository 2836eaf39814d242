"""Reviewer assignment (遴选): each nomination gets ``k`` reviewers, no reviewer takes more than
``cap`` (by default ⌈n·k / r⌉, which balances the load), and no reviewer ever gets a nomination
they have a conflict of interest with — such a pair is simply not an arc of the network.

Solved exactly as a min-cost flow (OR-Tools)::

    source ──k, 0──▶ nomination ──1, cost(r, n)──▶ reviewer ──cap, 0──▶ sink
    source ──n·k, BIG──▶ sink            (a review nobody can do: the shortfall)

``cost`` is 0 when the reviewer's declared expertise shares a five-link tag (五联) with the
nomination, else 1. ``BIG`` exceeds any total of pair costs, so the optimum first assigns as many
reviews as the conflicts and caps allow, then as many expertise matches as possible: the objective
is ``BIG · shortfall + Σ cost``. ``greedy`` is the baseline it is compared with (tests, benchmark);
``brute_force`` enumerates small instances for the tests."""

import itertools
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Problem:
    """``allowed[i, j]``: reviewer ``j`` may review nomination ``i``; ``cost[i, j]`` ≥ 0."""

    allowed: np.ndarray
    cost: np.ndarray
    k: int
    cap: int | None = None

    def __post_init__(self):
        self.allowed = np.asarray(self.allowed, dtype=bool)
        self.cost = np.asarray(self.cost, dtype=np.int64)
        n, r = self.allowed.shape
        if self.cap is None:
            self.cap = -(-n * self.k // r) if r else 0

    @property
    def n(self) -> int:
        return self.allowed.shape[0]

    @property
    def r(self) -> int:
        return self.allowed.shape[1]

    @property
    def big(self) -> int:
        return int(self.cost.max(initial=0)) * self.n * self.k + 1

    def objective(self, pairs: np.ndarray) -> int:
        """``BIG · shortfall + Σ cost`` of an assignment given as an array of (i, j) rows."""
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        shortfall = self.n * self.k - len(pairs)
        return self.big * shortfall + int(self.cost[pairs[:, 0], pairs[:, 1]].sum()) if len(pairs) else self.big * shortfall

    def check(self, pairs: np.ndarray) -> None:
        """Raise if ``pairs`` assigns a forbidden pair, twice the same pair, or breaks k or cap."""
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if len(pairs) == 0:
            return
        if not self.allowed[pairs[:, 0], pairs[:, 1]].all():
            raise AssertionError("a conflict of interest was assigned")
        if len({(int(a), int(b)) for a, b in pairs}) != len(pairs):
            raise AssertionError("a pair assigned twice")
        if (np.bincount(pairs[:, 0], minlength=self.n) > self.k).any():
            raise AssertionError("a nomination got more than k reviewers")
        if (np.bincount(pairs[:, 1], minlength=self.r) > self.cap).any():
            raise AssertionError("a reviewer above the cap")


@dataclass
class Result:
    pairs: np.ndarray  # (m, 2): nomination index, reviewer index
    objective: int
    shortfall: int
    matched: int  # pairs with cost 0 (expertise match)
    stats: dict = field(default_factory=dict)


def _result(problem: Problem, pairs: np.ndarray, **stats) -> Result:
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    matched = int((problem.cost[pairs[:, 0], pairs[:, 1]] == 0).sum()) if len(pairs) else 0
    return Result(pairs, problem.objective(pairs), problem.n * problem.k - len(pairs), matched, stats)


def lower_bound(problem: Problem) -> int:
    """A bound no assignment beats: each nomination alone, with its ``k`` cheapest allowed reviewers
    and the reviews it cannot get at all counted as shortfall (caps ignored)."""
    deg = problem.allowed.sum(axis=1)
    masked = np.where(problem.allowed, problem.cost, np.iinfo(np.int64).max // 4)
    take = min(problem.k, problem.r)
    cheapest = np.sort(masked, axis=1)[:, :take] if take else np.zeros((problem.n, 0), dtype=np.int64)
    keep = np.arange(take)[None, :] < np.minimum(deg, problem.k)[:, None]
    shortfall = int(np.maximum(problem.k - deg, 0).sum())
    return problem.big * shortfall + int(cheapest[keep].sum())


# Pruning: each nomination first sees only its PRUNE_PER_K · k cheapest allowed reviewers (ties
# broken by a fixed random order, which spreads the load). If that restricted optimum reaches
# ``lower_bound`` it is optimal for the whole problem; otherwise the whole network is solved.
PRUNE_FROM = 200_000
PRUNE_PER_K = 8


def solve(problem: Problem) -> Result:
    """The exact optimum (min-cost flow), proved: either the pruned network's optimum meets the
    lower bound, or the full network is solved."""
    n, r = problem.n, problem.r
    if problem.allowed.sum() >= PRUNE_FROM and problem.k * PRUNE_PER_K < r:
        rng = np.random.default_rng(0)
        key = np.where(problem.allowed, problem.cost * (r + 1) + rng.permuted(np.tile(np.arange(r), (n, 1)), axis=1),
                       np.iinfo(np.int64).max)
        top = np.argpartition(key, problem.k * PRUNE_PER_K, axis=1)[:, : problem.k * PRUNE_PER_K]
        mask = np.zeros_like(problem.allowed)
        np.put_along_axis(mask, top, True, axis=1)
        mask &= problem.allowed
        pruned = _solve(problem, mask)
        bound = lower_bound(problem)
        if pruned.objective == bound:
            pruned.stats.update(pruned=True, lower_bound=bound)
            return pruned
    result = _solve(problem, problem.allowed)
    result.stats["pruned"] = False
    return result


def _solve(problem: Problem, allowed: np.ndarray) -> Result:
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    n, r, k = problem.n, problem.r, problem.k
    source, sink = 0, 1
    nom_base, rev_base = 2, 2 + n
    pi, pj = np.nonzero(allowed)
    supply = n * k
    tails = np.concatenate([np.full(n, source), nom_base + pi, rev_base + np.arange(r), [source]]).astype(np.int32)
    heads = np.concatenate([nom_base + np.arange(n), rev_base + pj, np.full(r, sink), [sink]]).astype(np.int32)
    caps = np.concatenate([np.full(n, k), np.ones(len(pi)), np.full(r, problem.cap), [supply]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), problem.cost[pi, pj], np.zeros(r), [problem.big]]).astype(np.int64)
    mcf = SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([supply, -supply], dtype=np.int64))
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    first = n
    flow = np.asarray(mcf.flows(np.arange(first, first + len(pi), dtype=np.int32)), dtype=np.int64)
    chosen = flow > 0
    pairs = np.column_stack([pi[chosen], pj[chosen]])
    result = _result(problem, pairs, arcs=len(tails))
    assert result.objective == mcf.optimal_cost(), "flow objective differs from the recomputed one"
    return result


def greedy(problem: Problem) -> Result:
    """Baseline: nominations in order, each takes the ``k`` cheapest allowed reviewers with room
    left, least-loaded first."""
    load = np.zeros(problem.r, dtype=np.int64)
    pairs = []
    for i in range(problem.n):
        room = problem.allowed[i] & (load < problem.cap)
        cand = np.flatnonzero(room)
        if len(cand) == 0:
            continue
        order = np.lexsort((cand, load[cand], problem.cost[i, cand]))
        for j in cand[order][: problem.k]:
            pairs.append((i, int(j)))
            load[j] += 1
    return _result(problem, np.array(pairs, dtype=np.int64))


def brute_force(problem: Problem) -> int:
    """The optimal objective by enumeration (tiny instances only: tests)."""
    options = []
    for i in range(problem.n):
        allowed = [int(j) for j in np.flatnonzero(problem.allowed[i])]
        subsets = [s for size in range(min(problem.k, len(allowed)) + 1) for s in itertools.combinations(allowed, size)]
        options.append(subsets)
    best = None
    for combo in itertools.product(*options):
        load = np.zeros(problem.r, dtype=np.int64)
        for s in combo:
            for j in s:
                load[j] += 1
        if (load > problem.cap).any():
            continue
        pairs = np.array([(i, j) for i, s in enumerate(combo) for j in s], dtype=np.int64).reshape(-1, 2)
        value = problem.objective(pairs)
        if best is None or value < best:
            best = value
    return best
