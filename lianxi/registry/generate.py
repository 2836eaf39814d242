"""Synthetic registry for ``lianxi generate``: areas, conferences, units, people, memberships and posts
at tiny, district or city scale, plus the helpers the other generator steps share.

Every name is visibly synthetic (示例区01, 示例街道001, 示例单位000001…, 示例人员000001) and every row
follows from the seed alone: no clock, no global random state. Dates are anchored on :data:`ANCHOR`,
so the rotation roster always has past, current and next terms relative to that day."""

import contextlib
import datetime
import functools
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass

from tqdm import tqdm

from lianxi.lib.text import pinyin_initials, search_key
from lianxi.registry.models import Appointment, Area, Conference, Membership, Person, Unit

# The day the synthetic data is "as of". Fixed, so one seed gives the same rows on any day.
ANCHOR = datetime.date(2026, 10, 31)
FIRST_YEAR = 2016
MARK = "合成数据（lianxi generate 生成，非真实单位或人员）"
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    districts: int
    streets: int  # in total, spread over the districts
    neighbourhoods: int  # residents' areas, spread over the streets
    units: int  # in total, streets and residents' areas included
    industry: int  # industry-cluster sub-conferences per district
    theme: int  # theme sub-conferences per district
    meetings: int  # about this many meetings in total
    projects: int  # about this many projects in total


SCALES = {
    "tiny": Scale(districts=1, streets=2, neighbourhoods=4, units=40, industry=1, theme=1, meetings=40, projects=60),
    "district": Scale(districts=1, streets=13, neighbourhoods=375, units=1_000, industry=2, theme=2,
                      meetings=625, projects=3_000),
    "city": Scale(districts=16, streets=215, neighbourhoods=6_000, units=100_000, industry=2, theme=2,
                  meetings=10_000, projects=50_000),
}

# Names the generator gives; resetting deletes exactly the rows whose names match these.
AREA_NAME = r"^示例(区[0-9]{2}|街道[0-9]{3}|居民区[0-9]{4})$"
CONFERENCE_NAME = r"^示例(区[0-9]{2}|街道[0-9]{3}).*区域化党建联席会议$"
UNIT_NAME = r"^示例(单位[0-9]{6}|街道[0-9]{3}$|居民区[0-9]{4}$)"
PERSON_NAME = r"^示例人员[0-9]{6}$"

# Which kinds of member unit there are, and how many of each, outside streets and residents' areas.
CATEGORY_WEIGHTS = [
    (Unit.Category.ORGAN, 5),
    (Unit.Category.PEOPLES_ORG, 3),
    (Unit.Category.ENTERPRISE, 25),
    (Unit.Category.NEW_ECONOMIC, 45),
    (Unit.Category.NEW_SOCIAL, 22),
]
# A synthetic descriptor per category, so search by a word or its initials finds a realistic share.
DESCRIPTORS = {
    Unit.Category.ORGAN: ["事务中心", "管理所", "服务中心", "执法大队"],
    Unit.Category.PEOPLES_ORG: ["工会", "团委", "妇联", "科协", "侨联"],
    Unit.Category.ENTERPRISE: ["集团", "医院", "学校", "银行支行", "研究院", "物业公司"],
    Unit.Category.NEW_ECONOMIC: ["科技公司", "咨询公司", "商贸公司", "设计工作室", "律师事务所", "文化传媒公司"],
    Unit.Category.NEW_SOCIAL: ["社工服务社", "志愿者协会", "行业协会", "基金会", "养老服务中心"],
}
PARTY_LEVELS = {
    Unit.Category.ORGAN: [(Unit.PartyOrgLevel.LEADING_GROUP, 6), (Unit.PartyOrgLevel.COMMITTEE, 4)],
    Unit.Category.PEOPLES_ORG: [(Unit.PartyOrgLevel.LEADING_GROUP, 5), (Unit.PartyOrgLevel.COMMITTEE, 5)],
    Unit.Category.ENTERPRISE: [(Unit.PartyOrgLevel.COMMITTEE, 5), (Unit.PartyOrgLevel.GENERAL_BRANCH, 3),
                               (Unit.PartyOrgLevel.BRANCH, 2)],
    Unit.Category.NEW_ECONOMIC: [(Unit.PartyOrgLevel.BRANCH, 7), (Unit.PartyOrgLevel.GENERAL_BRANCH, 1),
                                 (Unit.PartyOrgLevel.NONE, 2)],
    Unit.Category.NEW_SOCIAL: [(Unit.PartyOrgLevel.BRANCH, 6), (Unit.PartyOrgLevel.NONE, 3),
                               (Unit.PartyOrgLevel.UNKNOWN, 1)],
}
LEVEL_LABEL = dict(Unit.PartyOrgLevel.choices)


# ---------------------------------------------------------------------------------------------
# Shared helpers for every generator step (meetings, projects, lists …).


def rng(seed: int, step: str) -> random.Random:
    """An independent, reproducible random stream per step: adding a step never shifts another's rows."""
    return random.Random(f"lianxi-generate:{seed}:{step}")


def say(stdout, message: str):
    stdout.write(message + "\n")
    if hasattr(stdout, "flush"):
        stdout.flush()


def progress(iterable, **kwargs):
    """A tqdm bar on stderr when it is a terminal; silent otherwise (tests, logs)."""
    return tqdm(iterable, disable=None, leave=False, dynamic_ncols=True, **kwargs)


def bulk_create(model, objs: list, label: str | None = None, batch_size: int = BATCH) -> list:
    """``bulk_create`` in batches with a progress bar; primary keys are set on ``objs`` (SQLite ≥ 3.35,
    PostgreSQL)."""
    chunks = range(0, len(objs), batch_size)
    for start in progress(chunks, desc=label or model._meta.verbose_name, unit="批"):
        model.objects.bulk_create(objs[start:start + batch_size], batch_size=batch_size)
    return objs


class Row:
    """One row to be written by :class:`FastInsert`: plain attributes named as the model's columns
    (``owner_id``, ``created_at`` …); columns not set take the field's default. Extra attributes
    (a delivery's ``claim``, say) are for the generator's own use and are not written."""

    __slots__ = ("__dict__",)

    def __init__(self, **values):
        self.__dict__.update(values)


class FastInsert:
    """Rows of one model written with ``executemany`` of prepared tuples: no model instances, no
    per-value field preparation beyond what the column type needs (dates and times adapted once per
    distinct value). Primary keys are given here, counting on from the largest one in the table, so
    rows can point at each other before they are written; on PostgreSQL the sequence is moved past
    them by :meth:`finish`. For generated data only, inside the generation's transaction (one
    writer): it bypasses ``save()``, signals and ``bulk_create``'s checks."""

    def __init__(self, model):
        from django.db import connection
        from django.db.models import DateField, DateTimeField, Max

        self.model = model
        self.connection = connection
        fields = [f for f in model._meta.concrete_fields]
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: (None if f.primary_key else f.get_default()) for f in fields}
        ops = connection.ops
        adapt_dt = functools.lru_cache(maxsize=200_000)(ops.adapt_datetimefield_value)
        adapt_d = functools.lru_cache(maxsize=200_000)(ops.adapt_datefield_value)
        self.adapters = []
        for f in fields:
            if isinstance(f, DateTimeField):
                self.adapters.append(adapt_dt)
            elif isinstance(f, DateField):
                self.adapters.append(adapt_d)
            else:
                self.adapters.append(None)
        qn = connection.ops.quote_name
        self.sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
                    f"VALUES ({', '.join(['%s'] * len(fields))})")
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.pending: list[Row] = []
        self.written = 0

    def new(self, **values) -> Row:
        row = Row(id=self.next_id, **values)
        self.next_id += 1
        self.pending.append(row)
        return row

    def flush(self, batch_size: int = 5000):
        """Write the rows made since the last flush."""
        plan = [(name, self.defaults[name]) for name in self.names]
        dated = [(i, adapt) for i, adapt in enumerate(self.adapters) if adapt is not None]
        with self.connection.cursor() as cursor:
            for start in range(0, len(self.pending), batch_size):
                params = []
                for row in self.pending[start:start + batch_size]:
                    get = row.__dict__.get
                    values = [get(name, default) for name, default in plan]
                    for i, adapt in dated:
                        v = values[i]
                        if v is not None:
                            values[i] = adapt(v)
                    params.append(values)
                cursor.executemany(self.sql, params)
        self.written += len(self.pending)
        self.pending = []

    def finish(self):
        """Flush, and on PostgreSQL move the id sequence past the ids given here."""
        self.flush()
        if self.connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with self.connection.cursor() as cursor:
                for sql in self.connection.ops.sequence_reset_sql(no_style(), [self.model]):
                    cursor.execute(sql)


@contextlib.contextmanager
def indexes_deferred(*models):
    """Inside the generation's transaction, on SQLite: drop the tables' own indexes, write, and build
    them again at the end — one sort per index instead of a B-tree insert per row and index (the
    lists have 4–13 indexes a table). Unique constraints are rebuilt as they were and checked then.
    The indexes are dropped and rebuilt in the run's transaction, so an interrupted run rolls back
    to the tables as they were, indexes included. Elsewhere (PostgreSQL) it does nothing."""
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.in_atomic_block:
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(['%s'] * len(tables))}) ORDER BY name", tables)
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


class Timer:
    """``with Timer(stdout, "单位") as t: ... t.rows = n`` prints ``单位: n 行, 1.2 s``."""

    def __init__(self, stdout, label: str):
        self.stdout, self.label, self.rows = stdout, label, None

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            rows = f"{self.rows:,} 行, " if self.rows is not None else ""
            say(self.stdout, f"  {self.label}: {rows}{time.perf_counter() - self.started:.1f} s")


@functools.cache
def plenary_date(seed: int, conference_name: str, year: int) -> datetime.date:
    """The day of a conference's plenary (and rotation handover) in ``year``: some day in June."""
    return datetime.date(year, 6, 1) + datetime.timedelta(days=random.Random(f"{seed}:{conference_name}:{year}").randrange(30))


def synthetic_areas():
    return Area.objects.filter(name__regex=AREA_NAME)


def synthetic_conferences():
    return Conference.objects.filter(name__regex=CONFERENCE_NAME)


def synthetic_units():
    return Unit.objects.filter(name__regex=UNIT_NAME)


def synthetic_people():
    return Person.objects.filter(name__regex=PERSON_NAME)


def top_conference() -> Conference | None:
    """The first synthetic district conference: the one the generation's audit row is written against."""
    return Conference.objects.filter(name="示例区01区域化党建联席会议").first()


@dataclass
class ConferencePlan:
    """What the later steps need to know about one synthetic conference."""

    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    founded_on: datetime.date
    is_public: bool
    last_year: int  # the last year it meets (a superseded conference stops before its successor)

    @property
    def plenary_years(self) -> list[int]:
        first = self.founded_on.year if self.parent_id is None else self.founded_on.year + 1
        return list(range(first, self.last_year + 1))


def conference_plans() -> list[ConferencePlan]:
    """The synthetic conferences, in creation order, with their active years."""
    rows = list(synthetic_conferences().order_by("id").values(
        "id", "name", "short_name", "kind", "parent_id", "founded_on", "is_public", "status"))
    successor_founded = dict(
        synthetic_conferences().filter(upgraded_from__isnull=False).values_list("upgraded_from_id", "founded_on"))
    plans = []
    for r in rows:
        last = ANCHOR.year
        if r["status"] == Conference.Status.SUPERSEDED and r["id"] in successor_founded:
            last = successor_founded[r["id"]].year - 1
        plans.append(ConferencePlan(r["id"], r["name"], r["short_name"], r["kind"], r["parent_id"], r["founded_on"],
                                    r["is_public"], last))
    return plans


def members_by_conference(conference_ids) -> dict[int, list[tuple[int, datetime.date | None, datetime.date | None]]]:
    """``{conference_id: [(unit_id, start, end), …]}`` ordered by membership id."""
    out = defaultdict(list)
    rows = Membership.objects.filter(conference_id__in=conference_ids).order_by("id").values_list(
        "conference_id", "unit_id", "start", "end")
    for conference_id, unit_id, start, end in rows.iterator(chunk_size=10_000):
        out[conference_id].append((unit_id, start, end))
    return out


def is_current(start, end, on: datetime.date) -> bool:
    return (start is None or start <= on) and (end is None or end > on)


def current_members(members, on: datetime.date) -> list[int]:
    return [unit_id for unit_id, start, end in members if is_current(start, end, on)]


def weighted(r: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return r.choices(values, weights)[0]


# ---------------------------------------------------------------------------------------------
# Derived columns. The models fill these in save(), which bulk_create skips; these functions apply
# the same lianxi.lib.text helpers in the same way (tests compare them with save() on real rows).


_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=50_000)
def _piece(piece: str) -> tuple[str, str]:
    return search_key(piece), pinyin_initials(piece)


def cached_keys(text: str) -> tuple[str, str]:
    """``(search_key(text), pinyin_initials(text))`` from cached pieces. Generated names repeat a few
    words around a running number (示例单位000123科技公司): both helpers treat a run of digits as
    one piece of its own (kept whole, converted on neither side), so the pieces between the
    numbers are converted once each instead of once a row — OpenCC and pypinyin were most of the
    registry step at city scale."""
    keys, initials = [], []
    for i, piece in enumerate(_DIGITS.split(text or "")):
        if i % 2:  # a run of digits
            keys.append(piece)
            initials.append(piece)
        elif piece:
            k, n = _piece(piece)
            keys.append(k)
            initials.append(n)
    return "".join(keys), "".join(initials)


def fill_unit(unit: Unit) -> Unit:
    (name_key, name_initials), (org_key, org_initials) = cached_keys(unit.name), cached_keys(unit.party_org_name)
    unit.initials = name_initials[:150]
    unit.search_text = " ".join([name_key, org_key, unit.initials, org_initials])[:500]
    return unit


def fill_conference(conference: Conference) -> Conference:
    conference.search_text = (
        f"{search_key(conference.name)} {search_key(conference.short_name)} {pinyin_initials(conference.name)}"
    )
    return conference


def fill_person(person: Person) -> Person:
    key, initials = cached_keys(person.name)
    person.search_text = f"{key} {initials}"
    return person


# ---------------------------------------------------------------------------------------------
# The registry step.


def _spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class _Registry:
    def __init__(self, scale: Scale, seed: int, stdout):
        self.scale, self.seed, self.stdout = scale, seed, stdout
        self.r = rng(seed, "registry")

    # -- areas ------------------------------------------------------------------------------
    def make_areas(self):
        s = self.scale
        self.districts = [Area(name=f"示例区{d + 1:02d}", kind=Area.Kind.DISTRICT) for d in range(s.districts)]
        bulk_create(Area, self.districts, "区")
        self.streets_of = []  # per district: list of street Areas
        streets, n = [], 0
        for district, count in zip(self.districts, _spread(s.streets, s.districts), strict=True):
            mine = []
            for _ in range(count):
                n += 1
                mine.append(Area(name=f"示例街道{n:03d}", kind=Area.Kind.STREET, parent=district))
            self.streets_of.append(mine)
            streets.extend(mine)
        bulk_create(Area, streets, "街道/镇")
        self.streets = streets
        hoods, n = [], 0
        self.hoods_of = {}
        for street, count in zip(streets, _spread(s.neighbourhoods, len(streets)), strict=True):
            mine = []
            for _ in range(count):
                n += 1
                mine.append(Area(name=f"示例居民区{n:04d}", kind=Area.Kind.NEIGHBOURHOOD, parent=street))
            self.hoods_of[street.name] = mine
            hoods.extend(mine)
        bulk_create(Area, hoods, "居民区")
        return len(self.districts) + len(streets) + len(hoods)

    # -- units ------------------------------------------------------------------------------
    def make_units(self):
        r, s = self.r, self.scale
        units = []
        self.district_of_unit = {}  # unit index → district index
        self.street_of_unit = {}  # unit index → street name
        for d, streets in enumerate(self.streets_of):
            for street in streets:
                units.append(self._unit(street.name, Unit.Category.STREET, Unit.PartyOrgLevel.WORKING_COMMITTEE,
                                        street, address=f"示例路{len(units) + 1}号"))
                self.district_of_unit[len(units) - 1] = d
                self.street_of_unit[len(units) - 1] = street.name
                for hood in self.hoods_of[street.name]:
                    level = Unit.PartyOrgLevel.GENERAL_BRANCH if r.random() < 0.4 else Unit.PartyOrgLevel.BRANCH
                    units.append(self._unit(hood.name, Unit.Category.STREET, level, hood,
                                            address=f"示例路{len(units) + 1}号"))
                    self.district_of_unit[len(units) - 1] = d
                    self.street_of_unit[len(units) - 1] = street.name
        others = max(0, s.units - len(units))
        for n in range(1, others + 1):
            category = weighted(r, CATEGORY_WEIGHTS)
            name = f"示例单位{n:06d}{r.choice(DESCRIPTORS[category])}"
            d = r.randrange(s.districts)
            street = r.choice(self.streets_of[d])
            units.append(self._unit(name, category, weighted(r, PARTY_LEVELS[category]), street,
                                    address=f"示例路{len(units) + 1}号"))
            self.district_of_unit[len(units) - 1] = d
            self.street_of_unit[len(units) - 1] = street.name
        bulk_create(Unit, units, "单位")
        self.units = units
        return len(units)

    def _unit(self, name, category, level, area, address) -> Unit:
        party_org_name = "" if level in (Unit.PartyOrgLevel.NONE, Unit.PartyOrgLevel.UNKNOWN) else name + LEVEL_LABEL[level]
        return fill_unit(Unit(name=name, party_org_name=party_org_name, party_org_level=level, category=category,
                              area=area, address=address, description=MARK))

    # -- conferences --------------------------------------------------------------------------
    def make_conferences(self):
        r, s, seed = self.r, self.scale, self.seed
        last_founding = ANCHOR.year - 2
        self.district_confs = []
        for district in self.districts:
            self.district_confs.append(self._conference(
                f"{district.name}区域化党建联席会议", district.name, Conference.Kind.DISTRICT, None, district,
                plenary_date(seed, f"{district.name}区域化党建联席会议", FIRST_YEAR)))
        bulk_create(Conference, self.district_confs, "区级联席会议")
        subs = []
        self.kind_of = {}  # conference name → role in the plan: street, industry, theme, predecessor, successor
        self.district_of_conf = {}
        self.street_of_conf = {}
        for d, (district, parent) in enumerate(zip(self.districts, self.district_confs, strict=True)):
            def founded(low, high, _parent=parent):
                return plenary_date(seed, _parent.name, r.randint(low, min(high, last_founding)))

            for street in self.streets_of[d]:
                conf = self._conference(f"{street.name}区域化党建联席会议", street.name, Conference.Kind.AREA, parent,
                                        street, founded(FIRST_YEAR + 1, FIRST_YEAR + 6))
                self.kind_of[conf.name], self.street_of_conf[conf.name] = "street", street.name
                subs.append(conf)
            for k in range(1, s.industry + 1):
                conf = self._conference(f"{district.name}示例商圈{k}区域化党建联席会议", f"{district.name}示例商圈{k}",
                                        Conference.Kind.INDUSTRY, parent, district, founded(FIRST_YEAR + 1, FIRST_YEAR + 8))
                self.kind_of[conf.name] = "industry"
                subs.append(conf)
            for k in range(1, s.theme + 1):
                conf = self._conference(f"{district.name}示例主题{k}区域化党建联席会议", f"{district.name}示例主题{k}",
                                        Conference.Kind.THEME, parent, district, founded(FIRST_YEAR + 1, FIRST_YEAR + 8))
                # One theme conference per district is internal, so visibility rules have work to do.
                conf.is_public = k != 2
                self.kind_of[conf.name] = "theme"
                subs.append(conf)
            # As in the reference case: a sub-conference upgraded into a new one, unveiled at a plenary.
            predecessor = self._conference(f"{district.name}示例创新带区域化党建联席会议", f"{district.name}示例创新带",
                                           Conference.Kind.THEME, parent, district, founded(FIRST_YEAR + 1, FIRST_YEAR + 2))
            predecessor.status = Conference.Status.SUPERSEDED
            successor = self._conference(f"{district.name}示例科创区区域化党建联席会议", f"{district.name}示例科创区",
                                         Conference.Kind.AREA, parent, district, founded(FIRST_YEAR + 6, last_founding))
            self.kind_of[predecessor.name], self.kind_of[successor.name] = "predecessor", "successor"
            subs.extend([predecessor, successor])
            for conf in subs[len(self.district_of_conf):]:
                self.district_of_conf[conf.name] = d
        bulk_create(Conference, subs, "下级联席会议")
        by_name = {c.name: c for c in subs}
        upgraded = []
        for district in self.districts:
            successor = by_name[f"{district.name}示例科创区区域化党建联席会议"]
            successor.upgraded_from = by_name[f"{district.name}示例创新带区域化党建联席会议"]
            upgraded.append(successor)
        Conference.objects.bulk_update(upgraded, ["upgraded_from"])
        self.conferences = self.district_confs + subs
        for d, conf in enumerate(self.district_confs):
            self.district_of_conf[conf.name] = d
            self.kind_of[conf.name] = "district"
        self.successor_founded = {
            d: by_name[f"{district.name}示例科创区区域化党建联席会议"].founded_on for d, district in enumerate(self.districts)}
        return len(self.conferences)

    def _conference(self, name, short_name, kind, parent, area, founded_on) -> Conference:
        return fill_conference(Conference(name=name, short_name=short_name, kind=kind, parent=parent, area=area,
                                          founded_on=founded_on, description=MARK))

    def end_of(self, conf: Conference) -> datetime.date | None:
        """The day a superseded conference stops (its successor's founding), else None."""
        if conf.status != Conference.Status.SUPERSEDED:
            return None
        return self.successor_founded[self.district_of_conf[conf.name]]

    def plenary_dates(self, conf: Conference) -> list[datetime.date]:
        """Handover days after founding, up to the conference's end (or ANCHOR)."""
        end = self.end_of(conf)
        first = conf.founded_on.year if conf.parent_id is None else conf.founded_on.year + 1
        last = (end.year - 1) if end else ANCHOR.year
        return [plenary_date(self.seed, conf.name, y) for y in range(first, last + 1)
                if plenary_date(self.seed, conf.name, y) > conf.founded_on]

    # -- memberships -----------------------------------------------------------------------------
    def make_memberships(self):
        r = self.r
        by_district = defaultdict(list)  # district index → unit indexes (not streets/residents' areas)
        by_street = defaultdict(list)  # street name → all unit indexes located there
        for i, unit in enumerate(self.units):
            by_street[self.street_of_unit[i]].append(i)
            if unit.category != Unit.Category.STREET:
                by_district[self.district_of_unit[i]].append(i)
        street_unit_index = {u.name: i for i, u in enumerate(self.units) if u.category == Unit.Category.STREET}
        self.members = {}  # conference name → list of (unit index, start, end)
        predecessor_members = {}
        for conf in self.conferences:
            d, role = self.district_of_conf[conf.name], self.kind_of[conf.name]
            candidates = by_district[d]
            if role == "district":
                chosen = [street_unit_index[s.name] for s in self.streets_of[d]]
                structural = set(chosen)
                chosen += [i for i in candidates if r.random() < (
                    0.5 if self.units[i].category in (Unit.Category.ORGAN, Unit.Category.PEOPLES_ORG) else 0.01)]
            elif role == "street":
                here = by_street[self.street_of_conf[conf.name]]
                structural = {i for i in here if self.units[i].category == Unit.Category.STREET}
                chosen = [i for i in here if i in structural or r.random() < 0.9]
            elif role == "industry":
                structural = set()
                chosen = [i for i in candidates if self.units[i].category in (
                    Unit.Category.ENTERPRISE, Unit.Category.NEW_ECONOMIC) and r.random() < 0.06]
            elif role == "successor":
                structural = set(predecessor_members[d])
                chosen = sorted(structural | {i for i in candidates if r.random() < 0.03})
            else:  # theme, predecessor
                structural = set()
                chosen = [i for i in candidates if r.random() < 0.03]
            if not chosen and candidates:
                chosen = [candidates[0]]
            if role == "predecessor":
                predecessor_members[d] = chosen
            self.members[conf.name] = self._dated(conf, chosen, structural)
        rows = []
        for conf in self.conferences:
            for i, start, end in self.members[conf.name]:
                rows.append(Membership(unit=self.units[i], conference=conf, start=start, end=end,
                                       plaque_awarded_on=start, note="示例退出" if end else ""))
        bulk_create(Membership, rows, "成员资格")
        return len(rows)

    def _dated(self, conf, chosen, structural):
        """Start and end for each chosen unit: founding members, later admissions at a plenary, a few leave."""
        r = self.r
        dates = self.plenary_dates(conf)
        stop = self.end_of(conf)
        out = []
        for i in chosen:
            start = conf.founded_on
            if i not in structural and dates and r.random() < 0.4:
                start = r.choice(dates)
            end = stop
            later = [d for d in dates if d > start]
            if end is None and later and r.random() < 0.04:
                end = r.choice(later)
            out.append((i, start, end))
        return out

    # -- people and posts ----------------------------------------------------------------------------
    def make_people_and_posts(self):
        r, seed = self.r, self.seed
        people: list[Person] = []
        leaders: dict[int, int] = {}  # unit index → index into people

        def leader(i: int) -> int:
            if i not in leaders:
                unit = self.units[i]
                title = f"{unit.party_org_name}书记" if unit.party_org_name else f"{unit.name}负责人"
                people.append(Person(name="", unit=unit, title=title))
                leaders[i] = len(people) - 1
            return leaders[i]

        def liaison(i: int) -> int:
            unit = self.units[i]
            people.append(Person(name="", unit=unit, title=f"{unit.name}联络员"))
            return len(people) - 1

        # (conference, role, person index or None, unit index or None, start, end)
        posts = []
        for conf in self.conferences:
            members = self.members[conf.name]
            stop = self.end_of(conf)
            dates = self.plenary_dates(conf)
            role = self.kind_of[conf.name]
            order = list(range(len(members)))
            r.shuffle(order)

            def current_at(day, _members=members, _order=order):
                return [_members[k][0] for k in _order if is_current(_members[k][1], _members[k][2], day)]

            def anchor_unit(day, _role=role, _conf=conf):
                """The unit that anchors the conference: the street for a street conference, an organ
                for a district one, else any member."""
                now = current_at(day)
                wanted = Unit.Category.STREET if _role in ("district", "street") else Unit.Category.ORGAN
                if _role == "street":
                    return next((i for i in now if self.units[i].name == self.street_of_conf[_conf.name]), now[0])
                preferred = [i for i in now if self.units[i].category == wanted]
                return (preferred or now)[0]

            # Conveners, deputies and the secretary-general serve five-year blocks from the founding.
            blocks = [conf.founded_on] + [plenary_date(seed, conf.name, y) for y in range(
                conf.founded_on.year + 5, (stop.year if stop else ANCHOR.year) + 1, 5)]
            blocks = [b for b in blocks if not stop or b < stop]
            deputies = 4 if role == "district" else 2
            for k, start in enumerate(blocks):
                end = blocks[k + 1] if k + 1 < len(blocks) else stop
                now = current_at(start)
                if not now:
                    continue
                posts.append((conf, Appointment.Role.CONVENER, leader(anchor_unit(start)), anchor_unit(start), start, end))
                for i in r.sample(now, min(deputies, len(now))):
                    posts.append((conf, Appointment.Role.DEPUTY_CONVENER, leader(i), i, start, end))
                i = r.choice(now)
                posts.append((conf, Appointment.Role.SECRETARY_GENERAL, leader(i), i, start, end))
            first = current_at(conf.founded_on)
            if first:
                unit_i = anchor_unit(conf.founded_on)
                posts.append((conf, Appointment.Role.SECRETARY_GENERAL_UNIT, None, unit_i, conf.founded_on, stop))
                posts.append((conf, Appointment.Role.SECRETARIAT, None, unit_i, conf.founded_on, stop))
            # 常任轮值: yearly terms handed over at each plenary, the next term already set.
            bounds = [conf.founded_on] + dates
            if stop:
                bounds.append(stop)
            else:
                bounds += [plenary_date(seed, conf.name, ANCHOR.year + 1), plenary_date(seed, conf.name, ANCHOR.year + 2)]
            per_term = 3 if role == "district" else 2
            cursor = 0
            for start, end in zip(bounds, bounds[1:], strict=False):
                now = current_at(min(start, ANCHOR))
                for _ in range(min(per_term, len(now))):
                    i = now[cursor % len(now)]
                    cursor += 1
                    posts.append((conf, Appointment.Role.ROTATING_CONVENER, leader(i), i, start, end))
            # A liaison for most memberships; some memberships changed liaison once.
            for i, start, end in members:
                if r.random() >= 0.85:
                    continue
                later = [d for d in dates if d > start and (end is None or d < end)]
                if later and r.random() < 0.2:
                    change = r.choice(later)
                    posts.append((conf, Appointment.Role.LIAISON, liaison(i), i, start, change))
                    posts.append((conf, Appointment.Role.LIAISON, liaison(i), i, change, end))
                else:
                    posts.append((conf, Appointment.Role.LIAISON, liaison(i), i, start, end))
        for n, person in enumerate(people, start=1):
            person.name = f"示例人员{n:06d}"
            fill_person(person)
        bulk_create(Person, people, "人员")
        rows = [
            Appointment(conference=conf, role=role, person=people[p] if p is not None else None,
                        unit=self.units[u] if u is not None else None, start=start, end=end)
            for conf, role, p, u, start, end in posts
        ]
        bulk_create(Appointment, rows, "任职")
        return len(people), len(rows)


def generate_registry(scale: str, seed: int, stdout):
    """Areas, conferences (district → street/industry/theme), units, memberships, people and posts."""
    gen = _Registry(SCALES[scale], seed, stdout)
    with Timer(stdout, "区域") as t:
        t.rows = gen.make_areas()
    with Timer(stdout, "单位") as t:
        t.rows = gen.make_units()
    with Timer(stdout, "联席会议") as t:
        t.rows = gen.make_conferences()
    with Timer(stdout, "成员资格") as t:
        t.rows = gen.make_memberships()
    with Timer(stdout, "人员与任职") as t:
        people, posts = gen.make_people_and_posts()
        t.rows = people + posts
    return {"areas": len(gen.districts) + len(gen.streets) + sum(len(v) for v in gen.hoods_of.values()),
            "units": len(gen.units), "conferences": len(gen.conferences),
            "memberships": sum(len(v) for v in gen.members.values()), "people": people, "appointments": posts}


def reset_registry(stdout):
    """Delete the synthetic registry rows (posts, memberships, people, units, conferences, areas)."""
    conferences = synthetic_conferences()
    units = synthetic_units()
    with Timer(stdout, "删除任职与成员资格"):
        Appointment.objects.filter(conference__in=conferences).delete()
        Appointment.objects.filter(unit__in=units).delete()
        Membership.objects.filter(conference__in=conferences).delete()
        Membership.objects.filter(unit__in=units).delete()
    with Timer(stdout, "删除人员、单位、联席会议与区域"):
        synthetic_people().delete()
        units.delete()
        conferences.filter(parent__isnull=False).delete()
        conferences.delete()
        for kind in (Area.Kind.NEIGHBOURHOOD, Area.Kind.STREET, Area.Kind.DISTRICT):
            synthetic_areas().filter(kind=kind).delete()
