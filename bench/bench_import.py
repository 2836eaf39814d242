"""Import benchmark (issue 3): a 100,000-row needs Excel file validated and imported, or rejected whole.

    .venv/bin/python bench/bench_import.py                   # SQLite (a temporary file database)
    .venv/bin/python bench/bench_import.py --postgres        # PostgreSQL lianxi_bench_import (created if missing)
    .venv/bin/python bench/bench_import.py --write-doc       # also refresh docs/benchmarks.md "## Import"
    .venv/bin/python bench/bench_import.py --rows 10000 --profile   # cProfile of one import, top functions
    .venv/bin/python bench/bench_import.py --job [--postgres] [--write-doc]   # as a background job, end to end

The file is built the way a district fills the template: the headers of ``need_columns`` for a
synthetic conference (示例区, 12 streets with 5 residents' areas each, 120 member units), one valid
need per row (示例导入需求000001 …), written with openpyxl in write-only mode. It goes through the
project's real path — ``lianxi.lists.excel.import_needs`` with a tqdm progress bar, as the
``import_needs`` management command does — twice:

1. *Rejected whole*: the same rows but Excel rows 50,000 and 99,999 (when the file has that many)
   are bad (an unknown category, an empty title). Every row is still checked; nothing may be
   saved (needs and audit rows counted before and after), and the errors must name exactly those
   row numbers.
2. *Imported*: the good file; every row becomes a published need with its audit row.

With ``--job`` the good file goes the way the web page sends it: ``jobs.services.enqueue`` (the
upload travels in the job row), then a real ``lianxi worker --batch`` process started beside it runs
the job while this process polls the job row the way the page does, ten times a second. Reported: enqueue
→ worker finished (worker start-up included, and the job's own start → finish), how often the
progress moved (the longest gap between two progress updates seen while running), and the worker's
peak memory (its max RSS, read when it exits).

Times are wall-clock seconds with process CPU seconds beside them (PostgreSQL's own CPU is in the
server, not in that column). The import is broken down into reading the workbook (openpyxl),
checking the rows (``NeedForm``, the same form as the web page), inserting (``post_needs_bulk``
up to its commit) and the after-commit hooks (``transaction.on_commit`` work, e.g. text
segmentation for matching, when receivers are connected). Peak memory is the process's maximum
resident set size (``ru_maxrss``) after each step."""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import resource
import secrets
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import django_setup, ensure_pg_database, fresh_database, machine, markers, sqlite_file, write_doc  # noqa: E402

SECTION = "## Import"
KIND = "import"
PG_URL = "postgres://postgres@127.0.0.1:5432/lianxi_bench_import"
BAD_ROWS = (50_000, 99_999)  # Excel row numbers (row 1 is the header)
STREETS, NEIGHBOURHOODS, MEMBERS = 12, 5, 120


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------- setup

def build_world():
    """A synthetic district conference with streets, residents' areas, member units and a
    secretariat account, built through the registry services."""
    from django.contrib.auth import get_user_model

    from lianxi.accounts.models import Grant
    from lianxi.registry.models import Area, Conference, Unit
    from lianxi.registry.services import admit_unit, create_area, create_conference, create_unit

    district = create_area(None, name="示例区（导入基准）", kind=Area.Kind.DISTRICT)
    conference = create_conference(None, name="示例区区域化党建联席会议（导入基准）", short_name="示例区",
                                   kind=Conference.Kind.DISTRICT, area=district)
    streets = []
    for s in range(STREETS):
        street = create_area(None, name=f"示例街道{s + 1:02d}", kind=Area.Kind.STREET, parent=district)
        streets.append(street)
        for n in range(NEIGHBOURHOODS):
            create_area(None, name=f"示例居民区{s + 1:02d}{n + 1:02d}", kind=Area.Kind.NEIGHBOURHOOD, parent=street)
        unit = create_unit(None, name=f"示例街道{s + 1:02d}党工委", category=Unit.Category.STREET, area=street)
        admit_unit(None, unit=unit, conference=conference, start=datetime.date(2020, 1, 1))
    for u in range(MEMBERS):
        unit = create_unit(None, name=f"示例单位{u + 1:03d}", category=Unit.Category.ENTERPRISE,
                           area=streets[u % STREETS])
        admit_unit(None, unit=unit, conference=conference, start=datetime.date(2020, 1, 1))
    user = get_user_model().objects.create_user(username="bench_import_secretariat", password=secrets.token_urlsafe(16))
    Grant.objects.create(user=user, role=Grant.Role.SECRETARIAT, conference=conference)
    return conference, user


# ---------------------------------------------------------------------------------------- the file

def build_file(conference, actor, rows: int, *, prefix: str, bad: dict[int, dict] | None = None) -> io.BytesIO:
    """The template's 数据 sheet with ``rows`` valid needs; ``bad`` overrides cells of given Excel rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from lianxi.lib.excel import DATA_SHEET
    from lianxi.lists.excel import need_columns
    from lianxi.lists.models import Urgency

    columns = need_columns(conference, actor)
    by_key = {c.key: c for c in columns}
    owners, categories, areas = by_key["owner"].choices, by_key["category"].choices, by_key["area"].choices
    urgencies = [str(label) for label in Urgency.labels]
    today = datetime.date.today()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    ws.append([c.title for c in columns])
    bad = bad or {}
    for i in range(rows):
        number = i + 2
        row = {
            "owner": owners[i % len(owners)],
            "title": f"{prefix}{i + 1:06d}：{categories[i % len(categories)]}志愿服务",
            "description": f"示例描述：每周{(i % 5) + 1}次，上门服务，第{i + 1}条合成数据",
            "category": categories[(i * 7) % len(categories)],
            "area": areas[(i * 13) % len(areas)],
            "quantity": 1 + i % 50,
            "quantity_unit": "人",
            "beneficiaries": "示例受益对象",
            "deadline": datetime.datetime.combine(today + datetime.timedelta(days=30 + i % 300), datetime.time()),
            "urgency": urgencies[i % len(urgencies)],
            "contact_name": "示例联系人",
            "contact_phone": f"000-{i % 10_000:04d}",
            "source": None,
            "source_note": None,
        }
        row.update(bad.get(number, {}))
        ws.append([row[c.key] for c in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer = io.BytesIO(with_dimension(buffer.getvalue(), f"A1:{get_column_letter(len(columns))}{rows + 1}"))
    buffer.name = "needs.xlsx"
    return buffer


def with_dimension(data: bytes, ref: str) -> bytes:
    """Excel (and the template, saved by openpyxl in normal mode) records the used range before the
    rows, ``<dimension ref="A1:N100001"/>``; openpyxl's write-only mode does not, and then every
    read-only open parses the whole sheet looking for it (about 3 s of CPU per 100,000 rows, once
    for the progress bar's count and once more for reading). The file gets it, as Excel writes it."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                marked = content.replace(b"<sheetViews>", f'<dimension ref="{ref}" /><sheetViews>'.encode(), 1)
                if marked == content:
                    raise RuntimeError("unexpected sheet XML: no <sheetViews> to put the dimension before")
                content = marked
            dst.writestr(item, content)
    return out.getvalue()


# ---------------------------------------------------------------------------------------- instrumented import

class Breakdown:
    """Time spent reading the workbook, inserting, and in after-commit hooks during one import;
    checking the rows is what remains of the validation phase."""

    def __init__(self):
        from django.db import connection

        import lianxi.lib.excel as lib_excel
        import lianxi.lists.excel as lists_excel

        # [wall, CPU] seconds
        self.read, self.insert, self.hooks = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
        self.validation_end = None
        self.hook_calls = 0
        self._lib, self._lists, self._conn = lib_excel, lists_excel, connection
        self._orig_read, self._orig_bulk = lib_excel.read_rows, lists_excel.post_needs_bulk
        self._orig_hooks = connection.run_and_clear_commit_hooks

    @staticmethod
    def _add(acc, w, c):
        acc[0] += time.perf_counter() - w
        acc[1] += time.process_time() - c

    def __enter__(self):
        bd = self

        def read_rows(*args, **kwargs):
            it = bd._orig_read(*args, **kwargs)
            while True:
                w, c = time.perf_counter(), time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    bd._add(bd.read, w, c)
                    return
                bd._add(bd.read, w, c)
                yield item

        def post_needs_bulk(*args, **kwargs):
            bd.validation_end = w, c = time.perf_counter(), time.process_time()
            try:
                return bd._orig_bulk(*args, **kwargs)
            finally:
                bd._add(bd.insert, w, c)

        def run_and_clear_commit_hooks():
            w, c = time.perf_counter(), time.process_time()
            bd.hook_calls += len(bd._conn.run_on_commit)
            try:
                return bd._orig_hooks()
            finally:
                bd._add(bd.hooks, w, c)

        self._lib.read_rows = read_rows
        self._lists.post_needs_bulk = post_needs_bulk
        self._conn.run_and_clear_commit_hooks = run_and_clear_commit_hooks
        return self

    def __exit__(self, *exc):
        self._lib.read_rows = self._orig_read
        self._lists.post_needs_bulk = self._orig_bulk
        del self._conn.run_and_clear_commit_hooks  # back to the class's method


def run_import(actor, file, conference) -> dict:
    """One import through the command's progress mechanism (tqdm fed by ``progress``), timed by
    phase: each phase as [wall, CPU] seconds."""
    from tqdm import tqdm

    from lianxi.lib.excel import count_rows
    from lianxi.lists.excel import import_needs

    seen = [0]
    w, c = time.perf_counter(), time.process_time()
    total = count_rows(file)  # for the bar, as the command does; counted as reading
    file.seek(0)
    counting = [time.perf_counter() - w, time.process_time() - c]
    with Breakdown() as bd, tqdm(total=total, desc="校验", unit="行", disable=None, dynamic_ncols=True,
                                 mininterval=1.0) as bar:
        def progress(n):
            seen[0] += n
            bar.update(n)

        result = import_needs(actor, file, conference=conference, progress=progress)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    end = bd.validation_end or (w + wall, c + cpu)
    validation = [end[0] - w, end[1] - c]
    read = [counting[0] + bd.read[0], counting[1] + bd.read[1]]
    return {"result": result, "wall": wall, "cpu": cpu, "progress": seen[0], "total": total, "read": read,
            "validation": validation, "check": [validation[0] - read[0], validation[1] - read[1]],
            "insert": [bd.insert[0] - bd.hooks[0], bd.insert[1] - bd.hooks[1]], "hooks": bd.hooks,
            "hook_calls": bd.hook_calls, "maxrss": maxrss_mb()}


def wc(x) -> str:
    """``[wall, CPU]`` as ``wall (CPU)``."""
    return f"{x[0]:.2f} ({x[1]:.2f})"


def per_row_us(r: dict, rows: int) -> str:
    keys = ["read", "check"] + (["insert", "hooks"] if r.get("insert", [0])[0] else [])
    return ", ".join(f"{k} {1e6 * r[k][1] / rows:.0f}" for k in keys)


def counts():
    from lianxi.audit.models import AuditEntry
    from lianxi.lists.models import Need

    return Need.objects.count(), AuditEntry.objects.filter(action="lists.need.import").count()


# ---------------------------------------------------------------------------------------- main steps

def bench(report: dict, rows: int):
    from django.db import connection

    print("\n  migrating a fresh database …", flush=True)
    fresh_database()
    conference, actor = build_world()
    where = (f"PostgreSQL {connection.settings_dict['NAME']}" if connection.vendor == "postgresql"
             else f"SQLite {connection.settings_dict['NAME']}")
    report["where"] = where
    report["rss_start"] = maxrss_mb()
    print(f"  {where}: conference {conference.display_name}, {rows:,} rows; max RSS so far {report['rss_start']:.0f} MB "
          "(Django, the apps and their libraries loaded, pypinyin's dictionaries among them)")

    w, c = time.perf_counter(), time.process_time()
    good = build_file(conference, actor, rows, prefix="示例导入需求")
    report["build"] = {"wall": time.perf_counter() - w, "cpu": time.process_time() - c,
                       "mb": len(good.getvalue()) / 2**20}
    bad_cells = {}
    for number, cells in zip(BAD_ROWS, ({"category": "示例未知类别"}, {"title": None}), strict=True):
        if number <= rows + 1:
            bad_cells[number] = cells
    if not bad_cells:  # a small file: its last row is the bad one
        bad_cells[rows + 1] = {"category": "示例未知类别"}
    bad = build_file(conference, actor, rows, prefix="示例导入需求B", bad=bad_cells)
    b = report["build"]
    print(f"  built the file ({b['mb']:.1f} MB) in {b['wall']:.2f} s (CPU {b['cpu']:.2f} s); "
          f"max RSS {maxrss_mb():.0f} MB", flush=True)

    print(f"\n  1. rejected whole (bad Excel rows {', '.join(f'{n:,}' for n in bad_cells)})", flush=True)
    before = counts()
    r = run_import(actor, bad, conference)
    after = counts()
    res = r["result"]
    named = sorted(e.row for e in res.errors)
    ok = (not res.ok and res.created == 0 and before == after and named == sorted(bad_cells)
          and r["progress"] == rows)
    r.update(before=before, after=after, errors=[str(e) for e in res.errors], named=named, check_ok=ok)
    report["reject"] = r
    print(f"  rejected in {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), {rows / r['wall']:,.0f} rows/s; "
          f"read {wc(r['read'])} s, check {wc(r['check'])} s; CPU µs a row: {per_row_us(r, rows)}; "
          f"rows checked {res.rows:,} (progress {r['progress']:,}/{r['total'] or '?'}); needs and audit rows "
          f"{before} before, {after} after; max RSS {r['maxrss']:.0f} MB")
    for e in res.errors:
        print(f"    {e}")
    print(f"  nothing saved and the errors name exactly rows {sorted(bad_cells)}: {'yes' if ok else 'NO'}", flush=True)

    print("\n  2. imported", flush=True)
    before = counts()
    r = run_import(actor, good, conference)
    after = counts()
    res = r["result"]
    ok = res.ok and res.created == rows and after == (before[0] + rows, before[1] + rows)
    r.update(before=before, after=after, check_ok=ok, file_error=res.file_error,
             errors=[str(e) for e in res.errors[:5]])
    report["import"] = r
    print(f"  imported {res.created:,} in {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), {rows / r['wall']:,.0f} rows/s; "
          f"read {wc(r['read'])} s, check {wc(r['check'])} s, insert {wc(r['insert'])} s, after-commit hooks "
          f"{wc(r['hooks'])} s ({r['hook_calls']} callbacks); CPU µs a row: {per_row_us(r, rows)}; "
          f"max RSS {r['maxrss']:.0f} MB")
    print(f"  every row saved with its audit row: {'yes' if ok else 'NO'}"
          + ("" if ok else f" ({res.file_error or res.errors[:3]})"), flush=True)
    report["ok"] = report["reject"]["check_ok"] and ok


def bench_job(report: dict, rows: int):
    """The import as a background job, end to end: enqueue, a real worker process, the job row polled."""
    import subprocess

    from django.db import connection

    from lianxi.jobs import services as jobs
    from lianxi.jobs.models import Job
    from lianxi.jobs.runner import live_progress

    print("\n  migrating a fresh database …", flush=True)
    fresh_database()
    conference, actor = build_world()
    where = (f"PostgreSQL {connection.settings_dict['NAME']}" if connection.vendor == "postgresql"
             else f"SQLite {connection.settings_dict['NAME']}")
    report["where"] = where
    good = build_file(conference, actor, rows, prefix="示例导入需求")
    before = counts()
    print(f"  {where}: {rows:,} rows, file {len(good.getvalue()) / 2**20:.1f} MB", flush=True)
    env = dict(os.environ)
    # The file is written with inline strings (openpyxl's write-only mode), not Excel's shared-string
    # table: 100,000 rows unpack to ~106 MB, over the upload check's default 100 MB
    # (LIANXI_IMPORT_MAX_UNCOMPRESSED_BYTES). The same rows saved by Excel are far smaller; the
    # worker is given a higher limit so that the import itself is measured (the report says so).
    env.setdefault("LIANXI_IMPORT_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
    report["limit_note"] = env["LIANXI_IMPORT_MAX_UNCOMPRESSED_BYTES"]
    if connection.vendor == "sqlite":
        env["LIANXI_DB_PATH"] = str(connection.settings_dict["NAME"])
    t0 = time.perf_counter()
    job = jobs.enqueue(actor, "lists.import_needs", params={"conference": conference.pk},
                       payload=good.getvalue(), payload_name="needs.xlsx", title="导入需求清单（基准）")
    enqueued = time.perf_counter() - t0
    connection.close()  # the worker gets the database to itself, but for this process's polls
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "worker", "--batch", "--interval", "0.2",
                               "-v", "0"], env=env, cwd=ROOT)
    seen, last, state = [], None, None
    while True:
        # As the page reads it: the row, with the progress written beside it inside the transaction.
        polled = live_progress(Job.objects.defer("payload", "output", "result").get(pk=job.pk))
        row = (polled.state, polled.done, polled.total, polled.stage)
        now = time.perf_counter() - t0
        state = row[0]
        if row[:4] != last:
            seen.append((now, *row))
            last = row[:4]
        if state in (Job.State.SUCCEEDED, Job.State.FAILED):
            break
        if worker.poll() is not None and state != Job.State.SUCCEEDED:
            time.sleep(0.5)
            if Job.objects.get(pk=job.pk).state not in (Job.State.SUCCEEDED, Job.State.FAILED):
                raise SystemExit(f"the worker exited ({worker.returncode}) and the job is {state}")
        time.sleep(0.1)
    end_to_end = time.perf_counter() - t0
    worker.wait(timeout=120)
    import resource as res

    children = res.getrusage(res.RUSAGE_CHILDREN)
    worker_rss = children.ru_maxrss / 1024
    worker_cpu = children.ru_utime + children.ru_stime  # the worker and the segmenting processes it started
    job.refresh_from_db()
    after = counts()
    running = [t for t, st, *_ in seen if st == Job.State.RUNNING]
    # Up to the moment the job was seen finished: a silent insert at the end is a gap too.
    marks = running + ([seen[-1][0]] if seen and seen[-1][1] != Job.State.RUNNING else [])
    gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    first_running = running[0] if running else None
    report["job"] = {
        "state": job.state, "error": job.error, "enqueue": enqueued, "end_to_end": end_to_end,
        "run": (job.finished - job.started).total_seconds() if job.finished and job.started else None,
        "worker_start": first_running, "updates": len(running), "max_gap": max(gaps) if gaps else None,
        "stages": sorted({s for *_, s in seen if s}), "worker_rss": worker_rss, "worker_cpu": worker_cpu,
        "load_end": " ".join(f"{x:.2f}" for x in os.getloadavg()), "before": before, "after": after,
        "created": job.result.get("created"),
    }
    ok = job.state == Job.State.SUCCEEDED and after == (before[0] + rows, before[1] + rows)
    report["ok"] = ok
    j = report["job"]
    print(f"  enqueue {j['enqueue']:.2f} s; enqueue → done {j['end_to_end']:.2f} s (job's own run {j['run'] or 0:.2f} s; "
          f"first seen running at {j['worker_start'] or 0:.2f} s); progress seen {j['updates']} times while running, "
          f"longest gap {j['max_gap'] or 0:.2f} s; stages {', '.join(j['stages'])}; worker max RSS {j['worker_rss']:.0f} MB, CPU {j['worker_cpu']:.1f} s; "
          f"state {j['state']} {j['error']}; needs/audit rows {before} → {after}: {'ok' if ok else 'NO'}", flush=True)
    for t, st, done, total, stage in seen[:: max(1, len(seen) // 12)]:
        print(f"    {t:6.2f} s  {st:9s} {done:>7} / {total or '?'}  {stage}")


def job_markdown(report: dict) -> str:
    m, rows, j = report["machine"], report["rows"], report["job"]
    name = "postgresql" if report["where"].startswith("PostgreSQL") else "sqlite"
    start, end = markers(KIND, f"job-{name}")
    command = "bench/bench_import.py --job" + (" --postgres" if name == "postgresql" else "")
    gap = f"{j['max_gap']:.2f} s" if j["max_gap"] is not None else "—"
    return "\n".join([
        start, "", f"**As a background job** — measured {m['date']} with `.venv/bin/python {command}` on "
        f"{report['where'].split(' ')[0]}; `nproc` = {m['nproc']}, load average at start {m['load']} (a shared "
        "machine: other work ran beside it).", "",
        "| rows | enqueue s | enqueue → done s | job's own run s | worker first seen running s | worker CPU s | "
        "progress updates seen | longest gap between updates | worker max RSS MB | load at the end | result |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        f"| {rows:,} | {j['enqueue']:.2f} | {j['end_to_end']:.2f} | {j['run'] or 0:.2f} | {j['worker_start'] or 0:.2f} | "
        f"{j.get('worker_cpu', 0):.1f} | {j['updates']} | {gap} | {j['worker_rss']:.0f} | {j.get('load_end', '?')} | "
        f"{j['state']}, {j['created'] or 0:,} needs"
        f"{'' if report['ok'] else ' **check failed**'} |",
        "", "Targets: ≤ 30 s to the end, ≤ 500 MB, progress at least once a second. The page polls the same row "
        "(`done`, `total`, `stage`) once a second. The worker ran with "
        f"`LIANXI_IMPORT_MAX_UNCOMPRESSED_BYTES={report.get('limit_note')}`: the benchmark's inline-string file unpacks "
        "to ~106 MB, over the default 100 MB, and is refused at the upload check otherwise."
        + (f" Failed: {j['error']}" if j["error"] else ""), "", end])


def profile(rows: int, top: int):
    """cProfile of one import of ``rows`` rows (no file writing in the profile)."""
    fresh_database()
    conference, actor = build_world()
    good = build_file(conference, actor, rows, prefix="示例导入需求")
    from lianxi.lists.excel import import_needs

    prof = cProfile.Profile()
    prof.enable()
    result = import_needs(actor, good, conference=conference)
    prof.disable()
    print(f"  {rows:,} rows: ok {result.ok}, created {result.created:,}")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


# ---------------------------------------------------------------------------------------- report

def markdown(report: dict) -> str:
    m, rows = report["machine"], report["rows"]
    name = "postgresql" if report["where"].startswith("PostgreSQL") else "sqlite"
    start, end = markers(KIND, name)
    b, j, i = report["build"], report["reject"], report["import"]
    command = "bench/bench_import.py" + (" --postgres" if name == "postgresql" else "")
    out = [start, "", f"Measured {m['date']} with `.venv/bin/python {command}` on {report['where'].split(' ')[0]} — "
           f"`nproc` = {m['nproc']}, load average at start {m['load']}, Python {m['python']}.", "",
           f"{rows:,} rows; the file ({b['mb']:.1f} MB) was built in {b['wall']:.2f} s (CPU {b['cpu']:.2f} s). "
           f"Max RSS before the imports {report['rss_start']:.0f} MB (Django, the apps and their libraries).", "",
           "Phases are wall s (CPU s): reading the workbook (openpyxl), checking the rows (NeedForm), inserting "
           "(post_needs_bulk up to its commit), after-commit hooks (texts_saved: jieba segmentation for matching).",
           "",
           "| run | wall s | CPU s | rows/s | read | check | insert | after-commit | max RSS MB |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
           f"| rejected whole (bad rows {', '.join(f'{n:,}' for n in j['named'])}) | {j['wall']:.2f} | {j['cpu']:.2f} | "
           f"{rows / j['wall']:,.0f} | {wc(j['read'])} | {wc(j['check'])} | — | — | {j['maxrss']:.0f} |",
           f"| imported | {i['wall']:.2f} | {i['cpu']:.2f} | {rows / i['wall']:,.0f} | {wc(i['read'])} | "
           f"{wc(i['check'])} | {wc(i['insert'])} | {wc(i['hooks'])} | {i['maxrss']:.0f} |",
           "",
           f"CPU µs a row (import): {per_row_us(i, rows)}.",
           "",
           f"Rejected file: needs/audit rows {j['before']} before and {j['after']} after; errors: "
           + "; ".join(f"“{e}”" for e in j["errors"]) + f". Checks passed: {'yes' if report['ok'] else '**no**'}.",
           "", end]
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--postgres", action="store_true", help=f"run on PostgreSQL ({PG_URL} unless DATABASE_URL is set)")
    p.add_argument("--db", help="SQLite file (default: a temporary file, removed afterwards)")
    p.add_argument("--profile", action="store_true", help="print a cProfile of one import instead")
    p.add_argument("--top", type=int, default=35, help="functions shown by --profile")
    p.add_argument("--write-doc", action="store_true", help="write the results into docs/benchmarks.md")
    p.add_argument("--job", action="store_true", help="import the good file as a background job run by a real worker")
    args = p.parse_args(argv)

    if args.postgres:
        os.environ.setdefault("DATABASE_URL", PG_URL)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        ensure_pg_database(os.environ["DATABASE_URL"])
    report = {"machine": machine(), "rows": args.rows}  # before Django sets the process's time zone
    with sqlite_file(args.db, "lianxi-bench-import-") as db_path:
        django_setup(db_path)
        if args.profile:
            profile(args.rows, args.top)
            return
        m = report["machine"]
        print(f"{m['date']} · nproc {m['nproc']} · load {m['load']} · Python {m['python']}")
        if args.job:
            bench_job(report, args.rows)
            block = job_markdown(report)
            print("\n" + block)
            print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            if args.write_doc:
                write_doc(block, section=SECTION, kind=KIND,
                          name="job-postgresql" if report["where"].startswith("PostgreSQL") else "job-sqlite")
            if not report["ok"]:
                raise SystemExit(1)
            return
        bench(report, args.rows)
        block = markdown(report)
        print("\n" + block)
        if args.write_doc:
            write_doc(block, section=SECTION, kind=KIND,
                      name="postgresql" if report["where"].startswith("PostgreSQL") else "sqlite")
    if not report["ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
