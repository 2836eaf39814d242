"""Selection and honour campaigns (评选活动): a call (征集), recommendations within quotas per
nominating body (推荐), review against a weighted rubric by assigned reviewers (遴选), a ranked
decision (评选), a public notice with objections (公示), and the award at a meeting (颁授/命名).
Honours (百优支部) are the named lists such a campaign produces."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from lianxi.projects.models import Link
from lianxi.registry.models import Area, Conference, Unit


class Phase(models.TextChoices):
    """The phases in order; a campaign moves forward one step at a time (services.advance)."""

    DRAFT = "draft", "筹备"
    CALL = "call", "征集"
    RECOMMEND = "recommend", "推荐"
    REVIEW = "review", "遴选"
    DECIDE = "decide", "评选"
    NOTICE = "notice", "公示"
    FINAL = "final", "结果确定"
    AWARDED = "awarded", "已颁授"


PHASE_ORDER = list(Phase.values)


class Campaign(models.Model):
    class Kind(models.TextChoices):
        BRAND = "brand", "品牌项目评选"
        HONOUR = "honour", "荣誉命名"
        KEY_RELEASE = "key_release", "重点项目发布"

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField("年度")
    places = models.PositiveIntegerField("名额", help_text="评出的数量，如十大品牌项目为 10")
    honour_name = models.CharField("荣誉名称", max_length=100, blank=True, help_text="荣誉命名类，如“百优支部”")
    representatives = models.PositiveIntegerField("上台代表数", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    fields = models.JSONField("申报表字段", default=list, blank=True,
                              help_text='[{"key": "team", "label": "团队", "required": true}]')
    reviews_per_nomination = models.PositiveSmallIntegerField("每件评审人数", default=3)
    normalise = models.BooleanField("按评审人标准化（z 分数）", default=False)
    phase = models.CharField("阶段", max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    call_start = models.DateField("征集开始", null=True, blank=True)
    call_end = models.DateField("征集截止", null=True, blank=True)
    recommend_end = models.DateField("推荐截止", null=True, blank=True)
    review_end = models.DateField("遴选截止", null=True, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示结束", null=True, blank=True)
    # False for a campaign known only by its outcome (the Huangpu reference data): its phase
    # details are 未载明 and nothing about them is filled in.
    details_stated = models.BooleanField("过程细节已载明", default=True)
    source_note = models.CharField("资料来源", max_length=300, blank=True)
    rubric_locked_at = models.DateTimeField("评分标准锁定于", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_note = models.CharField("决定说明", max_length=300, blank=True)
    awarded_at = models.ForeignKey("meetings.AgendaItem", verbose_name="颁授于议程", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="campaigns")
    is_published = models.BooleanField("对外公开", default=True)

    class Meta:
        verbose_name = "评选活动"
        verbose_name_plural = "评选活动"
        ordering = ["-year", "conference", "id"]
        indexes = [models.Index(fields=["conference", "-year"], name="campaign_conf_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("campaigns:campaign_detail", args=[self.pk])

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)


class NominatingBody(models.Model):
    """推荐主体: a sub-conference, a street or a category group that recommends up to its quota from
    the nominations it received. Its members: current members of ``conference``, units in ``area``,
    or units of ``category`` (whichever is set)."""

    campaign = models.ForeignKey(Campaign, verbose_name="评选活动", on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField("推荐主体", max_length=200)
    conference = models.ForeignKey(Conference, verbose_name="联席会议", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.CharField("单位类别", max_length=30, blank=True, choices=Unit.Category.choices)
    quota = models.PositiveIntegerField("推荐名额")
    recommended_count = models.PositiveIntegerField("已推荐", default=0, editable=False)

    class Meta:
        verbose_name = "推荐主体"
        verbose_name_plural = "推荐主体"
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(recommended_count__lte=models.F("quota")), name="body_quota_never_exceeded",
                                   violation_error_message="推荐数量超过该主体的名额。"),
        ]

    def __str__(self):
        return self.name


class Nomination(models.Model):
    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.campaign.conference_id

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        RECOMMENDED = "recommended", "已推荐"
        WITHDRAWN = "withdrawn", "已撤回"

    campaign = models.ForeignKey(Campaign, verbose_name="评选活动", on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey(Unit, verbose_name="申报单位", on_delete=models.PROTECT, related_name="nominations")
    body = models.ForeignKey(NominatingBody, verbose_name="推荐主体", on_delete=models.PROTECT,
                             related_name="nominations")
    title = models.CharField("申报名称", max_length=200, help_text="项目名称或党组织名称")
    party_org_name = models.CharField("党组织", max_length=200, blank=True)
    summary = models.TextField("简介", blank=True)
    links = models.JSONField("五联", default=list, blank=True)
    values = models.JSONField("申报表内容", default=dict, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # Filled by the ranking (services.compute_ranking), reproducible from the stored scores.
    score = models.FloatField("得分", null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    tied = models.BooleanField("并列", default=False)
    selected = models.BooleanField("入选", default=False)
    project = models.ForeignKey("projects.Project", verbose_name="对应项目", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="nominations")

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["campaign", "id"]
        indexes = [models.Index(fields=["campaign", "state", "rank"], name="nomination_campaign_state")]

    def __str__(self):
        return self.title

    def links_display(self) -> list[str]:
        labels = dict(Link.choices)
        return [labels.get(c, c) for c in self.links]


class NominationAttachment(models.Model):
    nomination = models.ForeignKey(Nomination, verbose_name="申报", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=20)
    file = models.FileField("文件", upload_to="nominations/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "申报附件"
        verbose_name_plural = "申报附件"

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """One line of the rubric: a weight (percent of the total) and the highest score."""

    campaign = models.ForeignKey(Campaign, verbose_name="评选活动", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=100)
    weight = models.PositiveIntegerField("权重（%）")
    max_score = models.PositiveIntegerField("满分", default=10)
    order = models.PositiveIntegerField("顺序", default=0)

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.campaign.conference_id

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["campaign", "order", "id"]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class Reviewer(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="评选活动", on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("评审", max_length=100)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    expertise = models.JSONField("专长（五联）", default=list, blank=True)

    class Meta:
        verbose_name = "评审"
        verbose_name_plural = "评审"
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="reviewer_unique",
                                               violation_error_message="该账号已是本活动的评审。")]

    def __str__(self):
        return self.name


class Conflict(models.Model):
    """A conflict of interest a reviewer declared for one nomination."""

    reviewer = models.ForeignKey(Reviewer, verbose_name="评审", on_delete=models.CASCADE, related_name="conflicts")
    nomination = models.ForeignKey(Nomination, verbose_name="申报", on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField("回避原因", max_length=200)

    class Meta:
        verbose_name = "声明回避"
        verbose_name_plural = "声明回避"
        constraints = [models.UniqueConstraint(fields=["reviewer", "nomination"], name="conflict_unique",
                                               violation_error_message="已声明回避。")]

    def __str__(self):
        return f"{self.reviewer} 回避 {self.nomination}"


class Assignment(models.Model):
    reviewer = models.ForeignKey(Reviewer, verbose_name="评审", on_delete=models.CASCADE, related_name="assignments")
    nomination = models.ForeignKey(Nomination, verbose_name="申报", on_delete=models.CASCADE, related_name="assignments")
    reason = models.CharField("分配理由", max_length=200, blank=True)
    submitted_at = models.DateTimeField("评分提交", null=True, blank=True)

    class Meta:
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"
        ordering = ["reviewer", "nomination"]
        constraints = [models.UniqueConstraint(fields=["reviewer", "nomination"], name="assignment_unique",
                                               violation_error_message="已分配。")]

    def __str__(self):
        return f"{self.reviewer} → {self.nomination}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, verbose_name="评审分配", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name="评分项", on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveIntegerField("得分")

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique",
                                               violation_error_message="该项已评分。")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Objection(models.Model):
    """An objection filed during the public notice (公示), and how it was handled."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.campaign.conference_id

    class State(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "成立"
        DISMISSED = "dismissed", "不成立"

    campaign = models.ForeignKey(Campaign, verbose_name="评选活动", on_delete=models.CASCADE, related_name="objections")
    nomination = models.ForeignKey(Nomination, verbose_name="针对申报", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="objections")
    filer_name = models.CharField("署名", max_length=100)
    contact = models.CharField("联系方式", max_length=100)
    text = models.TextField("异议内容")
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)
    # The client address it came from (lianxi.lib.net.client_ip): what the limit on objections per
    # address counts. Not shown on any page or in the API.
    filed_from = models.CharField("提出地址", max_length=45, blank=True, default="", editable=False)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    handling = models.TextField("处理意见", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["campaign", "-filed_at"]

    def __str__(self):
        return f"{self.filer_name}：{self.text[:30]}"


class Honour(models.Model):
    """A named honour (e.g. 百优支部) and its list. ``stated_count`` is the figure a source gives
    (100) when it names none of them; entries are only those actually named."""

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="honours")
    name = models.CharField("荣誉", max_length=100)
    year = models.PositiveIntegerField("年度")
    campaign = models.OneToOneField(Campaign, verbose_name="评选活动", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="honour")
    stated_count = models.PositiveIntegerField("载明数量", null=True, blank=True)
    stated_representatives = models.PositiveIntegerField("载明上台代表数", null=True, blank=True)
    named_at = models.ForeignKey("meetings.AgendaItem", verbose_name="命名于议程", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="honours")
    is_published = models.BooleanField("对外公开", default=True)

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.year}年{self.name}"


class HonourEntry(models.Model):
    honour = models.ForeignKey(Honour, verbose_name="荣誉", on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="honours")
    party_org_name = models.CharField("党组织", max_length=200)
    nomination = models.OneToOneField(Nomination, verbose_name="申报", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="honour_entry")
    is_representative = models.BooleanField("上台代表", default=False)
    awarded_at = models.ForeignKey("meetings.AgendaItem", verbose_name="授牌于议程", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="honour_entries")
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "荣誉名单"
        verbose_name_plural = "荣誉名单"
        ordering = ["honour", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["honour", "unit", "party_org_name"], name="honour_entry_unique",
                                               violation_error_message="该党组织已在此荣誉名单中。")]

    def __str__(self):
        return self.party_org_name
