"""重新计算 runs in the background: a city conference's run takes seconds, more than a request
should wait, and a second click while it runs must not start another."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxi.jobs import services as jobs
from lianxi.jobs.models import Job
from lianxi.jobs.registry import register
from lianxi.matching.services import PHASES, fail_interrupted_run, run_matching
from lianxi.registry.models import Conference

KIND = "matching.run"


def job_key(conference_id: int) -> str:
    """One matching job at a time per conference (see ``jobs.services.enqueue``)."""
    return f"{KIND}:{conference_id}"


def start(actor, conference: Conference) -> Job:
    """Queue a run for the conference (the page's 重新计算 and ``POST /api/v1/matching/runs``), or
    return the one already queued or running for it (``job.created_now`` is then False)."""
    return jobs.enqueue(actor, KIND, params={"conference": conference.pk}, key=job_key(conference.pk),
                        title=_("计算推荐匹配：%(c)s") % {"c": conference.display_name})


def _interrupted(job):
    """The worker died under the job: the run it had started stays 计算中 unless closed here."""
    if job.result.get("run"):
        fail_interrupted_run(job.result["run"], job.error)


@register(KIND, "计算推荐匹配", on_dead=_interrupted)
def run(job, progress):
    conference = Conference.objects.get(pk=job.params["conference"])

    def step(done: int, label: str):
        progress(done, total=len(PHASES), stage=label)

    # A failed run is recorded as failed (MatchRun and its audit row) by run_matching itself, then
    # the exception ends the job with its reason.
    match = run_matching(job.owner, conference, progress=step, started=lambda run: progress.keep(run=run.pk))
    progress(len(PHASES), total=len(PHASES), stage="完成")
    return {
        "message": (f"匹配完成：{match.needs_count} 条开放需求、{match.resources_count} 项资源，"
                    f"得到 {match.suggestions_count} 条推荐。"),
        "run": match.pk, "needs": match.needs_count, "resources": match.resources_count,
        "suggestions": match.suggestions_count,
        "next_url": f"{reverse('matching:suggestions')}?conference={conference.pk}&run={match.pk}",
        "next_label": "查看推荐",
    }
