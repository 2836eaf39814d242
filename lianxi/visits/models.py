"""Regular visits (常态走访): a plan per conference and period, the visitors and their availability,
the visits themselves with their log, the needs they raised and the follow-ups; two-way talent
exchange (双向交流, secondments) in batches; and the written rule of the rotating conveners
(常任轮值) from which the next terms are proposed."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lianxi.registry.models import Conference, Person, Unit


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the calendar quarter ``day`` falls in."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + 2
    next_start = datetime.date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


class VisitPlan(models.Model):
    """The visits of one conference for one period (a quarter by default): every current member
    unit should be visited once. The planner's figures (coverage, trips, CP-SAT objective and bound,
    the greedy baseline) are kept in ``stats`` as of the last computation."""

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT,
                                    related_name="visit_plans")
    title = models.CharField("名称", max_length=120)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期", help_text="含当日")
    computed_at = models.DateTimeField("计算时间", null=True, blank=True, editable=False)
    stats = models.JSONField("计算结果", default=dict, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "走访计划"
        verbose_name_plural = "走访计划"
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "start"], name="visitplan_one_per_period",
                                    violation_error_message="该联席会议在这一周期已有走访计划。"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="visitplan_end_after_start",
                                   violation_error_message="截止日期不能早于起始日期。"),
        ]
        indexes = [
            # A conference's plans, newest period first.
            models.Index(fields=["conference", "-start"], name="visitplan_conf_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visits:plan_detail", args=[self.pk])


class Visitor(models.Model):
    """A person who visits for a plan: a convener, deputy convener, the secretariat or someone the
    secretariat names. ``capacity`` is visits per week; ``unavailable`` lists ISO dates."""

    class Role(models.TextChoices):
        CONVENER = "convener", "召集人"
        DEPUTY_CONVENER = "deputy_convener", "副召集人"
        SECRETARIAT = "secretariat", "秘书处"
        NAMED = "named", "秘书处指定"

    plan = models.ForeignKey(VisitPlan, verbose_name="走访计划", on_delete=models.CASCADE, related_name="visitors")
    person = models.ForeignKey(Person, verbose_name="走访人", on_delete=models.PROTECT, related_name="visitor_roles")
    role = models.CharField("身份", max_length=20, choices=Role.choices)
    capacity = models.PositiveSmallIntegerField("每周可走访次数", default=3)
    unavailable = models.JSONField("不可走访日期", default=list, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="visitor_roles",
                             help_text="走访人用此账号登记走访记录")

    class Meta:
        verbose_name = "走访人"
        verbose_name_plural = "走访人"
        ordering = ["plan", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="visitor_once_per_plan",
                                    violation_error_message="此人已是该计划的走访人。"),
        ]

    def __str__(self):
        return f"{self.person}（{self.get_role_display()}）"

    def unavailable_dates(self) -> frozenset:
        return frozenset(datetime.date.fromisoformat(d) for d in self.unavailable or [])


class UnitUnavailability(models.Model):
    """Days a unit asked not to be visited in a plan's period (ISO dates)."""

    plan = models.ForeignKey(VisitPlan, verbose_name="走访计划", on_delete=models.CASCADE,
                             related_name="unit_unavailability")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="visit_unavailability")
    dates = models.JSONField("不便接待日期", default=list, blank=True)

    class Meta:
        verbose_name = "单位不便日期"
        verbose_name_plural = "单位不便日期"
        ordering = ["plan", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="unitunavailability_once",
                                    violation_error_message="该单位在此计划中已登记不便日期。"),
        ]

    def __str__(self):
        return f"{self.unit}：{'、'.join(self.dates)}"


class Visit(models.Model):
    """One visit to a member unit: planned by the planner (or by hand), proposed to the unit through
    the burden gate, confirmed, then done with its log (who went, whom they met, notes); needs it
    raised are linked through ``VisitNeed``. Done and confirmed visits stay as they are when the plan
    is computed again."""

    class State(models.TextChoices):
        PLANNED = "planned", "已排期"
        PROPOSED = "proposed", "已预约待确认"
        CONFIRMED = "confirmed", "已确认"
        DONE = "done", "已走访"
        CANCELLED = "cancelled", "已取消"

    TRANSITIONS = {
        State.PLANNED: {State.PROPOSED, State.CONFIRMED, State.DONE, State.CANCELLED},
        State.PROPOSED: {State.CONFIRMED, State.DONE, State.CANCELLED},
        State.CONFIRMED: {State.DONE, State.CANCELLED},
        State.DONE: set(),
        State.CANCELLED: set(),
    }
    # Kept when the plan is computed again: the unit was asked, agreed, or was visited.
    FIXED_STATES = [State.PROPOSED, State.CONFIRMED, State.DONE]
    ACTIVE_STATES = [State.PLANNED, State.PROPOSED, State.CONFIRMED, State.DONE]

    plan = models.ForeignKey(VisitPlan, verbose_name="走访计划", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="visits")
    # Copied from the plan so coverage and lists filter by conference and date without a join.
    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="visits")
    unit = models.ForeignKey(Unit, verbose_name="走访单位", on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(Visitor, verbose_name="走访人", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="visits")
    planned_on = models.DateField("计划日期")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PLANNED, editable=False)
    done_on = models.DateField("走访日期", null=True, blank=True)
    participants = models.CharField("走访人员", max_length=200, blank=True, help_text="实际前往的人员")
    met_with = models.CharField("接待人员", max_length=200, blank=True, help_text="见到的负责人、书记等")
    notes = models.TextField("走访情况", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "走访"
        verbose_name_plural = "走访"
        ordering = ["planned_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], condition=Q(plan__isnull=False) & ~Q(state="cancelled"),
                                    name="visit_one_active_per_plan_unit",
                                    violation_error_message="该单位在此计划中已有走访安排。"),
            models.CheckConstraint(condition=~Q(state="done") | Q(done_on__isnull=False), name="visit_done_has_date",
                                   violation_error_message="已走访须填写走访日期。"),
        ]
        indexes = [
            # A plan's visits by state (the plan page, coverage figures, re-planning).
            models.Index(fields=["plan", "state", "planned_on"], name="visit_plan_state_day"),
            # A conference's visits over time (coverage per conference and street).
            models.Index(fields=["conference", "planned_on"], name="visit_conf_day"),
            # A unit's visit history, newest first.
            models.Index(fields=["unit", "-planned_on"], name="visit_unit_day"),
        ]

    def __str__(self):
        return f"{self.planned_on:%Y-%m-%d} 走访 {self.unit}"

    def get_absolute_url(self):
        return reverse("visits:visit_detail", args=[self.pk])

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.state in (self.State.PLANNED, self.State.PROPOSED, self.State.CONFIRMED) and \
            self.planned_on < (on or timezone.localdate())


class VisitNeed(models.Model):
    """A need raised during a visit and recorded in the lists (source 走访收集)."""

    visit = models.ForeignKey(Visit, verbose_name="走访", on_delete=models.CASCADE, related_name="raised")
    need = models.OneToOneField("lists.Need", verbose_name="需求", on_delete=models.CASCADE, related_name="visit_link")

    class Meta:
        verbose_name = "走访收集的需求"
        verbose_name_plural = "走访收集的需求"
        ordering = ["visit", "id"]

    def __str__(self):
        return f"{self.visit} → {self.need}"


class FollowUp(models.Model):
    """Something a visit left to do (a need to see through, a promise to keep), tracked until closed."""

    visit = models.ForeignKey(Visit, verbose_name="走访", on_delete=models.CASCADE, related_name="follow_ups")
    summary = models.CharField("跟进事项", max_length=200)
    need = models.ForeignKey("lists.Need", verbose_name="相关需求", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="visit_follow_ups")
    due_on = models.DateField("跟进期限", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closing_note = models.CharField("办结情况", max_length=200, blank=True)

    class Meta:
        verbose_name = "走访跟进"
        verbose_name_plural = "走访跟进"
        ordering = ["visit", "id"]
        indexes = [
            # Open follow-ups of a visit / the plan page's open count.
            models.Index(fields=["visit", "closed_on"], name="followup_visit_closed"),
        ]

    def __str__(self):
        return self.summary


class SecondmentBatch(models.Model):
    """A batch (批次) of two-way talent exchange run by a conference, optionally under the project
    that runs the programme (e.g. a brand project of 人才联育)."""

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.PROTECT,
                                   related_name="secondment_batches")
    name = models.CharField("批次名称", max_length=120)
    year = models.PositiveSmallIntegerField("年度")
    project = models.ForeignKey("projects.Project", verbose_name="所属项目", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="secondment_batches")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "双向交流批次"
        verbose_name_plural = "双向交流批次"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="secondmentbatch_unique_name",
                                    violation_error_message="该联席会议已有同名批次。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("visits:batch_detail", args=[self.pk])


class Secondment(models.Model):
    """One person's two-way exchange (双向交流): from a home unit to a post in a host unit for a period,
    as 挂职 / 交流 / 锻炼, with an evaluation at the end."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", "挂职"
        EXCHANGE = "exchange", "交流"
        TRAINING = "training", "锻炼"

    class State(models.TextChoices):
        PLANNED = "planned", "拟派出"
        ACTIVE = "active", "在岗"
        COMPLETED = "completed", "已期满"
        WITHDRAWN = "withdrawn", "已终止"

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        COMPETENT = "competent", "称职"
        BASIC = "basic", "基本称职"
        INCOMPETENT = "incompetent", "不称职"

    TRANSITIONS = {
        State.PLANNED: {State.ACTIVE, State.WITHDRAWN},
        State.ACTIVE: {State.COMPLETED, State.WITHDRAWN},
        State.COMPLETED: set(),
        State.WITHDRAWN: set(),
    }

    batch = models.ForeignKey(SecondmentBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="secondments")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="secondments")
    home_unit = models.ForeignKey(Unit, verbose_name="派出单位", on_delete=models.PROTECT, related_name="secondments_out")
    host_unit = models.ForeignKey(Unit, verbose_name="接收单位", on_delete=models.PROTECT, related_name="secondments_in")
    host_post = models.CharField("挂任岗位", max_length=120)
    kind = models.CharField("方式", max_length=20, choices=Kind.choices)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PLANNED, editable=False)
    grade = models.CharField("考核等次", max_length=20, choices=Grade.choices, blank=True)
    evaluation = models.TextField("期满评价", blank=True)

    class Meta:
        verbose_name = "双向交流"
        verbose_name_plural = "双向交流"
        ordering = ["batch", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="secondment_end_after_start",
                                   violation_error_message="截止日期必须晚于起始日期。"),
            models.CheckConstraint(condition=~Q(home_unit=models.F("host_unit")), name="secondment_two_units",
                                   violation_error_message="派出单位与接收单位不能相同。"),
        ]
        indexes = [
            # Per-unit counts (sent and received) and a unit's page.
            models.Index(fields=["home_unit", "state"], name="secondment_home_state"),
            models.Index(fields=["host_unit", "state"], name="secondment_host_state"),
        ]

    def __str__(self):
        return f"{self.person}：{self.home_unit} → {self.host_unit}"


class RotationRule(models.Model):
    """The written rule of a conference's rotating conveners (常任轮值): the order in which eligible
    units take their turn, the term length, and how many rotating conveners serve at once. The next
    terms are proposed from it; a unit never holds two rotating posts at once."""

    conference = models.OneToOneField(Conference, verbose_name="联席会议", on_delete=models.CASCADE,
                                      related_name="rotation_rule")
    order = models.JSONField("轮值顺序", default=list, help_text="单位编号，按轮值先后")
    term_months = models.PositiveSmallIntegerField("任期（月）", default=12)
    seats = models.PositiveSmallIntegerField("同时在任人数", default=2)
    note = models.CharField("规则说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "轮值规则"
        verbose_name_plural = "轮值规则"

    def __str__(self):
        return f"{self.conference.display_name} 轮值规则"
