"""A job's page: progress bar polled by htmx, then the result or the reason it failed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lianxi.jobs import runner, services
from lianxi.jobs.gates import get_job_for, jobs_visible_to
from lianxi.jobs.registry import KINDS, JobError
from lianxi.lib.downloads import attachment
from lianxi.lib.htmx import render_page_or_partial


def _context(job):
    spec = KINDS.get(job.kind)
    return {"job": job, "kind_label": spec.label if spec else job.kind}


@login_required
def job_detail(request, pk: int):
    job = get_job_for(request.user, pk)
    if job.state == job.State.RUNNING:
        # A poll is the cheapest moment to notice a worker that died under this job.
        if runner.reap_dead():
            job.refresh_from_db()
        runner.live_progress(job)
    return render_page_or_partial(request, "jobs/job_detail.html", "jobs/_job_status.html", _context(job))


@login_required
def job_list(request):
    jobs = jobs_visible_to(request.user).defer("payload", "output", "result", "params")[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@login_required
@require_POST
def job_retry(request, pk: int):
    job = get_job_for(request.user, pk, write=True)
    try:
        services.retry(request.user, job)
    except JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已重新排队。")
    return redirect("jobs:job_detail", pk=job.pk)


@login_required
def job_output(request, pk: int):
    job = get_job_for(request.user, pk)
    if job.state != job.State.SUCCEEDED or not job.output_name:
        raise Http404
    data = jobs_visible_to(request.user).filter(pk=pk).values_list("output", flat=True).get()
    return attachment(bytes(data), job.output_name, job.output_type or "application/octet-stream")
