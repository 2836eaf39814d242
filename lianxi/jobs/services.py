"""Queue background jobs and retry failed ones. The worker side (running a job, its progress,
noticing dead workers) is :mod:`lianxi.jobs.runner`."""

from django.db import IntegrityError, transaction

from lianxi.audit.services import record
from lianxi.jobs.models import Job
from lianxi.jobs.registry import JobError, kind

State = Job.State


ACTIVE = [State.QUEUED, State.RUNNING]


def active_job(key: str) -> Job | None:
    """The queued or running job with this key, if there is one."""
    return Job.objects.defer("payload", "output").filter(key=key, state__in=ACTIVE).first() if key else None


def enqueue(actor, kind_name: str, *, params: dict | None = None, payload: bytes | None = None,
            payload_name: str = "", title: str = "", key: str = "") -> Job:
    """Record a job for ``actor`` and queue it. Returns at once; the worker runs it.

    With a ``key`` (what the job works on), a job with that key that is still queued or running
    is returned instead of a second one: ``job.created_now`` tells the caller which it got."""
    spec = kind(kind_name)
    existing = active_job(key)
    if existing is not None:
        existing.created_now = False
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=spec.name, key=key[:120], title=title or spec.label,
                owner=actor if getattr(actor, "is_authenticated", False) else None,
                params=params or {}, payload=payload, payload_name=payload_name[:255],
            )
            record(actor, "jobs.job.enqueue", job, {"kind": [None, spec.name], "title": [None, job.title]})
    except IntegrityError:
        # Another request made the same job between our look and our insert.
        existing = active_job(key)
        if existing is None:
            raise
        existing.created_now = False
        return existing
    job.created_now = True
    _queue(job)
    return job


def _queue(job: Job):
    from lianxi.jobs.tasks import run_job

    run_job.enqueue(job.pk)


def retry(actor, job: Job) -> Job:
    """Queue a failed job again with the same input. Nothing of the failed run was saved."""
    if job.state != State.FAILED:
        raise JobError("只有失败的任务可以重试。")
    if active_job(job.key) is not None:
        raise JobError("同样的任务已在进行中，无需重试。")
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            state=State.QUEUED, output=None, output_name="", output_type="", done=0, total=None, stage="", error="", result={}, started=None, finished=None,
            worker="", heartbeat=None,
        )
        job.refresh_from_db()
        record(actor, "jobs.job.retry", job, {"state": [State.FAILED, State.QUEUED]})
    _queue(job)
    return job
