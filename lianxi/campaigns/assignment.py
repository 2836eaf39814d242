"""Reviewer assignment (遴选): each nomination gets ``k`` reviewers, no reviewer takes more than
``cap`` (by default ⌈n·k / r⌉, which balances the load), no pair is assigned twice, and no reviewer
ever gets a nomination they have a conflict of interest with — such a pair is simply not an arc
of the network.

Every rule is a capacity and the objective is a sum of pair costs, so the problem is a min-cost
flow and is solved exactly (OR-Tools ``SimpleMinCostFlow``; no constraint needs CP-SAT)::

    source ──k, 0──▶ nomination ──1, cost(r, n)──▶ reviewer ──cap, 0──▶ sink

``cost`` is 0 when the reviewer's declared expertise shares a five-link tag (五联) with the
nomination, else 1. The objective is ``BIG · shortfall + Σ cost`` with ``BIG`` above any total of
pair costs: first as many reviews as the conflicts and caps allow (a maximum flow), then as many
expertise matches as possible (its least cost) — ``solve_max_flow_with_min_cost``. Large instances
are solved on a pruned network whose optimum is proved for the whole one by its reduced costs
(see ``solve``). ``greedy`` is the baseline it is compared with (tests, benchmark); ``brute_force``
enumerates small instances for the tests."""

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


# Pruning with pricing. The network first holds, for each nomination, its PRUNE_PER_K · k cheapest
# allowed reviewers and, for each reviewer, its PRUNE_PER_CAP · cap cheapest allowed nominations
# (ties broken by a fixed random order, which spreads the load). Its optimum comes with node
# potentials (shortest distances in its residual network); an allowed pair left out whose reduced
# cost under them is negative could improve it, so those pairs are added and the network solved
# again. When no pair left out has a negative reduced cost, the optimum of the smaller network meets
# the optimality conditions of the whole one: it is the exact optimum, proved.
PRUNE_FROM = 200_000
PRUNE_PER_K = 2
PRUNE_PER_CAP = 1
MAX_ROUNDS = 6


def _initial_mask(problem: Problem) -> np.ndarray:
    n, r = problem.n, problem.r
    # Cost plus a fixed random fraction: the cheapest first, ties in an order that spreads the load.
    key = np.where(problem.allowed, problem.cost + np.random.default_rng(0).random((n, r)), np.inf)
    mask = np.zeros_like(problem.allowed)
    per_nom = min(problem.k * PRUNE_PER_K, r - 1)
    np.put_along_axis(mask, np.argpartition(key, per_nom, axis=1)[:, :per_nom], True, axis=1)
    per_rev = min(problem.cap * PRUNE_PER_CAP, n - 1)
    np.put_along_axis(mask, np.argpartition(key, per_rev, axis=0)[:per_rev, :], True, axis=0)
    return mask & problem.allowed


def solve(problem: Problem) -> Result:
    """The exact optimum (min-cost flow), proved: the optimum of a pruned network is priced against
    every allowed pair left out (no reduced cost below 0 under its potentials), or, should that
    not settle within ``MAX_ROUNDS``, the full network is solved."""
    n, r = problem.n, problem.r
    if problem.allowed.sum() >= PRUNE_FROM and problem.k * PRUNE_PER_K < r and problem.cap * PRUNE_PER_CAP < n:
        mask = _initial_mask(problem)
        for rounds in range(1, MAX_ROUNDS + 1):
            result, network = _solve(problem, mask, with_network=True)
            potential = _potentials(problem, network)
            if potential is None:
                break
            p_nom, p_rev = potential
            improving = problem.allowed & ~mask & (problem.cost + p_nom[:, None] - p_rev[None, :] < 0)
            if not improving.any():
                result.stats.update(pruned=True, rounds=rounds, pairs_solved=int(mask.sum()))
                return result
            mask |= improving
    result = _solve(problem, problem.allowed)
    result.stats.update(pruned=False, pairs_solved=int(problem.allowed.sum()))
    return result


def _solve(problem: Problem, allowed: np.ndarray, *, with_network: bool = False):
    """The min-cost maximum flow of the network restricted to ``allowed`` pairs. OR-Tools finds
    the maximum flow first and then its least cost, which is the order of ``BIG · shortfall + Σ
    cost`` without an arc of cost BIG (cost scaling works in ⌈log(n·C)⌉ phases, so the small
    costs keep it fast)."""
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    n, r, k = problem.n, problem.r, problem.k
    source, sink = 0, 1
    nom_base, rev_base = 2, 2 + n
    pi, pj = np.nonzero(allowed)
    supply = n * k
    tails = np.concatenate([np.full(n, source), nom_base + pi, rev_base + np.arange(r)]).astype(np.int32)
    heads = np.concatenate([nom_base + np.arange(n), rev_base + pj, np.full(r, sink)]).astype(np.int32)
    caps = np.concatenate([np.full(n, k), np.ones(len(pi)), np.full(r, problem.cap)]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), problem.cost[pi, pj], np.zeros(r)]).astype(np.int64)
    mcf = SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([supply, -supply], dtype=np.int64))
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    flows = np.asarray(mcf.flows(np.arange(len(tails), dtype=np.int32)), dtype=np.int64)
    chosen = flows[n:n + len(pi)] > 0
    pairs = np.column_stack([pi[chosen], pj[chosen]])
    result = _result(problem, pairs, arcs=len(tails))
    assert result.shortfall == supply - mcf.maximum_flow(), "flow differs from the recomputed assignment"
    assert result.objective - problem.big * result.shortfall == mcf.optimal_cost(), "cost differs"
    if not with_network:
        return result
    # The shortfall as the flow on the arc source → sink of cost BIG: the network whose potentials
    # certify the objective BIG · shortfall + Σ cost.
    network = (np.append(tails, source), np.append(heads, sink), np.append(caps, supply),
               np.append(costs, problem.big), np.append(flows, result.shortfall))
    return result, network


def _potentials(problem: Problem, network) -> tuple[np.ndarray, np.ndarray] | None:
    """Node potentials of an optimal flow: shortest distances in its residual network from a root
    joined to every node at cost 0 (Bellman–Ford, one vectorised relaxation of every arc per
    round). An optimal flow's residual network has no negative cycle, so the distances exist and
    every residual arc has a reduced cost ``cost + d[tail] − d[head] ≥ 0``. Returns the potentials
    of the nominations and of the reviewers, or None if they did not settle (never expected)."""
    tails, heads, caps, costs, flows = network
    fwd, back = flows < caps, flows > 0
    u = np.concatenate([tails[fwd], heads[back]]).astype(np.int64)
    v = np.concatenate([heads[fwd], tails[back]]).astype(np.int64)
    w = np.concatenate([costs[fwd], -costs[back]])
    order = np.argsort(v, kind="stable")
    u, v, w = u[order], v[order], w[order]
    starts = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
    targets = v[starts]
    nodes = 2 + problem.n + problem.r
    d = np.zeros(nodes, dtype=np.int64)
    for _ in range(nodes):
        best = np.minimum.reduceat(d[u] + w, starts)
        improved = best < d[targets]
        if not improved.any():
            return d[2:2 + problem.n], d[2 + problem.n:]
        d[targets[improved]] = best[improved]
    return None


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
