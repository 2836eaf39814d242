"""The figures behind the 工作台 charts: each chart is one aggregate query over the records
(GROUP BY month, category, street, state), never a figure typed in and never a query per row."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lianxi.burden.models import BurdenRequest
from lianxi.lists.models import Claim, Delivery, Need
from lianxi.projects.models import Project
from lianxi.registry.models import Membership, Unit

STREET_OF_UNIT = Case(When(unit__area__kind="neighbourhood", then=F("unit__area__parent__name")),
                      default=F("unit__area__name"))


@dataclass
class Chart:
    """One chart and the table that carries the same numbers (for screen readers and Excel)."""

    key: str
    title: str
    kind: str  # bar | line | pie | heatmap
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict:
        return {"key": self.key, "title": self.title, "kind": self.kind, "columns": self.columns, "rows": self.rows}


@dataclass
class Period:
    """A range of whole months, first day of the first month to first day after the last."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_months(cls, n: int = 12, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        end = _add_months(today.replace(day=1), 1)
        return cls(_add_months(end, -n), end)

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> "Period":
        """``YYYY-MM`` strings from the page; anything unreadable falls back to the last 12 months."""
        default = cls.last_months()
        try:
            a = datetime.datetime.strptime(start, "%Y-%m").date() if start else default.start
            b = _add_months(datetime.datetime.strptime(end, "%Y-%m").date(), 1) if end else default.end
        except (TypeError, ValueError):
            return default
        if not (datetime.date(2000, 1, 1) <= a < b <= datetime.date(2100, 1, 1)) or _months_between(a, b) > 120:
            return default
        return cls(a, b)

    def months(self) -> list[datetime.date]:
        out, m = [], self.start
        while m < self.end:
            out.append(m)
            m = _add_months(m, 1)
        return out

    @property
    def start_label(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def end_label(self) -> str:
        return _add_months(self.end, -1).strftime("%Y-%m")

    def aware(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _add_months(day: datetime.date, n: int) -> datetime.date:
    month = day.month - 1 + n
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _months_between(a: datetime.date, b: datetime.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _month_key(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m")


def _by_month(qs, date_field: str, period: Period, *, is_datetime: bool) -> dict[str, int]:
    lo, hi = (period.aware(period.start), period.aware(period.end)) if is_datetime else (period.start, period.end)
    rows = (qs.filter(**{f"{date_field}__gte": lo, f"{date_field}__lt": hi})
            .annotate(m=TruncMonth(date_field)).values_list("m").annotate(n=Count("id")).order_by())
    return {_month_key(m): n for m, n in rows if m is not None}


def members_by_category(conference_ids) -> Chart:
    labels = dict(Unit.Category.choices)
    rows = (Membership.objects.current().filter(conference_id__in=conference_ids)
            .values_list("unit__category").annotate(n=Count("unit_id", distinct=True)).order_by("-n"))
    return Chart("members_category", "成员单位：按类别", "pie", ["类别", "单位数"],
                 [[labels.get(c, c or "未载明"), n] for c, n in rows])


def members_by_street(conference_ids, limit: int = 30) -> Chart:
    rows = (Membership.objects.current().filter(conference_id__in=conference_ids).annotate(street=STREET_OF_UNIT)
            .values_list("street").annotate(n=Count("unit_id", distinct=True)).order_by("-n"))
    rows = list(rows)
    chart = Chart("members_street", "成员单位：按街道", "bar", ["街道", "单位数"],
                  [[s or "未登记街道", n] for s, n in rows[:limit]])
    if len(rows) > limit:
        chart.note = f"只显示单位最多的 {limit} 个街道（共 {len(rows)} 个）。"
    return chart


def lists_by_month(conference_ids, period: Period) -> Chart:
    """Needs posted, claims made, deliveries made and confirmed, per month: four GROUP BY queries."""
    series = {
        "发布需求": _by_month(Need.objects.filter(conference_id__in=conference_ids), "published_at", period,
                          is_datetime=True),
        "认领": _by_month(Claim.objects.filter(conference_id__in=conference_ids), "created_at", period,
                        is_datetime=True),
        "交付": _by_month(Delivery.objects.filter(conference_id__in=conference_ids), "delivered_on", period,
                        is_datetime=False),
        "确认": _by_month(Delivery.objects.filter(conference_id__in=conference_ids), "confirmed_on", period,
                        is_datetime=True),
    }
    months = [m.strftime("%Y-%m") for m in period.months()]
    return Chart("lists_month", "需求与认领：按月", "line", ["月份", *series],
                 [[m, *(s.get(m, 0) for s in series.values())] for m in months])


def fulfilment(conference_ids) -> dict:
    counts = Need.objects.filter(conference_id__in=conference_ids).exclude(
        state__in=[Need.State.DRAFT, Need.State.WITHDRAWN]
    ).aggregate(total=Count("id"), fulfilled=Count("id", filter=Q(state__in=Need.FULFILLED_STATES)))
    total, done = counts["total"], counts["fulfilled"]
    return {"total": total, "fulfilled": done, "rate": round(done * 100 / total) if total else None}


def overdue_deliveries(conference_ids) -> int:
    return Delivery.objects.filter(conference_id__in=conference_ids).overdue().count()


def burden_heatmap(conference_ids, period: Period, cap: int, limit: int = 20) -> Chart:
    """Requests counted against each unit's cap per month, for the most-asked units."""
    counted = Q(asked_at__isnull=False, digest__isnull=True)
    members = Membership.objects.current().filter(conference_id__in=conference_ids).values("unit_id")
    rows = list(
        BurdenRequest.objects.filter(counted, unit_id__in=members, month__gte=period.start, month__lt=period.end)
        .values_list("unit__name", "month").annotate(n=Count("id")).order_by()
    )
    totals: dict[str, int] = {}
    for name, _m, n in rows:
        totals[name] = totals.get(name, 0) + n
    units = sorted(totals, key=lambda u: (-totals[u], u))[:limit]
    months = [m.strftime("%Y-%m") for m in period.months()]
    grid = {(name, m.strftime("%Y-%m")): n for name, m, n in rows}
    chart = Chart("burden", f"减负闸门：各单位每月被请求次数（上限 {cap} 次/月）", "heatmap", ["单位", *months],
                  [[u, *(grid.get((u, m), 0) for m in months)] for u in units])
    if units:
        chart.note = "颜色越深，越接近或超过月度上限。"
    return chart


def projects_by_status(conference_ids) -> Chart:
    labels = dict(Project.Status.choices)
    rows = (Project.objects.filter(conference_id__in=conference_ids).values_list("status")
            .annotate(n=Count("id")).order_by("-n"))
    return Chart("projects_status", "项目：按状态", "bar", ["状态", "项目数"],
                 [[labels.get(s, s), n] for s, n in rows])


# --- a unit's own work (liaison, street) ------------------------------------------------------


def unit_counts(unit_ids) -> dict:
    today = timezone.localdate()
    deliveries = Delivery.objects.filter(claim__unit_id__in=unit_ids)
    owed = Delivery.objects.filter(claim__need__owner_id__in=unit_ids, state=Delivery.State.DELIVERED)
    return {
        "invitations": BurdenRequest.objects.filter(
            unit_id__in=unit_ids, kind=BurdenRequest.Kind.INVITATION, state__in=BurdenRequest.OPEN_STATES
        ).count(),
        "claims": Claim.objects.filter(unit_id__in=unit_ids, state=Claim.State.ACTIVE).count(),
        "due": deliveries.filter(state=Delivery.State.SCHEDULED, due_on__lte=today + datetime.timedelta(days=14)).count(),
        "overdue": deliveries.overdue(today).count(),
        "requests": BurdenRequest.objects.filter(unit_id__in=unit_ids, state__in=BurdenRequest.OPEN_STATES).count(),
        "confirmations_owed": owed.count(),
        "needs_open": Need.objects.filter(owner_id__in=unit_ids, state__in=[
            Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED, Need.State.CLAIMED, Need.State.IN_DELIVERY,
        ]).count(),
    }


def unit_needs_by_state(unit_ids) -> Chart:
    labels = dict(Need.State.choices)
    rows = (Need.objects.filter(owner_id__in=unit_ids).exclude(state=Need.State.DRAFT).values_list("state")
            .annotate(n=Count("id")).order_by())
    order = {value: i for i, (value, _label) in enumerate(Need.State.choices)}
    rows = sorted(rows, key=lambda r: order.get(r[0], 99))
    return Chart("needs_state", "本单位需求：按状态", "bar", ["状态", "需求数"], [[labels.get(s, s), n] for s, n in rows])


def unit_requests_by_month(unit_ids, period: Period) -> Chart:
    asked = _by_month(BurdenRequest.objects.filter(unit_id__in=unit_ids, asked_at__isnull=False), "asked_at", period,
                      is_datetime=True)
    months = [m.strftime("%Y-%m") for m in period.months()]
    return Chart("requests_month", "平台向本单位发出的请求：按月", "bar", ["月份", "请求数"],
                 [[m, asked.get(m, 0)] for m in months])
