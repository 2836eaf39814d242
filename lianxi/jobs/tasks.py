"""The one task on the queue: run a recorded job by its id."""

from django_tasks import task

from lianxi.jobs import runner


@task()
def run_job(job_id: int) -> None:
    runner.run(job_id)
