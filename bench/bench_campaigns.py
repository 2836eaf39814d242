"""Reviewer-assignment benchmark (issue 10): 5,000 recommended nominations, 300 reviewers, 3
reviews each, solved exactly (min-cost flow) and by the greedy baseline.

    .venv/bin/python bench/bench_campaigns.py               # solver + end to end on a temporary SQLite file
    .venv/bin/python bench/bench_campaigns.py --write-doc   # also refresh docs/benchmarks.md

Two measurements:

1. The solver alone on the arrays (``lianxi.campaigns.assignment``): conflicts of interest are
   generated as in a campaign — own unit (reviewers come from 300 of the nominating units), own
   nominating body (20 bodies; half of the reviewers' units belong to one of them), 1 % declared —
   and each side carries random five-link tags (expertise match costs 0, otherwise 1).
2. End to end through ``campaigns.services.assign_reviewers`` (the call the page makes) on a
   visibly synthetic conference in a temporary SQLite file: reading the campaign, building the
   problem, solving, writing the 15,000 assignment rows and the audit row.

The exact objective is ``BIG · shortfall + Σ cost`` (see the solver's docstring); the greedy
baseline's shortfall and extra cost are printed beside it. Timings are wall-clock medians of
``--repeat`` runs; the machine is shared with other work, so they move with its load."""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_setup, fresh_database, machine, markers, sqlite_file, write_doc  # noqa: E402

SECTION = "## Campaigns: reviewer assignment"
KIND = "campaigns"
N, R, K, BODIES = 5000, 300, 3, 20


def synthetic_arrays(seed: int):
    rng = np.random.default_rng(seed)
    nom_unit = np.arange(N)
    nom_body = rng.integers(0, BODIES, N)
    rev_unit = rng.choice(N, R, replace=False)
    rev_body = np.where(rng.random(R) < 0.5, nom_body[rev_unit], -1)
    allowed = (nom_unit[:, None] != rev_unit[None, :]) & (nom_body[:, None] != rev_body[None, :])
    allowed &= rng.random((N, R)) >= 0.01
    nom_links = rng.integers(1, 32, N)
    rev_links = rng.integers(1, 32, R)
    cost = np.where((nom_links[:, None] & rev_links[None, :]) != 0, 0, 1)
    return allowed, cost


def timed(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def solver_part(repeat: int):
    from lianxi.campaigns.assignment import Problem, greedy, solve

    allowed, cost = synthetic_arrays(7)
    problem = Problem(allowed, cost, K)
    exact, t_exact = timed(lambda: solve(problem), repeat)
    base, t_greedy = timed(lambda: greedy(problem), repeat)
    problem.check(exact.pairs)
    problem.check(base.pairs)
    return {"pairs_allowed": int(allowed.sum()), "cap": problem.cap, "exact": exact, "greedy": base,
            "t_exact": t_exact, "t_greedy": t_greedy}


def end_to_end(repeat: int, profile: bool = False):
    from lianxi.campaigns import services
    from lianxi.campaigns.models import Assignment, Campaign, NominatingBody, Nomination, Reviewer
    from lianxi.projects.models import Link
    from lianxi.registry.models import Conference, Unit
    from lianxi.registry.services import create_conference
    from lianxi.testing import make_user

    rng = np.random.default_rng(11)
    conf = create_conference(None, name="演示区区域化党建联席会议", short_name="演示区", kind=Conference.Kind.DISTRICT)
    units = Unit.objects.bulk_create([Unit(name=f"示例单位{i:04d}", search_text=f"示例单位{i:04d}") for i in range(N)])
    campaign = Campaign.objects.create(conference=conf, title="演示评选（基准）", kind=Campaign.Kind.BRAND, year=2025,
                                       places=10, reviews_per_nomination=K, phase="review",
                                       call_end=datetime.date(2025, 3, 31))
    bodies = NominatingBody.objects.bulk_create([
        NominatingBody(campaign=campaign, name=f"演示推荐主体{b:02d}", quota=N, category=Unit.Category.values[b % 6])
        for b in range(BODIES)])
    codes = Link.values
    Nomination.objects.bulk_create([
        Nomination(campaign=campaign, unit=units[i], body=bodies[int(rng.integers(0, BODIES))], title=f"演示申报{i:04d}",
                   links=[c for c in codes if rng.random() < 0.4], state=Nomination.State.RECOMMENDED)
        for i in range(N)])
    users = [make_user(f"bench_reviewer_{j:03d}") for j in range(R)]
    rev_units = rng.choice(N, R, replace=False)
    Reviewer.objects.bulk_create([
        Reviewer(campaign=campaign, user=users[j], name=f"演示评审{j:03d}", unit=units[int(rev_units[j])],
                 expertise=[c for c in codes if rng.random() < 0.4]) for j in range(R)])
    if profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            services.build_problem(campaign)
            services.assign_reviewers(None, campaign)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    from lianxi.campaigns.assignment import solve

    (problem, _n, _r), t_build = timed(lambda: services.build_problem(campaign), repeat)
    _exact, t_solve = timed(lambda: solve(problem), repeat)
    solved = _exact
    # The whole network (every allowed pair), as the solver did before pruning with pricing: the
    # same instance at the same load, for comparison.
    from lianxi.campaigns.assignment import _solve

    full, t_full = timed(lambda: _solve(problem, problem.allowed), 1)
    assert full.objective == _exact.objective
    result, t_total = timed(lambda: services.assign_reviewers(None, campaign), repeat)
    assert Assignment.objects.filter(reviewer__campaign=campaign).count() == len(result.pairs)
    return {"t_build": t_build, "t_solve": t_solve, "t_total": t_total, "result": result, "stats": solved.stats, "t_full": t_full,
            "allowed": int(problem.allowed.sum())}


PAGE_TARGET_MS = 50.0


def pages_part(n: int) -> list[dict]:
    """p50/p95 of the campaign pages and the public showcase, in process with Django's test client,
    on the campaign end_to_end built (5,000 nominations, 300 reviewers, 15,000 assignments), with
    2,000 published key projects (one milestone each) in the same synthetic conference."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from lianxi.accounts.models import Grant
    from lianxi.campaigns.models import Assignment, Campaign
    from lianxi.projects.models import Milestone, Project
    from lianxi.registry.models import Conference, Unit

    campaign = Campaign.objects.get(title="演示评选（基准）")
    conf = campaign.conference
    Conference.objects.filter(pk=conf.pk).update(is_public=True)
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    projects = Project.objects.bulk_create([
        Project(conference=conf, title=f"演示重点项目{i:04d}", kind=Project.Kind.KEY, year=2025, lead_unit_id=u,
                is_published=True, description="演示项目故事") for i, u in enumerate(units)])
    Milestone.objects.bulk_create([Milestone(project=p, title="启动", due=dt.date(2025, 6, 30)) for p in projects])
    secretariat = get_user_model().objects.create_user(username="bench_campaign_secretariat", password=None)
    Grant.objects.create(user=secretariat, role=Grant.Role.SECRETARIAT, conference=conf)
    first = Assignment.objects.filter(reviewer__campaign=campaign).select_related("reviewer__user").order_by("pk").first()
    reviewer = first.reviewer.user
    pages = [
        ("评选活动列表（秘书处）", secretariat, reverse("campaigns:campaign_list")),
        ("活动页（秘书处，5,000 件申报，列出前 500）", secretariat, reverse("campaigns:campaign_detail", args=[campaign.pk])),
        ("活动页（一名评审，50 件分配）", reviewer, reverse("campaigns:campaign_detail", args=[campaign.pk])),
        ("申报页（秘书处，300 名评审的分配理由）", secretariat,
         reverse("campaigns:nomination_detail", args=[first.nomination_id])),
        ("评分页（评审）", reviewer, reverse("campaigns:review", args=[first.pk])),
        ("项目展示（匿名，2,000 个公开项目）", None, reverse("projects:showcase")),
        ("公示页（匿名）", None, reverse("campaigns:campaign_detail", args=[campaign.pk])),
    ]
    out = []
    for label, user, url in pages:
        if label.startswith("公示"):
            Campaign.objects.filter(pk=campaign.pk).update(phase="notice", is_published=True)
        client = Client()
        if user is not None:
            client.force_login(user)
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
        walls = []
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(url)
            walls.append((time.perf_counter() - t0) * 1000)
        walls.sort()
        out.append({"page": label, "url": url, "p50": statistics.median(walls),
                    "p95": walls[max(0, int(round(0.95 * len(walls))) - 1)], "max": walls[-1]})
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db")
    parser.add_argument("--write-doc", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one build and one assignment")
    parser.add_argument("--pages", action="store_true", help="also measure the campaign pages and the showcase")
    parser.add_argument("-n", "--requests", type=int, default=40, help="requests per page for --pages")
    args = parser.parse_args()
    info = machine()
    with sqlite_file(args.db, "lianxi-bench-campaigns-") as path:
        django_setup(path)
        s = solver_part(args.repeat)
        ex, gr = s["exact"], s["greedy"]
        print(f"solver: {N} nominations × {R} reviewers, k={K}, cap {s['cap']}, {s['pairs_allowed']:,} allowed pairs")
        print(f"  exact  {s['t_exact']:.3f} s  shortfall {ex.shortfall}  expertise matches {ex.matched}  objective {ex.objective}  {ex.stats}")
        print(f"  greedy {s['t_greedy']:.3f} s  shortfall {gr.shortfall}  expertise matches {gr.matched}  objective {gr.objective}")
        print(f"  greedy shortfall vs exact: {gr.shortfall - ex.shortfall} reviews, {ex.matched - gr.matched} fewer matches")
        fresh_database()
        e = end_to_end(args.repeat, args.profile)
        print(f"end to end (SQLite): build {e['t_build']:.3f} s, solver on that instance {e['t_solve']:.3f} s, "
              f"assign_reviewers {e['t_total']:.3f} s ({e['t_total'] / e['t_solve']:.1f} × the solver), "
              f"shortfall {e['result'].shortfall}, {len(e['result'].pairs):,} assignments, solver {e['stats']}; "
              f"the whole network instead {e['t_full']:.3f} s, same objective")
        pages = pages_part(args.requests) if args.pages else []
        for row in pages:
            print(f"  {row['page']}: p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms, max {row['max']:.1f} ms, "
                  f"{row['url']}")
    if args.write_doc:
        start, end = markers(KIND, "sqlite")
        block = "\n".join([
            start,
            f"Run {info['date']} on {info['nproc']} cores ({info['lscpu'][0] if info['lscpu'] else ''}), Python "
            f"{info['python']}, load average {info['load']} — the machine was shared with other work.",
            "",
            "| measure | exact (min-cost flow) | greedy baseline |",
            "|---|---|---|",
            f"| solver time, {N} × {R}, k = {K} (median of {args.repeat}) | {s['t_exact']:.3f} s | {s['t_greedy']:.3f} s |",
            f"| reviews not assigned (shortfall) | {ex.shortfall} | {gr.shortfall} |",
            f"| reviews with an expertise match | {ex.matched:,} | {gr.matched:,} |",
            f"| objective (BIG · shortfall + Σ cost) | {ex.objective:,} | {gr.objective:,} |",
            "",
            f"End to end through `assign_reviewers` on SQLite (lock, read, build, solve, delete the earlier "
            f"assignment, write {len(e['result'].pairs):,} rows, audit): {e['t_total']:.3f} s; building the "
            f"problem {e['t_build']:.3f} s, the solver alone on the same instance {e['t_solve']:.3f} s "
            f"({e['t_total'] / e['t_solve']:.1f} × the solver). Solver on that instance: "
            f"{'pruned network, ' + str(e['stats'].get('rounds')) + ' pricing round(s), ' if e['stats'].get('pruned') else 'full network, '}"
            f"{e['stats'].get('pairs_solved', 0):,} of {e['allowed']:,} allowed pairs in the network; "
            f"synthetic arrays: {'pruned, ' + str(ex.stats.get('rounds')) + ' round(s), ' if ex.stats.get('pruned') else 'full, '}"
            f"{ex.stats.get('pairs_solved', 0):,} of {s['pairs_allowed']:,} pairs. Solving the whole network of the "
            f"database's instance instead (the solver before pricing) took {e['t_full']:.3f} s in the same run, "
            f"with the same objective.",
            end,
        ])
        write_doc(block, section=SECTION, kind=KIND, name="sqlite")
        if pages:
            start, end = markers(KIND, "pages")
            block = "\n".join([
                start,
                f"Run {info['date']} on {info['nproc']} cores, load average {info['load']} — the machine was shared "
                f"with other work. {args.requests} requests per page after 3 warm-up requests, in process (Django's "
                f"test client, SQLite); target p95 ≤ {PAGE_TARGET_MS:.0f} ms.",
                "",
                "| page | p50 ms | p95 ms | max ms |",
                "|---|---|---|---|",
                *[f"| {r['page']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} |" for r in pages],
                end,
            ])
            write_doc(block, section=SECTION, kind=KIND, name="pages")


if __name__ == "__main__":
    main()
