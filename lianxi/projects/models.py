"""Key and brand projects (重点项目, 品牌项目), tagged by the five links (五联). Progress tracking
(常抓项目) and selection campaigns build on these rows later."""

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

    def save(self, *args, **kwargs):
        self.search_text = f"{search_key(self.title)} {pinyin_initials(self.title)}"[:400]
        super().save(*args, **kwargs)
