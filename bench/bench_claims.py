"""Claiming benchmark (issue 3): many liaisons press "claim" on one need at the same moment.

    .venv/bin/python bench/bench_claims.py --postgres        # PostgreSQL lianxi_bench_claims (created if missing)
    .venv/bin/python bench/bench_claims.py                   # SQLite (a temporary file database)
    .venv/bin/python bench/bench_claims.py --postgres --write-doc   # also refresh docs/benchmarks.md

A synthetic conference (示例区) with 200 member units and one published need of quantity 20 is
built through the project's services. Then 200 attempts — each a distinct member unit claiming 1
through ``lianxi.lists.services.claim_need``, the same call the claim button makes — are released
at one barrier from threads that each hold their own database connection (as in
``lianxi/lists/tests/test_concurrency.py``). The benchmark prints accepted against the need's
quantity (they must be equal, and the need's claimed total and its claim rows must agree; the exit
status is non-zero otherwise) and the latency of the attempts, accepted and refused separately,
counted from the release.

PostgreSQL: when the server cannot take one connection per attempt (``max_connections`` less the
reserved slots and the connections already open, with a margin for other users), the attempts are
served by as many threads/connections as it can take, each connection opened before the release;
all 200 attempts are still released at once and queue for a free connection, and that wait is part
of their latency (the time inside ``claim_need`` alone is printed beside it).

SQLite: writers are serialised by ``BEGIN IMMEDIATE`` with a 20 s busy timeout; an attempt that
times out ("database is locked") is counted as an error, not as a refusal."""

import argparse
import os
import statistics
import sys
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_setup, ensure_pg_database, fresh_database, machine, markers, sqlite_file, write_doc  # noqa: E402

SECTION = "## Claiming under contention"
KIND = "claims"
PG_URL = "postgres://postgres@127.0.0.1:5432/lianxi_bench_claims"
MARGIN = 10  # PostgreSQL connections left for other users of the server


# ---------------------------------------------------------------------------------------- setup

def build(attempts: int, quantity: int):
    """A district conference, ``attempts`` member units and one published need of ``quantity``."""
    import datetime

    from lianxi.lists.models import NeedCategory
    from lianxi.lists.services import post_need
    from lianxi.registry.models import Area, Conference, Unit
    from lianxi.registry.services import admit_unit, create_area, create_conference, create_unit

    start = datetime.date(2020, 1, 1)
    district = create_area(None, name="示例区（认领基准）", kind=Area.Kind.DISTRICT)
    street = create_area(None, name="示例街道（认领基准）", kind=Area.Kind.STREET, parent=district)
    conference = create_conference(None, name="示例区区域化党建联席会议（认领基准）", short_name="示例区",
                                   kind=Conference.Kind.DISTRICT, area=district)
    owner = create_unit(None, name="示例街道党工委（认领基准）", category=Unit.Category.STREET, area=street)
    admit_unit(None, unit=owner, conference=conference, start=start)
    units = []
    for i in range(attempts):
        unit = create_unit(None, name=f"示例认领单位{i + 1:03d}", category=Unit.Category.ENTERPRISE, area=street)
        admit_unit(None, unit=unit, conference=conference, start=start)
        units.append(unit)
    need = post_need(None, publish=True, conference=conference, owner=owner, title="示例需求：助餐志愿者",
                     category=NeedCategory.objects.filter(is_active=True).first(), area=street,
                     quantity=quantity, quantity_unit="人")
    return need, units


def pg_capacity() -> dict:
    """How many more connections the server can take now, leaving a margin for others."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SHOW max_connections")
        max_conn = int(c.fetchone()[0])
        c.execute("SHOW superuser_reserved_connections")
        reserved = int(c.fetchone()[0])
        c.execute("SHOW server_version_num")
        if int(c.fetchone()[0]) >= 160000:
            c.execute("SHOW reserved_connections")
            reserved += int(c.fetchone()[0])
        c.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
        in_use = int(c.fetchone()[0])
        c.execute("SHOW server_version")
        version = c.fetchone()[0]
    return {"max_connections": max_conn, "reserved": reserved, "in_use": in_use, "version": version,
            "free": max_conn - reserved - in_use - MARGIN}


# ---------------------------------------------------------------------------------------- the race

def race(need_pk: int, unit_pks: list[int], workers: int) -> tuple[list[dict], float]:
    """Release every attempt at one barrier; ``workers`` threads, each with its own connection,
    take attempts from a shared queue. Returns one record per attempt and the release time."""
    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    from lianxi.lists import services
    from lianxi.lists.models import Need
    from lianxi.registry.models import Unit

    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_pks)}
    queue = deque(unit_pks)
    lock = threading.Lock()
    released = [0.0]

    def release():
        released[0] = time.perf_counter()

    barrier = threading.Barrier(workers, action=release)
    records, setup_errors = [], []

    def worker():
        try:
            need = Need.objects.get(pk=need_pk)  # opens this thread's connection before the release
            connection.ensure_connection()
        except Exception as exc:  # noqa: BLE001
            setup_errors.append(repr(exc))
            barrier.abort()
            return
        try:
            barrier.wait(timeout=120)
            while True:
                with lock:
                    if not queue:
                        break
                    unit_pk = queue.popleft()
                began = time.perf_counter()
                outcome, detail = "accepted", ""
                try:
                    services.claim_need(None, need, unit=units[unit_pk], quantity=1)
                except ValidationError as exc:
                    outcome, detail = "refused", ",".join(sorted(exc.message_dict))
                except Exception as exc:  # noqa: BLE001 - any other failure is a finding
                    outcome, detail = "error", repr(exc)[:200]
                ended = time.perf_counter()
                with lock:
                    records.append({"unit": unit_pk, "outcome": outcome, "detail": detail, "began": began,
                                    "ended": ended})
        except threading.BrokenBarrierError:
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    if setup_errors:
        raise SystemExit(f"could not open the connections: {setup_errors[:3]}")
    for r in records:
        r["latency"] = r["ended"] - released[0]
        r["service"] = r["ended"] - r["began"]
    return records, released[0]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if p < 100 else max(values)


def summary(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50": pct(ms, 50), "p95": pct(ms, 95), "max": max(ms) if ms else float("nan")}


def fmt(s: dict) -> str:
    return f"p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms, max {s['max']:.0f} ms" if s["n"] else "—"


def bench(report: dict, attempts: int, quantity: int, workers: int | None):
    from django.db import connection

    from lianxi.lists.models import Claim, Need

    vendor = connection.vendor
    print("\n  migrating a fresh database …", flush=True)
    fresh_database()
    where = (f"PostgreSQL {connection.settings_dict['NAME']}" if vendor == "postgresql"
             else f"SQLite {connection.settings_dict['NAME']}")
    report["where"] = where
    if vendor == "postgresql":
        cap = pg_capacity()
        report["pg"] = cap
        possible = max(cap["free"], 1)
        chosen = min(attempts, workers or attempts, possible)
        print(f"  PostgreSQL {cap['version']}: max_connections {cap['max_connections']}, reserved {cap['reserved']}, "
              f"in use {cap['in_use']}, margin {MARGIN} → {cap['free']} connections free now")
        if chosen < attempts:
            print(f"  {attempts} simultaneous connections cannot be opened: {chosen} threads, one connection each, "
                  f"serve the {attempts} attempts released at one barrier")
    else:
        chosen = min(attempts, workers or attempts)
    report["workers"] = chosen
    need, units = build(attempts, quantity)
    print(f"  {where}: need “{need.title}” quantity {quantity}; {attempts} attempts by distinct member units; "
          f"{chosen} threads/connections", flush=True)

    w = time.perf_counter()
    records, _ = race(need.pk, [u.pk for u in units], chosen)
    wall = time.perf_counter() - w
    need = Need.objects.get(pk=need.pk)
    by = {k: [r for r in records if r["outcome"] == k] for k in ("accepted", "refused", "error")}
    claims = Claim.objects.filter(need=need, state=Claim.State.ACTIVE).count()
    ok = (len(records) == attempts and len(by["accepted"]) == quantity and not by["error"]
          and need.claimed_quantity == quantity and claims == quantity and need.state == Need.State.CLAIMED)
    refusals = {}
    for r in by["refused"]:
        refusals[r["detail"]] = refusals.get(r["detail"], 0) + 1
    errors = {}
    for r in by["error"]:
        errors[r["detail"]] = errors.get(r["detail"], 0) + 1
    report.update(attempts=attempts, quantity=quantity, wall=wall, ok=ok, claimed=need.claimed_quantity,
                  claims=claims, state=need.state, refusals=refusals, errors=errors,
                  counts={k: len(v) for k, v in by.items()},
                  latency={k: summary([r["latency"] for r in v]) for k, v in by.items()},
                  service={k: summary([r["service"] for r in v]) for k, v in by.items()})
    c = report["counts"]
    print(f"  {len(records)} attempts in {wall:.2f} s: accepted {c['accepted']} / quantity {quantity}, refused "
          f"{c['refused']} {refusals}, errors {c['error']} {errors}")
    print(f"  need: claimed {need.claimed_quantity}, state {need.state}, active claims {claims}")
    for k in ("accepted", "refused", "error"):
        if by[k]:
            print(f"  {k:<9} latency from release: {fmt(report['latency'][k])}; inside claim_need: "
                  f"{fmt(report['service'][k])}")
    print(f"  accepted equals quantity, nothing over-claimed, no errors: {'yes' if ok else 'NO'}", flush=True)


# ---------------------------------------------------------------------------------------- report

def markdown(report: dict) -> str:
    m = report["machine"]
    name = "postgresql" if report["where"].startswith("PostgreSQL") else "sqlite"
    start, end = markers(KIND, name)
    command = "bench/bench_claims.py" + (" --postgres" if name == "postgresql" else "")
    out = [start, "", f"Measured {m['date']} with `.venv/bin/python {command}` on {report['where'].split(' ')[0]} — "
           f"`nproc` = {m['nproc']}, load average at start {m['load']}, Python {m['python']}.", ""]
    if "pg" in report:
        pg = report["pg"]
        out += [f"PostgreSQL {pg['version']}, `max_connections` = {pg['max_connections']} ({pg['reserved']} reserved, "
                f"{pg['in_use']} open at the start including this one, {MARGIN} left as a margin): "
                + (f"{report['attempts']} simultaneous connections could not be opened, so **{report['workers']} threads, "
                   f"one connection each**, served the {report['attempts']} attempts, all released at one barrier; "
                   "latency includes the wait for a free connection." if report["workers"] < report["attempts"]
                   else f"one thread and connection per attempt ({report['workers']})."), ""]
    else:
        out += [f"One thread and connection per attempt ({report['workers']}), writers serialised by BEGIN IMMEDIATE "
                "(busy timeout 20 s).", ""]
    c = report["counts"]
    out += [f"{report['attempts']} attempts (one distinct member unit each, quantity 1) on one need of quantity "
            f"{report['quantity']}, in {report['wall']:.2f} s: **accepted {c['accepted']} = quantity "
            f"{report['quantity']}**: {'yes' if report['ok'] else '**NO**'}; refused {c['refused']}; errors {c['error']}"
            + (f" ({'; '.join(f'{k}: {v}' for k, v in report['errors'].items())})" if report["errors"] else "")
            + f". Need afterwards: claimed {report['claimed']}, state `{report['state']}`, {report['claims']} active claims.",
            "", "| attempts | n | latency p50 ms | p95 ms | max ms | inside claim_need p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for k in ("accepted", "refused", "error"):
        lat, svc = report["latency"][k], report["service"][k]
        if lat["n"]:
            out.append(f"| {k} | {lat['n']} | {lat['p50']:.0f} | {lat['p95']:.0f} | {lat['max']:.0f} | "
                       f"{svc['p50']:.0f} | {svc['p95']:.0f} | {svc['max']:.0f} |")
    out += ["", end]
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--attempts", type=int, default=200)
    p.add_argument("--quantity", type=int, default=20)
    p.add_argument("--workers", type=int, help="at most this many threads/connections (default: one per attempt, "
                                                "as many as the server can take)")
    p.add_argument("--postgres", action="store_true", help=f"run on PostgreSQL ({PG_URL} unless DATABASE_URL is set)")
    p.add_argument("--db", help="SQLite file (default: a temporary file, removed afterwards)")
    p.add_argument("--write-doc", action="store_true", help="write the results into docs/benchmarks.md")
    args = p.parse_args(argv)
    if args.quantity > args.attempts:
        raise SystemExit("--quantity must not exceed --attempts")

    report = {"machine": machine()}  # before Django sets the process's time zone
    if args.postgres:
        os.environ.setdefault("DATABASE_URL", PG_URL)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        ensure_pg_database(os.environ["DATABASE_URL"])
    with sqlite_file(args.db, "lianxi-bench-claims-") as db_path:
        django_setup(db_path)
        m = report["machine"]
        print(f"{m['date']} · nproc {m['nproc']} · load {m['load']} · Python {m['python']}")
        bench(report, args.attempts, args.quantity, args.workers)
        block = markdown(report)
        print("\n" + block)
        if args.write_doc:
            write_doc(block, section=SECTION, kind=KIND,
                      name="postgresql" if report["where"].startswith("PostgreSQL") else "sqlite")
    if not report["ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
