"""Meetings of a conference: numbered plenaries, working and liaison meetings, their ordered agenda,
the people on each item in the post they held that day, the objects each item concerns, and the
exchanges (现场 or 书面)."""

from django.db import models
from django.db.models import Q

from lianxi.registry.models import Conference, Person, Unit


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, conference__is_public=True)


class Meeting(models.Model):
    """A meeting of one conference. Plenaries (全体会议) are numbered per conference and kind; the
    full title keeps a combined occasion (…座谈会暨…第十次全体会议) as it was announced."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", "全体会议"
        WORKING = "working", "工作会议"
        LIAISON = "liaison", "联络员会议"

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("会议类型", max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    number = models.PositiveIntegerField("届次", null=True, blank=True, help_text="全体会议按联席会议编号，如 10 即第十次")
    title = models.CharField("会议全称", max_length=300)
    date = models.DateField("日期")
    venue = models.CharField("地点", max_length=200, blank=True, help_text="资料未载明时留空")
    host_unit = models.ForeignKey(
        Unit, verbose_name="承办单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_meetings"
    )
    summary = models.TextField("会议概要", blank=True)
    source = models.TextField("资料来源", blank=True)
    agenda_note = models.CharField(
        "议程顺序说明", max_length=300, blank=True,
        help_text="议程顺序不是资料明文所载时（如按报道叙述顺序排列），在此说明",
    )
    is_published = models.BooleanField("对外公开", default=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "kind", "number"],
                condition=Q(number__isnull=False),
                name="meeting_unique_number",
                violation_error_message="该联席会议已有同一届次的同类会议。",
            )
        ]
        indexes = [
            # The meetings list of a conference, newest first.
            models.Index(fields=["conference", "-date"], name="meeting_conf_date"),
            # The meetings list and /api/v1/meetings across conferences (ORDER BY date DESC, id DESC
            # LIMIT n), and the MIN/MAX behind the year filter.
            models.Index(fields=["-date", "-id"], name="meeting_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def number_label(self) -> str:
        from lianxi.lib.numbers import chinese_ordinal

        if self.number is None:
            return ""
        return f"第{chinese_ordinal(self.number)}次{self.get_kind_display()}"


class StatedFigure(models.Model):
    """A figure stated at a meeting (成员单位共有66家, 命名100个百优支部), kept as stated instead of
    being filled with invented rows."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="figures")
    key = models.SlugField("代码", max_length=60)
    label = models.CharField("说明", max_length=200)
    value = models.IntegerField("数值")
    unit_label = models.CharField("计量单位", max_length=20, blank=True)
    quote = models.CharField("原文", max_length=300, blank=True)

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.meeting.conference_id

    class Meta:
        verbose_name = "会议所载数字"
        verbose_name_plural = "会议所载数字"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="figure_unique_key", violation_error_message="该会议已记录这一数字。")
        ]

    def __str__(self):
        return f"{self.label}: {self.value}{self.unit_label}"


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order. The kind decides which resolution a service applies
    (admission creates memberships, unveiling founds a sub-conference, adjustment ends and starts
    appointments); ``applied_on`` records that it has been applied, so it is never applied twice."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.meeting.conference_id

    class Kind(models.TextChoices):
        REPORT = "report", "情况介绍/报告"
        SPEECH = "speech", "讲话"
        UNVEILING = "unveiling", "揭牌"
        ADMISSION = "admission", "通过新成员并授牌"
        AWARD = "award", "颁授"
        NAMING = "naming", "命名"
        RELEASE = "release", "发布"
        ADJUSTMENT = "adjustment", "调整"
        EXCHANGE = "exchange", "交流"
        VIDEO = "video", "观看视频"
        SIGNING = "signing", "签约"
        CHAIRING = "chairing", "主持"

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField("顺序")
    kind = models.CharField("议程类型", max_length=20, choices=Kind.choices)
    title = models.CharField("议程", max_length=300)
    description = models.TextField("内容", blank=True)
    concerns_conference = models.ForeignKey(
        Conference,
        verbose_name="涉及联席会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    applied_on = models.DateTimeField("决议已执行", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "议程"
        verbose_name_plural = "议程"
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"], name="agenda_unique_order", violation_error_message="同一会议的议程顺序不能重复。"
            )
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class AgendaParticipant(models.Model):
    """A person on an agenda item (speaker, host, unveiler, awarder …) with the titles they were
    introduced by that day, exactly as stated, and the unit they acted for."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.item.meeting.conference_id

    class Role(models.TextChoices):
        SPEAKER = "speaker", "讲话"
        HOST = "host", "主持"
        UNVEILER = "unveiler", "揭牌"
        PRESENTER = "presenter", "授牌/颁奖"
        INTRODUCER = "introducer", "介绍情况"
        ATTENDEE = "attendee", "出席"

    item = models.ForeignKey(AgendaItem, verbose_name="议程", on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="agenda_roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    title = models.CharField("当日职务(原文)", max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="代表单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_roles"
    )
    order = models.PositiveIntegerField("顺序", default=0)
    note = models.CharField("说明", max_length=300, blank=True, help_text="如：原文修饰语兼指数人、某项为推断及其理由")

    class Meta:
        verbose_name = "议程人员"
        verbose_name_plural = "议程人员"
        ordering = ["item", "order", "id"]

    def __str__(self):
        return f"{self.person}（{self.get_role_display()}）"


class AgendaUnit(models.Model):
    """A unit an agenda item concerns: admitted (通过新成员), awarded (颁授/命名), exchanging (交流)."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.item.meeting.conference_id

    class Role(models.TextChoices):
        ADMITTED = "admitted", "新加入成员单位"
        AWARDED = "awarded", "获评单位"
        EXCHANGE = "exchange", "交流单位"
        SIGNATORY = "signatory", "签约单位"
        CONCERNED = "concerned", "涉及单位"

    item = models.ForeignKey(AgendaItem, verbose_name="议程", on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="agenda_mentions")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    label = models.CharField("原文称谓", max_length=200, blank=True, help_text="如 “文化思南”区域化党建联席会议秘书长单位")
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "议程单位"
        verbose_name_plural = "议程单位"
        ordering = ["item", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit", "role"], name="agenda_unit_unique", violation_error_message="该单位已在此议程中。"
            )
        ]

    def __str__(self):
        return self.label or str(self.unit)


class Exchange(models.Model):
    """An exchange (交流) given at a meeting, live on stage (现场) or in writing (书面)."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.item.meeting.conference_id

    class Mode(models.TextChoices):
        LIVE = "live", "现场交流"
        WRITTEN = "written", "书面交流"

    item = models.ForeignKey(AgendaItem, verbose_name="议程", on_delete=models.CASCADE, related_name="exchanges")
    unit = models.ForeignKey(Unit, verbose_name="交流单位", on_delete=models.PROTECT, related_name="exchanges")
    speaker_label = models.CharField(
        "交流身份(原文)", max_length=200, blank=True, help_text="如 “滨江党建·金融外滩”区域化党建联席会议秘书处"
    )
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    topic = models.CharField("题目", max_length=200, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "交流"
        verbose_name_plural = "交流"
        ordering = ["item", "order", "id"]

    def __str__(self):
        return f"{self.speaker_label or self.unit}（{self.get_mode_display()}）"
