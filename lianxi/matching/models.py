"""Recommended matches (推荐匹配): a run of the matcher over one conference's open needs and
available resources, the suggestions it made, and the cache of text vectors that keeps a rerun
from segmenting every text again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lianxi.registry.models import Area, Conference, Unit


class MatchRun(models.Model):
    """One run of the matcher for a conference: what it read, what it proposed, how long each step
    took. Suggestions of earlier runs that were never sent expire when a new run finishes."""

    class Status(models.TextChoices):
        RUNNING = "running", "计算中"
        FINISHED = "finished", "已完成"
        FAILED = "failed", "失败"

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.CASCADE, related_name="match_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="match_runs",
    )
    started_at = models.DateTimeField("开始时间", default=timezone.now, editable=False)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True, editable=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RUNNING)
    needs_count = models.PositiveIntegerField("开放需求数", default=0)
    resources_count = models.PositiveIntegerField("可用资源数", default=0)
    candidates_count = models.PositiveIntegerField("候选配对数", default=0)
    suggestions_count = models.PositiveIntegerField("推荐数", default=0)
    total_score = models.BigIntegerField("总分", default=0, help_text="Σ 分值 × 数量（分值为积分 × 100）")
    total_quantity = models.PositiveIntegerField("推荐总数量", default=0)
    timings = models.JSONField("各步耗时（秒）", default=dict, blank=True)
    error = models.TextField("错误信息", blank=True)

    class Meta:
        verbose_name = "匹配计算"
        verbose_name_plural = "匹配计算"
        ordering = ["-started_at", "-id"]
        indexes = [
            # The latest finished run of a conference (suggestions page, API).
            models.Index(fields=["conference", "status", "-started_at"], name="matchrun_conf_status_started"),
        ]

    def __str__(self):
        return f"{self.conference.display_name} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M} 匹配"


class SuggestionQuerySet(models.QuerySet):
    def for_page(self):
        """Everything a suggestions row shows, in the same query."""
        return self.select_related(
            "conference", "need", "need__category", "need__area", "need__owner", "resource", "resource__category",
            "unit", "invitation", "claim",
        )

    def paged(self):
        """This queryset for a paginator, joined late: the paginator counts and slices bare ids
        (an index walk, even deep into 35,000 rows), and only the rows of the page are then read
        with everything they show, in one more query."""
        return _LatePage(self)


class _LatePage:
    """Sliceable and countable like a queryset, for Django's ``Paginator`` and ninja's pagination."""

    def __init__(self, queryset):
        self.queryset = queryset

    def all(self):
        return self

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        rows = {s.pk: s for s in Suggestion.objects.for_page().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


class Suggestion(models.Model):
    """One recommended pairing: ``quantity`` of ``need`` taken on by ``resource`` (of ``unit``).
    The secretariat sends it as an invitation through the burden gate; the unit's liaison accepts
    (which makes the claim) or declines. ``reasons`` holds the parts of the score, shown in words."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        SENT = "sent", "已发出邀请"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已婉拒"
        EXPIRED = "expired", "已失效"

    TRANSITIONS = {
        State.PROPOSED: {State.SENT, State.EXPIRED},
        State.SENT: {State.ACCEPTED, State.DECLINED, State.EXPIRED},
        State.ACCEPTED: set(),
        State.DECLINED: set(),
        State.EXPIRED: set(),
    }

    # A run writes tens of thousands of rows at once, so foreign keys whose lookups a composite
    # index below already serves get no index of their own (db_index=False), and the rarely set
    # ones get a partial index over the rows that have them.
    run = models.ForeignKey(MatchRun, verbose_name="匹配计算", on_delete=models.CASCADE, related_name="suggestions",
                            db_index=False)
    # Copied from the run so that a liaison's invitations and the API filter without a join.
    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.CASCADE, related_name="suggestions",
                                   db_index=False)
    need = models.ForeignKey("lists.Need", verbose_name="需求", on_delete=models.CASCADE, related_name="suggestions")
    resource = models.ForeignKey("lists.Resource", verbose_name="资源", on_delete=models.CASCADE, related_name="suggestions")
    unit = models.ForeignKey(Unit, verbose_name="资源单位", on_delete=models.CASCADE, related_name="suggestions",
                             db_index=False)
    quantity = models.PositiveIntegerField("推荐数量")
    score = models.IntegerField("分值", help_text="积分 × 100")
    reasons = models.JSONField("推荐理由", default=dict)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PROPOSED)
    invitation = models.ForeignKey(
        "burden.BurdenRequest", verbose_name="认领邀请", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="suggestions", db_index=False,
    )
    claim = models.ForeignKey(
        "lists.Claim", verbose_name="形成的认领", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="suggestions", db_index=False,
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="decided_suggestions", db_index=False,
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = "推荐匹配"
        verbose_name_plural = "推荐匹配"
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="suggestion_quantity_positive",
                                   violation_error_message="推荐数量至少为 1。"),
            models.UniqueConstraint(fields=["run", "need", "resource"], name="suggestion_unique_pair_in_run",
                                    violation_error_message="同一次匹配中该需求与资源只推荐一次。"),
        ]
        indexes = [
            # The review page: one run's suggestions best first (and the API: newest run first).
            models.Index(fields=["-run", "-score", "id"], name="suggestion_run_score"),
            # The review page filtered by state.
            models.Index(fields=["run", "state", "-score"], name="suggestion_run_state_score"),
            # A liaison's invitations: suggestions for my unit by state.
            models.Index(fields=["unit", "state"], name="suggestion_unit_state"),
            # Expiring what earlier runs proposed for a conference.
            models.Index(fields=["conference", "state"], name="suggestion_conf_state"),
            # The suggestion behind an invitation or a claim (burden page, claim page, SET_NULL).
            models.Index(fields=["invitation"], condition=Q(invitation__isnull=False), name="suggestion_invitation"),
            models.Index(fields=["claim"], condition=Q(claim__isnull=False), name="suggestion_claim"),
            # Who decided what (and SET_NULL when an account is deleted).
            models.Index(fields=["decided_by"], condition=Q(decided_by__isnull=False), name="suggestion_decided_by"),
        ]

    def __str__(self):
        return f"{self.resource} → {self.need}"

    def get_absolute_url(self):
        return reverse("matching:suggestion", args=[self.pk])

    @property
    def reason_text(self) -> str:
        from lianxi.matching.scoring import describe

        return describe(self.reasons) if self.reasons else ""

    @property
    def points(self) -> float:
        return self.score / 100


class AreaNeighbour(models.Model):
    """Two streets (or areas) that border each other: the neighbour map the matcher uses for its
    "neighbouring street" bonus. Stored once per pair (``area_id < neighbour_id``)."""

    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Area, verbose_name="相邻区域", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "相邻区域"
        verbose_name_plural = "相邻区域"
        ordering = ["area", "neighbour"]
        constraints = [
            models.UniqueConstraint(fields=["area", "neighbour"], name="areaneighbour_unique",
                                    violation_error_message="这两个区域已记为相邻。"),
            models.CheckConstraint(condition=Q(area__lt=models.F("neighbour")), name="areaneighbour_ordered",
                                   violation_error_message="相邻关系按编号从小到大记录一次。"),
        ]

    def __str__(self):
        return f"{self.area} ↔ {self.neighbour}"


class TextVector(models.Model):
    """Cached jieba features of one need's or resource's text (title + description), keyed by a
    digest of the text: a rerun segments only texts that are new or changed. Derived data, no audit."""

    class Kind(models.TextChoices):
        NEED = "need", "需求"
        RESOURCE = "resource", "资源"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    digest = models.BinaryField(max_length=16)
    features = models.BinaryField(help_text="int32 哈希特征编号")

    class Meta:
        verbose_name = "文本特征缓存"
        verbose_name_plural = "文本特征缓存"
        constraints = [
            # Also the index of the one query that loads the cache for a run.
            models.UniqueConstraint(fields=["kind", "object_id"], name="textvector_unique_object"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
