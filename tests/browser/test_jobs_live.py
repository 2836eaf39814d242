"""A long import as users see it, against a real server and a real job worker (separate processes
on a temporary SQLite file, as `lianxi serve` runs them): a 20,000-row needs file is uploaded, the
progress bar advances without a page reload, and the result is shown; then a second upload's
worker is killed mid-import (kill -9): nothing is saved, the job is marked failed with its
reason, and pressing 重试 with a worker running again completes it."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser]

ROWS = 20_000

SEED = r'''
import datetime, io, os, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from lianxi.accounts.models import Grant
from lianxi.lists import excel
from lianxi.registry.models import Area, Conference, Unit
from lianxi.registry.services import admit_unit, create_area, create_conference, create_unit
district = create_area(None, name="示例任务区", kind=Area.Kind.DISTRICT)
street = create_area(None, name="示例任务街道", kind=Area.Kind.STREET, parent=district)
conf = create_conference(None, name="示例任务区区域化党建联席会议", kind=Conference.Kind.DISTRICT, area=district)
unit = create_unit(None, name="示例任务街道", category=Unit.Category.STREET, area=street)
admit_unit(None, unit=unit, conference=conf, start=datetime.date(2020, 1, 1))
user = get_user_model().objects.create_user("jobs-secretariat", password="jobs-password-1")
Grant.objects.create(user=user, role=Grant.Role.SECRETARIAT, conference=conf)
for name, prefix in (("first.xlsx", "示例任务需求甲"), ("second.xlsx", "示例任务需求乙")):
    wb = excel.need_template(conf, user)
    ws = wb["数据"]
    ws.delete_rows(2, ws.max_row)
    for i in range(int(sys.argv[2])):
        ws.append(["示例任务街道", f"{prefix}{i:05d}", "", "为老服务", "示例任务街道", 2, "人", "", None, "一般",
                   "", "", None, None])
    wb.save(os.path.join(sys.argv[1], name))
print(conf.pk)
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count(db: str, prefix: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM lists_need WHERE title LIKE ?", [prefix + "%"]).fetchone()[0]


def _worker(env):
    return subprocess.Popen([sys.executable, "-m", "lianxi.cli", "worker", "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _progress_values(page, until_text: str, timeout: float) -> list[tuple[str, int]]:
    """Read the progress bar and the step it is on (``第 2/3 步：保存``) until ``until_text`` shows,
    without reloading the page."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.get_by_text(until_text).count():
            return seen
        bar = page.locator("#job-status progress[value]")
        if bar.count():
            value = int(bar.first.get_attribute("value") or 0)
            text = page.locator("#job-status p").first.inner_text()
            step = text.split("·", 1)[1].strip() if "·" in text else ""
            if not seen or (step, value) != seen[-1]:
                seen.append((step, value))
        time.sleep(0.3)
    raise AssertionError(f"'{until_text}' not shown within {timeout} s; progress seen: {seen}")


def test_progress_kill_and_retry(chromium, tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("uses its own SQLite file whatever the suite's database: run once, in the SQLite pass")
    db = str(tmp_path / "jobs.sqlite3")
    env = {**os.environ, "LIANXI_DB_PATH": db, "LIANXI_SECRET_KEY": "jobs-live-test-key", "LIANXI_TESTING": "false",
           "DJANGO_SETTINGS_MODULE": "lianxi.settings", "PYTHONPATH": os.getcwd()}
    env.pop("DATABASE_URL", None)
    env.pop("LIANXI_TEST_DB_NAME", None)
    subprocess.run([sys.executable, "-m", "lianxi.cli", "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", SEED, str(tmp_path), str(ROWS)], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "lianxi.cli", "serve", "--port", str(port), "--workers", "1",
                               "--no-worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = _worker(env)
    base = f"http://127.0.0.1:{port}"
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", "jobs-secretariat")
        page.fill("input[name=password]", "jobs-password-1")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

        # 1. A 20,000-row file: the bar advances on the same page, then the result.
        page.goto(f"{base}/lists/excel/")
        page.set_input_files("input[name=needs-file]", str(tmp_path / "first.xlsx"))
        page.get_by_role("button", name="导入需求").click()
        page.wait_for_url("**/jobs/*/")
        url = page.url
        values = _progress_values(page, f"已导入需求 {ROWS} 条。", timeout=600)
        shot(page, "jobs-1-import-done")
        assert page.url == url  # polled by htmx, never reloaded
        # Each step's bar only advances; the steps come in order, and the bar was seen part-way.
        steps = list(dict.fromkeys(step for step, _v in values if step))
        assert [s for s in steps if s.startswith("第")] == sorted(s for s in steps if s.startswith("第")), values
        for step in steps:
            bar = [v for s, v in values if s == step]
            assert bar == sorted(bar), values
        assert len([v for _s, v in values if 0 < v < 100]) >= 2, values
        assert _count(db, "示例任务需求甲") == ROWS

        # 2. The worker is killed mid-import: nothing saved, the job failed with its reason.
        page.goto(f"{base}/lists/excel/")
        page.set_input_files("input[name=needs-file]", str(tmp_path / "second.xlsx"))
        page.get_by_role("button", name="导入需求").click()
        page.wait_for_url("**/jobs/*/")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            bar = page.locator("#job-status progress[value]")
            if bar.count() and int(bar.first.get_attribute("value") or 0) >= 10:
                break
            time.sleep(0.3)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        page.get_by_text("任务在运行中被中断").wait_for(timeout=30_000)
        shot(page, "jobs-2-killed")
        assert _count(db, "示例任务需求乙") == 0

        # 3. Retry with a worker running again: the same file is imported whole.
        worker = _worker(env)
        page.get_by_role("button", name="重试").click()
        _progress_values(page, f"已导入需求 {ROWS} 条。", timeout=600)
        assert _count(db, "示例任务需求乙") == ROWS
    finally:
        context.close()
        for proc in (worker, server):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
