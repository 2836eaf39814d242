"""JSON API for background jobs: the job an API call queued (``202`` answers name it), read by the
person who submitted it — its state, progress, result or the reason it failed. Who may read a job
is ``lianxi.jobs.gates``."""

import datetime
from typing import Any

from django.urls import reverse
from ninja import Router
from ninja.security import django_auth

from lianxi.jobs.gates import get_job_for
from lianxi.lib.schemas import INSIDER_READ_ERRORS, Choice, Id, Out

router = Router(tags=["jobs"])


class JobOut(Out):
    """A queued background job. ``state`` goes 排队中 → 进行中 → 已完成 or 失败; poll ``api_url``
    until it is finished (``finished`` set), or open ``url`` in a browser for its progress bar."""

    id: int
    kind: str
    title: str
    state: Choice
    done: int
    total: int | None
    percent: int | None
    stage: str
    result: dict[str, Any]
    error: str
    attempts: int
    created: datetime.datetime
    started: datetime.datetime | None
    finished: datetime.datetime | None
    url: str
    api_url: str

    @staticmethod
    def resolve_result(obj):
        return {k: v for k, v in (obj.result or {}).items() if k != "traceback"}

    @staticmethod
    def resolve_url(obj):
        return reverse("jobs:job_detail", args=[obj.pk])

    @staticmethod
    def resolve_api_url(obj):
        return reverse("api:get_job", kwargs={"id": obj.pk})


@router.get("/jobs/{id}", response={200: JobOut, **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="一个后台任务（提交人）", url_name="get_job")
def get_job(request, id: Id):
    """For the person who submitted it (a 404 for anyone else)."""
    return get_job_for(request.user, id)
