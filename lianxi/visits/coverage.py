"""Figures computed from the records, never typed in: how far a visit plan has got (visited /
planned / overdue / unplanned per street), and organisation coverage (组织体系全覆盖) of a
conference — member units by category and party-organisation status per street, the 两新
coverage rate, its trend from dated records, venues (阵地) per street.

Every function issues a fixed number of queries whatever the size of the conference: grouped
aggregates in SQL, folded into streets in Python over the (small) grouped rows — never a row per
unit or visit read into Python."""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from lianxi.registry.models import Area, Conference, Membership, Unit, Venue
from lianxi.visits.models import Visit, VisitPlan

BUILT_LEVELS = [v for v in Unit.PartyOrgLevel.values if v not in (Unit.PartyOrgLevel.NONE, Unit.PartyOrgLevel.UNKNOWN)]
TWO_NEW = [Unit.Category.NEW_ECONOMIC, Unit.Category.NEW_SOCIAL]
NO_STREET = "未登记街道"


def _streets(area_ids) -> tuple[dict[int, int | None], dict[int, str]]:
    """For the areas ``area_ids``: ``{area id: street id}`` (a street is its own, a residents' area
    its parent's) and the streets' names. One query over those areas only (a city has thousands of
    areas; a page needs the few its units are in)."""
    street_of, names = {}, {}
    ids = {a for a in area_ids if a is not None}
    if not ids:
        return street_of, names
    for pk, kind, parent, name, parent_name in Area.objects.filter(pk__in=ids).values_list(
            "id", "kind", "parent_id", "name", "parent__name"):
        if kind == Area.Kind.STREET:
            street_of[pk] = pk
            names[pk] = name
        elif kind == Area.Kind.NEIGHBOURHOOD and parent is not None:
            street_of[pk] = parent
            names[parent] = parent_name
        else:
            street_of[pk] = None
    return street_of, names


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --------------------------------------------------------------------------------------------
# Visit plan coverage
# --------------------------------------------------------------------------------------------


def plan_coverage(plan: VisitPlan, on: datetime.date | None = None) -> dict:
    """Per street and in total: units to visit, visited, planned (still ahead), overdue (date passed,
    not visited), unplanned. Three grouped queries: the plan's units by area, their visits by area
    and state (a unit has at most one visit in a plan that is not cancelled — a constraint — so
    counting visits counts units), the areas' streets."""
    from lianxi.visits.services import plan_units

    on = on or timezone.localdate()
    units = plan_units(plan)
    unit_rows = list(units.values("area_id").annotate(n=Count("id")).order_by())
    visit_rows = list(
        Visit.objects.filter(plan=plan, unit__in=units).exclude(state=Visit.State.CANCELLED)
        .values("unit__area_id").annotate(
            visited=Count("id", filter=Q(state=Visit.State.DONE)),
            overdue=Count("id", filter=~Q(state=Visit.State.DONE) & Q(planned_on__lt=on)),
            planned=Count("id", filter=~Q(state=Visit.State.DONE) & Q(planned_on__gte=on)),
        ).order_by())
    street_of, names = _streets({r["area_id"] for r in unit_rows})
    rows: dict = defaultdict(lambda: {"units": 0, "visited": 0, "planned": 0, "overdue": 0, "unplanned": 0})
    for r in unit_rows:
        street = street_of.get(r["area_id"]) if r["area_id"] else None
        rows[street]["units"] += r["n"]
        rows[street]["unplanned"] += r["n"]
    for r in visit_rows:
        street = street_of.get(r["unit__area_id"]) if r["unit__area_id"] else None
        row = rows[street]
        for key in ("visited", "planned", "overdue"):
            row[key] += r[key]
            row["unplanned"] -= r[key]
    out = []
    for street, row in rows.items():
        out.append({"street_id": street, "street": names.get(street, NO_STREET), **row,
                    "rate": _rate(row["visited"], row["units"])})
    out.sort(key=lambda r: (r["street_id"] is None, r["street"]))
    total = {k: sum(r[k] for r in out) for k in ("units", "visited", "planned", "overdue", "unplanned")}
    total["rate"] = _rate(total["visited"], total["units"])
    return {"plan": plan, "on": on, "total": total, "streets": out}


# --------------------------------------------------------------------------------------------
# Organisation coverage (组织体系全覆盖)
# --------------------------------------------------------------------------------------------


def _members(conference: Conference, on: datetime.date):
    return Membership.objects.current(on).filter(conference=conference)


def _status(level: str) -> str:
    if level == Unit.PartyOrgLevel.NONE:
        return "not_built"
    if level == Unit.PartyOrgLevel.UNKNOWN:
        return "unknown"
    return "built"


def org_coverage(conference: Conference, on: datetime.date | None = None, *, trend_points: int = 8) -> dict:
    """Member units on ``on`` by street, category and party-organisation status; the 两新 rate;
    the trend at the last ``trend_points`` quarter ends; venues per street. Five queries."""
    on = on or timezone.localdate()
    member_units = _members(conference, on).values("unit_id")
    grouped = list(Unit.objects.filter(pk__in=member_units).values("area_id", "category", "party_org_level")
                   .annotate(n=Count("id")).order_by())
    venue_rows = list(Venue.objects.filter(is_active=True, owner_id__in=member_units).values("area_id")
                      .annotate(n=Count("id")).order_by())
    street_of, names = _streets({r["area_id"] for r in grouped} | {r["area_id"] for r in venue_rows})
    empty = {"units": 0, "built": 0, "not_built": 0, "unknown": 0, "two_new": 0, "two_new_built": 0,
             "two_new_not_built": 0, "two_new_unknown": 0, "venues": 0}
    streets: dict = defaultdict(lambda: dict(empty))
    categories: dict = defaultdict(lambda: {"units": 0, "built": 0, "not_built": 0, "unknown": 0})
    for row in grouped:
        street = street_of.get(row["area_id"]) if row["area_id"] else None
        status, n = _status(row["party_org_level"]), row["n"]
        s = streets[street]
        s["units"] += n
        s[status] += n
        if row["category"] in TWO_NEW:
            s["two_new"] += n
            s[f"two_new_{status}"] += n
        c = categories[row["category"]]
        c["units"] += n
        c[status] += n
    for row in venue_rows:
        street = street_of.get(row["area_id"]) if row["area_id"] else None
        streets[street]["venues"] += row["n"]
    street_rows = []
    for street, s in streets.items():
        street_rows.append({"street_id": street, "street": names.get(street, NO_STREET), **s,
                            "two_new_rate": _rate(s["two_new_built"], s["two_new"])})
    street_rows.sort(key=lambda r: (r["street_id"] is None, r["street"]))
    total = {k: sum(r[k] for r in street_rows) for k in empty}
    total["two_new_rate"] = _rate(total["two_new_built"], total["two_new"])
    total["built_rate"] = _rate(total["built"], total["units"])
    labels = dict(Unit.Category.choices)
    category_rows = [{"category": code, "label": labels.get(code, code), **categories[code]}
                     for code in Unit.Category.values if code in categories]
    return {"conference": conference, "on": on, "total": total, "streets": street_rows,
            "categories": category_rows, "trend": coverage_trend(conference, on, points=trend_points)}


def quarter_ends(on: datetime.date, points: int) -> list[datetime.date]:
    """The last ``points`` quarter ends up to ``on`` (``on`` itself last), oldest first."""
    out = [on]
    year, quarter = on.year, (on.month - 1) // 3  # the quarter before on's
    while len(out) < points:
        if quarter == 0:
            year, quarter = year - 1, 4
        end_month = 3 * quarter
        last = (datetime.date(year + (end_month == 12), end_month % 12 + 1, 1) - datetime.timedelta(days=1))
        if last < on:
            out.append(last)
        quarter -= 1
    return sorted(out)


def coverage_trend(conference: Conference, on: datetime.date, *, points: int = 8) -> list[dict]:
    """At each quarter end: 两新 member units then (from membership dates) and how many had a party
    organisation by then (from ``party_org_founded_on``; units with an organisation but no founding
    date are counted apart, as 成立日期未载明).

    One query grouped by quarter end: the conference's 两新 memberships joined to the list of
    quarter ends on which each was current, three distinct counts per quarter end. (The ORM has no
    join to a list of values; written as SQL, it also costs nothing to build, where the 24 filtered
    counts it replaces took more time to compile than to run.)"""
    days = quarter_ends(on, points)
    qn = connection.ops.quote_name
    # PostgreSQL types the VALUES column from its first row; SQLite compares ISO date strings.
    day = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    values = ", ".join(f"({i}, {day})" for i in range(len(days)))
    built = ", ".join(["%s"] * len(BUILT_LEVELS))
    two_new = ", ".join(["%s"] * len(TWO_NEW))
    # The conference's 两新 memberships are read once (a few hundred rows), then joined to the
    # quarter ends; without MATERIALIZED SQLite reads them again for every quarter end.
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" or _sqlite_materializes() else ""
    sql = (
        f"WITH days (i, day) AS (VALUES {values}), "
        f"mu AS {materialized}("
        f"SELECT m.unit_id, m.{qn('start')} AS since, m.{qn('end')} AS until, "
        f"CASE WHEN u.party_org_level IN ({built}) THEN 1 ELSE 0 END AS built, u.party_org_founded_on AS founded "
        f"FROM {qn(Membership._meta.db_table)} m INNER JOIN {qn(Unit._meta.db_table)} u ON u.id = m.unit_id "
        f"WHERE m.conference_id = %s AND u.category IN ({two_new})) "
        "SELECT days.i, COUNT(DISTINCT mu.unit_id), "
        "COUNT(DISTINCT CASE WHEN mu.built = 1 AND mu.founded <= days.day THEN mu.unit_id END), "
        "COUNT(DISTINCT CASE WHEN mu.built = 1 AND mu.founded IS NULL THEN mu.unit_id END) "
        "FROM days INNER JOIN mu ON (mu.since IS NULL OR mu.since <= days.day) "
        "AND (mu.until IS NULL OR mu.until > days.day) "
        "GROUP BY days.i"
    )
    params = [connection.ops.adapt_datefield_value(d) for d in days] + list(BUILT_LEVELS) + [conference.pk] \
        + list(TWO_NEW)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = {i: (members, built_, undated) for i, members, built_, undated in cursor.fetchall()}
    out = []
    for i, d in enumerate(days):
        members, built_, undated = counts.get(i, (0, 0, 0))
        out.append({"on": d, "two_new": members, "built": built_, "built_undated": undated,
                    "rate": _rate(built_, members)})
    return out


def _sqlite_materializes() -> bool:
    import sqlite3

    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35)


def units_without_party_org(conference: Conference, on: datetime.date | None = None):
    """Member units with no party organisation of their own, for the secretariat to act on."""
    on = on or timezone.localdate()
    return (Unit.objects.filter(pk__in=_members(conference, on).values("unit_id"),
                                party_org_level=Unit.PartyOrgLevel.NONE)
            .select_related("area").only("id", "name", "category", "area__name").order_by("category", "name"))
