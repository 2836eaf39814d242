"""A background job as a person sees it: what was asked, by whom, how far it got, and how it ended.

The queue itself is Django's tasks framework (``django-tasks`` with the database backend); a
``Job`` is the product's own record beside it, holding the uploaded input, the live progress, the
result a page shows and the reason a run failed. A run that dies mid-way (worker killed, machine
restarted) commits nothing — every handler does its writes in one transaction — and is marked
failed by :func:`lianxi.jobs.runner.reap_dead` so that it can be retried."""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    FINISHED_STATES = {State.SUCCEEDED, State.FAILED}

    kind = models.CharField("任务类型", max_length=60)
    # What the job works on, for kinds that must not run twice at once ("matching.run:12"): while
    # one job with a key is queued or running, a second request gets that job instead of a new one.
    key = models.CharField("任务对象", max_length=120, blank=True)
    title = models.CharField("任务", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="jobs",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    params = models.JSONField("参数", default=dict, blank=True)
    # The uploaded file travels with the job in the database, so a worker on another machine
    # (PostgreSQL deployments) reads exactly what was uploaded.
    payload = models.BinaryField("上传文件", null=True, blank=True, editable=False)
    payload_name = models.CharField("文件名", max_length=255, blank=True)
    # A file the job produced (an export, a PDF), downloaded from the job's page by its owner.
    output = models.BinaryField("结果文件", null=True, blank=True, editable=False)
    output_name = models.CharField("结果文件名", max_length=255, blank=True)
    output_type = models.CharField("结果文件类型", max_length=120, blank=True)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    stage = models.CharField("当前步骤", max_length=100, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("失败原因", blank=True)
    attempts = models.PositiveIntegerField("运行次数", default=0)
    worker = models.CharField("工作进程", max_length=100, blank=True, help_text="主机名:进程号")
    created = models.DateTimeField("提交时间", auto_now_add=True)
    started = models.DateTimeField("开始时间", null=True, blank=True)
    finished = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created", "-id"]
        indexes = [
            # "My jobs" page: a user's jobs, newest first.
            models.Index(fields=["owner", "-created"], name="job_owner_created"),
            # reap_dead: the running jobs.
            models.Index(fields=["state"], name="job_state"),
        ]
        constraints = [
            # One active job per key, held by the database so that two clicks at the same moment
            # still make one job (services.enqueue returns the one that is there).
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(state__in=["queued", "running"]) & ~models.Q(key=""),
                name="job_one_active_per_key", violation_error_message="同样的任务已在进行中。",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED_STATES

    @property
    def percent(self) -> int | None:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
