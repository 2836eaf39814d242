"""kill -9 of a process that segments texts in a pool leaves no worker, fork server or tracker."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    import django
    django.setup()
    from lianxi.matching import scoring
    scoring.PARALLEL_FROM = 1
    if sys.argv[1] == "forkserver":
        # Another thread running makes features_many use a fork server, as in a threaded server.
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    texts = ["社区需要志愿者开展助老服务和文化活动 %d" % i for i in range(400_000)]
    scoring.features_many(texts, workers=2)
""")


def _parents() -> dict[int, int]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                out[int(entry.name)] = int(fields[1])
    return out


def _descendants(root: int) -> set[int]:
    parents = _parents()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
@pytest.mark.parametrize("mode", ["fork", "forkserver"])
def test_pool_processes_die_with_their_killed_parent(mode, tmp_path):
    env = {**os.environ, "LIANXI_DB_PATH": str(tmp_path / "db.sqlite3")}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, mode], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        children: set[int] = set()
        # Workers (and, for a fork server, the server and the resource tracker) are up.
        while time.monotonic() < deadline and len(children) < (4 if mode == "forkserver" else 2):
            assert proc.poll() is None, proc.stderr.read().decode()
            children = _descendants(proc.pid)
            time.sleep(0.2)
        assert len(children) >= 2, f"the pool never started: {children}"
        time.sleep(1.5)  # the workers have run their initializer and are working
        children = _descendants(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and children & set(_parents()):
        time.sleep(0.1)
    left = children & set(_parents())
    for pid in left:  # don't leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == set(), f"{len(left)} of {len(children)} child processes outlived their killed parent"
