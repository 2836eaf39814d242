"""Key and brand projects (重点项目, 品牌项目), tagged by the five links (五联), and their tracking
(常抓项目): goals, milestones with due dates, a reporting cadence, progress reports with attachments,
and units' claims to join a released key project as partners (认领重点项目)."""

import datetime

from django.conf import settings
from django.db import models

from lianxi.lib.queries import SearchQuerySet
from lianxi.lib.text import pinyin_initials, search_key
from lianxi.registry.models import Conference, Unit


class Link(models.TextChoices):
    """五联: the five ways units work together."""

    ORGANISATION = "organisation", "组织联建"
    RESOURCES = "resources", "资源联用"
    TALENT = "talent", "人才联育"
    DEVELOPMENT = "development", "发展联促"
    BRAND = "brand", "品牌联创"


class Cadence(models.TextChoices):
    """How often the lead unit reports progress (常抓项目). ``CADENCE_DAYS`` is the length of one
    period, used by the status rule (docs/project-status.md)."""

    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


CADENCE_DAYS = {Cadence.MONTHLY: 31, Cadence.QUARTERLY: 92, Cadence.HALF_YEARLY: 183, Cadence.YEARLY: 366}
CADENCE_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6, Cadence.YEARLY: 12}
# Days after a period's length before a missing report makes a project 滞后.
REPORT_GRACE_DAYS = 15


class ProjectQuerySet(SearchQuerySet):
    def published(self):
        return self.filter(is_published=True, conference__is_public=True)


class Project(models.Model):
    """A project of a conference. Key projects (重点项目) are released each year; brand projects
    (品牌项目) are selected by campaign and awarded. ``released_at``/``awarded_at`` point at the
    agenda item where that happened."""

    class Kind(models.TextChoices):
        KEY = "key", "重点项目"
        BRAND = "brand", "品牌项目"
        ORDINARY = "ordinary", "一般项目"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "拟立项"
        ACTIVE = "active", "推进中"
        COMPLETED = "completed", "已完成"
        SUSPENDED = "suspended", "已暂停"
        # What a source gives no status for (the seed article names projects, not their progress).
        UNKNOWN = "unknown", "未载明"

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="projects")
    title = models.CharField("项目名称", max_length=200)
    kind = models.CharField("项目类型", max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField("年度")
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_projects"
    )
    partner_units = models.ManyToManyField(Unit, verbose_name="参与单位", blank=True, related_name="partner_projects")
    links = models.JSONField("五联", default=list, blank=True, help_text="Link 代码列表")
    # The change log names the five links by their labels, not their codes.
    AUDIT_VALUE_CHOICES = {"links": Link.choices}
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField("简介", blank=True)
    released_at = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name="发布于议程",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="released_projects",
    )
    awarded_at = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name="颁授于议程",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awarded_projects",
    )
    order = models.PositiveIntegerField("原文顺序", default=0)
    is_published = models.BooleanField("对外公开", default=True)
    goals = models.TextField("目标", blank=True)
    report_cadence = models.CharField("填报周期", max_length=20, choices=Cadence.choices,
                                      default=Cadence.QUARTERLY)
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-year", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "kind", "year", "title"],
                name="project_unique_title",
                violation_error_message="该联席会议同年度已有同名同类项目。",
            )
        ]
        indexes = [
            # The projects list and /api/v1/projects: ORDER BY year DESC, kind, order, id LIMIT n reads
            # the first rows of this index instead of sorting every project.
            models.Index(fields=["-year", "kind", "order", "id"], name="project_list_order"),
            # The same list for one conference, and the conference home's key/brand projects.
            models.Index(fields=["conference", "-year", "kind", "order", "id"], name="project_conf_order"),
        ]

    def __str__(self):
        return self.title

    def links_display(self) -> list[str]:
        labels = dict(Link.choices)
        return [labels.get(code, code) for code in self.links]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("projects:project_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = f"{search_key(self.title)} {pinyin_initials(self.title)}"[:400]
        super().save(*args, **kwargs)




def period_start(cadence: str, day: datetime.date) -> datetime.date:
    """First day of the reporting period (month, quarter, half-year, year) ``day`` falls in."""
    months = CADENCE_MONTHS[cadence]
    month = ((day.month - 1) // months) * months + 1
    return datetime.date(day.year, month, 1)


class TrackingStatus(models.TextChoices):
    """The derived status of a tracked project (docs/project-status.md)."""

    NOT_STARTED = "not_started", "未启动"
    ACTIVE = "active", "推进中"
    LAGGING = "lagging", "滞后"
    COMPLETED = "completed", "已完成"


class Milestone(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.project.conference_id

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["project", "due", "order", "id"]
        indexes = [models.Index(fields=["project", "done_on", "due"], name="milestone_project_state")]

    def __str__(self):
        return f"{self.title}（{self.due:%Y-%m-%d}）"


class ProgressReport(models.Model):
    """One progress report (进展填报) by the project's lead unit: text, figures, attachments."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="progress_reports")
    reported_on = models.DateField("填报日期")
    period_start = models.DateField("所属周期起")
    text = models.TextField("进展情况")
    figures = models.JSONField("数据", default=dict, blank=True, help_text="{名称: 数值}")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.project.conference_id

    class Meta:
        verbose_name = "进展填报"
        verbose_name_plural = "进展填报"
        ordering = ["project", "-reported_on", "-id"]
        indexes = [models.Index(fields=["project", "-reported_on"], name="report_project_date")]

    def __str__(self):
        return f"{self.project} · {self.reported_on:%Y-%m-%d}"


class Attachment(models.Model):
    """A photo or document of a progress report, stored under MEDIA_ROOT and served only through
    the gated view (projects:attachment)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        DOCUMENT = "document", "文档"

    report = models.ForeignKey(ProgressReport, verbose_name="进展填报", on_delete=models.CASCADE,
                               related_name="attachments")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to="project_reports/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["report", "id"]

    def __str__(self):
        return self.name


class PartnerClaim(models.Model):
    """认领重点项目: a unit asks to join a released key project as a partner; the project's owners
    (the managers of its conference) confirm or decline."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.project.conference_id

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "未接受"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="partner_claims")
    unit = models.ForeignKey(Unit, verbose_name="认领单位", on_delete=models.CASCADE, related_name="project_claims")
    note = models.CharField("认领说明", max_length=300, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField("认领时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目认领"
        verbose_name_plural = "项目认领"
        ordering = ["project", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], condition=models.Q(state="pending"),
                                    name="partner_claim_one_pending",
                                    violation_error_message="该单位已认领此项目，正在等待确认。"),
        ]

    def __str__(self):
        return f"{self.unit} → {self.project}"
