"""Visit planning benchmark (常态走访): one district conference of 1,000 member units in 13 streets,
20 visitors, a 13-week quarter with one plenary week blocked.

    .venv/bin/python bench/bench_visits.py                  # seeds 1–3, 10-second limit
    .venv/bin/python bench/bench_visits.py --limits 10,40   # also a longer CP-SAT run
    .venv/bin/python bench/bench_visits.py --write-doc      # refresh docs/benchmarks.md "## Visit planning"
    .venv/bin/python bench/bench_visits.py --city --db /tmp/lianxi-city.sqlite3   # every city conference

``--city`` plans every conference of a database filled by ``lianxi generate --scale city`` (SQLite
file ``--db``, or PostgreSQL when DATABASE_URL is set): one quarter's plan per conference, its
visitors the people holding a current convener, deputy, rotating convener or secretary-general post
(a synthetic weekly capacity of ``--capacity``), then every plan computed through
``visits.services.compute_plans`` — problems read from the database, solved two at a time (CP-SAT
with one worker each, only for the plans whose greedy plan is not proven optimal — or, in this
batch, proven to make the fewest trips) within ``--budget`` seconds, results saved with their audit
rows. Printed: per conference the units, visitors, covered / coverable, trips (greedy), time limit,
solve seconds and CP-SAT's gap; then the total wall time (read + solve + save) and coverage, with
``uptime`` before and after. The plans are made once and re-computed on later runs.

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


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children (the solver processes):
    what the work costs whatever else runs on the machine."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def uptime() -> str:
    import subprocess

    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


CITY_VISITOR_ROLES = {"convener": "convener", "rotating_convener": "convener", "deputy_convener": "deputy_convener",
                      "secretary_general": "secretariat"}


def city_plans(start: datetime.date, capacity: int) -> list:
    """One plan per active conference for the quarter from ``start``, with its post holders as
    visitors (made through the services the first time, reused afterwards)."""
    from lianxi.registry.models import Appointment, Conference
    from lianxi.visits import services
    from lianxi.visits.models import VisitPlan

    conferences = list(Conference.objects.filter(status=Conference.Status.ACTIVE).order_by("id"))
    existing = {p.conference_id: p for p in VisitPlan.objects.filter(start=start, title__endswith="（基准）")}
    posts = (Appointment.objects.current(start).filter(role__in=CITY_VISITOR_ROLES, person__isnull=False)
             .values_list("conference_id", "person_id", "role").order_by("conference_id", "id"))
    holders: dict[int, list] = {}
    for conference_id, person_id, role in posts:
        seen = holders.setdefault(conference_id, [])
        if person_id not in [p for p, _r in seen]:
            seen.append((person_id, role))
    from lianxi.registry.models import Person

    people = Person.objects.in_bulk([p for rows in holders.values() for p, _r in rows])
    plans = []
    for conference in conferences:
        plan = existing.get(conference.pk)
        if plan is None:
            plan = services.create_plan(None, conference=conference, start=start,
                                        title=f"{conference.display_name} 走访计划（基准）")
            for person_id, role in holders.get(conference.pk, []):
                services.add_visitor(None, plan, person=people[person_id], role=CITY_VISITOR_ROLES[role],
                                     capacity=capacity)
        if plan.visitors.exists():
            plans.append(plan)
        else:
            print(f"  {conference.display_name}: no current post holder to visit, skipped")
    return plans


def city(args):
    from common import django_setup

    django_setup(args.db)
    from django.db.models import Count

    from lianxi.registry.models import Conference
    from lianxi.visits import planner, services
    from lianxi.visits.models import VisitPlan

    n_conferences = Conference.objects.filter(name__startswith="示例").count()
    if n_conferences < 300:
        raise SystemExit(f"{n_conferences} synthetic conferences in this database: run "
                         f"`lianxi generate --scale city --db {args.db}` first")
    print("uptime before:", uptime())
    start = datetime.date.fromisoformat(args.quarter)
    t0 = time.perf_counter()
    plans = city_plans(start, args.capacity)
    print(f"plans ready ({len(plans)}) in {time.perf_counter() - t0:.1f}s")
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    solved = services.compute_plans(None, plans, budget=args.budget, processes=args.processes, today=start)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    after = uptime()
    visitors = dict(VisitPlan.objects.filter(pk__in=[p.pk for p in plans])
                    .annotate(n=Count("visitors")).values_list("pk", "n"))
    rows = []
    for plan in plans:
        result, limit, seconds = solved[plan.pk]
        g = result.greedy
        units = result.covered + len(result.unplanned)
        gap = planner.gap(result)
        rows.append((plan, result, limit, seconds, gap))
        print(f"{plan.conference.display_name[:28]:28} units {units:5} visitors {visitors[plan.pk]:2} "
              f"covered {result.covered:5}/{result.coverable:5} trips {result.trips:4} (greedy {g.trips if g else '-':>4}) "
              f"limit {limit:5.2f}s solve {seconds:5.2f}s gap {'-' if gap is None else f'{gap:.1%}':>6} {result.status}")
    covered = sum(r.covered for _p, r, *_ in rows)
    coverable = sum(r.coverable for _p, r, *_ in rows)
    units = sum(r.covered + len(r.unplanned) for _p, r, *_ in rows)
    solve = sum(s for *_x, s, _g in rows)
    gaps = sorted(g for *_x, g in rows if g is not None)
    optimal = sum(1 for _p, r, *_ in rows if r.status == "OPTIMAL")
    from collections import Counter

    methods = Counter(r.method.split(" ")[0] for _p, r, *_ in rows)
    print()
    print(f"{len(rows)} conferences, {units} member units: covered {covered} of {coverable} coverable "
          f"({covered / max(units, 1):.1%} of all units); total wall {wall:.1f}s, CPU {cpu:.1f}s (budget {args.budget:g}s, "
          f"{args.processes} solver processes; solve time summed over plans {solve:.1f}s); optimal (proven) in "
          f"{optimal}; ended by {dict(methods)}; median gap {gaps[len(gaps) // 2]:.1%}, worst gap {gaps[-1]:.1%}" if gaps else "")
    print("uptime after:", after)


def synthetic_city(args):
    """The planning half of ``--city`` without a database: 327 problems sized like the generator's
    conferences (``lianxi.registry.generate``: 16 district conferences of about 320 member units, 215
    street conferences of about 420, 64 industry and theme ones of 190–260, 32 upgraded ones), four
    visitors each, solved by ``planner.plan_many`` exactly as ``compute_plans`` solves them."""
    rng = random.Random(args.seed_city)
    sizes = ([rng.randint(280, 360) for _ in range(16)] + [rng.randint(330, 510) for _ in range(215)]
             + [rng.randint(220, 300) for _ in range(32)] + [rng.randint(160, 220) for _ in range(64)])
    problems = {}
    for k, n in enumerate(sizes):
        p = instance(1000 + k, units=n, visitors=4, streets=1 if 16 <= k < 231 else 13)
        problems[k] = p
    print("uptime before:", uptime())
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    solved = planner.plan_many(problems, budget=args.budget, processes=args.processes)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    print("uptime after:", uptime())
    covered = sum(r.covered for r, _l, _s in solved.values())
    coverable = sum(r.coverable for r, _l, _s in solved.values())
    gaps = sorted(planner.gap(r) for r, _l, _s in solved.values() if planner.gap(r) is not None)
    print(f"synthetic city: {len(problems)} problems, {sum(sizes)} units: covered {covered} of {coverable} coverable; "
          f"wall {wall:.1f}s, CPU {cpu:.1f}s (budget {args.budget:g}s, {args.processes} processes); median gap "
          f"{gaps[len(gaps) // 2]:.1%}, worst {gaps[-1]:.1%}")


def pages(args):
    """p50/p95 and query counts of the organisation coverage and plan (coverage) pages on the city
    database, for the largest conferences and a sample of the rest, as a district administrator."""
    import random as _random
    import statistics

    from common import django_setup

    django_setup(args.db)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lianxi.registry.models import Conference
    from lianxi.visits.models import VisitPlan

    print("uptime before:", uptime())
    user = get_user_model().objects.filter(username="bench-visits-admin").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-visits-admin", password=None)
    client = Client()
    client.force_login(user)
    sizes = (Conference.objects.filter(status=Conference.Status.ACTIVE).annotate(n=Count("memberships"))
             .order_by("-n", "id").values_list("id", "n"))
    sizes = list(sizes)
    rng = _random.Random(1)
    chosen = sizes[:args.largest] + rng.sample(sizes[args.largest:], min(args.sample, len(sizes) - args.largest))
    plan_of = dict(VisitPlan.objects.filter(title__endswith="（基准）", computed_at__isnull=False)
                   .values_list("conference_id", "id"))
    urls = [("org coverage", f"/visits/coverage/{cid}/", n) for cid, n in chosen]
    urls += [("plan coverage", f"/visits/plans/{plan_of[cid]}/", n) for cid, n in chosen if cid in plan_of]
    if len(urls) == len(chosen):
        print("  no computed plans: run --city first for the plan pages")
    results: dict[str, list] = {}
    for kind, url, n in urls:
        assert client.get(url).status_code == 200, url  # warm
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, url
        results.setdefault(kind, []).append((n, times, len(ctx.captured_queries)))
    for kind, rows in results.items():
        all_times = sorted(t for _n, ts, _q in rows for t in ts)
        p95 = all_times[min(len(all_times) - 1, int(0.95 * len(all_times)))]
        largest = max(rows, key=lambda r: r[0])
        queries = sorted({q for _n, _ts, q in rows})
        print(f"{kind}: {len(rows)} conferences ({min(r[0] for r in rows)}–{largest[0]} memberships), "
              f"{len(all_times)} requests: p50 {statistics.median(all_times):.1f} ms, p95 {p95:.1f} ms, "
              f"largest conference p50 {statistics.median(largest[1]):.1f} ms; queries per page {queries}")
    print("uptime after:", uptime())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--limits", default="10")
    parser.add_argument("--write-doc", action="store_true")
    parser.add_argument("--city", action="store_true", help="plan every conference of a generated city")
    parser.add_argument("--db", default="/tmp/lianxi-city.sqlite3", help="SQLite file for --city")
    parser.add_argument("--quarter", default="2025-04-01", help="first day of the quarter planned (--city)")
    parser.add_argument("--capacity", type=int, default=5, help="visits a week per visitor (--city)")
    parser.add_argument("--budget", type=float, default=90.0, help="seconds of solving for all plans (--city)")
    parser.add_argument("--processes", type=int, default=2, help="plans solved side by side (--city)")
    parser.add_argument("--synthetic", action="store_true", help="--city without a database: sized problems")
    parser.add_argument("--seed-city", type=int, default=1)
    parser.add_argument("--pages", action="store_true", help="coverage pages on the --city database")
    parser.add_argument("--largest", type=int, default=10, help="largest conferences measured (--pages)")
    parser.add_argument("--sample", type=int, default=30, help="other conferences sampled (--pages)")
    parser.add_argument("--repeat", type=int, default=10, help="requests per page (--pages)")
    args = parser.parse_args()
    if args.city and args.synthetic:
        return synthetic_city(args)
    if args.city:
        return city(args)
    if args.pages:
        return pages(args)
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
