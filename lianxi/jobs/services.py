"""Queue background jobs and retry failed ones. The worker side (running a job, its progress,
noticing dead workers) is :mod:`lianxi.jobs.runner`."""

from django.db import transaction

from lianxi.audit.services import record
from lianxi.jobs.models import Job
from lianxi.jobs.registry import JobError, kind

State = Job.State


def enqueue(actor, kind_name: str, *, params: dict | None = None, payload: bytes | None = None,
            payload_name: str = "", title: str = "") -> Job:
    """Record a job for ``actor`` and queue it. Returns at once; the worker runs it."""
    spec = kind(kind_name)
    with transaction.atomic():
        job = Job.objects.create(
            kind=spec.name, title=title or spec.label, owner=actor if getattr(actor, "is_authenticated", False) else None,
            params=params or {}, payload=payload, payload_name=payload_name[:255],
        )
        record(actor, "jobs.job.enqueue", job, {"kind": [None, spec.name], "title": [None, job.title]})
    _queue(job)
    return job


def _queue(job: Job):
    from lianxi.jobs.tasks import run_job

    run_job.enqueue(job.pk)


def retry(actor, job: Job) -> Job:
    """Queue a failed job again with the same input. Nothing of the failed run was saved."""
    if job.state != State.FAILED:
        raise JobError("只有失败的任务可以重试。")
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            state=State.QUEUED, output=None, output_name="", output_type="", done=0, total=None, stage="", error="", result={}, started=None, finished=None,
            worker="", heartbeat=None,
        )
        job.refresh_from_db()
        record(actor, "jobs.job.retry", job, {"state": [State.FAILED, State.QUEUED]})
    _queue(job)
    return job
