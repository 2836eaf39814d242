"""Page and API benchmark on synthetic city-scale data (issue 2 "Speed", issue 3 "list pages").

    .venv/bin/python bench/run.py --scale city --db /tmp/lianxi-city.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxi_bench .venv/bin/python bench/run.py --scale city

Generates the data once (``lianxi generate``; reused when present; a missing PostgreSQL database is
created), then drives every main page and API list in-process with the Django test client, as a
logged-in secretariat/administrator of one district conference and as an anonymous visitor. For each
it reports p50/p95 server time over N requests, the queries per request at page sizes 20/50/100 (the
count must not grow with the page size), and the raw SQL time: the same queries with the same
parameters executed directly and fetched, without ORM, views or templates. URLs are found by reversing
their names; the ones not built yet are skipped with a note. Results go to bench/results/*.json and
into the "## Machine" and "## Pages and API" sections of docs/benchmarks.md, other sections untouched.
"""

import argparse
import datetime
import gc
import io
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
TARGET_MS = 50.0


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", default="city", help="generate scale (default city)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--db", default="/tmp/lianxi-city.sqlite3", help="SQLite file (ignored when DATABASE_URL is set)")
    p.add_argument("-n", "--requests", type=int, default=40, help="timed requests per page and page size")
    p.add_argument("--sizes", default="20,50,100", help="page sizes to compare (the middle one is the headline)")
    p.add_argument("--only", help="regular expression: measure only the endpoints whose label matches")
    p.add_argument("--no-write", action="store_true", help="print only; don't touch bench/results or docs")
    return p.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# Environment


def setup(args):
    if not os.environ.get("DATABASE_URL"):
        os.environ["LIANXI_DB_PATH"] = str(Path(args.db).resolve())
    os.environ.setdefault("LIANXI_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    if os.environ.get("DATABASE_URL"):
        ensure_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        print("注意：LIANXI_DEBUG 已开启，计时会偏高。", file=sys.stderr)


def ensure_postgres_database(url: str):
    """Create the benchmark database when it is missing (never touches another database)."""
    from urllib.parse import unquote, urlparse

    import psycopg

    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    if name in ("", "postgres", "test", "template0", "template1"):
        raise SystemExit(f"refusing to benchmark in database {name!r}: use a dedicated one, e.g. lianxi_bench")
    conninfo = dict(host=parsed.hostname, port=parsed.port or 5432, user=unquote(parsed.username or ""),
                    password=unquote(parsed.password or "") or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**conninfo) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            print(f"创建 PostgreSQL 数据库 {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_data(args) -> dict:
    """Run ``generate`` (a no-op when this scale and seed are already there) and report what it did."""
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command("generate", "--scale", args.scale, "--seed", str(args.seed), stdout=out)
    text = out.getvalue()
    print(text.rstrip())
    generated = "无需再生成" not in text
    return {"generated_now": generated, "seconds": round(time.perf_counter() - started, 1) if generated else None,
            "steps": step_seconds(text)}


def step_seconds(log: str) -> dict:
    """``{step: seconds}`` from the lines ``[generate_x] 完成，用时 12.3 s`` of a generate run."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"\[(\w+)\] 完成，用时 ([0-9.]+) s", log)}


def ensure_users():
    """One administrator+secretariat of the first district conference, one liaison of a street unit.
    No password: the benchmark logs them in with force_login."""
    from django.contrib.auth import get_user_model

    from lianxi.accounts.models import Grant
    from lianxi.registry.generate import top_conference
    from lianxi.registry.models import Unit

    User = get_user_model()
    district = top_conference()
    street = Unit.objects.get(name="示例街道001")
    users = {}
    for username, grants in [
        ("bench-secretariat", [(Grant.Role.ADMIN, district, None), (Grant.Role.SECRETARIAT, district, None)]),
        ("bench-liaison", [(Grant.Role.LIAISON, None, street), (Grant.Role.STREET, None, street)]),
    ]:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save()
        for role, conference, unit in grants:
            Grant.objects.get_or_create(user=user, role=role, conference=conference, unit=unit)
        users[username] = user
    return users


# ---------------------------------------------------------------------------------------------
# What to measure


@dataclass
class Endpoint:
    label: str
    who: str  # 秘书处 / 联络员 / 匿名
    path: str | None
    params: dict = field(default_factory=dict)
    paginated: bool = False
    api: bool = False
    skip: str = ""  # why it was not measured


def samples() -> dict:
    """Objects the detail pages open: chosen as the heavy ones (most members, most posts …)."""
    from django.db.models import Count, Q

    from lianxi.meetings.models import Meeting
    from lianxi.projects.models import Project
    from lianxi.registry.generate import synthetic_conferences, top_conference
    from lianxi.registry.models import Appointment, Person, Unit

    district = top_conference()
    big = synthetic_conferences().annotate(n=Count("memberships", filter=Q(memberships__end__isnull=True))).order_by(
        "-n", "id").first()
    street = Unit.objects.get(name="示例街道001")
    leader_id = (Appointment.objects.filter(person__isnull=False).values("person_id").annotate(n=Count("id"))
                 .order_by("-n", "person_id").values_list("person_id", flat=True).first())
    meeting = Meeting.objects.filter(conference=district, kind=Meeting.Kind.PLENARY).order_by("-date").first()
    project = (Project.objects.filter(conference=district, kind=Project.Kind.BRAND).annotate(n=Count("partner_units"))
               .order_by("-year", "-n", "id").first())
    ordinary = Unit.objects.filter(name__startswith="示例单位").order_by("name")[500]
    return {"district": district, "big": big, "street": street, "person": Person.objects.get(pk=leader_id),
            "meeting": meeting, "project": project, "unit": ordinary}


def endpoints(s) -> list[Endpoint]:
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    def page(label, name, args=(), params=None, who=("秘书处", "匿名"), paginated=False):
        try:
            path = reverse(name, args=args)
            skip = ""
        except NoReverseMatch:
            path, skip = None, f"URL 名称 {name} 尚不存在"
        return [Endpoint(f"{label}", w, path, params or {}, paginated, False, skip) for w in who]

    def api(label, path, params=None, who=("秘书处", "匿名"), paginated=True):
        try:
            resolve(path)
            skip = ""
        except Resolver404:
            skip = f"接口 {path} 尚不存在"
        return [Endpoint(label, w, path, params or {}, paginated, True, skip) for w in who]

    d, big, unit, street = s["district"].pk, s["big"].pk, s["unit"], s["street"]
    insider = ("秘书处",)
    out = []
    out += page("联席会议树", "registry:conference_list")
    out += page(f"联席会议首页（区级 {s['district'].short_name}）", "registry:conference_detail", [d])
    out += page(f"联席会议首页（成员最多 {s['big'].short_name}）", "registry:conference_detail", [big])
    out += page("单位列表", "registry:unit_list", paginated=True)
    out += page("单位列表·中文搜索“科技公司”", "registry:unit_list", params={"q": "科技公司"}, paginated=True)
    out += page("单位列表·中文搜索（罕见）", "registry:unit_list", params={"q": unit.name[:10]}, paginated=True)
    out += page("单位列表·拼音首字母“kjgs”", "registry:unit_list", params={"q": "kjgs"}, paginated=True)
    out += page("单位列表·类别“新社会组织”", "registry:unit_list", params={"category": "new_social"}, paginated=True)
    out += page("单位列表·按联席会议", "registry:unit_list", params={"conference": big}, paginated=True)
    out += page(f"单位详情（{street.name}）", "registry:unit_detail", [street.pk])
    out += page("单位详情（普通单位）", "registry:unit_detail", [unit.pk])
    out += page("人员列表", "registry:person_list", who=insider, paginated=True)
    out += page("人员列表·搜索", "registry:person_list", params={"q": "示例人员0012"}, who=insider, paginated=True)
    out += page("人员详情（任职最多）", "registry:person_detail", [s["person"].pk], who=insider)
    out += page("职务（区级）", "registry:posts", [d], who=insider, paginated=True)
    out += page("常任轮值（区级）", "registry:rotation", [d], who=insider)
    out += page("会议列表", "meetings:meeting_list", paginated=True)
    out += page("会议列表·按联席会议", "meetings:meeting_list", params={"conference": d}, paginated=True)
    out += page("会议详情（区级全体会议）", "meetings:meeting_detail", [s["meeting"].pk])
    out += page("项目列表", "projects:project_list", paginated=True)
    out += page("项目列表·品牌项目", "projects:project_list", params={"kind": "brand"}, paginated=True)
    out += page("项目列表·搜索“为老服务”", "projects:project_list", params={"q": "为老服务"}, paginated=True)
    out += page("项目详情（品牌项目）", "projects:project_detail", [s["project"].pk])
    out += page("认领大厅", "lists:hall", paginated=True)
    out += page("清单总览", "lists:overview", who=insider, paginated=True)
    out += page("联络员收件箱", "lists:inbox", who=("联络员",), paginated=True)
    out += api("API 联席会议", "/api/v1/conferences")
    out += api("API 单位", "/api/v1/units")
    out += api("API 单位·搜索", "/api/v1/units", params={"q": "科技公司"})
    out += api("API 人员", "/api/v1/people", who=insider)
    out += api("API 会议", "/api/v1/meetings")
    out += api("API 会议详情", f"/api/v1/meetings/{s['meeting'].pk}", paginated=False)
    out += api("API 项目", "/api/v1/projects")
    out += api("API 需求", "/api/v1/needs")
    out += api("API 资源", "/api/v1/resources")
    return out


# ---------------------------------------------------------------------------------------------
# Measuring


class PageSize:
    """Make every view's ``paginate`` use one page size (views import it by name), and remember how
    many rows the last page held."""

    def __init__(self):
        import lianxi.lib.pagination as pagination

        self.original = pagination.paginate
        self.rows = None
        self.size = None
        self.modules = []
        for name, module in list(sys.modules.items()):
            if name.startswith("lianxi.") and getattr(module, "paginate", None) is self.original:
                self.modules.append(module)

    def set(self, size):
        self.size = size
        original = self.original

        def paginate(request, queryset, per_page=None, **kwargs):
            page = original(request, queryset, per_page=size if size else (per_page or 50), **kwargs)
            self.rows = len(page.object_list)
            return page

        for module in self.modules:
            module.paginate = paginate if size else original


def percentile(values, p):
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_sql(queries, repeat=5):
    """Execute the captured SELECTs directly and fetch every row: median total and slowest query."""
    from django.db import connection

    selects = [(sql, params) for sql, params, many in queries if not many and sql.lstrip().upper().startswith(
        ("SELECT", "WITH"))]
    totals, per_query = [], [[] for _ in selects]
    for _ in range(repeat):
        total = 0.0
        for k, (sql, params) in enumerate(selects):
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                elapsed = time.perf_counter() - started
            per_query[k].append(elapsed)
            total += elapsed
        totals.append(total)
    if not selects:
        return 0.0, 0.0, ""
    medians = [statistics.median(t) for t in per_query]
    slowest = max(range(len(selects)), key=medians.__getitem__)
    return statistics.median(totals) * 1000, medians[slowest] * 1000, selects[slowest]


def explain(sql, params) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"{'  ' * (r[1] != 0)}{r[-1]}" for r in rows)
    return "\n".join(r[0] for r in rows)


def interpolate(sql, params) -> str:
    """The SQL with its parameters inlined, for reading (not for running)."""
    out = sql
    for value in params or ():
        text = "'" + str(value).replace("'", "''") + "'" if isinstance(value, str) else str(value)
        out = out.replace("%s", text, 1)
    return out


def measure(client, ep: Endpoint, sizes, n, pager: PageSize) -> dict:
    from django.db import connection

    result = {"label": ep.label, "who": ep.who, "path": ep.path, "params": ep.params, "sizes": {}}
    variants = sizes if ep.paginated else [None]
    for size in variants:
        params = dict(ep.params)
        if ep.api and size:
            params["page_size"] = size
        pager.set(size if (size and not ep.api) else None)
        pager.rows = None
        try:
            for _ in range(2):
                response = client.get(ep.path, params)
            captured = []

            def wrapper(execute, sql, sql_params, many, context, _captured=captured):
                _captured.append((sql, sql_params, many))
                return execute(sql, sql_params, many, context)

            with connection.execute_wrapper(wrapper):
                response = client.get(ep.path, params)
            status = response.status_code
            rows = pager.rows
            if ep.api and status == 200:
                body = response.json()
                rows = len(body["items"]) if isinstance(body, dict) and "items" in body else None
            gc.collect()
            times = []
            for _ in range(n):
                started = time.perf_counter()
                client.get(ep.path, params)
                times.append((time.perf_counter() - started) * 1000)
            sql_ms, slowest_ms, slowest = run_sql(captured)
            entry = {
                "status": status, "rows": rows, "queries": len(captured), "p50": percentile(times, 50),
                "p95": percentile(times, 95), "sql_ms": sql_ms, "slowest_ms": slowest_ms,
                "bytes": len(response.content),
            }
            if slowest:
                entry["slowest_sql"] = interpolate(*slowest)[:4000]
                entry["_slowest"] = slowest
        except Exception as exc:  # a page being written elsewhere may still be broken: report it
            entry = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
        result["sizes"][str(size or "-")] = entry
    pager.set(None)
    return result


def headline(result, sizes) -> dict:
    entries = result["sizes"]
    key = str(sizes[len(sizes) // 2]) if str(sizes[len(sizes) // 2]) in entries else next(iter(entries))
    return entries[key]


def verdict(result, sizes) -> str:
    entries = [e for e in result["sizes"].values()]
    if any(e.get("status") != 200 for e in entries):
        return "错误"
    counts = [e["queries"] for e in entries]
    notes = []
    if len(set(counts)) > 1:
        notes.append("查询数随页大小增长")
    if max(e["p95"] for e in entries) > TARGET_MS:
        notes.append(f"p95 > {TARGET_MS:.0f} ms")
    return "；".join(notes) or "达标"


def fmt(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def print_table(results, sizes):
    head = f"{'页面/接口':<34}{'身份':<6}{'状态':>5}{'行':>5}  {'查询数 ' + '/'.join(map(str, sizes)):<16}" \
           f"{'p50':>8}{'p95':>8}{'p95@max':>9}{'SQL':>8}{'最慢SQL':>9}  结论"
    print(head)
    for r in results:
        if r.get("skip"):
            print(f"{r['label']:<34}{r['who']:<6}  跳过：{r['skip']}")
            continue
        h = headline(r, sizes)
        if h.get("status") != 200:
            print(f"{r['label']:<34}{r['who']:<6}{str(h.get('status')):>5}  {h.get('error', '')}")
            continue
        counts = "/".join(str(e.get("queries", "?")) for e in r["sizes"].values())
        last = list(r["sizes"].values())[-1]
        print(f"{r['label']:<34}{r['who']:<6}{h['status']:>5}{h['rows'] if h['rows'] is not None else '—':>5}  "
              f"{counts:<16}{fmt(h['p50']):>8}{fmt(h['p95']):>8}{fmt(last.get('p95')):>9}{fmt(h['sql_ms']):>8}"
              f"{fmt(h['slowest_ms']):>9}  {verdict(r, sizes)}")


# ---------------------------------------------------------------------------------------------
# Reporting


def machine() -> dict:
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
        except Exception:  # noqa: BLE001 - a missing tool leaves the field empty
            return ""

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            db_version = "SQLite " + cursor.fetchone()[0]
        else:
            cursor.execute("show server_version")
            db_version = "PostgreSQL " + cursor.fetchone()[0]
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": sh("nproc"),
        "cpu": sh("lscpu | grep 'Model name'").split(":", 1)[-1].strip(),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": db_version,
        # Other work on the machine inflates the figures: recorded so a reader can judge.
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def counts() -> dict:
    from lianxi.meetings.models import AgendaItem, Meeting
    from lianxi.projects.models import Project
    from lianxi.registry.models import Appointment, Conference, Membership, Person, Unit

    out = {"联席会议": Conference.objects.count(), "单位": Unit.objects.count(), "成员资格": Membership.objects.count(),
           "人员": Person.objects.count(), "任职": Appointment.objects.count(), "会议": Meeting.objects.count(),
           "议程": AgendaItem.objects.count(), "项目": Project.objects.count()}
    try:
        from lianxi.lists.models import Claim, Need, Resource

        out.update({"需求": Need.objects.count(), "资源": Resource.objects.count(), "认领": Claim.objects.count()})
    except Exception:  # noqa: BLE001 - the lists app may not exist yet
        pass
    return out


def save(results, missed, args, sizes, generation):
    """Write bench/results/pages-<vendor>.json; a run with --only updates just what it measured."""
    from django.db import connection

    path = RESULTS / f"pages-{connection.vendor}.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    clean = [{**r, "sizes": {k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")}
                             for k, v in r.get("sizes", {}).items()}} for r in results]
    if args.only and previous.get("results"):
        measured = {(r["label"], r["who"]) for r in clean}
        order = {(r["label"], r["who"]): k for k, r in enumerate(previous["results"])}
        clean = [r for r in previous["results"] if (r["label"], r["who"]) not in measured] + clean
        clean.sort(key=lambda r: order.get((r["label"], r["who"]), len(order)))
        missed = [m for m in previous.get("misses", []) if (m["label"], m["who"]) not in measured] + missed
    data = {
        "machine": machine(), "scale": args.scale, "seed": args.seed, "requests": args.requests, "sizes": sizes,
        "counts": counts(), "results": clean, "misses": missed,
        "generation": generation if generation["generated_now"] else previous.get("generation", generation),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def misses(results, sizes):
    """The endpoints that miss the target, with the plan of their slowest query."""
    out = []
    for r in results:
        if r.get("skip") or verdict(r, sizes) in ("达标",):
            continue
        h = headline(r, sizes)
        slowest = h.get("_slowest")
        plan = ""
        if slowest:
            try:
                plan = explain(*slowest)
            except Exception as exc:  # noqa: BLE001
                plan = f"(EXPLAIN failed: {exc})"
        out.append({"label": r["label"], "who": r["who"], "verdict": verdict(r, sizes),
                    "slowest_ms": h.get("slowest_ms"), "sql": h.get("slowest_sql", ""), "plan": plan})
    return out


def render_doc():
    """Rewrite this benchmark's two sections of docs/benchmarks.md from bench/results/*.json."""
    data = {}
    for vendor in ("sqlite", "postgresql"):
        path = RESULTS / f"pages-{vendor}.json"
        if path.exists():
            data[vendor] = json.loads(path.read_text(encoding="utf-8"))
    if not data:
        return
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    first = next(iter(data.values()))
    m = first["machine"]
    machine_md = [
        "## Machine", "",
        f"- CPU: {m['cpu']} × {m['nproc']} (`nproc`)",
        f"- Memory: {m['memory']}",
        f"- Python {m['python']}, Django {m['django']}",
    ]
    for vendor, d in data.items():
        machine_md.append(f"- {names[vendor]}: {d['machine']['database']}, measured {d['machine']['date']} "
                          f"(load average 1/5/15 min at the end: {d['machine'].get('load', '?')})")
    machine_md.append("")

    sizes = first["sizes"]
    mid = str(sizes[len(sizes) // 2])
    lines = ["## Pages and API", ""]
    for vendor, d in data.items():
        lines.append(f"Synthetic data `lianxi generate --scale {d['scale']} --seed {d['seed']}` on {names[vendor]}: "
                     + "，".join(f"{k} {v:,}" for k, v in d["counts"].items()) + ".")
        lines.append("")
    for vendor, d in data.items():
        g = d.get("generation") or {}
        if g.get("steps"):
            steps = ", ".join(f"`{k}` {v:.0f} s" for k, v in g["steps"].items())
            lines.append(f"Generating it on {names[vendor]}: {steps} (bulk inserts in one transaction per run, "
                         f"then ANALYZE{' — ' + g['note'] if g.get('note') else ''}).")
            lines.append("")
    lines += [
        "",
        "How: `bench/run.py` drives each page in-process with the Django test client (no network), after two "
        f"warm-up requests, {first['requests']} timed requests per page and page size. *Server time* is the whole "
        "Django request (middleware, view, template). *Queries* are counted at page sizes "
        f"{'/'.join(map(str, sizes))} (pages: every view's `paginate` forced to that size; API: `page_size`); a "
        "constant count means no query per row. *SQL* is the raw time of the same queries with the same "
        "parameters, executed directly and fetched (median of 5), so server time − SQL ≈ Python time. "
        f"Headline figures are at page size {mid}. Target: p95 ≤ {TARGET_MS:.0f} ms, constant query count. "
        "秘书处 = a user with administrator and secretariat grants on 示例区01; 匿名 = not logged in.",
        "",
    ]
    header = "| Page / API | who | queries " + "/".join(map(str, sizes)) + " |"
    align = "|---|---|---|"
    for vendor in data:
        header += f" {names[vendor]} p50 ms | p95 ms | SQL ms |"
        align += "---:|---:|---:|"
    lines += [header, align]
    keyed = {v: {(r["label"], r["who"]): r for r in d["results"]} for v, d in data.items()}
    order = []
    for d in data.values():
        for r in d["results"]:
            if (r["label"], r["who"]) not in order:
                order.append((r["label"], r["who"]))
    verdicts = []
    for key in order:
        row_counts, cells = None, ""
        for vendor in data:
            r = keyed[vendor].get(key)
            if r is None or r.get("skip"):
                cells += " — | — | — |"
                continue
            entries = r["sizes"]
            h = entries.get(mid) or next(iter(entries.values()))
            if h.get("status") != 200:
                cells += f" {h.get('status')} | | |"
                continue
            qc = "/".join(str(e.get("queries", "?")) for e in entries.values())
            row_counts = qc if row_counts in (None, qc) else f"{row_counts} ({names[vendor]} {qc})"
            p95 = h["p95"]
            flag = " ⚠" if p95 > TARGET_MS else ""
            cells += f" {h['p50']:.1f} | {p95:.1f}{flag} | {h['sql_ms']:.1f} |"
            v = verdict({"sizes": entries}, sizes)
            if v != "达标":
                verdicts.append((key, names[vendor], v, h))
        skip = next((keyed[v][key]["skip"] for v in data if key in keyed[v] and keyed[v][key].get("skip")), "")
        label = key[0] + (f"（未测：{skip}）" if skip and row_counts is None else "")
        lines.append(f"| {label} | {key[1]} | {row_counts or '—'} |{cells}")
    lines.append("")
    if verdicts:
        lines += ["Misses (⚠): see “Misses” below for the slowest query and its plan.", ""]
    miss_md = []
    for vendor, d in data.items():
        seen = set()
        for miss in d.get("misses", []):
            sql = shorten_sql(miss["sql"])
            if miss["label"] in seen or sql in seen or not sql or (miss.get("slowest_ms") or 0) < 10:
                continue  # one entry per page; pages whose time is not in SQL are explained above
            seen |= {miss["label"], sql}
            plan = "\n".join(shorten_sql(line) for line in miss["plan"].splitlines()[:16])
            miss_md += [f"<details><summary>{miss['label']} ({miss['who']}, {names[vendor]}): slowest query "
                        f"{fmt(miss['slowest_ms'])} ms</summary>", "", "```sql", sql, "```", "", "```", plan, "```",
                        "", "</details>", ""]
    lines += fixes_md(names)
    if miss_md:
        lines += ["### Misses: the slowest query of each page that misses, and its plan", "", *miss_md]
    write_sections(machine_md, lines)


def fixes_md(names) -> list[str]:
    """The hand-written analysis (bench/analysis.md) and the before/after table of bench/fixes.py."""
    out = []
    analysis = ROOT / "bench" / "analysis.md"
    if analysis.exists():
        out += [analysis.read_text(encoding="utf-8").rstrip(), ""]
    data = {}
    for vendor in ("sqlite", "postgresql"):
        path = RESULTS / f"fixes-{vendor}.json"
        if path.exists():
            data[vendor] = json.loads(path.read_text(encoding="utf-8"))
    if not data:
        return out
    out += ["### The fixes, measured", "",
            "`bench/fixes.py` times each slow query as the page runs it today and as proposed (proposed indexes "
            "are created in a transaction that is rolled back). Median of 7 runs, ORM included, ms.", ""]
    header, align = "| query |", "|---|"
    for vendor in data:
        header += f" {names[vendor]} before | after |"
        align += "---:|---:|"
    out += [header, align]
    labels = []
    for d in data.values():
        for c in d["cases"]:
            if c["label"] not in labels:
                labels.append(c["label"])
    for label in labels:
        row = f"| {label} |"
        for d in data.values():
            c = next((c for c in d["cases"] if c["label"] == label), None)
            row += f" {c['before']:.1f} | {c['after']:.1f} |" if c else " — | — |"
        out.append(row)
    out.append("")
    return out


def shorten_sql(sql: str) -> str:
    """Readable in a document: long id lists and column lists elided."""
    sql = re.sub(r"\((\d+, ){8,}\d+\)", "(…ids…)", sql)
    sql = re.sub(r"'\{(\d+,){8,}\d+\}'", "'{…ids…}'", sql)
    sql = re.sub(r"SELECT (DISTINCT )?(\"\w+\"\.\"\w+\"(?: AS \"\w+\")?, ){4,}", r"SELECT \1…, ", sql)
    return sql[:900]


def write_sections(*sections):
    """Replace (or append) the given "## …" sections of docs/benchmarks.md; keep every other section."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\nMeasured figures, with machine and date.\n"
    parts = re.split(r"(?m)^(?=## )", text)
    head, body = parts[0], parts[1:]
    for section in sections:
        title = section[0]
        new = "\n".join(section).rstrip() + "\n\n"
        for k, part in enumerate(body):
            if part.splitlines()[0].strip() == title:
                body[k] = new
                break
        else:
            body.append(new)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text((head.rstrip() + "\n\n" + "".join(body)).rstrip() + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    setup(args)
    from django.db import connection
    from django.test import Client

    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    generation = ensure_data(args)
    users = ensure_users()
    clients = {"匿名": Client(), "秘书处": Client(), "联络员": Client()}
    clients["秘书处"].force_login(users["bench-secretariat"])
    clients["联络员"].force_login(users["bench-liaison"])
    todo = endpoints(samples())
    pager = PageSize()  # after endpoints(): reversing the URLs has imported every views module
    if args.only:
        todo = [ep for ep in todo if re.search(args.only, ep.label)]
    results = []
    for ep in todo:
        if ep.skip:
            print(f"跳过 {ep.label}（{ep.who}）：{ep.skip}")
            results.append({"label": ep.label, "who": ep.who, "skip": ep.skip, "sizes": {}})
            continue
        print(f"… {ep.label}（{ep.who}）", end="\r", flush=True)
        results.append(measure(clients[ep.who], ep, sizes, args.requests, pager))
    print()
    print_table(results, sizes)
    missed = misses(results, sizes)
    if args.no_write:
        for miss in missed:
            print(f"\n{miss['label']}（{miss['who']}）{miss['verdict']}\n{miss['sql'][:800]}\n{miss['plan']}")
        return
    path = save(results, missed, args, sizes, generation)
    render_doc()
    print(f"\n结果已写入 {path.relative_to(ROOT)} 和 {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
