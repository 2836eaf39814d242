"""Visit planning benchmark (常态走访): one district conference of 1,000 member units in 13 streets,
20 visitors, a 13-week quarter with one plenary week blocked.

    .venv/bin/python bench/bench_visits.py                  # seeds 1–3, 10-second limit
    .venv/bin/python bench/bench_visits.py --limits 10,40   # also a longer CP-SAT run
    .venv/bin/python bench/bench_visits.py --write-doc      # refresh docs/benchmarks.md "## Visit planning"

The instance is synthetic and deterministic for a seed: units spread over the streets, 60 % with no
unavailable day and the rest with 3–20 of them; visitors with a weekly capacity of 5 or 6 and ten
unavailable days each. Printed side by side for CP-SAT and the greedy baseline: units covered (and
the most any plan can cover, from the maximum flow), trips (one visitor in one street on one day),
the busiest visitor's load, CP-SAT's objective (week-level trips × 1001 + max load) and its bound,
and a simple lower bound on trips (⌈units of a street / largest weekly capacity⌉ summed). Times are
wall-clock seconds for the whole plan (flow, greedy, model, CP-SAT, days)."""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import machine, markers, write_doc  # noqa: E402

from lianxi.visits import planner  # noqa: E402

KIND = "visits"
START = datetime.date(2025, 4, 1)
END = datetime.date(2025, 6, 30)


def instance(seed: int, units: int = 1000, visitors: int = 20, streets: int = 13) -> planner.Problem:
    rng = random.Random(seed)
    days = [START + datetime.timedelta(days=i) for i in range((END - START).days + 1)]
    workdays = [d for d in days if d.weekday() < 5]
    unit_rows = []
    for i in range(units):
        blocked = frozenset() if rng.random() < 0.6 else frozenset(rng.sample(workdays, rng.randint(3, 20)))
        unit_rows.append(planner.UnitIn(id=i + 1, street=rng.randrange(streets), unavailable=blocked))
    visitor_rows = [planner.VisitorIn(id=10_000 + v, capacity=rng.choice([5, 6]),
                                      unavailable=frozenset(rng.sample(workdays, 10))) for v in range(visitors)]
    plenary = datetime.date(2025, 6, 18)
    monday = plenary - datetime.timedelta(days=plenary.weekday())
    blocked_days = frozenset(monday + datetime.timedelta(days=i) for i in range(7))
    return planner.Problem(start=START, end=END, units=unit_rows, visitors=visitor_rows, blocked_days=blocked_days)


def run(seed: int, limit: float) -> dict:
    problem = instance(seed)
    started = time.perf_counter()
    result = planner.plan(problem, time_limit=limit)
    wall = time.perf_counter() - started
    errors = planner.check(problem, result) + planner.check(problem, result.greedy)
    if errors:
        raise SystemExit(f"rule broken: {errors[:3]}")
    g = result.greedy
    return {"seed": seed, "limit": limit, "wall": wall, "covered": result.covered, "coverable": result.coverable,
            "trips": result.trips, "max_load": result.max_load, "objective": result.objective, "bound": result.bound,
            "status": result.status, "classes": result.classes, "trip_bound": result.trip_bound, "pinned": result.pinned,
            "g_covered": g.covered, "g_trips": g.trips, "g_max_load": g.max_load, "g_seconds": g.seconds}


def table(rows: list[dict]) -> str:
    head = ("| seed | limit s | wall s | covered / coverable | trips CP-SAT | trips greedy | trip lower bound | "
            "max load CP-SAT / greedy | CP-SAT objective / bound (status) | classes / pinned units |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['seed']} | {r['limit']:g} | {r['wall']:.2f} | {r['covered']} / {r['coverable']} "
            f"(greedy {r['g_covered']}) | {r['trips']} | {r['g_trips']} | {r['trip_bound']} | "
            f"{r['max_load']} / {r['g_max_load']} | {r['objective']} / {r['bound']} ({r['status']}) | {r['classes']} / "
            f"{r['pinned']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--limits", default="10")
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args()
    facts = machine()
    rows = []
    for limit in [float(x) for x in args.limits.split(",")]:
        for seed in [int(x) for x in args.seeds.split(",")]:
            row = run(seed, limit)
            rows.append(row)
            print(f"seed {seed} limit {limit:g}s: wall {row['wall']:.2f}s covered {row['covered']}/{row['coverable']} "
                  f"trips {row['trips']} (greedy {row['g_trips']}, lower bound {row['trip_bound']}) "
                  f"max load {row['max_load']} (greedy {row['g_max_load']}) objective {row['objective']} "
                  f"bound {row['bound']} {row['status']}")
    print()
    print(table(rows))
    if args.write_doc:
        start, end = markers(KIND, "core")
        block = "\n".join([
            start,
            f"Run {facts['date']} on {facts['nproc']} cores (load average {facts['load']} at the start: the machine "
            "was shared with other jobs, so CP-SAT had a fraction of the two cores), Python {}.".format(facts["python"]),
            "",
            "`.venv/bin/python bench/bench_visits.py --limits " + args.limits + " --write-doc`: 1,000 units in 13 "
            "streets, 20 visitors, 13 weeks with a plenary week blocked.",
            "",
            table(rows),
            end,
        ])
        write_doc(block, section="## Visit planning", kind=KIND, name="core")


if __name__ == "__main__":
    main()
