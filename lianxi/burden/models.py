"""The ledger of the burden gate (减负闸门): every request the platform makes of a grassroots unit,
the unit's monthly cap, and the one digest per unit and month that collects what is past the cap.

Only :mod:`lianxi.burden.services` changes a request's state, and it refuses any pair not in
``BurdenRequest.TRANSITIONS``. The tables keep the names they had in ``lianxi.lists``."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lianxi.registry.models import Unit


class BurdenCap(models.Model):
    """A per-unit override of the district's monthly cap (``settings.BURDEN_MONTHLY_CAP``)."""

    unit = models.OneToOneField(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="burden_cap")
    monthly_cap = models.PositiveIntegerField("每月上限")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        # The table kept its name from when the model lived in lianxi.lists (moved without copying data).
        db_table = "lists_burdencap"
        verbose_name = "减负上限"
        verbose_name_plural = "减负上限"
        ordering = ["unit__name"]

    def __str__(self):
        return f"{self.unit}：每月 {self.monthly_cap} 项"


class BurdenDigest(models.Model):
    """The one digest (汇总) per unit and month that collects the requests past the cap. It reaches
    the unit as a single item when sent, instead of one interruption per request."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="burden_digests")
    month = models.DateField("月份", help_text="该月第一天")
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True, editable=False)

    class Meta:
        # The table kept its name from when the model lived in lianxi.lists (moved without copying data).
        db_table = "lists_burdendigest"
        verbose_name = "减负汇总"
        verbose_name_plural = "减负汇总"
        ordering = ["-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="digest_one_per_unit_month",
                                    violation_error_message="该单位当月已有汇总。"),
            models.CheckConstraint(condition=Q(month__day=1), name="digest_month_first_day",
                                   violation_error_message="月份须为当月第一天。"),
        ]
        indexes = [
            # Digests still to send, oldest month first.
            models.Index(fields=["sent_at", "month"], name="digest_unsent_month"),
        ]

    def __str__(self):
        return f"{self.unit} {self.month:%Y年%m月}汇总"


class BurdenRequest(models.Model):
    """The ledger of the burden gate: every request the platform makes of a unit (confirm a
    delivery, rate, answer an invitation, fill a form), counted against the unit's monthly cap.
    Within the cap a request is sent at once; past it, routine requests wait in the month's digest
    and new work waits for an administrator's approval. Nothing is silently dropped."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "确认交付"
        RATE = "rate", "评价"
        INVITATION = "invitation", "认领邀请"
        FORM = "form", "填报"
        VISIT = "visit", "走访预约"
        REPORT = "report", "进展填报"
        REMINDER = "reminder", "提醒"

    class State(models.TextChoices):
        PENDING = "pending", "待处理"
        SENT = "sent", "已送达"
        BATCHED = "batched_in_digest", "并入月度汇总"
        AWAITING_APPROVAL = "awaiting_approval", "待管理员批准"
        ANSWERED = "answered", "已答复"
        WITHDRAWN = "withdrawn", "已撤回"

    TRANSITIONS = {
        State.PENDING: {State.SENT, State.BATCHED, State.AWAITING_APPROVAL},
        State.AWAITING_APPROVAL: {State.SENT, State.BATCHED, State.ANSWERED, State.WITHDRAWN},
        State.SENT: {State.ANSWERED, State.WITHDRAWN},
        State.BATCHED: {State.ANSWERED, State.WITHDRAWN},
        State.ANSWERED: set(),
        State.WITHDRAWN: set(),
    }
    OPEN_STATES = [State.PENDING, State.SENT, State.BATCHED, State.AWAITING_APPROVAL]
    # Requests past the cap of these kinds are routine and wait in the digest; the others are new
    # work for the unit and wait for an administrator.
    DIGESTIBLE_KINDS = {Kind.CONFIRM, Kind.RATE}

    unit = models.ForeignKey(Unit, verbose_name="对象单位", on_delete=models.CASCADE, related_name="burden_requests")
    kind = models.CharField("事项类型", max_length=20, choices=Kind.choices)
    month = models.DateField("计入月份", help_text="该月第一天")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING, editable=False)
    subject_type = models.ForeignKey(
        ContentType, verbose_name="涉及对象类型", null=True, blank=True, on_delete=models.PROTECT,
        related_name="burden_requests",
    )
    subject_id = models.CharField("涉及对象编号", max_length=64, blank=True)
    summary = models.CharField("事项", max_length=300)
    link = models.CharField("处理链接", max_length=300, blank=True, help_text="涉及对象的页面（其 get_absolute_url）")
    digest = models.ForeignKey(
        BurdenDigest, verbose_name="所属汇总", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="burden_requests_made",
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now, editable=False)
    asked_at = models.DateTimeField("送达时间", null=True, blank=True, editable=False)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True, editable=False)

    class Meta:
        # The table kept its name from when the model lived in lianxi.lists (moved without copying data).
        db_table = "lists_burdenrequest"
        verbose_name = "减负闸门记录"
        verbose_name_plural = "减负闸门记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="burden_month_first_day",
                                   violation_error_message="月份须为当月第一天。"),
            models.CheckConstraint(
                condition=~Q(state="batched_in_digest") | Q(digest__isnull=False),
                name="burden_batched_has_digest",
                violation_error_message="并入汇总的事项须指明汇总。",
            ),
        ]
        indexes = [
            # The cap count and the burden page: one unit's requests in one month.
            models.Index(fields=["unit", "month", "state"], name="burden_unit_month_state"),
            # The open request about one object (answered when the object is confirmed/claimed).
            models.Index(fields=["subject_type", "subject_id", "kind"], name="burden_subject_kind"),
            # The administrator's approval queue, oldest first.
            models.Index(fields=["state", "created_at"], name="burden_state_created"),
        ]

    def __str__(self):
        return f"{self.unit}：{self.summary}"

    @property
    def answer_time(self) -> datetime.timedelta | None:
        if self.asked_at and self.answered_at:
            return self.answered_at - self.asked_at
        return None
