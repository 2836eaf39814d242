"""重新计算 runs in the background: a city conference's run takes seconds, more than a request
should wait, and a second click while it runs must not start another."""

from django.urls import reverse

from lianxi.jobs.registry import register
from lianxi.matching.services import PHASES, run_matching
from lianxi.registry.models import Conference

KIND = "matching.run"


def job_key(conference_id: int) -> str:
    """One matching job at a time per conference (see ``jobs.services.enqueue``)."""
    return f"{KIND}:{conference_id}"


@register(KIND, "计算推荐匹配")
def run(job, progress):
    conference = Conference.objects.get(pk=job.params["conference"])

    def step(done: int, label: str):
        progress(done, total=len(PHASES), stage=label)

    # A failed run is recorded as failed (MatchRun and its audit row) by run_matching itself, then
    # the exception ends the job with its reason.
    match = run_matching(job.owner, conference, progress=step)
    progress(len(PHASES), total=len(PHASES), stage="完成")
    return {
        "message": (f"匹配完成：{match.needs_count} 条开放需求、{match.resources_count} 项资源，"
                    f"得到 {match.suggestions_count} 条推荐。"),
        "run": match.pk, "needs": match.needs_count, "resources": match.resources_count,
        "suggestions": match.suggestions_count,
        "next_url": f"{reverse('matching:suggestions')}?conference={conference.pk}&run={match.pk}",
        "next_label": "查看推荐",
    }
