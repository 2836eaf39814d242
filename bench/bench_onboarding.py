"""Going-live benchmark (issue 15): import 5,000 member units and 20,000 people with posts from the
registry sheets, then create 5,000 liaison accounts with activation links.

    .venv/bin/python bench/bench_onboarding.py              # SQLite (a temporary file database)
    .venv/bin/python bench/bench_onboarding.py --postgres   # PostgreSQL lianxi_bench_onboarding
    .venv/bin/python bench/bench_onboarding.py --units 500  # smaller

The sheets are built from the project's own templates (visibly synthetic names: 示例上线单位00001,
示例人员00001) and go through the real path: ``plan_units``/``plan_people`` (read, match by name,
check every row) and ``apply_plan`` (the registry services, one audit row per record), then
``issue_unit_accounts``. Account creation hashes no password — the holder sets one at activation —
so the time below is the whole cost of issuing; one Argon2 hash (at activation) is timed apart."""

import argparse
import io
import os
import resource
import time

from common import django_setup, ensure_pg_database, fresh_database, machine, sqlite_file


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--people-per-unit", type=int, default=4)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    facts = machine()
    if args.postgres:
        url = "postgres://postgres@127.0.0.1:5432/lianxi_bench_onboarding"
        os.environ["DATABASE_URL"] = url
        ensure_pg_database(url)
    with sqlite_file(None, "lianxi-bench-onboarding-") as db:
        django_setup(db)
        fresh_database()
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
    timings = {}
    t = time.perf_counter()
    plan = sheets.plan_units(units_file, conferences=confs)
    timings["units: read and check"] = time.perf_counter() - t
    assert plan.ok, plan.errors[:3]
    t = time.perf_counter()
    sheets.apply_plan(None, plan)
    timings["units: save"] = time.perf_counter() - t
    t = time.perf_counter()
    plan = sheets.plan_people(people_file, conferences=confs)
    timings["people: read and check"] = time.perf_counter() - t
    assert plan.ok, plan.errors[:3]
    t = time.perf_counter()
    sheets.apply_plan(None, plan)
    timings["people and posts: save"] = time.perf_counter() - t
    t = time.perf_counter()
    created = services.issue_unit_accounts(None, conf)
    timings["liaison accounts: create with links"] = time.perf_counter() - t
    t = time.perf_counter()
    make_password("a-long-pass-1")
    timings["one Argon2 hash (at activation)"] = time.perf_counter() - t

    import_total = sum(v for k, v in timings.items() if k.startswith(("units", "people")))
    print(f"{n} units, {len(people_rows)} people rows, {created['liaison']} liaison accounts")
    for label, seconds in timings.items():
        print(f"  {label:<40} {seconds:8.2f} s")
    print(f"  {'registry import total':<40} {import_total:8.2f} s   (target ≤ 30 s)")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
