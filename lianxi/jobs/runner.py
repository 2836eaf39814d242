"""Run a recorded job on the worker: hand it to its handler, report progress, keep its result or
the reason it failed, and notice jobs whose worker died.

Progress is written straight away when the handler is outside a transaction (reading and checking
a file) and, inside one, through a second connection on PostgreSQL. On SQLite a writer holds the
whole file, so a second connection could not write until the commit: inside a transaction the
progress goes to a small file beside the database instead (:func:`progress_dir`), which the job's
page reads over the row's figures (:func:`live_progress`) until the handler writes the row again."""

import json
import logging
import os
import socket
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from lianxi.jobs.models import Job
from lianxi.jobs.registry import KINDS, JobError, kind
from lianxi.lib.processes import alive

log = logging.getLogger(__name__)
State = Job.State

# Progress is written at most this often (seconds); the page polls once a second.
PROGRESS_INTERVAL = 0.5


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Progress:
    """What a handler calls to report how far it got: ``progress(done, total=None, stage="")``.
    Writes at most every ``PROGRESS_INTERVAL`` seconds (and always at stage changes)."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0
        self._stage = None
        self._side = None

    def __call__(self, done: int, total: int | None = None, stage: str = ""):
        self.job.done = done
        if total is not None:
            self.job.total = total
        if stage:
            self.job.stage = stage
        now = time.monotonic()
        if stage == self._stage and now - self._last < PROGRESS_INTERVAL:
            return
        self._last, self._stage = now, stage or self._stage
        self._write(done=self.job.done, total=self.job.total, stage=self.job.stage, heartbeat=timezone.now())

    def keep(self, **values):
        """Keep facts about the run in the job's result straight away (``{"run": 12}``), so that
        a kind's ``on_dead`` finds them if the worker dies. Call it outside a transaction."""
        self.job.result = {**(self.job.result or {}), **values}
        if not connection.in_atomic_block or settings.TESTING:
            Job.objects.filter(pk=self.job.pk).update(result=self.job.result, heartbeat=timezone.now())

    def _write(self, **fields):
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(**fields)
            _drop_file(self.job.pk)
            return
        if connection.vendor == "sqlite" or settings.TESTING:
            # SQLite: this job holds the write lock. A test: its database is one connection's
            # transaction, no second connection sees it. Either way the file is what others read.
            _write_file(self.job.pk, fields)
            return
        try:
            if self._side is None:
                self._side = connections.create_connection("default")
                if self._side.vendor == "sqlite":
                    self._side.ensure_connection()
                    self._side.connection.execute("PRAGMA busy_timeout = 50")
            with self._side.cursor() as cursor:
                sets = ", ".join(f"{name} = %s" for name in fields)
                cursor.execute(f"UPDATE {Job._meta.db_table} SET {sets} WHERE id = %s", [*fields.values(), self.job.pk])
        except DatabaseError:
            # SQLite while this job holds the write lock: the page keeps the last figure.
            pass

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None
        _drop_file(self.job.pk)


def progress_dir() -> Path | None:
    """Where progress written inside a transaction goes: ``JOBS_PROGRESS_DIR`` when set, else a
    directory beside a SQLite database file (``<database>-job-progress``); none for an in-memory
    database or PostgreSQL, which writes progress through its second connection."""
    if settings.JOBS_PROGRESS_DIR:
        return Path(settings.JOBS_PROGRESS_DIR)
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(f"{name}-job-progress")


def _progress_file(job_id: int) -> Path | None:
    directory = progress_dir()
    return None if directory is None else directory / f"{int(job_id)}.json"


def _write_file(job_id: int, fields: dict) -> None:
    path = _progress_file(job_id)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"done": fields.get("done"), "total": fields.get("total"),
                                   "stage": fields.get("stage") or ""}), encoding="utf-8")
        tmp.replace(path)  # atomic: a reader sees the old figures or the new ones, never half
    except OSError:
        log.warning("job %s: progress file %s not written", job_id, path, exc_info=True)


def _drop_file(job_id: int) -> None:
    path = _progress_file(job_id)
    if path is not None:
        path.unlink(missing_ok=True)


def live_progress(job: Job) -> Job:
    """``job`` with the progress its handler wrote to the side file while inside a transaction
    (newer than the row's, which the handler cannot update then). Returns ``job``."""
    if job.state != State.RUNNING:
        return job
    path = _progress_file(job.pk)
    if path is None:
        return job
    try:
        figures = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return job
    job.done = figures.get("done") or 0
    job.total = figures.get("total")
    job.stage = figures.get("stage") or job.stage
    return job


def attach_output(job: Job, data: bytes, name: str, content_type: str) -> None:
    """Keep the file a handler produced with the job; its page offers it for download."""
    Job.objects.filter(pk=job.pk).update(output=data, output_name=name[:255], output_type=content_type[:120])
    job.output_name = name


def run(job_id: int) -> None:
    """Run one queued job to its end. Called by the task on the worker; safe to call twice."""
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started=timezone.now(), heartbeat=timezone.now(), worker=_worker_id(),
    )
    if not claimed:
        log.info("job %s is not queued any more; skipped", job_id)
        return
    job = Job.objects.get(pk=job_id)
    job.attempts += 1
    Job.objects.filter(pk=job_id).update(attempts=job.attempts)
    progress = Progress(job)
    try:
        result = kind(job.kind).handler(job, progress) or {}
    except JobError as exc:
        _finish(job, State.FAILED, error=str(exc), result=exc.result)
    except Exception as exc:  # noqa: BLE001 - any failure ends the job with its reason, never silently
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, State.FAILED, error=f"{type(exc).__name__}: {exc}",
                result={"traceback": traceback.format_exc(limit=5)} if settings.DEBUG else {})
    else:
        _finish(job, State.SUCCEEDED, result=result)
    finally:
        progress.close()


def _finish(job: Job, state: str, *, error: str = "", result: dict | None = None):
    Job.objects.filter(pk=job.pk).update(
        state=state, error=error, result=result or {}, finished=timezone.now(), heartbeat=timezone.now(),
        done=job.done, total=job.total,
    )


def reap_dead(now=None) -> int:
    """Mark running jobs whose worker is gone as failed, so they can be retried.

    A worker on this machine is checked by its process id; one elsewhere by its heartbeat, which
    a running job refreshes with its progress (``JOBS_STALE_SECONDS``)."""
    now = now or timezone.now()
    here = socket.gethostname()
    stale_before = now - timezone.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    dead = []
    for pk, worker, heartbeat in Job.objects.filter(state=State.RUNNING).values_list("id", "worker", "heartbeat"):
        host, _, pid = worker.rpartition(":")
        if host == here and pid.isdigit():
            if not alive(int(pid)):
                dead.append(pk)
        elif heartbeat is None or heartbeat < stale_before:
            dead.append(pk)
    reaped = 0
    for pk in dead:
        if not Job.objects.filter(pk=pk, state=State.RUNNING).update(
                state=State.FAILED, finished=now,
                error="任务在运行中被中断（工作进程已退出），未保存任何数据。可以重试。"):
            continue  # it finished (or was reaped) meanwhile
        reaped += 1
        job = Job.objects.defer("payload", "output").get(pk=pk)
        spec = KINDS.get(job.kind)
        if spec is not None and spec.on_dead is not None:
            try:
                spec.on_dead(job)
            except Exception:  # noqa: BLE001 - one kind's clean-up must not stop the others
                log.exception("on_dead of job %s (%s) failed", job.pk, job.kind)
    return reaped
