"""Jobs: queued, run to an end, failures kept with their reason, dead workers noticed, retries."""

import os
import socket

import pytest
from django.db import transaction
from django.utils import timezone

from lianxi.audit.models import AuditEntry
from lianxi.jobs import runner, services
from lianxi.jobs.models import Job
from lianxi.jobs.registry import KINDS, JobError, register
from lianxi.registry.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds():
    """Test job kinds, removed again afterwards. They write real rows (areas) so that a rollback
    can be seen."""
    before = dict(KINDS)

    @register("test.count", "计数")
    def count(job, progress):
        n = job.params["n"]
        for i in range(n):
            progress(i + 1, total=n, stage="计数")
        return {"message": f"数到 {n}", "counted": n}

    @register("test.refuse", "拒绝")
    def refuse(job, progress):
        raise JobError("第 3 行：单位不存在。", result={"errors": ["第 3 行：单位不存在。"]})

    @register("test.crash_after_write", "写入后崩溃")
    def crash(job, progress):
        with transaction.atomic():
            Area.objects.create(name="示例任务区", kind=Area.Kind.STREET)
            raise RuntimeError("磁盘已满")

    @register("test.flaky", "第一次失败")
    def flaky(job, progress):
        if job.attempts <= 1:
            raise RuntimeError("第一次失败")
        return {"message": "第二次成功"}

    yield
    KINDS.clear()
    KINDS.update(before)


def test_a_job_runs_to_its_result_and_is_audited(world, kinds):
    job = services.enqueue(world.secretariat, "test.count", params={"n": 5})
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.result == {"message": "数到 5", "counted": 5}
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.owner == world.secretariat
    assert job.attempts == 1
    assert job.started is not None and job.finished is not None
    entry = AuditEntry.objects.get(action="jobs.job.enqueue")
    assert entry.actor == world.secretariat


def test_a_refused_input_fails_with_the_users_message(world, kinds):
    job = services.enqueue(world.secretariat, "test.refuse")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "第 3 行：单位不存在。"
    assert job.result == {"errors": ["第 3 行：单位不存在。"]}


def test_a_crash_saves_nothing_half_done_and_keeps_the_reason(world, kinds):
    areas = Area.objects.count()
    job = services.enqueue(world.secretariat, "test.crash_after_write")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "RuntimeError: 磁盘已满"
    assert Area.objects.count() == areas


def test_a_failed_job_can_be_retried_and_only_a_failed_one(world, kinds):
    job = services.enqueue(world.secretariat, "test.flaky")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    services.retry(world.secretariat, job)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (Job.State.SUCCEEDED, 2, {"message": "第二次成功"})
    with pytest.raises(JobError):
        services.retry(world.secretariat, job)
    assert AuditEntry.objects.filter(action="jobs.job.retry").count() == 1


def test_running_twice_runs_once(world, kinds):
    job = services.enqueue(world.secretariat, "test.count", params={"n": 2})
    runner.run(job.pk)  # already succeeded: not queued any more
    job.refresh_from_db()
    assert job.attempts == 1


def _running(worker: str, heartbeat=None) -> Job:
    return Job.objects.create(kind="test.count", title="t", state=Job.State.RUNNING, worker=worker,
                              heartbeat=heartbeat)


def test_a_job_whose_worker_died_is_marked_failed(world):
    here = socket.gethostname()
    # A pid that cannot exist on Linux (pid_max is at most 2**22).
    dead = _running(f"{here}:{2**22 + 7}")
    alive = _running(f"{here}:{os.getpid()}")
    now = timezone.now()
    elsewhere_fresh = _running("other-host:12", heartbeat=now)
    elsewhere_stale = _running("other-host:13", heartbeat=now - timezone.timedelta(hours=1))
    assert runner.reap_dead() == 2
    states = dict(Job.objects.values_list("id", "state"))
    assert states[dead.pk] == Job.State.FAILED
    assert states[elsewhere_stale.pk] == Job.State.FAILED
    assert states[alive.pk] == Job.State.RUNNING
    assert states[elsewhere_fresh.pk] == Job.State.RUNNING
    dead.refresh_from_db()
    assert "未保存任何数据" in dead.error


def test_the_job_page_shows_progress_only_to_its_owner(world, kinds, client_for):
    job = Job.objects.create(kind="test.count", title="导入需求清单", owner=world.secretariat,
                             state=Job.State.RUNNING, done=250, total=1000, stage="逐行检查",
                             worker=f"{socket.gethostname()}:{os.getpid()}")
    page = client_for(world.secretariat).get(f"/jobs/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="25"' in html and "250 / 1000" in html and "逐行检查" in html
    assert 'hx-trigger="every 1s"' in html
    partial = client_for(world.secretariat).get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith("<section")
    assert client_for(world.liaison).get(f"/jobs/{job.pk}/").status_code == 404
    assert client_for(None).get(f"/jobs/{job.pk}/").status_code == 302


def test_a_finished_job_page_stops_polling_and_offers_a_retry_when_failed(world, kinds, client_for):
    job = services.enqueue(world.secretariat, "test.refuse")
    html = client_for(world.secretariat).get(f"/jobs/{job.pk}/").content.decode()
    assert "hx-trigger" not in html
    assert "第 3 行：单位不存在。" in html and "重试" in html
    response = client_for(world.liaison).post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 404


def test_a_keyed_job_is_not_queued_twice_while_one_is_active(world, kinds):
    """While a job with a key is queued or running, enqueueing the same key returns that job; once
    it has ended, a new one is made. The database holds the rule too (a partial unique index)."""
    from django.db import IntegrityError

    active = Job.objects.create(kind="test.count", key="test:1", title="计数", owner=world.secretariat,
                                params={"n": 1}, state=Job.State.RUNNING)
    again = services.enqueue(world.secretariat, "test.count", params={"n": 1}, key="test:1")
    assert (again.pk, again.created_now) == (active.pk, False)
    assert not AuditEntry.objects.filter(action="jobs.job.enqueue").exists()
    other = services.enqueue(world.secretariat, "test.count", params={"n": 1}, key="test:2")
    assert other.created_now and other.pk != active.pk
    unkeyed = [services.enqueue(world.secretariat, "test.count", params={"n": 1}) for _ in range(2)]
    assert unkeyed[0].pk != unkeyed[1].pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test.count", key="test:1", title="计数", state=Job.State.QUEUED)
    Job.objects.filter(pk=active.pk).update(state=Job.State.FAILED)
    fresh = services.enqueue(world.secretariat, "test.count", params={"n": 1}, key="test:1")
    assert fresh.created_now and fresh.pk != active.pk
    fresh.refresh_from_db()
    assert fresh.state == Job.State.SUCCEEDED
    # Retrying the failed one while another with its key is active is refused.
    Job.objects.filter(pk=fresh.pk).update(state=Job.State.RUNNING)
    active.refresh_from_db()
    with pytest.raises(JobError):
        services.retry(world.secretariat, active)
