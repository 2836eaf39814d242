"""工作台 at scale (issue 13 "Speed": p95 ≤ 100 ms per dashboard, each chart one aggregate query).

    .venv/bin/lianxi generate --scale city --seed 1          # once, into LIANXI_DB_PATH
    .venv/bin/python bench/bench_dashboards.py --db /tmp/city.sqlite3 [--write-doc] [-n 40]
    .venv/bin/python bench/bench_dashboards.py --db /tmp/city.sqlite3 --profile secretariat

Drives ``/dashboard/`` in process with Django's test client as four personas made for the run on
the generated data (accounts named ``bench_dash_*``, made again each run; nothing else is written):

- secretariat of the conference holding the most needs,
- district administrator of the first synthetic district conference (示例区01…),
- liaison of the unit holding the most claims,
- street account of the street unit that posted the most needs.

For each: p50/p95/max of the server time over N requests after warm-up, the queries per request
(counted on one request), and CPU time per request. The machine's load is printed with the figures:
the machine may be shared, and wall-clock times then carry other people's work."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_setup, machine, markers, write_doc  # noqa: E402

SECTION = "## Dashboards"
KIND = "dashboards"
TARGET_MS = 100.0


def personas():
    """(label, user) for the four roles, granted on the generated data's busiest records."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from lianxi.accounts.models import Grant
    from lianxi.lists.models import Claim, Need
    from lianxi.registry.generate import top_conference
    from lianxi.registry.models import Conference, Unit

    User = get_user_model()
    User.objects.filter(username__startswith="bench_dash_").delete()
    busiest = Need.objects.values("conference").annotate(n=Count("id")).order_by("-n").first()
    top = top_conference() or Conference.objects.order_by("id").first()
    claimer = Claim.objects.values("unit").annotate(n=Count("id")).order_by("-n").first()
    poster = (Need.objects.filter(owner__category=Unit.Category.STREET).values("owner")
              .annotate(n=Count("id")).order_by("-n").first())
    plan = [
        ("secretariat", Grant.Role.SECRETARIAT, {"conference_id": busiest["conference"]}, f"{busiest['n']:,} needs"),
        ("district admin", Grant.Role.ADMIN, {"conference_id": top.pk}, top.name),
        ("liaison", Grant.Role.LIAISON, {"unit_id": claimer["unit"]}, f"{claimer['n']:,} claims"),
        ("street", Grant.Role.STREET, {"unit_id": poster["owner"]}, f"{poster['n']:,} needs posted"),
    ]
    out = []
    for label, role, scope, note in plan:
        user = User.objects.create_user(username=f"bench_dash_{role}", password=None)
        Grant.objects.create(user=user, role=role, **scope)
        out.append((label, user, note))
    return out


def measure(user, n: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(3):
        response = client.get("/dashboard/")
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get("/dashboard/")
    queries = len(ctx.captured_queries)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    walls, cpus = [], []
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        client.get("/dashboard/")
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    walls.sort()
    return {"p50": statistics.median(walls), "p95": walls[max(0, int(round(0.95 * len(walls))) - 1)],
            "max": walls[-1], "cpu50": statistics.median(cpus), "queries": queries, "sql_ms": sql_ms}


def profile(user, top: int = 30):
    """cProfile of ten requests (pyinstrument is not a dependency), cumulative and own time."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get("/dashboard/")
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(10):
        client.get("/dashboard/")
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def counts() -> str:
    from lianxi.lists.models import Claim, Need
    from lianxi.registry.models import Conference, Membership, Unit

    return (f"联席会议 {Conference.objects.count():,}，单位 {Unit.objects.count():,}，成员资格 {Membership.objects.count():,}，"
            f"需求 {Need.objects.count():,}，认领 {Claim.objects.count():,}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=not os.environ.get("DATABASE_URL"), help="the generated SQLite file")
    p.add_argument("--scale", default="city", help="the scale the file was generated at (for the report)")
    p.add_argument("-n", "--requests", type=int, default=40)
    p.add_argument("--profile", help="print a cProfile of this persona's dashboard instead")
    p.add_argument("--write-doc", action="store_true")
    args = p.parse_args(argv)
    m = machine()
    if args.db and not Path(args.db).exists():
        raise SystemExit(f"{args.db}: no such file (run `lianxi generate --scale {args.scale}` into it first)")
    django_setup(str(Path(args.db).resolve()) if args.db else None)
    from django.db import connection

    if args.profile:
        # The accounts of the last run when there are (a measuring run may be going on beside this).
        from django.contrib.auth import get_user_model

        role = {"district admin": "admin"}.get(args.profile, args.profile)
        user = get_user_model().objects.filter(username=f"bench_dash_{role}").first()
        profile(user or next(u for label, u, _ in personas() if label == args.profile))
        return
    users = personas()
    data = counts()
    print(f"{m['date']} · nproc {m['nproc']} · load {m['load']} · {connection.vendor} · {data}")
    rows = []
    for label, user, note in users:
        r = measure(user, args.requests)
        rows.append((label, note, r))
        print(f"  {label:15s} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  max {r['max']:7.1f} ms  "
              f"CPU p50 {r['cpu50']:6.1f} ms  queries {r['queries']:3d} (SQL {r['sql_ms']:.1f} ms)  [{note}]", flush=True)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"  load average after: {load_after}")
    name = f"{connection.vendor}-{args.scale}"
    start, end = markers(KIND, name)
    block = [start, "", f"Measured {m['date']} with `.venv/bin/python bench/bench_dashboards.py -n {args.requests}` on "
             f"{connection.vendor}, `lianxi generate --scale {args.scale} --seed 1` ({data}). `nproc` = {m['nproc']}; "
             f"load average {m['load']} at start, {load_after} at the end (a shared machine: wall times carry "
             "other work; CPU per request is beside them). Target p95 ≤ 100 ms.", "",
             "| persona | on | p50 ms | p95 ms | max ms | CPU p50 ms | queries | SQL ms (one request) |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for label, note, r in rows:
        block.append(f"| {label} | {note} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['cpu50']:.1f} | "
                     f"{r['queries']} | {r['sql_ms']:.1f} |")
    block += ["", end]
    text = "\n".join(block)
    print("\n" + text)
    if args.write_doc:
        write_doc(text, section=SECTION, kind=KIND, name=name)


if __name__ == "__main__":
    main()
