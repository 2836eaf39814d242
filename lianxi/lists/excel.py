"""The lists in Excel: templates for needs and resources, the all-or-nothing import (every row
checked with the same form as the web page, every bad row reported by number). The three lists in
the plenary layout, for export and snapshots, are in :mod:`lianxi.lists.tables`."""

import copy
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.datastructures import MultiValueDict

from lianxi.lib import excel
from lianxi.lib.excel import Column
from lianxi.lists.forms import NeedForm, ResourceForm, area_label, source_choices_for, units_for_posting
from lianxi.lists.gates import units_acted_for
from lianxi.lists.models import Need, NeedCategory, Resource, Urgency
from lianxi.lists.services import (
    NeedRules,
    check_need_rows,
    check_resource_rows,
    offer_resources_bulk,
    post_needs_bulk,
)
from lianxi.registry.gates import can_manage_conference
from lianxi.registry.models import Area, Conference, Membership, Unit

# A progress callback receives how many more rows were processed.
Progress = Callable[[int], None] | None
# Called when an import moves to its next step, with the step's name and how many rows it has:
# 保存 (inserting, inside the transaction) and 建立检索索引 (after the commit); ``progress`` then
# counts from 0 again.
Stage = Callable[[str, int], None] | None
SAVING, INDEXING = "保存", "建立检索索引"


@dataclass
class RowError:
    row: int
    messages: list[str]

    def __str__(self):
        return f"第 {self.row} 行：" + "；".join(self.messages)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


# --------------------------------------------------------------------------------------------
# Lookups: what a cell may say, resolved once per file
# --------------------------------------------------------------------------------------------


def _area_lookup(conference: Conference) -> dict[str, Area]:
    """``{label: area}`` for the streets and residents' areas inside the conference's area."""
    rules = NeedRules()
    areas = list(Area.objects.exclude(kind=Area.Kind.DISTRICT).order_by("kind", "name"))
    parents = {a.pk: a for a in Area.objects.all()}
    out = {}
    for area in areas:
        if conference.area_id and conference.area_id not in rules.area_ancestors(area.pk):
            continue
        out[area_label(area, parents)] = area
    return out


def _unit_lookup(units) -> dict[str, Unit]:
    out = {}
    for unit in units.only("id", "name", "party_org_name", "area_id"):
        out[unit.name] = unit
        if unit.party_org_name:
            out.setdefault(unit.party_org_name, unit)
    return out


def _owners_for(conference: Conference, user):
    """Units that may post needs to ``conference`` and for which ``user`` may post."""
    rules = NeedRules()
    areas = []
    if conference.area_id:
        areas = [a for a in Area.objects.values_list("id", flat=True) if conference.area_id in rules.area_ancestors(a)]
    members = Membership.objects.current().filter(conference=conference, unit=OuterRef("pk"))
    eligible = Unit.objects.filter(Q(Exists(members)) | Q(area_id__in=areas))
    return eligible.filter(pk__in=units_for_posting(user).values("pk")).order_by("name")


def _members_for(conference: Conference, user):
    """The conference's current members the user may offer resources for."""
    members = Membership.objects.current().filter(conference=conference, unit=OuterRef("pk"))
    units = Unit.objects.filter(Exists(members))
    if not can_manage_conference(user, conference.pk):
        units = units.filter(pk__in=units_acted_for(user))
    return units.order_by("name")


def _categories() -> dict[str, NeedCategory]:
    return {c.name: c for c in NeedCategory.objects.filter(is_active=True)}


# --------------------------------------------------------------------------------------------
# Needs
# --------------------------------------------------------------------------------------------


def need_columns(conference: Conference, user) -> list[Column]:
    return [
        Column("owner", "需求单位", required=True, width=26,
               choices=list(_owners_for(conference, user).values_list("name", flat=True)),
               help="提出需求的街道、居民区或单位"),
        Column("title", "需求名称", required=True, width=30, help="一句话说明需要什么"),
        Column("description", "需求描述", width=40, help="时间、地点、对象、具体要求"),
        Column("category", "类别", required=True, choices=list(_categories())),
        Column("area", "街道/居民区", required=True, width=22, choices=list(_area_lookup(conference)),
               help="居民区写作“街道/居民区”"),
        Column("quantity", "需求数量", required=True, number=True, width=10, help="正整数"),
        Column("quantity_unit", "计量单位", width=10, help="如 场/月、人、次"),
        Column("beneficiaries", "受益对象", width=20),
        Column("deadline", "截止日期", date=True, width=12, help="如 2024-12-31"),
        Column("urgency", "紧急程度", choices=Urgency.labels, width=10, help="不填为“一般”"),
        Column("contact_name", "联系人", width=10),
        Column("contact_phone", "联系电话", width=16),
        Column("source", "来源", choices=[label for _, label in source_choices_for(user)], width=12,
               help="不填为“基层单位发布”"),
        Column("source_note", "来源说明", width=20),
    ]


def need_template(conference: Conference, user):
    columns = need_columns(conference, user)
    owners = columns[0].choices or [""]
    areas = columns[4].choices or [""]
    example = {"owner": owners[0], "title": f"{excel.EXAMPLE_MARK}为独居老人提供助餐服务",
               "description": "每周一至周五午餐送餐上门", "category": (columns[3].choices or [""])[0],
               "area": areas[0], "quantity": 20, "quantity_unit": "人", "beneficiaries": "辖区独居老人",
               "urgency": Urgency.NORMAL.label}
    return excel.template(columns, title=f"{conference.display_name} 需求清单导入模板", example=example,
                          notes=["导入时逐行校验；任何一行有错误，整个文件都不会导入，请按提示修改后重新上传。"])


def _row_forms(form_class, **kwargs) -> Callable[[dict], object]:
    """``bind(data)``: a form of ``form_class`` bound to one row's data. The import configures one
    form (lookups, rules, the choices this user may make) and each row gets a shallow copy of it:
    the same fields and the same ``clean`` as the web page, but without Django deep-copying every
    field (querysets, choices, widgets) and reading the empty instance again per row, which cost
    twice as much as checking the row itself. Checking a row reads the fields and never changes
    them; the row's data, errors, cleaned data and instance are the copy's own."""
    prototype = form_class(**kwargs)

    def bind(data):
        form = copy.copy(prototype)
        form.data, form.files, form.is_bound = data, MultiValueDict(), True
        form._errors, form._bound_fields_cache = None, {}
        return form

    return bind


@functools.cache
def _by_label(choices_class) -> dict[str, str]:
    return {str(label): code for code, label in choices_class.choices}


def _choice_value(choices_class, value):
    """A cell shows the Chinese label; the form wants the code."""
    if value in (None, ""):
        return None
    return _by_label(choices_class).get(str(value), value)


def _need_form_data(values: dict, conference: Conference) -> dict:
    data = {key: ("" if value is None else value) for key, value in values.items()}
    data["conference"] = str(conference.pk)
    if isinstance(values.get("deadline"), datetime.datetime):
        # A time of day left in the cell: as text, which the form refuses as it did before. A date
        # cell goes to the form as the date itself, which DateField takes as it is.
        data["deadline"] = values["deadline"].isoformat()
    data["urgency"] = _choice_value(Urgency, values.get("urgency")) or Urgency.NORMAL
    data["source"] = _choice_value(Need.Source, values.get("source")) or Need.Source.POSTED
    return data


def _form_messages(form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            out.append(f"{label}：{message}" if label else message)
    return out


def import_needs(actor, file, *, conference: Conference, publish: bool = True, progress: Progress = None,
                 total_hint: list | None = None, stage: Stage = None) -> ImportResult:
    """Check every row with ``NeedForm``; save all rows (published) only if none is bad."""
    result = ImportResult()
    rules = NeedRules()
    owners = _unit_lookup(_owners_for(conference, actor))
    lookups = {"conference": {str(conference.pk): conference}, "owner": owners, "category": _categories(),
               "area": _area_lookup(conference)}
    own_default = None
    if len(set(owners.values())) == 1:
        own_default = next(iter(owners))
    valid: list[dict] = []
    numbers: list[int] = []
    need_form = _row_forms(NeedForm, user=actor, rules=rules, lookups=lookups, publishing=publish)
    for number, values in excel.data_rows(file, need_columns(conference, actor), result):
        result.rows += 1
        if own_default and not values.get("owner"):
            values["owner"] = own_default
        form = need_form(_need_form_data(values, conference))
        if not form.is_valid():
            result.errors.append(RowError(number, _form_messages(form)))
        else:
            valid.append(form.service_fields())
            numbers.append(number)
        if progress:
            progress(1)
    if result.file_error:
        return result
    # The rules are the service's (the page and the API get the same answers); checked here for
    # every well-formed row so that the report names every bad row, then saved without a second check.
    broken = check_need_rows(valid, publishing=publish, rules=rules, labels=[f"第 {n} 行" for n in numbers])
    _add_rule_errors(result, broken, numbers, NeedForm)
    if result.ok:
        if stage:
            stage(SAVING, len(valid))

        def indexing(n: int):
            if not indexing.started:
                indexing.started = True
                if stage:
                    stage(INDEXING, len(valid))
            if progress:
                progress(n)

        indexing.started = False
        result.created = post_needs_bulk(actor, valid, publish=publish, rules=rules, checked=True,
                                         progress=progress if stage else None,
                                         progress_after=indexing if stage else None)
    return result


def _add_rule_errors(result: ImportResult, broken: dict, numbers: list[int], form_class):
    """Rows the service's rules refuse, by row number, each message after its column's label."""
    labels = {name: str(field.label) for name, field in form_class.base_fields.items()}
    labels.update({f.name: str(f.verbose_name) for f in form_class.model._meta.fields
                   if f.name not in labels})
    for index, errors in broken.items():
        result.errors.append(RowError(numbers[index], [
            f"{labels[field]}：{message}" if field in labels else message for field, message in errors.items()]))
    result.errors.sort(key=lambda e: e.row)


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------


def resource_columns(conference: Conference, user) -> list[Column]:
    return [
        Column("unit", "提供单位", required=True, width=26,
               choices=list(_members_for(conference, user).values_list("name", flat=True))),
        Column("title", "资源名称", required=True, width=30),
        Column("description", "资源描述", width=40),
        Column("category", "类别", required=True, choices=list(_categories())),
        Column("kind", "资源类型", required=True, choices=Resource.Kind.labels),
        Column("capacity", "可提供数量", required=True, number=True, width=10, help="每个周期可提供的数量"),
        Column("capacity_unit", "计量单位", width=10),
        Column("period", "周期", choices=Resource.Period.labels, width=10, help="不填为“每月”"),
        Column("available_from", "可提供起始", date=True, width=12),
        Column("available_until", "可提供截止", date=True, width=12),
        Column("areas", "服务街道", width=30, choices=list(_area_lookup(conference)), multiple=True,
               help="多个街道用顿号“、”分隔"),
        Column("conditions", "使用条件", width=30),
        Column("contact_name", "联系人", width=10),
        Column("contact_phone", "联系电话", width=16),
    ]


def resource_template(conference: Conference, user):
    columns = resource_columns(conference, user)
    example = {"unit": (columns[0].choices or [""])[0], "title": f"{excel.EXAMPLE_MARK}党群活动室开放",
               "category": (columns[3].choices or [""])[0], "kind": Resource.Kind.VENUE.label, "capacity": 4,
               "capacity_unit": "场", "period": Resource.Period.MONTHLY.label}
    return excel.template(columns, title=f"{conference.display_name} 资源清单导入模板", example=example,
                          notes=["导入时逐行校验；任何一行有错误，整个文件都不会导入。"])


def import_resources(actor, file, *, conference: Conference, progress: Progress = None) -> ImportResult:
    result = ImportResult()
    rules = NeedRules()
    units = _unit_lookup(_members_for(conference, actor))
    areas = _area_lookup(conference)
    lookups = {"conference": {str(conference.pk): conference}, "unit": units, "category": _categories(), "areas": areas}
    own_default = next(iter(units)) if len(set(units.values())) == 1 else None
    valid = []
    numbers: list[int] = []
    resource_form = _row_forms(ResourceForm, user=actor, lookups=lookups, rules=rules)
    for number, values in excel.data_rows(file, resource_columns(conference, actor), result):
        result.rows += 1
        if own_default and not values.get("unit"):
            values["unit"] = own_default
        data = {key: ("" if value is None else value) for key, value in values.items()}
        data["conference"] = str(conference.pk)
        for key in ("available_from", "available_until"):
            if isinstance(values.get(key), datetime.date):
                data[key] = values[key].isoformat()
        data["kind"] = _choice_value(Resource.Kind, values.get("kind")) or ""
        data["period"] = _choice_value(Resource.Period, values.get("period")) or Resource.Period.MONTHLY
        multi = MultiValueDict({k: [v] for k, v in data.items() if k != "areas"})
        multi.setlist("areas", excel.split_multiple(values.get("areas")))
        form = resource_form(multi)
        if form.is_valid():
            valid.append((form.service_fields(), list(form.cleaned_data["areas"])))
            numbers.append(number)
        else:
            result.errors.append(RowError(number, _form_messages(form)))
        if progress:
            progress(1)
    if result.file_error:
        return result
    broken = check_resource_rows([fields for fields, _areas in valid], rules=rules)
    _add_rule_errors(result, broken, numbers, ResourceForm)
    if result.ok:
        result.created = offer_resources_bulk(actor, valid, rules=rules, checked=True)
    return result
