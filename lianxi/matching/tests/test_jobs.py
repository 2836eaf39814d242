"""A matching job whose worker is killed mid-run: the run it had started is not left 计算中 for
ever — finding the job dead (``jobs.runner.reap_dead``) marks the run failed, nothing of it was
saved, and retrying the job makes a finished run."""

import socket

import pytest

from lianxi.audit.models import AuditEntry
from lianxi.jobs import runner
from lianxi.jobs import services as jobs
from lianxi.jobs.models import Job
from lianxi.matching import jobs as matching_jobs
from lianxi.matching import services
from lianxi.matching.models import MatchRun, Suggestion

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """Stands for SIGKILL: neither the handler nor the runner gets to record anything."""


def test_a_killed_matching_job_fails_its_run_and_a_retry_completes(lists_world, monkeypatch):
    w = lists_world
    seen = {}
    real_load = services.load

    def killed_while_loading(conference, today):
        # By the time the work starts, the job already names its run (progress.keep).
        seen["result"] = Job.objects.get(kind=matching_jobs.KIND).result
        raise Killed

    monkeypatch.setattr(services, "load", killed_while_loading)
    job = matching_jobs.start(w.secretariat, w.district)  # ImmediateBackend: runs now, and is "killed"
    job.refresh_from_db()
    run = MatchRun.objects.get()
    assert seen["result"] == {"run": run.pk}
    assert (job.state, run.status) == (Job.State.RUNNING, MatchRun.Status.RUNNING)

    # Its worker is gone (a pid that cannot exist on Linux).
    Job.objects.filter(pk=job.pk).update(worker=f"{socket.gethostname()}:{2**22 + 7}")
    assert runner.reap_dead() == 1
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert run.status == MatchRun.Status.FAILED and "中断" in run.error and run.finished_at
    assert not Suggestion.objects.exists()
    assert AuditEntry.objects.filter(action="matching.run.fail", target_id=str(run.pk)).count() == 1
    # Reaping again changes nothing more.
    assert runner.reap_dead() == 0
    assert AuditEntry.objects.filter(action="matching.run.fail").count() == 1

    monkeypatch.setattr(services, "load", real_load)
    jobs.retry(w.secretariat, job)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2
    again = MatchRun.objects.get(pk=job.result["run"])
    assert again.pk != run.pk and again.status == MatchRun.Status.FINISHED and again.suggestions_count == 3
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED


def test_a_finished_run_is_not_failed_by_a_late_reap(lists_world):
    run = services.run_matching(lists_world.secretariat, lists_world.district)
    assert services.fail_interrupted_run(run.pk, "x") is None
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED
