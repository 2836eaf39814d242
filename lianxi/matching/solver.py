"""The capacitated assignment of resources to needs, solved exactly as a min-cost flow.

Network (costs are negated integer scores)::

    source ──unit cap──▶ unit ──resource capacity──▶ resource ──min(cap, qty), −score──▶ need
        need ──remaining quantity──▶ sink;      source ──bypass, cost 0──▶ sink

The source supplies ``S`` = min(total capacity, total quantity) ≥ the maximum flow, and the sink
takes ``S``. Whatever is not worth sending through a resource goes over the bypass at cost 0, so
the solver is free to leave capacity unused: the minimum cost is exactly minus the maximum total
score over all feasible assignments of *any* size (maximum-weight b-matching), not the best of
the maximum-size ones. ``tests/test_solver.py`` checks this against SciPy's HiGHS MILP.

Also here: a greedy baseline, and the same problem as a MILP (SciPy, test/benchmark only)."""

from dataclasses import dataclass, field

import numpy as np

from lianxi.matching.candidates import Candidates, Needs, Resources


class SolverError(RuntimeError):
    pass


@dataclass
class Problem:
    """Pairs ``(pair_need[k], pair_resource[k])`` index ``need_quantity`` and ``resource_capacity``.
    ``resource_unit`` gives each resource's unit as a position in ``unit_cap`` (or −1: no cap)."""

    pair_need: np.ndarray
    pair_resource: np.ndarray
    score: np.ndarray
    need_quantity: np.ndarray
    resource_capacity: np.ndarray
    resource_unit: np.ndarray | None = None
    unit_cap: np.ndarray | None = None
    pair_cap: np.ndarray | None = None

    def __post_init__(self):
        self.pair_need = np.asarray(self.pair_need, dtype=np.int64)
        self.pair_resource = np.asarray(self.pair_resource, dtype=np.int64)
        self.score = np.asarray(self.score, dtype=np.int64)
        self.need_quantity = np.asarray(self.need_quantity, dtype=np.int64)
        self.resource_capacity = np.asarray(self.resource_capacity, dtype=np.int64)
        if self.pair_cap is None:
            self.pair_cap = np.minimum(self.resource_capacity[self.pair_resource], self.need_quantity[self.pair_need])
        self.pair_cap = np.maximum(np.asarray(self.pair_cap, dtype=np.int64), 0)
        if self.unit_cap is not None:
            self.unit_cap = np.asarray(self.unit_cap, dtype=np.int64)
            self.resource_unit = np.asarray(self.resource_unit, dtype=np.int64)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_need)

    def total(self, flow: np.ndarray) -> int:
        return int(np.dot(self.score, flow))

    def check(self, flow: np.ndarray) -> None:
        """Raise if ``flow`` breaks a capacity (used by tests and the benchmark)."""
        flow = np.asarray(flow, dtype=np.int64)
        if (flow < 0).any() or (flow > self.pair_cap).any():
            raise AssertionError("pair flow outside [0, pair cap]")
        if (np.bincount(self.pair_need, flow, len(self.need_quantity)) > self.need_quantity).any():
            raise AssertionError("need over-assigned")
        per_res = np.bincount(self.pair_resource, flow, len(self.resource_capacity))
        if (per_res > self.resource_capacity).any():
            raise AssertionError("resource over capacity")
        if self.unit_cap is not None:
            has = self.resource_unit >= 0
            per_unit = np.bincount(self.resource_unit[has], per_res[has], len(self.unit_cap))
            if (per_unit > self.unit_cap).any():
                raise AssertionError("unit over its cap")


@dataclass
class Assignment:
    flow: np.ndarray  # units assigned per pair
    total: int  # Σ score × flow
    stats: dict = field(default_factory=dict)

    @property
    def chosen(self) -> np.ndarray:
        return np.flatnonzero(self.flow > 0)


def build_problem(needs: Needs, resources: Resources, cand: Candidates, score: np.ndarray,
                  unit_caps: dict[int, int] | None = None) -> Problem:
    """A :class:`Problem` over the positions of ``needs`` and ``resources``; ``unit_caps`` maps a
    unit id to the most it may take on in this run (units not listed are uncapped)."""
    keep = score > 0  # a pair worth nothing is never worth a suggestion
    resource_unit = unit_cap = None
    if unit_caps:
        capped_ids = np.fromiter(unit_caps.keys(), dtype=np.int64)
        caps = np.fromiter(unit_caps.values(), dtype=np.int64, count=len(capped_ids))
        order = np.argsort(capped_ids)
        capped_ids, caps = capped_ids[order], caps[order]
        pos = np.clip(np.searchsorted(capped_ids, resources.unit), 0, max(len(capped_ids) - 1, 0))
        resource_unit = np.where(capped_ids[pos] == resources.unit, pos, -1)
        unit_cap = caps
    return Problem(cand.need[keep], cand.resource[keep], score[keep], needs.quantity, resources.capacity,
                   resource_unit, unit_cap)


# Above this many pairs the solver first works on each resource's best ``PRUNE_TOP`` pairs and
# then proves the answer optimal for all pairs (see :func:`solve`); below it solves everything.
PRUNE_FROM = 300_000
PRUNE_TOP = 40
MAX_ROUNDS = 4


class _Network:
    """The flow network over a subset of the pairs, solved once with OR-Tools."""

    def __init__(self, problem: Problem, pairs: np.ndarray, supply: int):
        self.pairs = pairs
        self.res_ids, res_local = np.unique(problem.pair_resource[pairs], return_inverse=True)
        self.need_ids, need_local = np.unique(problem.pair_need[pairs], return_inverse=True)
        res_cap = problem.resource_capacity[self.res_ids]
        need_qty = problem.need_quantity[self.need_ids]

        source, sink = 0, 1
        n_units = 0
        if problem.unit_cap is not None:
            res_unit = problem.resource_unit[self.res_ids]
            units_used, unit_local = np.unique(res_unit[res_unit >= 0], return_inverse=True)
            n_units = len(units_used)
        self.res_base = 2 + n_units
        self.need_base = self.res_base + len(self.res_ids)
        self.n_nodes = self.need_base + len(self.need_ids)

        tails, heads, caps, costs = [], [], [], []

        def arcs(t, h, c, w):
            tails.append(np.asarray(t, dtype=np.int32))
            heads.append(np.asarray(h, dtype=np.int32))
            caps.append(np.asarray(c, dtype=np.int64))
            costs.append(np.asarray(w, dtype=np.int64))

        res_nodes = self.res_base + np.arange(len(self.res_ids))
        if n_units:
            capped = res_unit >= 0
            unit_nodes = 2 + np.arange(n_units)
            arcs(np.full(n_units, source), unit_nodes, problem.unit_cap[units_used], np.zeros(n_units))
            arcs(unit_nodes[unit_local], res_nodes[capped], res_cap[capped], np.zeros(int(capped.sum())))
            arcs(np.full(int((~capped).sum()), source), res_nodes[~capped], res_cap[~capped],
                 np.zeros(int((~capped).sum())))
        else:
            arcs(np.full(len(self.res_ids), source), res_nodes, res_cap, np.zeros(len(self.res_ids)))
        self.first_pair_arc = sum(len(t) for t in tails)
        arcs(self.res_base + res_local, self.need_base + need_local, problem.pair_cap[pairs], -problem.score[pairs])
        arcs(self.need_base + np.arange(len(self.need_ids)), np.full(len(self.need_ids), sink), need_qty,
             np.zeros(len(self.need_ids)))
        arcs([source], [sink], [supply], [0])  # the bypass: capacity left unused costs nothing
        self.tails, self.heads = np.concatenate(tails), np.concatenate(heads)
        self.caps, self.costs = np.concatenate(caps), np.concatenate(costs)
        self.supply = supply

    def solve(self) -> np.ndarray:
        """Solve; returns the flow on every arc."""
        from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

        mcf = SimpleMinCostFlow()
        mcf.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, self.caps, self.costs)
        mcf.set_nodes_supplies(np.array([0, 1], dtype=np.int32), np.array([self.supply, -self.supply], dtype=np.int64))
        status = mcf.solve()
        if status != mcf.OPTIMAL:
            raise SolverError(f"min-cost flow ended with status {status}")
        self.arc_flow = np.asarray(mcf.flows(np.arange(len(self.tails), dtype=np.int32)), dtype=np.int64)
        self.optimal_cost = mcf.optimal_cost()
        return self.arc_flow

    def pair_flow(self) -> np.ndarray:
        return self.arc_flow[self.first_pair_arc:self.first_pair_arc + len(self.pairs)]

    def potentials(self) -> np.ndarray:
        """Node potentials π with ``cost + π(tail) − π(head) ≥ 0`` on every residual arc: shortest
        residual distances from the sink (Bellman–Ford, one vectorised pass over all arcs at a
        time; nodes the sink cannot reach hang off a virtual root at a large distance). They exist
        because the flow is optimal: the residual graph has no negative cycle. Measured from the
        sink, π(r) is exactly what the best detour through the network would give up to send one
        more unit out of resource r, so a left-out pair to a need without flow is proved
        unprofitable exactly when its score is at most π(r)."""
        f = self.arc_flow
        fwd, bwd = f < self.caps, f > 0
        tail = np.concatenate([self.tails[fwd], self.heads[bwd]]).astype(np.int64)
        head = np.concatenate([self.heads[fwd], self.tails[bwd]]).astype(np.int64)
        cost = np.concatenate([self.costs[fwd], -self.costs[bwd]])
        order = np.argsort(head, kind="stable")
        tail, head, cost = tail[order], head[order], cost[order]
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        targets = head[starts]
        far = int(np.abs(self.costs).sum()) + 1
        pi = np.full(self.n_nodes, far, dtype=np.int64)
        pi[1] = 0
        for _ in range(self.n_nodes + 1):
            best = np.minimum.reduceat(pi[tail] + cost, starts) if len(tail) else np.zeros(0, dtype=np.int64)
            improved = best < pi[targets]
            if not improved.any():
                return pi
            pi[targets[improved]] = best[improved]
        raise SolverError("negative cycle in the residual graph: the flow is not optimal")

    def reduced_costs(self, problem: Problem, pairs: np.ndarray, pi: np.ndarray) -> np.ndarray:
        """Reduced costs of pairs outside this network (they carry no flow), such that all of them
        being ≥ 0 proves the flow optimal for the network with those pairs added.

        A left-out pair r→n into a need n that receives flow is checked against π(n): with the
        potentials valid on every such pair, no cycle through them is negative. A need that
        receives no flow (or is not in this network) can only pass flow on to the sink, so a
        simple cycle through it uses exactly one left-out pair, and that cycle is negative exactly
        when the score beats π(r), the sink-to-r distance: the check uses π(sink) = 0 there, which
        is exact rather than merely sufficient. Every resource is in the network."""
        r_pos = np.searchsorted(self.res_ids, problem.pair_resource[pairs])
        if not (self.res_ids[np.minimum(r_pos, len(self.res_ids) - 1)] == problem.pair_resource[pairs]).all():
            raise SolverError("a resource is missing from the reduced network")
        n_pos = np.clip(np.searchsorted(self.need_ids, problem.pair_need[pairs]), 0, len(self.need_ids) - 1)
        present = self.need_ids[n_pos] == problem.pair_need[pairs]
        need_sink_arc = self.first_pair_arc + len(self.pairs) + n_pos
        served = present & (self.arc_flow[need_sink_arc] > 0)
        pi_need = np.where(served, pi[self.need_base + n_pos], pi[1])
        return -problem.score[pairs] + pi[self.res_base + r_pos] - pi_need


def _top_per_resource(problem: Problem, pairs: np.ndarray, top: int) -> np.ndarray:
    """Mask over ``pairs``: each resource's ``top`` best-scoring pairs."""
    res = problem.pair_resource[pairs]
    key = (res.astype(np.int64) << 32) - problem.score[pairs]  # by resource, best score first
    order = np.argsort(key, kind="stable")
    sorted_res = res[order]
    first = np.flatnonzero(np.r_[True, sorted_res[1:] != sorted_res[:-1]])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    mask = np.zeros(len(pairs), dtype=bool)
    mask[order[rank < top]] = True
    return mask


def solve(problem: Problem, *, prune_from: int = PRUNE_FROM, prune_top: int = PRUNE_TOP) -> Assignment:
    """The exact maximum-score assignment (OR-Tools ``SimpleMinCostFlow``, array API).

    Large problems are solved on a reduced network first — each resource's ``prune_top`` best
    pairs — and the answer is then proved optimal for the whole network: with node potentials
    from the reduced residual graph, every left-out pair must have a non-negative reduced cost
    (the min-cost-flow optimality condition; left-out pairs carry no flow). Pairs that fail are
    added and the network solved again; only then, if ever, the full network."""
    usable = (problem.pair_cap > 0) & (problem.score > 0)
    pairs = np.flatnonzero(usable)
    flow = np.zeros(problem.n_pairs, dtype=np.int64)
    stats = {"rounds": 0, "pairs_solved": 0}
    if len(pairs) == 0:
        return Assignment(flow, 0, stats)
    # The same supply whatever the subset, so the bypass arc is the same as in the full network.
    supply = int(min(problem.resource_capacity[np.unique(problem.pair_resource[pairs])].sum(),
                     problem.need_quantity[np.unique(problem.pair_need[pairs])].sum()))

    active = np.ones(len(pairs), dtype=bool)
    if len(pairs) >= prune_from:
        active = _top_per_resource(problem, pairs, prune_top)
    for _ in range(MAX_ROUNDS):
        net = _Network(problem, pairs[active], supply)
        net.solve()
        stats["rounds"] += 1
        stats["pairs_solved"] = int(active.sum())
        if active.all():
            break
        left_out = np.flatnonzero(~active)
        violated = net.reduced_costs(problem, pairs[left_out], net.potentials()) < 0
        stats["violations"] = stats.get("violations", 0) + int(violated.sum())
        if not violated.any():
            break
        active[left_out[violated]] = True
    else:
        net = _Network(problem, pairs, supply)
        net.solve()
        stats["rounds"] += 1
        stats["pairs_solved"] = len(pairs)
    flow[net.pairs] = net.pair_flow()
    total = problem.total(flow)
    if total != -net.optimal_cost:
        raise SolverError("flow total does not match the solver's optimal cost")
    return Assignment(flow, total, stats)


def greedy(problem: Problem) -> Assignment:
    """Baseline: take pairs best score first, as much as the capacities still allow."""
    order = np.lexsort((np.arange(problem.n_pairs), -problem.score))
    need_left = problem.need_quantity.tolist()
    res_left = problem.resource_capacity.tolist()
    has_units = problem.unit_cap is not None
    unit_left = problem.unit_cap.tolist() if has_units else []
    res_unit = problem.resource_unit.tolist() if has_units else []
    pn, pr, pc, sc = (problem.pair_need.tolist(), problem.pair_resource.tolist(), problem.pair_cap.tolist(),
                      problem.score.tolist())
    flow = [0] * problem.n_pairs
    for k in order.tolist():
        if sc[k] <= 0:
            break
        n, r = pn[k], pr[k]
        u = res_unit[r] if has_units else -1
        amount = min(pc[k], need_left[n], res_left[r], unit_left[u] if u >= 0 else pc[k])
        if amount <= 0:
            continue
        flow[k] = amount
        need_left[n] -= amount
        res_left[r] -= amount
        if u >= 0:
            unit_left[u] -= amount
    flow = np.asarray(flow, dtype=np.int64)
    return Assignment(flow, problem.total(flow))


def solve_milp(problem: Problem, *, relax: bool = False) -> Assignment:
    """The same problem for SciPy's HiGHS (``scipy.optimize.milp``). The constraint matrix is a
    network matrix (totally unimodular), so the LP relaxation (``relax=True``) is integral too."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = problem.n_pairs
    if m == 0:
        return Assignment(np.zeros(0, dtype=np.int64), 0)
    n_need, n_res = len(problem.need_quantity), len(problem.resource_capacity)
    cols = np.arange(m)
    rows = [problem.pair_need, n_need + problem.pair_resource]
    rhs = [problem.need_quantity, problem.resource_capacity]
    col_parts = [cols, cols]
    if problem.unit_cap is not None:
        unit_of_pair = problem.resource_unit[problem.pair_resource]
        has = unit_of_pair >= 0
        rows.append(n_need + n_res + unit_of_pair[has])
        col_parts.append(cols[has])
        rhs.append(problem.unit_cap)
    r = np.concatenate(rows)
    c = np.concatenate(col_parts)
    b = np.concatenate(rhs).astype(float)
    a = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(b), m))
    result = milp(
        c=-problem.score.astype(float),
        constraints=LinearConstraint(a, -np.inf, b),
        integrality=np.zeros(m) if relax else np.ones(m),
        bounds=Bounds(np.zeros(m), problem.pair_cap.astype(float)),
        options={"presolve": True},
    )
    if result.x is None:
        raise SolverError(f"HiGHS: {result.message}")
    flow = np.rint(result.x).astype(np.int64)
    return Assignment(flow, problem.total(flow))
