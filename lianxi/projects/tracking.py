"""The derived status of a tracked project (常抓项目) and the roll-ups built on it.

The rule, written out in docs/project-status.md, in order (the first that holds wins), for a day
``today``:

1. 已完成 (completed): the project has at least one milestone and every milestone is done.
2. 滞后 (lagging): a milestone not done was due before ``today``; or the project has started
   (a report was filed or a milestone done) and its last report is more than one cadence period
   plus ``REPORT_GRACE_DAYS`` days old (no report at all counts from the first milestone done).
3. 未启动 (not started): no report filed and no milestone done.
4. 推进中 (active): otherwise.

``derive_status`` applies it to plain values (one project, tests); ``with_tracking`` states the
same rule as SQL annotations, so lists and roll-ups are aggregate queries, never a loop over rows.
``tests/test_tracking.py`` checks both at every edge and checks they agree."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from lianxi.projects.models import CADENCE_DAYS, REPORT_GRACE_DAYS, Milestone, ProgressReport, TrackingStatus


def derive_status(*, today: datetime.date, cadence: str, milestones: list[tuple[datetime.date, datetime.date | None]],
                  last_report: datetime.date | None) -> str:
    """``milestones`` is a list of ``(due, done_on)``; returns a :class:`TrackingStatus` value."""
    total = len(milestones)
    done = [d for _due, d in milestones if d is not None]
    if total and len(done) == total:
        return TrackingStatus.COMPLETED
    if any(d is None and due < today for due, d in milestones):
        return TrackingStatus.LAGGING
    started = last_report is not None or bool(done)
    if not started:
        return TrackingStatus.NOT_STARTED
    since = last_report if last_report is not None else min(done)
    if (today - since).days > CADENCE_DAYS[cadence] + REPORT_GRACE_DAYS:
        return TrackingStatus.LAGGING
    return TrackingStatus.ACTIVE


def progress_percent(total: int, done: int) -> int:
    """Share of milestones done, 0–100 (0 without milestones)."""
    return round(100 * done / total) if total else 0


def with_tracking(qs, today: datetime.date):
    """Annotate projects with ``ms_total``, ``ms_done``, ``last_report``, ``first_done`` and
    ``tracking`` (the derived status, as SQL)."""
    milestones = Milestone.objects.filter(project=OuterRef("pk"))
    last_report = (ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-reported_on")
                   .values("reported_on")[:1])
    first_done = (milestones.filter(done_on__isnull=False).order_by("done_on").values("done_on")[:1])
    qs = qs.annotate(
        ms_total=Coalesce(Subquery(milestones.order_by().values("project").annotate(n=Count("id")).values("n")[:1],
                                   output_field=IntegerField()), Value(0)),
        ms_done=Coalesce(Subquery(milestones.filter(done_on__isnull=False).order_by().values("project")
                                  .annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), Value(0)),
        ms_overdue=Exists(milestones.filter(done_on__isnull=True, due__lt=today)),
        last_report=Subquery(last_report),
        first_done=Subquery(first_done),
    )
    stale = Q()
    for cadence, days in CADENCE_DAYS.items():
        cutoff = today - datetime.timedelta(days=days + REPORT_GRACE_DAYS)
        stale |= Q(report_cadence=cadence) & (
            Q(last_report__lt=cutoff) | Q(last_report__isnull=True, first_done__lt=cutoff)
        )
    return qs.annotate(tracking=Case(
        When(Q(ms_total__gt=0) & Q(ms_total=F("ms_done")), then=Value(TrackingStatus.COMPLETED)),
        When(ms_overdue=True, then=Value(TrackingStatus.LAGGING)),
        When(Q(last_report__isnull=True, first_done__isnull=True), then=Value(TrackingStatus.NOT_STARTED)),
        When(stale, then=Value(TrackingStatus.LAGGING)),
        default=Value(TrackingStatus.ACTIVE),
    ))


def rollup(qs, today: datetime.date) -> list[dict]:
    """Per conference and year: how many tracked projects are in each status, milestones done of
    total. One aggregate query."""
    annotated = with_tracking(qs, today)
    counts = {s: Count("id", filter=Q(tracking=s)) for s in TrackingStatus.values}
    rows = (
        annotated.order_by()
        .values("conference_id", "conference__name", "year")
        .annotate(total=Count("id"), **counts)
        .order_by("-year", "conference__name")
    )
    out = []
    for row in rows:
        row = dict(row)
        row["by_status"] = [(value, label, row[value]) for value, label in TrackingStatus.choices]
        out.append(row)
    return out


def status_of(project, today: datetime.date) -> str:
    """The derived status of one project (from its rows; two small queries)."""
    milestones = list(project.milestones.values_list("due", "done_on"))
    last = project.reports.aggregate(last=Max("reported_on"))["last"]
    return derive_status(today=today, cadence=project.report_cadence, milestones=milestones, last_report=last)
