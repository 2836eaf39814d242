"""Load benchmark: lianxi as users get it (``lianxi serve``, gunicorn) against a floor page, under wrk.

    .venv/bin/python bench/load.py                                   # city data, SQLite, 5 s a page
    .venv/bin/python bench/load.py --scale district -d 3s --only 单位  # quicker, a subset
    .venv/bin/python bench/load.py --pg                              # PostgreSQL (database lianxi_bench_load)

In one run it
1. builds (or reuses) generated data: ``lianxi generate --scale city --seed 1`` into ``--db``
   (or the PostgreSQL database of DATABASE_URL / ``--pg``);
2. logs four personas in and keeps their session cookies: a city administrator (管理员 of every
   district conference), a district secretariat (示例区01), a liaison (示例街道001) and an
   anonymous visitor;
3. starts ``lianxi serve`` (gunicorn, 2 workers) on a free loopback port, and the floor page
   (``bench/floor.py``: bare Django, a raw query of 50 rows out of 100,000, a minimal template)
   under gunicorn with the same workers and threads on another;
4. drives every list page, detail page, dashboard and API list of ``bench/run.py``'s list with
   ``wrk -t2 -c8 -d5s`` for each persona, and the floor page again every few pages (the machine is
   shared: each page is compared with the floor measured next to it);
5. prints req/s and p50/p95/p99 beside the floor's and the ratio, with the targets of issue 14
   (HTML list pages ≥ 0.25 × the floor's req/s, API lists ≥ 0.5 ×), and with ``--write-doc`` puts
   the table into docs/benchmarks.md ("## Load").

wrk comes from Debian (``apt-get install -y wrk``, done here when it is missing). Nothing leaves
127.0.0.1.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from common import machine, markers, write_doc  # noqa: E402

KIND = "load"
HTML_TARGET, API_TARGET = 0.25, 0.5
PERSONAS = ["市级管理员", "区秘书处", "联络员", "匿名"]
FLOOR_EVERY = 4  # pages between two floor measurements

LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\": %d, \"duration_us\": %d, \"p50\": %d, \"p95\": %d, \"p99\": %d, "
    .. "\"non2xx\": %d, \"errors\": %d, \"bytes\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", default="city")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--db", default="/tmp/lianxi-city.sqlite3", help="SQLite file (ignored with DATABASE_URL/--pg)")
    p.add_argument("--pg", action="store_true",
                   help="PostgreSQL: DATABASE_URL, or postgres://postgres@127.0.0.1:5432/lianxi_bench_load")
    p.add_argument("-d", "--duration", default="5s", help="wrk duration per page and persona (default 5s)")
    p.add_argument("-c", "--connections", type=int, default=8)
    p.add_argument("-t", "--threads", type=int, default=2)
    p.add_argument("--only", help="regular expression on the page label")
    p.add_argument("--personas", default=",".join(PERSONAS), help="comma-separated, from " + ",".join(PERSONAS))
    p.add_argument("--write-doc", action="store_true", help="write the table into docs/benchmarks.md")
    return p.parse_args(argv)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server for {url} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds} s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(url: str, cookie: str) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:  # timed out: the page is reported, not the run stopped
        return 0


def wrk(binary: str, url: str, cookie: str, args, script: str) -> dict:
    cmd = [binary, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}", "--timeout", "30s",
           "-s", script, url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
    except subprocess.TimeoutExpired:
        out = ""
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        return {"rps": 0.0, "p50": None, "p95": None, "p99": None, "non2xx": 0, "errors": -1, "raw": out[-400:]}
    r = json.loads(line[len("WRKJSON "):])
    r["rps"] = r["requests"] / max(r["duration_us"] / 1e6, 1e-9)
    for k in ("p50", "p95", "p99"):
        r[k] = r[k] / 1000.0  # µs → ms
    return r


def city_admin():
    """An administrator of every synthetic district conference (the top of each tree)."""
    from django.contrib.auth import get_user_model

    from lianxi.accounts.models import Grant
    from lianxi.registry.generate import synthetic_conferences

    user, created = get_user_model().objects.get_or_create(username="bench-city-admin")
    if created:
        user.set_unusable_password()
        user.save()
    for conf in synthetic_conferences().filter(parent__isnull=True):
        for role in (Grant.Role.ADMIN, Grant.Role.SECRETARIAT):
            Grant.objects.get_or_create(user=user, role=role, conference=conf, unit=None)
    return user


def cookies(users: dict) -> dict:
    """A session cookie per persona, from a real login (sessions are stored in the database, which the
    server shares)."""
    from django.conf import settings
    from django.test import Client

    out = {"匿名": ""}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        out[persona] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return out


def start(cmd: list[str], env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    # The server's log goes to a file: a pipe nobody reads fills up with one warning per 403 and
    # then blocks the server.
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def fmt(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def main(argv=None):
    args = parse_args(argv)
    # Stopped with kill: still stop the two servers (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.pg and not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/lianxi_bench_load"
    binary = ensure_wrk()
    facts = machine()
    import run as pages  # bench/run.py: data generation, users, the list of pages

    pages.setup(argparse.Namespace(db=args.db))
    from django.db import connection

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"{facts['date']} · nproc {facts['nproc']} · load {facts['load']} · {vendor} {connection.settings_dict['NAME']}")
    generation = pages.ensure_data(argparse.Namespace(scale=args.scale, seed=args.seed))
    bench_users = pages.ensure_users()
    users = {"市级管理员": city_admin(), "区秘书处": bench_users["bench-secretariat"],
             "联络员": bench_users["bench-liaison"]}
    personas = [p for p in args.personas.split(",") if p in PERSONAS]
    jar = cookies({p: u for p, u in users.items() if p in personas})
    endpoints = []
    seen = set()
    for ep in pages.endpoints(pages.samples()):
        key = (ep.label, ep.path, tuple(sorted(ep.params.items())))
        if ep.skip or key in seen or (args.only and not re.search(args.only, ep.label)):
            continue
        seen.add(key)
        endpoints.append(ep)
    connection.close()

    work = Path(tempfile.mkdtemp(prefix="lianxi-load-"))
    script = work / "report.lua"
    script.write_text(LUA, encoding="utf-8")
    floor_db = str(work / "floor.sqlite3")
    env = dict(os.environ, LIANXI_FLOOR_DB=floor_db, PYTHONPATH=str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        env["LIANXI_DB_PATH"] = str(Path(args.db).resolve())
    subprocess.run([sys.executable, "-c", "import bench.floor as f; f.build()"], env=env, cwd=ROOT, check=True)
    app_port, floor_port = free_port(), free_port()
    venv_bin = Path(sys.executable).parent
    lianxi_cmd = [str(venv_bin / "lianxi"), "serve", "--host", "127.0.0.1", "--port", str(app_port), "--workers", "2",
                  "--no-worker"]
    if not os.environ.get("DATABASE_URL"):
        lianxi_cmd += ["--db", str(Path(args.db).resolve())]
    floor_cmd = [sys.executable, "-m", "gunicorn", "bench.floor:application", "--bind", f"127.0.0.1:{floor_port}",
                 "--workers", "2", "--threads", "4"]
    procs = [start(lianxi_cmd, env, ROOT, work / "lianxi.log"), start(floor_cmd, env, ROOT, work / "floor.log")]
    base, floor_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{floor_port}/"
    rows = []
    try:
        wait_for(base + "/", procs[0])
        wait_for(floor_url, procs[1])
        # Warm both: each worker imports and fills its caches before anything is timed.
        wrk(binary, floor_url, "", argparse.Namespace(threads=2, connections=4, duration="1s"), str(script))
        wrk(binary, base + "/", "", argparse.Namespace(threads=2, connections=4, duration="1s"), str(script))
        floor_now = None
        for i, ep in enumerate(endpoints):
            if i % FLOOR_EVERY == 0:
                floor_now = wrk(binary, floor_url, "", args, str(script))
                print(f"floor page: {floor_now['rps']:.0f} req/s, p95 {fmt(floor_now['p95'])} ms", flush=True)
                rows.append({"label": "floor page", "persona": "—", "api": False, "status": 200, **floor_now})
            query = "&".join(f"{k}={urllib.parse.quote(str(v))}" for k, v in ep.params.items())
            url = base + ep.path + (("?" + query) if query else "")
            for persona in personas:
                status = status_of(url, jar[persona])
                r = wrk(binary, url, jar[persona], args, str(script))
                ratio = r["rps"] / floor_now["rps"] if floor_now["rps"] else 0.0
                target = API_TARGET if ep.api else HTML_TARGET
                row = {"label": ep.label, "persona": persona, "api": ep.api, "paginated": ep.paginated,
                       "status": status, "ratio": ratio, "floor_rps": floor_now["rps"], "target": target, **r}
                rows.append(row)
                print(f"{ep.label}（{persona}）{status}: {r['rps']:.1f} req/s, p50 {fmt(r['p50'])} p95 {fmt(r['p95'])} "
                      f"p99 {fmt(r['p99'])} ms — {ratio:.2f} × floor", flush=True)
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(work, ignore_errors=True)
        # What was measured is printed even when the run stops early.
        block = markdown(rows, facts, vendor, args, generation)
        print("\n" + block)
    if args.write_doc:
        write_doc(block, section="## Load", kind=KIND, name=f"{vendor.lower()}-{args.scale}")


def markdown(rows, facts, vendor, args, generation) -> str:
    start_m, end_m = markers(KIND, f"{vendor.lower()}-{args.scale}")
    floors = [r["rps"] for r in rows if r["label"] == "floor page"]
    out = [start_m, "",
           f"Measured {facts['date']} with `.venv/bin/python bench/load.py --scale {args.scale}"
           f"{' --pg' if vendor == 'PostgreSQL' else ''} -d {args.duration}` — {vendor}, `nproc` = {facts['nproc']}, "
           f"load average at start {facts['load']} (the machine is shared with other work: the floor page is "
           f"re-measured every {FLOOR_EVERY} pages and each page is compared with the floor measured next to it). "
           f"wrk -t{args.threads} -c{args.connections} -d{args.duration}; `lianxi serve` and the floor page each "
           f"gunicorn with 2 workers × 4 threads. Floor page: {min(floors):.0f}–{max(floors):.0f} req/s over the run."
           if floors else "", "",
           "A list page meets its target at ≥ 0.25 × the floor's req/s (API lists ≥ 0.5 ×); *status* is the first "
           "response without following redirects (302: the anonymous visitor is sent to log in).", "",
           "| page | persona | status | req/s | p50 ms | p95 ms | p99 ms | × floor | target |",
           "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if r["label"] == "floor page":
            out.append(f"| *floor page* | | 200 | {r['rps']:.0f} | {fmt(r['p50'])} | {fmt(r['p95'])} | {fmt(r['p99'])} | 1 | |")
            continue
        if r["status"] != 200:
            verdict = "(no page: login or refusal)"
        elif r.get("paginated"):
            verdict = "met" if r["ratio"] >= r["target"] else f"**missed** (≥ {r['target']})"
        else:
            verdict = ""
        out.append(f"| {r['label']} | {r['persona']} | {r['status']} | {r['rps']:.1f} | {fmt(r['p50'])} | "
                   f"{fmt(r['p95'])} | {fmt(r['p99'])} | {r['ratio']:.2f} | {verdict} |")
    out += ["", end_m]
    return "\n".join(out)


if __name__ == "__main__":
    main()
