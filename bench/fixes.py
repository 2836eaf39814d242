"""Evidence for the fixes that docs/benchmarks.md asks of the page owners: each slow query as a page runs
it today and as proposed (a query change, an index, or both), timed on the benchmark database.

    .venv/bin/python bench/fixes.py --db /tmp/lianxi-city.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxi_bench .venv/bin/python bench/fixes.py

Proposed indexes are created inside a transaction that is rolled back, so the database is left exactly
as it was. The querysets copy the views' as of this writing; when a view changes, change its case here."""

import argparse
import datetime
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: environment and database setup)


@dataclass
class Case:
    label: str
    before: object  # () -> int, builds and runs the query as the page does today
    after: object  # () -> int, the proposed query
    indexes: list = field(default_factory=list)  # (sqlite DDL or None, postgresql DDL or None)
    note: str = ""
    index_only: bool = False  # before and after are the same query: skip where no index applies


def timed(fn, repeat=7) -> tuple[float, object]:
    fn()
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def cases() -> list[Case]:
    from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, Q, Subquery

    from lianxi.meetings.models import AgendaItem, Meeting
    from lianxi.projects.models import Project
    from lianxi.registry.generate import synthetic_conferences, top_conference
    from lianxi.registry.models import Conference, Membership, Unit

    today = datetime.date.today()
    district = top_conference()
    big = synthetic_conferences().annotate(n=Count("memberships")).order_by("-n", "id").first()
    street = Unit.objects.get(name="示例街道001")
    brand = (Project.objects.filter(conference=district, kind=Project.Kind.BRAND).annotate(n=Count("partner_units"))
             .order_by("-year", "-n", "id").first())
    Through = Project.partner_units.through
    current = (Q(memberships__start__isnull=True) | Q(memberships__start__lte=today)) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=today))

    def member_count_subquery():
        return Subquery(
            Membership.objects.current(today).filter(conference=OuterRef("pk")).order_by()
            .values("conference").annotate(n=Count("*")).values("n"), output_field=IntegerField())

    membership_index = ("CREATE INDEX fix_membership_current ON registry_membership (conference_id, \"end\", start)",) * 2
    project_order = ('CREATE INDEX fix_project_order ON projects_project (year DESC, kind, "order", id)',) * 2
    project_conf_order = ('CREATE INDEX fix_project_conf_order ON projects_project '
                          '(conference_id, year DESC, kind, "order", id)',) * 2
    meeting_order = ("CREATE INDEX fix_meeting_order ON meetings_meeting (date DESC, id DESC)",) * 2
    trgm = [(None, "CREATE EXTENSION IF NOT EXISTS pg_trgm"),
            (None, "CREATE INDEX fix_unit_trgm ON registry_unit USING gin (search_text gin_trgm_ops)"),
            (None, "CREATE INDEX fix_person_trgm ON registry_person USING gin (search_text gin_trgm_ops)"),
            (None, "CREATE INDEX fix_project_trgm ON projects_project USING gin (search_text gin_trgm_ops)")]

    item_count = Subquery(AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
                          .annotate(n=Count("*")).values("n"), output_field=IntegerField())
    partner_count = Subquery(Through.objects.filter(project_id=OuterRef("pk")).order_by().values("project_id")
                             .annotate(n=Count("*")).values("n"), output_field=IntegerField())
    public_member = Membership.objects.filter(unit=OuterRef("pk"), conference__is_public=True)

    def bounded(qs, cap=1000):
        return qs.order_by()[: cap + 1].count()

    return [
        Case("联席会议树: current member count of every conference",
             lambda: len(list(Conference.objects.select_related("area").annotate(member_count=Count(
                 "memberships", filter=current)).order_by("id"))),
             lambda: len(list(Conference.objects.select_related("area").annotate(
                 member_count=member_count_subquery()).order_by("id"))),
             [membership_index],
             "JOIN + GROUP BY over every membership → one correlated count per conference on a covering index"),
        Case("联席会议首页: member count of each sub-conference",
             lambda: len(list(Conference.objects.filter(parent=district).annotate(
                 member_count=Count("memberships", filter=current)))),
             lambda: len(list(Conference.objects.filter(parent=district).annotate(
                 member_count=member_count_subquery()))),
             [membership_index]),
        Case("单位详情: projects led by or partnered by the unit",
             lambda: len(list(Project.objects.filter(Q(lead_unit=street) | Q(partner_units=street)).distinct()
                              .select_related("conference", "lead_unit"))),
             lambda: len(list(Project.objects.filter(
                 Q(lead_unit=street) | Q(pk__in=list(Through.objects.filter(unit=street).values_list(
                     "project_id", flat=True)))).select_related("conference", "lead_unit"))),
             [], "OR across the M2M join scans every project; two index look-ups instead (2 queries, constant)"),
        Case("单位列表·按联席会议: count (SQLite)",
             lambda: Unit.objects.filter(Exists(Membership.objects.current(today).filter(
                 unit=OuterRef("pk"), conference_id=big.pk))).count(),
             lambda: Unit.objects.filter(pk__in=Membership.objects.current(today).filter(
                 conference_id=big.pk).values("unit_id")).count(),
             [], "EXISTS per unit → IN (current members of the conference)"),
        Case("单位列表（匿名）: count of units in a public conference",
             lambda: Unit.objects.filter(Exists(public_member)).count(),
             lambda: bounded(Unit.objects.filter(Exists(public_member))),
             [], "exact count of ~92,000 visible units → count stops at 1,001 (show “1000+”)"),
        Case("单位列表（秘书处）: count of all units",
             lambda: Unit.objects.count(),
             lambda: bounded(Unit.objects.all()),
             []),
        Case("单位列表·中文搜索: count, frequent word",
             lambda: Unit.objects.search("科技公司").count(),
             lambda: Unit.objects.search("科技公司").count(),
             trgm, "PostgreSQL: pg_trgm GIN index on search_text (SQLite: no change)", index_only=True),
        Case("单位列表·中文搜索: page, rare name",
             lambda: len(list(Unit.objects.search("示例单位04378").order_by("name")[:50])),
             lambda: len(list(Unit.objects.search("示例单位04378").order_by("name")[:50])),
             trgm, index_only=True),
        Case("人员列表·搜索: count",
             lambda: run_person_search("示例人员0012").count(),
             lambda: run_person_search("示例人员0012").count(),
             trgm, index_only=True),
        Case("会议列表: first page with agenda item counts",
             lambda: len(list(Meeting.objects.select_related("conference").annotate(
                 item_count=Count("agenda_items")).order_by("-date", "-id")[:50])),
             lambda: len(list(Meeting.objects.select_related("conference").annotate(
                 item_count=item_count).order_by("-date", "-id")[:50])),
             [meeting_order], "GROUP BY every meeting before LIMIT → correlated count for the 50 shown"),
        Case("会议列表: count",
             lambda: Meeting.objects.annotate(item_count=Count("agenda_items")).count(),
             lambda: Meeting.objects.count(),
             [], "the paginator counts the annotated GROUP BY; without it a plain count"),
        Case("会议列表: the years in the filter",
             lambda: len(list(Meeting.objects.dates("date", "year", order="DESC"))),
             lambda: len(range(*(lambda a: (a["lo"].year, a["hi"].year + 1))(Meeting.objects.aggregate(
                 lo=Min("date"), hi=Max("date"))))),
             [meeting_order], "DISTINCT date_trunc over every meeting → MIN/MAX from the index"),
        Case("API 会议: first page (no count annotation)",
             lambda: len(list(Meeting.objects.select_related("conference", "host_unit").order_by("-date", "-id")[:50])),
             lambda: len(list(Meeting.objects.select_related("conference", "host_unit").order_by("-date", "-id")[:50])),
             [meeting_order], index_only=True),
        Case("项目列表: first page with partner counts",
             lambda: len(list(Project.objects.select_related("conference", "lead_unit").annotate(
                 partner_count=Count("partner_units")).order_by("-year", "kind", "order", "id")[:50])),
             lambda: len(list(Project.objects.select_related("conference", "lead_unit").annotate(
                 partner_count=partner_count).order_by("-year", "kind", "order", "id")[:50])),
             [project_order]),
        Case("项目列表: count",
             lambda: Project.objects.annotate(partner_count=Count("partner_units")).count(),
             lambda: bounded(Project.objects.all()),
             []),
        Case("项目列表·按联席会议 / 联席会议首页 key and brand projects",
             lambda: len(list(Project.objects.filter(conference=district).select_related("lead_unit")
                              .order_by("-year", "kind", "order", "id")[:60])),
             lambda: len(list(Project.objects.filter(conference=district).select_related("lead_unit")
                              .order_by("-year", "kind", "order", "id")[:60])),
             [project_conf_order], index_only=True),
        Case("API 项目: first page",
             lambda: len(list(Project.objects.select_related("conference", "lead_unit").order_by(
                 "-year", "kind", "order", "id")[:50])),
             lambda: len(list(Project.objects.select_related("conference", "lead_unit").order_by(
                 "-year", "kind", "order", "id")[:50])),
             [project_order], index_only=True),
        Case("项目详情（匿名）: partner units a visitor may see",
             lambda: len(list(brand.partner_units.filter(pk__in=Unit.objects.filter(Exists(public_member))
                                                        .values("pk")).order_by("name"))),
             lambda: len(list(Unit.objects.filter(Exists(public_member)).filter(
                 pk__in=list(brand.partner_units.values_list("pk", flat=True))).order_by("name"))),
             [], "IN (every visible unit) → the visibility check on the few partner ids only"),
        Case("API 需求（匿名）: first page of visible needs, newest first",
             lambda: len(list(need_model().objects.filter(
                 conference_id__in=list(Conference.objects.filter(is_public=True).values_list("id", flat=True)),
                 state__in=VISIBLE_NEED_STATES).order_by("-created_at", "-id")[:50])),
             lambda: len(list(need_model().objects.exclude(state__in=HIDDEN_NEED_STATES).exclude(
                 conference_id__in=list(Conference.objects.filter(is_public=False).values_list("id", flat=True)))
                 .order_by("-created_at", "-id")[:50])),
             [], "without statistics for lists_need (dropped when a migration rebuilt the table) SQLite "
                 "probed 300 conferences × 7 states and sorted ~430,000 needs (1 s); written as exclusions it "
                 "walks need_created whatever the statistics"),
        Case("API 资源: first page, newest first",
             lambda: len(list(resource_model().objects.select_related("conference", "unit", "category")
                              .order_by("-created_at", "-id")[:50])),
             lambda: len(list(resource_model().objects.select_related("conference", "unit", "category")
                              .order_by("-created_at", "-id")[:50])),
             [("CREATE INDEX fix_resource_created ON lists_resource (created_at DESC, id DESC)",) * 2],
             index_only=True),
        Case("常任轮值: adjustment items of the conference",
             lambda: len(list(AgendaItem.objects.filter(kind=AgendaItem.Kind.ADJUSTMENT).filter(
                 Q(meeting__conference=district) | Q(concerns_conference=district)).select_related("meeting"))),
             lambda: len(list(AgendaItem.objects.filter(kind=AgendaItem.Kind.ADJUSTMENT).filter(
                 Q(meeting_id__in=list(Meeting.objects.filter(conference=district).values_list("id", flat=True)))
                 | Q(concerns_conference=district)).select_related("meeting"))),
             [], "OR across the meeting join → the conference's meeting ids first (2 queries, constant)"),
    ]


VISIBLE_NEED_STATES = ["published", "partly_claimed", "claimed", "in_delivery", "delivered", "confirmed", "closed"]
HIDDEN_NEED_STATES = ["draft", "withdrawn", "expired"]


def need_model():
    from lianxi.lists.models import Need

    return Need


def resource_model():
    from lianxi.lists.models import Resource

    return Resource


def run_person_search(q):
    from lianxi.registry.models import Person

    return Person.objects.filter(search_text__contains=q)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", default="/tmp/lianxi-city.sqlite3")
    p.add_argument("--only")
    args = p.parse_args(argv)
    run.setup(argparse.Namespace(db=args.db))
    from django.db import connection, transaction

    vendor = connection.vendor
    measured = []
    print(f"{'case':<58}{'before ms':>10}{'after ms':>10}  rows")
    for case in cases():
        if args.only and args.only not in case.label:
            continue
        ddl = [pair[0 if vendor == "sqlite" else 1] for pair in case.indexes]
        ddl = [d for d in ddl if d]
        if case.index_only and not ddl:
            continue
        before, rows_before = timed(case.before)
        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement in ddl:
                    cursor.execute(statement)
                cursor.execute("ANALYZE")
            after, rows_after = timed(case.after)
            transaction.set_rollback(True)
        same = "" if rows_before == rows_after or "count" in case.label else f"  (rows {rows_before} → {rows_after})"
        print(f"{case.label:<58}{before:>10.1f}{after:>10.1f}  {rows_after}{same}")
        measured.append({"label": case.label, "before": before, "after": after, "rows": rows_after,
                         "note": case.note, "indexes": ddl})
    if not args.only:
        import json

        from django.db import connection as conn

        out = run.RESULTS / f"fixes-{vendor}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"machine": run.machine(), "cases": measured}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        print(f"\n写入 {out.relative_to(run.ROOT)}（{conn.vendor}）；运行 bench/run.py 或 --render 更新 docs/benchmarks.md")
        run.render_doc()


if __name__ == "__main__":
    main()
