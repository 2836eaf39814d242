"""The three lists and what keeps them alive: needs (需求清单), resources (资源清单), claims (认领) with
their deliveries, the first-right pairing window, snapshots frozen at a plenary, and the ledger of
the invitation (a burden-gate request, ``lianxi.burden``) a claim answered.

State machines are tables in code (``Need.TRANSITIONS`` …); only the services in
``lianxi.lists.services`` change a state, and they refuse any pair
not in the table."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from lianxi.lib.queries import SearchQuerySet
from lianxi.lib.text import pinyin_initials, search_key
from lianxi.registry.models import Area, Conference, Unit


class NeedCategory(models.Model):
    """One entry of the configurable taxonomy shared by needs and resources (为老服务, 青少年 …).
    The defaults are seeded by a data migration; a district may add, rename or retire entries."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "需求类别"
        verbose_name_plural = "需求类别"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Urgency(models.TextChoices):
    # The codes sort in order of urgency (urgent > soon > normal), so "-urgency" orders the hall
    # most urgent first straight from an index.
    NORMAL = "normal", "一般"
    SOON = "soon", "较急"
    URGENT = "urgent", "紧急"


class NeedQuerySet(SearchQuerySet):
    def claimable(self):
        """Needs that still take claims: published or partly claimed, or being delivered with a
        remainder nobody has taken yet."""
        return self.filter(
            Q(state__in=[Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED])
            | Q(state=Need.State.IN_DELIVERY, claimed_quantity__lt=F("quantity"))
        )

    def open(self):
        """What the hall and the matcher work on: claimable needs with quantity left (``is_open``,
        kept by ``Need.derive`` on every save, so the hall reads an index instead of a scan)."""
        return self.filter(is_open=True)

    def in_hall(self, now: datetime.datetime | None = None):
        """Open needs whose first-right window is over (or never existed): every member may claim."""
        now = now or timezone.now()
        return self.open().filter(Q(first_right_until__isnull=True) | Q(first_right_until__lte=now))



class Need(models.Model):
    """A need (需求) of a grassroots unit: posted by the unit itself, or recorded by the secretariat
    from a meeting or a visit (``source``). ``claimed_quantity`` is the sum of the active claims,
    kept by the claim service under a row lock and bounded by a check constraint, so a need can
    never be over-claimed however many liaisons press the button at once."""

    class Source(models.TextChoices):
        POSTED = "posted", "基层单位发布"
        MEETING = "meeting", "会议收集"
        VISIT = "visit", "走访收集"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "待认领"
        PARTLY_CLAIMED = "partly_claimed", "部分认领"
        CLAIMED = "claimed", "已认领"
        IN_DELIVERY = "in_delivery", "落实中"
        DELIVERED = "delivered", "已交付"
        CONFIRMED = "confirmed", "已确认"
        CLOSED = "closed", "已关闭"
        WITHDRAWN = "withdrawn", "已撤回"
        EXPIRED = "expired", "已过期"

    # The state machine. A service that moves a need checks its pair here and refuses the rest.
    TRANSITIONS = {
        State.DRAFT: {State.PUBLISHED, State.WITHDRAWN},
        State.PUBLISHED: {State.PARTLY_CLAIMED, State.CLAIMED, State.WITHDRAWN, State.EXPIRED},
        State.PARTLY_CLAIMED: {State.PUBLISHED, State.CLAIMED, State.IN_DELIVERY, State.WITHDRAWN},
        State.CLAIMED: {State.PUBLISHED, State.PARTLY_CLAIMED, State.IN_DELIVERY, State.DELIVERED, State.WITHDRAWN},
        State.IN_DELIVERY: {State.DELIVERED, State.CONFIRMED, State.CLOSED},
        State.DELIVERED: {State.CONFIRMED, State.CLOSED},
        State.CONFIRMED: {State.CLOSED},
        State.CLOSED: set(),
        State.WITHDRAWN: set(),
        State.EXPIRED: set(),
    }
    # States the public sees (released lists are public; drafts and withdrawals are not).
    PUBLIC_STATES = [State.PUBLISHED, State.PARTLY_CLAIMED, State.CLAIMED, State.IN_DELIVERY, State.DELIVERED,
                     State.CONFIRMED, State.CLOSED]
    FULFILLED_STATES = [State.DELIVERED, State.CONFIRMED, State.CLOSED]

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="needs")
    owner = models.ForeignKey(Unit, verbose_name="需求单位", on_delete=models.PROTECT, related_name="needs")
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.POSTED)
    source_meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="收集于会议", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="raised_needs",
    )
    source_note = models.CharField("来源说明", max_length=200, blank=True, help_text="如走访日期、走访对象")
    title = models.CharField("需求名称", max_length=120)
    description = models.TextField("需求描述", blank=True)
    category = models.ForeignKey(NeedCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="needs")
    area = models.ForeignKey(Area, verbose_name="街道/居民区", on_delete=models.PROTECT, related_name="needs")
    quantity = models.PositiveIntegerField("需求数量")
    quantity_unit = models.CharField("计量单位", max_length=20, blank=True, help_text="如 场/月、人、次")
    claimed_quantity = models.PositiveIntegerField("已认领数量", default=0, editable=False)
    beneficiaries = models.CharField("受益对象", max_length=120, blank=True, help_text="如 辖区独居老人约 200 人")
    deadline = models.DateField("截止日期", null=True, blank=True)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT, editable=False)
    first_right_until = models.DateTimeField(
        "结对优先认领截止", null=True, blank=True, editable=False,
        help_text="此前只有结对单位可以认领，此后进入认领大厅",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="posted_needs",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    is_open = models.BooleanField("仍可认领", default=False, editable=False)
    search_text = models.CharField(max_length=300, blank=True, editable=False)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = "需求"
        verbose_name_plural = "需求清单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="need_quantity_positive", violation_error_message="需求数量至少为 1。"
            ),
            models.CheckConstraint(
                condition=Q(claimed_quantity__lte=F("quantity")),
                name="need_claimed_within_quantity",
                violation_error_message="认领总数不能超过需求数量。",
            ),
        ]
        indexes = [
            # The hall: open needs, most urgent and newest first, across conferences or in one. Partial
            # (open needs only): SQLite cannot use a leading boolean column for the bare "WHERE is_open"
            # Django writes, and sorted every open need instead; the partial index matches that term.
            models.Index(fields=["-urgency", "-published_at", "-id"], condition=Q(is_open=True), name="need_open_order"),
            models.Index(fields=["conference", "-urgency", "-published_at", "-id"], condition=Q(is_open=True),
                         name="need_conf_open_order"),
            # The overview's counts by state, and the matcher's open needs of a conference.
            models.Index(fields=["conference", "state", "-published_at"], name="need_conf_state_pub"),
            # Ten years of history by conference and time (overview, export, generator checks).
            models.Index(fields=["conference", "-created_at"], name="need_conf_created"),
            # Every need, newest first (the API's default list).
            models.Index(fields=["-created_at", "-id"], name="need_created"),
            # A unit's own needs, newest first; also "the last need of this unit" for prefilling.
            models.Index(fields=["owner", "-created_at"], name="need_owner_created"),
            # The daily expiry sweep: published needs whose deadline has passed.
            models.Index(fields=["state", "deadline"], name="need_state_deadline"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lists:need_detail", args=[self.pk])

    @property
    def remaining(self) -> int:
        return max(self.quantity - self.claimed_quantity, 0)

    @property
    def quantity_label(self) -> str:
        return f"{self.quantity}{self.quantity_unit}"

    def window_open(self, now: datetime.datetime | None = None) -> bool:
        """Whether paired units still hold the first right to claim."""
        return self.first_right_until is not None and (now or timezone.now()) < self.first_right_until

    CLAIMABLE_STATES = (State.PUBLISHED, State.PARTLY_CLAIMED, State.IN_DELIVERY)

    def derive(self):
        """Fill the derived columns (bulk inserts call this, as save() is not run for them)."""
        self.search_text = f"{search_key(self.title)} {pinyin_initials(self.title)}"[:300]
        self.refresh_open()

    def refresh_open(self):
        self.is_open = self.state in self.CLAIMABLE_STATES and self.claimed_quantity < self.quantity

    def save(self, *args, **kwargs):
        self.derive()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = set()
            if "title" in update_fields:
                extra.add("search_text")
            if {"state", "claimed_quantity", "quantity"} & set(update_fields):
                extra.add("is_open")
            kwargs["update_fields"] = [*update_fields, *(extra - set(update_fields))]
        super().save(*args, **kwargs)


class NeedPairing(models.Model):
    """A unit paired (结对) with a need: it holds the first right to claim until the need's
    ``first_right_until``; after that the need is in the open hall (认领大厅) for every member."""

    need = models.ForeignKey(Need, verbose_name="需求", on_delete=models.CASCADE, related_name="pairings")
    unit = models.ForeignKey(Unit, verbose_name="结对单位", on_delete=models.PROTECT, related_name="need_pairings")
    created_at = models.DateTimeField("结对时间", default=timezone.now, editable=False)

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.need.conference_id

    class Meta:
        verbose_name = "结对优先认领"
        verbose_name_plural = "结对优先认领"
        ordering = ["need", "id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "unit"], name="pairing_unique", violation_error_message="该单位已与此需求结对。")
        ]

    def __str__(self):
        return f"{self.unit} ⇄ {self.need}"


class Resource(models.Model):
    """A resource (资源) a member unit offers: a venue, volunteers, expertise, money, training,
    posts or a service, with a capacity per period, a window of availability and the streets it
    serves. The matcher pairs these with open needs."""

    class Kind(models.TextChoices):
        VENUE = "venue", "场地阵地"
        VOLUNTEERS = "volunteers", "志愿者"
        EXPERTISE = "expertise", "专家智力"
        FUNDING = "funding", "资金"
        TRAINING = "training", "培训"
        JOBS = "jobs", "岗位"
        SERVICE = "service", "服务"

    class Period(models.TextChoices):
        ONCE = "once", "一次性"
        WEEKLY = "weekly", "每周"
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"
        YEARLY = "yearly", "每年"

    class State(models.TextChoices):
        OFFERED = "offered", "可提供"
        WITHDRAWN = "withdrawn", "已撤回"

    TRANSITIONS = {State.OFFERED: {State.WITHDRAWN}, State.WITHDRAWN: {State.OFFERED}}

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="resources")
    unit = models.ForeignKey(Unit, verbose_name="提供单位", on_delete=models.PROTECT, related_name="resources")
    title = models.CharField("资源名称", max_length=120)
    description = models.TextField("资源描述", blank=True)
    category = models.ForeignKey(NeedCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="resources")
    kind = models.CharField("资源类型", max_length=20, choices=Kind.choices)
    capacity = models.PositiveIntegerField("可提供数量", help_text="每个周期可提供的数量")
    capacity_unit = models.CharField("计量单位", max_length=20, blank=True, help_text="如 场、人次、平方米")
    period = models.CharField("周期", max_length=20, choices=Period.choices, default=Period.MONTHLY)
    available_from = models.DateField("可提供起始", null=True, blank=True)
    available_until = models.DateField("可提供截止", null=True, blank=True)
    areas = models.ManyToManyField(Area, verbose_name="服务街道/区域", blank=True, related_name="served_by_resources")
    venue = models.ForeignKey(
        "registry.Venue", verbose_name="提供的阵地", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="resources", help_text="场地阵地类资源可指明登记的阵地",
    )
    conditions = models.TextField("使用条件", blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OFFERED, editable=False)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="offered_resources",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)
    search_text = models.CharField(max_length=300, blank=True, editable=False)

    # ``search``: the title, simplified or traditional, or pinyin initials (the API's ``q``).
    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = "资源"
        verbose_name_plural = "资源清单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="resource_capacity_positive", violation_error_message="可提供数量至少为 1。"
            ),
            models.CheckConstraint(
                condition=Q(available_until__isnull=True) | Q(available_from__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="resource_window_order",
                violation_error_message="可提供截止日期不能早于起始日期。",
            ),
        ]
        indexes = [
            # The resource list and the matcher: a conference's offered resources by category.
            models.Index(fields=["conference", "state", "category"], name="resource_conf_state_cat"),
            # A unit's own resources (inbox: which needs my resources fit).
            models.Index(fields=["unit", "state"], name="resource_unit_state"),
            # Ten years of history by conference and time.
            models.Index(fields=["conference", "-created_at"], name="resource_conf_created"),
            # Every resource, newest first (the API's list).
            models.Index(fields=["-created_at", "-id"], name="resource_created"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lists:resource_detail", args=[self.pk])

    def available_on(self, day: datetime.date) -> bool:
        return (self.available_from is None or self.available_from <= day) and (
            self.available_until is None or day <= self.available_until
        )

    def derive(self):
        """Fill the derived columns (bulk inserts call this, as save() is not run for them)."""
        self.search_text = f"{search_key(self.title)} {pinyin_initials(self.title)}"[:300]

    def save(self, *args, **kwargs):
        self.derive()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)


class Cadence(models.TextChoices):
    ONCE = "once", "一次性"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class Claim(models.Model):
    """A unit taking on (part of) a need: alone, or jointly with co-claimants whose shares are
    ``ClaimShare`` rows. A claim with a cadence is a long-term claim (长效认领): its deliveries are
    scheduled one per period until ``end_on`` (exclusive), or indefinitely when it has none."""

    class State(models.TextChoices):
        ACTIVE = "active", "认领中"
        COMPLETED = "completed", "已完成"
        CANCELLED = "cancelled", "已撤回"

    TRANSITIONS = {
        State.ACTIVE: {State.COMPLETED, State.CANCELLED},
        State.COMPLETED: set(),
        State.CANCELLED: set(),
    }

    need = models.ForeignKey(Need, verbose_name="需求", on_delete=models.PROTECT, related_name="claims")
    # Copied from the need so the overview and the generator can filter claims by conference and time.
    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="claims")
    unit = models.ForeignKey(Unit, verbose_name="认领单位", on_delete=models.PROTECT, related_name="claims")
    quantity = models.PositiveIntegerField("认领数量")
    resource = models.ForeignKey(
        Resource, verbose_name="使用资源", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    cadence = models.CharField("频次", max_length=20, choices=Cadence.choices, default=Cadence.ONCE)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期", null=True, blank=True, help_text="长效认领留空表示长期")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.ACTIVE, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)
    via_request = models.ForeignKey(
        "burden.BurdenRequest", verbose_name="来自邀请", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="claims",
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="认领人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="lists_claims",
    )
    created_at = models.DateTimeField("认领时间", default=timezone.now, editable=False)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "认领"
        verbose_name_plural = "认领"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="claim_quantity_positive", violation_error_message="认领数量至少为 1。"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gt=F("start_on")),
                name="claim_end_after_start",
                violation_error_message="结束日期必须晚于开始日期。",
            ),
            models.UniqueConstraint(
                fields=["need", "unit"],
                condition=Q(state="active"),
                name="claim_one_active_per_unit",
                violation_error_message="该单位已认领此需求，如需增加数量请先撤回原认领。",
            ),
        ]
        indexes = [
            # A need's claims by state (need page, the claim service's recount).
            models.Index(fields=["need", "state"], name="claim_need_state"),
            # "My claims" in the liaison's inbox, newest first.
            models.Index(fields=["unit", "state", "-created_at"], name="claim_unit_state_created"),
            # A conference's claims over time (overview, generator checks).
            models.Index(fields=["conference", "-created_at"], name="claim_conf_created"),
        ]

    def __str__(self):
        return f"{self.unit} 认领 {self.need}"

    def get_absolute_url(self):
        return reverse("lists:need_detail", args=[self.need_id]) + f"#claim-{self.pk}"

    @property
    def is_long_term(self) -> bool:
        return self.cadence != Cadence.ONCE


class ClaimShare(models.Model):
    """One participant's share of a joint claim (联合认领). A joint claim has a share row for the
    lead unit and one for each co-claimant; the shares add up to the claim's quantity."""

    claim = models.ForeignKey(Claim, verbose_name="认领", on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey(Unit, verbose_name="参与单位", on_delete=models.PROTECT, related_name="claim_shares")
    quantity = models.PositiveIntegerField("承担数量")

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.claim.conference_id

    class Meta:
        verbose_name = "联合认领份额"
        verbose_name_plural = "联合认领份额"
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "unit"], name="claimshare_unique", violation_error_message="该单位已在此联合认领中。"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="claimshare_quantity_positive", violation_error_message="承担数量至少为 1。"
            ),
        ]
        indexes = [
            # Claims a unit takes part in as a co-claimant (inbox, delivery rights).
            models.Index(fields=["unit", "claim"], name="claimshare_unit_claim"),
        ]

    def __str__(self):
        return f"{self.unit}：{self.quantity}"


class DeliveryQuerySet(models.QuerySet):
    def overdue(self, on: datetime.date | None = None):
        """Scheduled deliveries whose due date has passed without being recorded."""
        return self.filter(state=Delivery.State.SCHEDULED, due_on__lt=on or timezone.localdate())

    def due(self, on: datetime.date | None = None, within_days: int = 14):
        on = on or timezone.localdate()
        return self.filter(state=Delivery.State.SCHEDULED, due_on__gte=on,
                           due_on__lte=on + datetime.timedelta(days=within_days))


class Delivery(models.Model):
    """One delivery of a claim: scheduled for a due date, recorded as delivered by the claimant,
    confirmed (and optionally rated 1–5) by the need's owner. A one-off claim has one; a long-term
    claim one per period. A scheduled delivery past its due date is overdue."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "待交付"
        DELIVERED = "delivered", "已交付待确认"
        CONFIRMED = "confirmed", "已确认"
        CANCELLED = "cancelled", "已取消"

    TRANSITIONS = {
        State.SCHEDULED: {State.DELIVERED, State.CANCELLED},
        State.DELIVERED: {State.CONFIRMED},
        State.CONFIRMED: set(),
        State.CANCELLED: set(),
    }

    claim = models.ForeignKey(Claim, verbose_name="认领", on_delete=models.CASCADE, related_name="deliveries")
    # Copied from the claim: the secretariat's overdue list is filtered by conference and due date.
    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="deliveries")
    sequence = models.PositiveIntegerField("期次", default=1)
    due_on = models.DateField("应交付日期")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SCHEDULED, editable=False)
    delivered_on = models.DateField("交付日期", null=True, blank=True)
    quantity = models.PositiveIntegerField("交付数量", null=True, blank=True)
    note = models.CharField("交付说明", max_length=300, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="交付登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recorded_deliveries",
    )
    confirmed_on = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="confirmed_deliveries",
    )
    rating = models.PositiveSmallIntegerField("评价", null=True, blank=True, help_text="1–5 分")
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "交付"
        verbose_name_plural = "交付"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sequence"], name="delivery_unique_sequence",
                                    violation_error_message="该认领已有这一期交付。"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="delivery_rating_range",
                violation_error_message="评价须为 1 到 5 分。",
            ),
        ]
        indexes = [
            # A claim's schedule in order.
            models.Index(fields=["claim", "due_on"], name="delivery_claim_due"),
            # Overdue and due-soon lists of a conference (secretariat overview).
            models.Index(fields=["conference", "state", "due_on"], name="delivery_conf_state_due"),
            # The daily sweep for overdue deliveries across all conferences.
            models.Index(fields=["state", "due_on"], name="delivery_state_due"),
        ]

    def __str__(self):
        return f"{self.claim} 第{self.sequence}期"

    def get_absolute_url(self):
        return reverse("lists:need_detail", args=[self.claim.need_id]) + f"#delivery-{self.pk}"

    @property
    def rating_stars(self) -> str:
        return "★" * self.rating + "☆" * (5 - self.rating) if self.rating else ""

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.state == self.State.SCHEDULED and self.due_on < (on or timezone.localdate())


class ListSnapshot(models.Model):
    """The three lists frozen as released at a plenary (发布): the rows in the plenary layout,
    kept as JSON so later changes to needs or resources never rewrite what was released that day."""

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="list_snapshots")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", verbose_name="发布议程", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="list_snapshots",
    )
    title = models.CharField("名称", max_length=200)
    taken_at = models.DateTimeField("冻结时间", default=timezone.now, editable=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="list_snapshots",
    )
    data = models.JSONField("清单内容", default=dict, help_text="{needs|resources|projects: {headers, rows}}")

    class Meta:
        verbose_name = "清单快照"
        verbose_name_plural = "清单快照"
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item"], condition=Q(agenda_item__isnull=False),
                                    name="snapshot_one_per_agenda_item",
                                    violation_error_message="该议程已冻结过清单。"),
        ]
        indexes = [
            # A conference's snapshots, newest first.
            models.Index(fields=["conference", "-taken_at"], name="snapshot_conf_taken"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lists:snapshot_detail", args=[self.pk])

    def count(self, which: str) -> int:
        return len((self.data.get(which) or {}).get("rows", []))
