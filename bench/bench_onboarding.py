"""Going-live benchmark (issue 15): import 5,000 member units and 20,000 people with posts from the
registry sheets, then create 5,000 liaison accounts with activation links.

    .venv/bin/python bench/bench_onboarding.py              # SQLite (a temporary file database)
    .venv/bin/python bench/bench_onboarding.py --postgres   # PostgreSQL lianxi_bench_onboarding
    .venv/bin/python bench/bench_onboarding.py --units 500  # smaller
    .venv/bin/python bench/bench_onboarding.py --migrated /tmp/onb.sqlite3   # reuse a migrated file
    .venv/bin/python bench/bench_onboarding.py --profile     # cProfile of the timed steps instead
    .venv/bin/python bench/bench_onboarding.py --write-doc   # put the figures into docs/benchmarks.md

The sheets are built from the project's own templates (visibly synthetic names: 示例上线单位00001,
示例人员00001) and go through the real path: ``plan_units``/``plan_people`` (read, match by name,
check every row) and ``apply_plan`` (the registry services, one audit row per record), then
``issue_unit_accounts``. Account creation hashes no password — the holder sets one at activation —
so the time below is the whole cost of issuing; one Argon2 hash (at activation) is timed apart."""

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import time
from pathlib import Path

from common import django_setup, ensure_pg_database, fresh_database, machine, sqlite_file, write_doc

PG_URL = "postgres://postgres@127.0.0.1:5432/lianxi_bench_onboarding"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--people-per-unit", type=int, default=4)
    parser.add_argument("--postgres", action="store_true", help=f"run on PostgreSQL ({PG_URL} unless DATABASE_URL is set)")
    parser.add_argument("--migrated", help="SQLite: a migrated empty file to copy instead of migrating (made "
                                           "there when missing); migrating costs a minute of CPU per run")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the timed steps")
    parser.add_argument("--top", type=int, default=40, help="functions shown by --profile")
    parser.add_argument("--write-doc", action="store_true", help="write the results into docs/benchmarks.md")
    args = parser.parse_args()
    facts = machine()
    if args.postgres:
        url = os.environ.setdefault("DATABASE_URL", PG_URL)
        ensure_pg_database(url)
    with sqlite_file(None, "lianxi-bench-onboarding-") as db:
        migrated = Path(args.migrated) if args.migrated and not args.postgres else None
        if migrated is not None and migrated.exists():
            shutil.copyfile(migrated, db)
        django_setup(db)
        if migrated is None or not migrated.exists():
            fresh_database()
            if migrated is not None:
                from django.db import connection

                connection.close()
                shutil.copyfile(db, migrated)
        run(args, facts)


def run(args, facts):

    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from lianxi.lib import excel
    from lianxi.onboarding import registry_sheets as sheets
    from lianxi.onboarding import services
    from lianxi.registry.models import Area, Conference
    from lianxi.registry.services import create_area, create_conference

    area = create_area(None, name="示例上线区", kind=Area.Kind.DISTRICT)
    conf = create_conference(None, name="示例上线区区域化党建联席会议", kind=Conference.Kind.DISTRICT, area=area)
    confs = Conference.objects.filter(pk=conf.pk)

    def sheet(template, columns, rows):
        wb = template(confs)
        ws = wb[excel.DATA_SHEET]
        ws.delete_rows(2, ws.max_row)
        for values in rows:
            ws.append([values.get(c.key) for c in columns])
        return io.BytesIO(excel.to_bytes(wb))

    n = args.units
    streets = [f"示例上线街道{i:02d}" for i in range(20)]
    unit_rows = [{"name": f"示例上线单位{i:05d}", "category": "企事业单位", "party_org_level": "党支部",
                  "party_org_name": f"示例上线单位{i:05d}党支部", "area": streets[i % 20], "conference": conf.name}
                 for i in range(n)]
    people_rows = []
    for i in range(n):
        for j in range(args.people_per_unit):
            people_rows.append({"name": f"示例人员{i:05d}{j}", "unit": f"示例上线单位{i:05d}", "title": "党支部书记",
                                "conference": conf.name, "role": "联络员" if j == 0 else "副召集人"})
    units_file = sheet(sheets.unit_template, sheets.unit_columns(confs), unit_rows)
    people_file = sheet(sheets.people_template, sheets.people_columns(confs), people_rows)

    print(f"machine: {facts['nproc']} cores, load {facts['load']}, Python {facts['python']}, {connection.vendor}")
    timings = {}  # label: (wall, CPU of this process)
    profile = cProfile.Profile() if args.profile else None

    def step(label, fn, *fargs):
        wall, cpu = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        try:
            return fn(*fargs)
        finally:
            if profile is not None:
                profile.disable()
            timings[label] = (time.perf_counter() - wall, time.process_time() - cpu)

    plan = step("units: read and check", lambda: sheets.plan_units(units_file, conferences=confs))
    assert plan.ok, plan.errors[:3]
    step("units: save", sheets.apply_plan, None, plan)
    plan = step("people: read and check", lambda: sheets.plan_people(people_file, conferences=confs))
    assert plan.ok, plan.errors[:3]
    step("people and posts: save", sheets.apply_plan, None, plan)
    created = step("liaison accounts: create with links", services.issue_unit_accounts, None, conf)
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher()
    params = ", ".join(f"{k}={getattr(hasher, k)}" for k in ("time_cost", "memory_cost", "parallelism", "iterations")
                       if hasattr(hasher, k))
    step(f"one {hasher.algorithm} hash (at activation)", make_password, "a-long-pass-1")
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())

    import_wall = sum(w for k, (w, _c) in timings.items() if k.startswith(("units", "people")))
    import_cpu = sum(c for k, (_w, c) in timings.items() if k.startswith(("units", "people")))
    lines = [f"{n} units, {len(people_rows)} people rows, {created['liaison']} liaison accounts; "
             f"{connection.vendor}; load {facts['load']} before, {load_after} after",
             f"  {'step':<40} {'wall':>8}   {'CPU':>8}"]
    for label, (wall, cpu) in timings.items():
        lines.append(f"  {label:<40} {wall:8.2f} s {cpu:8.2f} s")
    lines.append(f"  {'registry import total':<40} {import_wall:8.2f} s {import_cpu:8.2f} s   (target ≤ 30 s)")
    lines.append(f"  hasher: {type(hasher).__name__} ({params}); no password is hashed when accounts are made")
    lines.append(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("\n".join(lines))
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profile).sort_stats("cumulative").print_callees("issue_unit_accounts|_apply_people|_apply_units")
    if args.write_doc:
        block_name = f"{connection.vendor}-{n}"
        from common import markers

        start, end = markers("onboarding", block_name)
        block = (f"{start}\n{facts['date']} UTC, {facts['nproc']} cores, Python {facts['python']} "
                 f"(CPU = this process; PostgreSQL's server CPU is not in it):\n\n```\n" + "\n".join(lines)
                 + f"\n```\n{end}")
        write_doc(block, section="## Onboarding at scale (issue 15)", kind="onboarding", name=block_name)


if __name__ == "__main__":
    main()
