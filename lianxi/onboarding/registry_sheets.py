"""The registry in Excel: member units, people and their posts, sub-conferences and committees.

Each sheet has a template with drop-downs and a 填写说明 sheet, an all-or-nothing import that first
*plans* every row (新建 / 更新 / 无变化, or the row's errors) so the page can show the plan before
anything is saved, and an export in the same layout, so that an office can round-trip its sheets.

Rows are matched to existing records by name, simplified or traditional, ignoring spaces, brackets
and punctuation (``search_key``). A blank cell on an existing record leaves that field as it is;
only cells that say something different change anything, through the registry services, one
audit row per changed record."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from lianxi.lib import excel
from lianxi.lib.excel import Column
from lianxi.lib.strokes import sort_names
from lianxi.lib.text import search_key
from lianxi.meetings.models import Meeting
from lianxi.registry import services as registry
from lianxi.registry.models import Appointment, Area, Committee, Conference, Membership, Person, Unit

CREATE, UPDATE, SAME = "create", "update", "same"
ACTION_LABELS = {CREATE: "新建", UPDATE: "更新", SAME: "无变化"}


@dataclass
class RowPlan:
    row: int
    name: str
    action: str = SAME
    changes: dict = field(default_factory=dict)  # {label: [old, new]} for the page
    errors: list[str] = field(default_factory=list)
    apply: object = None  # a callable(actor) that carries the row out (rows applied one by one)
    data: dict = field(default_factory=dict)  # what a bulk apply needs (units, people)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class Plan:
    sheet: str
    rows: list[RowPlan] = field(default_factory=list)
    file_error: str = ""

    @property
    def errors(self) -> list[RowPlan]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)


def _labels(choices) -> dict[str, str]:
    return {label: value for value, label in choices}


def _date(value, errors: list[str], header: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        errors.append(f"{header}“{value}”不是日期（应为 2024-06-24）。")
        return None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(value, choices, errors, header, *, required=False):
    text = _text(value)
    if not text:
        if required:
            errors.append(f"{header}必填。")
        return None
    mapping = _labels(choices)
    if text in mapping:
        return mapping[text]
    if text in dict(choices):
        return text
    errors.append(f"{header}“{text}”不是可选项（可选：{'、'.join(mapping)}）。")
    return None


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


class _Lookup:
    """Existing records by match key, read once per file."""

    def __init__(self, model, name_field="name", queryset=None):
        self.by_key = {}
        for obj in (queryset if queryset is not None else model.objects.all()):
            self.by_key.setdefault(search_key(getattr(obj, name_field)), obj)

    def get(self, name):
        return self.by_key.get(search_key(name or ""))


# --------------------------------------------------------------------------------------------
# Member units
# --------------------------------------------------------------------------------------------

UNIT_FIELDS = [
    ("party_org_name", "党组织名称"), ("party_org_level", "党组织层级"), ("category", "成员类别"),
    ("area", "所在街道"), ("address", "地址"), ("phone", "联系电话"),
]


def unit_columns(conferences) -> list[Column]:
    return [
        Column("name", "单位名称", required=True, width=30, help="成员单位全称。与已登记单位同名（含繁简、空格、括号差异）时更新该单位。"),
        Column("party_org_name", "党组织名称", width=28, help="如 ××公司党委"),
        Column("party_org_level", "党组织层级", choices=[label for _v, label in Unit.PartyOrgLevel.choices],
               help="未建党组织的单位选“未建党组织”；不清楚选“未载明”。"),
        Column("category", "成员类别", required=True, choices=[label for _v, label in Unit.Category.choices], width=22),
        Column("area", "所在街道", width=16, help="街道/镇名称；平台中没有的街道会新建。"),
        Column("address", "地址", width=28),
        Column("phone", "联系电话", width=16),
        Column("conference", "所属联席会议", required=True, choices=[c.name for c in conferences], width=30,
               help="该单位加入的联席会议（可多选，用顿号分隔）。"),
        Column("start", "加入日期", date=True, help="如 2024-06-24；不清楚可留空。"),
        Column("meeting", "加入会议", width=30, help="通过该单位加入的会议全称（可留空）。"),
    ]


def unit_template(conferences):
    return excel.template(unit_columns(conferences), title="成员单位", notes=[
        "每行一个单位。已有同名单位时按表中填写的内容更新，空白单元格表示不改动。",
        "导入是整体的：任何一行有错，整个文件都不会导入，页面会逐行列出问题。",
    ])


def plan_units(file, *, conferences) -> Plan:
    plan = Plan("成员单位")
    conf_lookup = _Lookup(Conference, queryset=conferences)
    units = _Lookup(Unit)
    areas = _Lookup(Area, queryset=Area.objects.filter(kind__in=[Area.Kind.STREET, Area.Kind.NEIGHBOURHOOD]))
    current = set(Membership.objects.current().filter(conference__in=conferences).values_list("unit_id", "conference_id"))
    meetings = {(m.conference_id, search_key(m.title)): m for m in Meeting.objects.filter(conference__in=conferences)}
    seen: dict[str, int] = {}
    new_areas: dict[str, list] = {}
    for number, values in excel.data_rows(file, unit_columns(conferences), plan):
        errors: list[str] = []
        name = _text(values.get("name"))
        key = search_key(name)
        if not name:
            errors.append("单位名称必填。")
        elif key in seen:
            errors.append(f"与第 {seen[key]} 行是同一单位。")
        else:
            seen[key] = number
        fields = {
            "party_org_name": _text(values.get("party_org_name")),
            "party_org_level": _choice(values.get("party_org_level"), Unit.PartyOrgLevel.choices, errors, "党组织层级"),
            "category": _choice(values.get("category"), Unit.Category.choices, errors, "成员类别", required=True),
            "address": _text(values.get("address")),
            "phone": _text(values.get("phone")),
        }
        area_name = _text(values.get("area"))
        area = areas.get(area_name) if area_name else None
        if area_name and area is None:
            area = new_areas.setdefault(search_key(area_name), [area_name, None])
        targets = []
        for conf_name in excel.split_multiple(values.get("conference")):
            conf = conf_lookup.get(conf_name)
            if conf is None:
                errors.append(f"所属联席会议“{conf_name}”不存在或不在您的管理范围内。")
            else:
                targets.append(conf)
        if not targets and not any("所属联席会议" in e for e in errors):
            errors.append("所属联席会议必填。")
        start = _date(values.get("start"), errors, "加入日期")
        meeting_title = _text(values.get("meeting"))
        plan.rows.append(_unit_row(number, name, fields, area, targets, start, meeting_title, units, current,
                                   meetings, errors))
    return plan


def _unit_row(number, name, fields, area, targets, start, meeting_title, units, current, meetings, errors):
    row = RowPlan(number, name, errors=errors)
    existing = units.get(name) if name else None
    wanted = {k: v for k, v in fields.items() if v not in (None, "")}
    labels = dict(UNIT_FIELDS)
    joins = []
    for conf in targets:
        meeting = None
        if meeting_title:
            meeting = meetings.get((conf.pk, search_key(meeting_title)))
            if meeting is None:
                errors.append(f"加入会议“{meeting_title}”不是{conf.display_name}已登记的会议。")
        if existing is None or (existing.pk, conf.pk) not in current:
            joins.append((conf, meeting))
    if existing is None:
        row.action = CREATE
        row.changes = {labels[k]: [None, _shown(k, v)] for k, v in wanted.items()}
    else:
        diff = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
        if isinstance(area, Area) and existing.area_id != area.pk:
            diff["area"] = area
        row.changes = {labels[k]: [_shown(k, getattr(existing, k)), _shown(k, v)] for k, v in diff.items()}
        row.action = UPDATE if diff or joins else SAME
        wanted = diff
    for conf, _meeting in joins:
        row.changes[f"加入{conf.display_name}"] = [None, start.isoformat() if start else "日期未载明"]

    row.data = {"existing": existing, "name": name, "fields": wanted, "area": area, "joins": joins, "start": start}
    return row


def _resolve_area(actor, pending: list) -> Area:
    """A street named in the sheet but not yet in lianxi: created once, shared by its rows."""
    if pending[1] is None:
        pending[1] = registry.create_area(actor, name=pending[0], kind=Area.Kind.STREET)
    return pending[1]


def _shown(key, value):
    if value in (None, ""):
        return ""
    if key == "party_org_level":
        return dict(Unit.PartyOrgLevel.choices).get(value, value)
    if key == "category":
        return dict(Unit.Category.choices).get(value, value)
    return str(value)


def unit_export(conferences):
    """Every current member unit of ``conferences`` in the template's layout, by stroke order."""
    columns = unit_columns(conferences)
    wb = unit_template(conferences)
    ws = wb[excel.DATA_SHEET]
    ws.delete_rows(2, ws.max_row)
    members = (Membership.objects.current().filter(conference__in=conferences)
               .select_related("unit__area", "conference", "admitted_at"))
    by_unit: dict[int, dict] = {}
    for m in members:
        entry = by_unit.setdefault(m.unit_id, {"unit": m.unit, "confs": [], "start": m.start, "meeting": m.admitted_at})
        entry["confs"].append(m.conference.name)
    for entry in sort_names(by_unit.values(), name=lambda e: e["unit"].name):
        unit = entry["unit"]
        values = {
            "name": unit.name, "party_org_name": unit.party_org_name,
            "party_org_level": unit.get_party_org_level_display(), "category": unit.get_category_display(),
            "area": unit.area.name if unit.area_id else "", "address": unit.address, "phone": unit.phone,
            "conference": "、".join(entry["confs"]), "start": entry["start"],
            "meeting": entry["meeting"].title if entry["meeting"] else "",
        }
        ws.append([values[c.key] for c in columns])
    return wb


# --------------------------------------------------------------------------------------------
# People and posts
# --------------------------------------------------------------------------------------------

POST_ROLES = [r for r in Appointment.Role if r not in Appointment.UNIT_ONLY_ROLES]


def people_columns(conferences) -> list[Column]:
    return [
        Column("name", "姓名", required=True, width=12),
        Column("unit", "所在单位", width=30, help="须为已登记的单位（可先导入成员单位）。"),
        Column("title", "职务", width=30, help="本单位职务原文，如 党委书记、副主任"),
        Column("phone", "联系电话", width=16),
        Column("email", "电子邮箱", width=24),
        Column("conference", "联席会议", choices=[c.name for c in conferences], width=30,
               help="担任联席会议职务时填写。"),
        Column("role", "联席会议职务", choices=[r.label for r in POST_ROLES], width=14),
        Column("start", "任职起始", date=True),
        Column("end", "任职结束", date=True, help="仍在任留空。"),
    ]


def people_template(conferences):
    return excel.template(people_columns(conferences), title="人员与职务", notes=[
        "每行一人一个职务；同一人担任多个职务时写多行。同一单位的同名人员视为同一人。",
        "联络员的账号可在导入后由“批量开通账号”一步生成。",
    ])


PERSON_FIELDS = [("title", "职务"), ("phone", "联系电话"), ("email", "电子邮箱")]


def plan_people(file, *, conferences) -> Plan:
    plan = Plan("人员与职务")
    conf_lookup = _Lookup(Conference, queryset=conferences)
    units = _Lookup(Unit)
    people = {}
    for person in Person.objects.select_related("unit"):
        people.setdefault((search_key(person.name), person.unit_id), person)
    posts = set(Appointment.objects.current().filter(conference__in=conferences, person__isnull=False)
                .values_list("conference_id", "role", "person_id"))
    roles = {r.label: r.value for r in POST_ROLES}
    planned_people: dict[tuple, RowPlan] = {}
    for number, values in excel.data_rows(file, people_columns(conferences), plan):
        errors: list[str] = []
        name = _text(values.get("name"))
        if not name:
            errors.append("姓名必填。")
        unit_name = _text(values.get("unit"))
        unit = units.get(unit_name) if unit_name else None
        if unit_name and unit is None:
            errors.append(f"所在单位“{unit_name}”未登记，请先导入成员单位。")
        fields = {k: _text(values.get(k)) for k, _label in PERSON_FIELDS}
        if fields["email"] and "@" not in fields["email"]:
            errors.append(f"电子邮箱“{fields['email']}”格式不对。")
        conf_name, role_label = _text(values.get("conference")), _text(values.get("role"))
        conf = conf_lookup.get(conf_name) if conf_name else None
        if conf_name and conf is None:
            errors.append(f"联席会议“{conf_name}”不存在或不在您的管理范围内。")
        role = roles.get(role_label) if role_label else None
        if role_label and role is None:
            errors.append(f"联席会议职务“{role_label}”不是可选项（可选：{'、'.join(roles)}）。")
        if bool(conf_name) != bool(role_label):
            errors.append("联席会议和联席会议职务须同时填写。")
        start = _date(values.get("start"), errors, "任职起始")
        end = _date(values.get("end"), errors, "任职结束")
        if start and end and end <= start:
            errors.append("任职结束须晚于任职起始。")
        key = (search_key(name), unit.pk if unit else None)
        existing = people.get(key)
        row = RowPlan(number, name + (f"（{unit.name}）" if unit else ""), errors=errors)
        wanted = {k: v for k, v in fields.items() if v}
        first = planned_people.get(key)
        if existing is None and first is None:
            row.action = CREATE
            row.changes = {dict(PERSON_FIELDS)[k]: [None, v] for k, v in wanted.items()}
        elif existing is not None:
            diff = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
            row.changes = {dict(PERSON_FIELDS)[k]: [getattr(existing, k), v] for k, v in diff.items()}
            wanted = diff
        else:
            wanted = {}
        post_new = bool(conf and role and not (existing and (conf.pk, role, existing.pk) in posts))
        if post_new:
            row.changes[f"{conf.display_name}{role_label}"] = [None, start.isoformat() if start else "起始未载明"]
        if row.action != CREATE:
            row.action = UPDATE if row.changes else SAME
        if first is None:
            planned_people[key] = row
        row.data = {"key": key, "name": name, "unit": unit, "fields": wanted, "existing": existing,
                    "post": {"conference": conf, "role": role, "start": start, "end": end} if post_new else None}
        plan.rows.append(row)
    return plan


def people_export(conferences):
    columns = people_columns(conferences)
    wb = people_template(conferences)
    ws = wb[excel.DATA_SHEET]
    ws.delete_rows(2, ws.max_row)
    posts = (Appointment.objects.current().filter(conference__in=conferences, person__isnull=False)
             .select_related("person__unit", "conference"))
    rows = []
    for post in posts:
        p = post.person
        rows.append((p.name, {"name": p.name, "unit": p.unit.name if p.unit_id else "", "title": p.title,
                              "phone": p.phone, "email": p.email, "conference": post.conference.name,
                              "role": post.get_role_display(), "start": post.start, "end": post.end}))
    from lianxi.lib.strokes import person_key

    for _name, values in sorted(rows, key=lambda r: (person_key(r[0]), r[1]["role"])):
        ws.append([values[c.key] for c in columns])
    return wb


# --------------------------------------------------------------------------------------------
# Sub-conferences and committees
# --------------------------------------------------------------------------------------------

SUB_KINDS = {"分会": "conference", "专委会": "committee"}


def structure_columns(conferences) -> list[Column]:
    return [
        Column("name", "名称", required=True, width=34),
        Column("type", "类型", required=True, choices=list(SUB_KINDS)),
        Column("parent", "上级联席会议", required=True, choices=[c.name for c in conferences], width=30),
        Column("short_name", "简称", width=14, help="分会填写"),
        Column("kind", "分会类别", choices=[label for _v, label in Conference.Kind.choices if _v != "district"]),
        Column("founded_on", "成立日期", date=True),
    ]


def structure_template(conferences):
    return excel.template(structure_columns(conferences), title="分会与专委会")


def plan_structure(file, *, conferences) -> Plan:
    plan = Plan("分会与专委会")
    conf_lookup = _Lookup(Conference, queryset=conferences)
    all_confs = _Lookup(Conference)
    committees = {(c.conference_id, search_key(c.name)): c for c in Committee.objects.filter(conference__in=conferences)}
    kinds = {label: value for value, label in Conference.Kind.choices}
    for number, values in excel.data_rows(file, structure_columns(conferences), plan):
        errors: list[str] = []
        name = _text(values.get("name"))
        typ = SUB_KINDS.get(_text(values.get("type")))
        if typ is None:
            errors.append("类型须为“分会”或“专委会”。")
        parent = conf_lookup.get(_text(values.get("parent")))
        if parent is None:
            errors.append(f"上级联席会议“{_text(values.get('parent'))}”不存在或不在您的管理范围内。")
        founded = _date(values.get("founded_on"), errors, "成立日期")
        row = RowPlan(number, name, errors=errors)
        if typ == "conference":
            kind_label = _text(values.get("kind"))
            kind = kinds.get(kind_label) if kind_label else None
            if kind_label and kind is None:
                errors.append(f"分会类别“{kind_label}”不是可选项。")
            existing = all_confs.get(name)
            fields = {"short_name": _text(values.get("short_name")), "kind": kind, "founded_on": founded}
            wanted = {k: v for k, v in fields.items() if v not in (None, "")}
            if existing is None:
                row.action = CREATE
                if not kind:
                    errors.append("新建分会须填写分会类别。")

                def apply(actor, _w=wanted, _parent=parent, _name=name):
                    return registry.create_conference(actor, name=_name, parent=_parent, **_w)
            else:
                if parent is not None and existing.parent_id != parent.pk:
                    errors.append(f"“{name}”已登记在其他上级联席会议下。")
                diff = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
                row.changes = {k: [str(getattr(existing, k) or ""), str(v)] for k, v in diff.items()}
                row.action = UPDATE if diff else SAME

                def apply(actor, _e=existing, _d=diff):
                    return registry.update_conference(actor, _e, **_d) if _d else None
            row.apply = apply
        elif typ == "committee" and parent is not None:
            existing = committees.get((parent.pk, search_key(name)))
            row.action = SAME if existing else CREATE

            def apply(actor, _e=existing, _parent=parent, _name=name):
                return _e or registry.create_committee(actor, conference=_parent, name=_name)
            row.apply = apply
        plan.rows.append(row)
    return plan


def structure_export(conferences):
    columns = structure_columns(conferences)
    wb = structure_template(conferences)
    ws = wb[excel.DATA_SHEET]
    ws.delete_rows(2, ws.max_row)
    for conf in Conference.objects.filter(parent__in=conferences).select_related("parent").order_by("id"):
        values = {"name": conf.name, "type": "分会", "parent": conf.parent.name, "short_name": conf.short_name,
                  "kind": conf.get_kind_display(), "founded_on": conf.founded_on}
        ws.append([values[c.key] for c in columns])
    for com in Committee.objects.filter(conference__in=conferences).select_related("conference").order_by("id"):
        values = {"name": com.name, "type": "专委会", "parent": com.conference.name, "short_name": "", "kind": "",
                  "founded_on": None}
        ws.append([values[c.key] for c in columns])
    return wb


PLANNERS = {"units": plan_units, "people": plan_people, "structure": plan_structure}
TEMPLATES = {"units": unit_template, "people": people_template, "structure": structure_template}
EXPORTS = {"units": unit_export, "people": people_export, "structure": structure_export}
SHEET_LABELS = {"units": "成员单位", "people": "人员与职务", "structure": "分会与专委会"}


@transaction.atomic
def apply_plan(actor, plan: Plan) -> dict:
    """Carry out a plan with no errors, all rows or none. Rows without changes write nothing.
    New units, people, memberships and posts are inserted in bulk; changed records are updated
    one by one (each its own audit row)."""
    if not plan.ok:
        raise ValidationError("文件有错误，未导入。")
    try:
        if plan.sheet == SHEET_LABELS["units"]:
            _apply_units(actor, plan)
        elif plan.sheet == SHEET_LABELS["people"]:
            _apply_people(actor, plan)
        else:
            for row in plan.rows:
                if row.action != SAME:
                    _row(row, row.apply, actor)
    except ValidationError as exc:
        raise ValidationError("；".join(_validation_messages(exc))) from exc
    return {action: plan.count(action) for action in (CREATE, UPDATE, SAME)}


def _row(row, fn, *args, **kwargs):
    """Run one row's write; a rule only the service knows names the row (and saves nothing)."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError(f"第 {row.row} 行：" + "；".join(_validation_messages(exc))) from exc


def _apply_units(actor, plan: Plan):
    areas: dict[int, Area] = {}

    def area_of(value):
        if value is None or isinstance(value, Area):
            return value
        key = id(value)
        if key not in areas:
            areas[key] = _resolve_area(actor, value)
        return areas[key]

    new = [r for r in plan.rows if r.action == CREATE]
    made = registry.create_units_bulk(actor, [
        {"name": r.data["name"], "area": area_of(r.data["area"]), **{k: v for k, v in r.data["fields"].items()}}
        for r in new
    ])
    units = {r.row: u for r, u in zip(new, made, strict=True)}
    admissions = []
    for r in plan.rows:
        if r.action == UPDATE:
            unit = r.data["existing"]
            update = dict(r.data["fields"])
            area = area_of(update.pop("area", None))
            if area is not None:
                update["area"] = area
            if update:
                _row(r, registry.update_unit, actor, unit, **update)
            units[r.row] = unit
        for conf, meeting in r.data.get("joins", []):
            admissions.append({"unit": units[r.row], "conference": conf, "start": r.data["start"], "admitted_at": meeting})
    registry.admit_units_bulk(actor, admissions)


def _apply_people(actor, plan: Plan):
    first: dict[tuple, RowPlan] = {}
    for r in plan.rows:
        if r.data["existing"] is None:
            first.setdefault(r.data["key"], r)
    made = registry.create_people_bulk(actor, [
        {"name": r.data["name"], "unit": r.data["unit"], **r.data["fields"]} for r in first.values()
    ])
    people = {key: person for key, person in zip(first, made, strict=True)}
    posts = []
    for r in plan.rows:
        person = r.data["existing"] or people[r.data["key"]]
        if r.data["existing"] is not None and r.data["fields"]:
            _row(r, registry.update_person, actor, person, **r.data["fields"])
        if r.data["post"]:
            posts.append({**r.data["post"], "person": person, "unit": r.data["unit"]})
    registry.appoint_bulk(actor, posts)
