"""Venues, secondments and visit plans in Excel: templates, the all-or-nothing import (every row goes
through the same service as the web form, inside one transaction; any bad row is reported by
number and nothing is saved) and exports."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianxi.lib import excel
from lianxi.lib.excel import Column, ExcelFormatError
from lianxi.registry import services as registry_services
from lianxi.registry.models import Area, Membership, Person, Unit, Venue
from lianxi.visits import gates, services
from lianxi.visits.models import Secondment, SecondmentBatch, Visit, VisitPlan


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _labels(choices) -> dict[str, str]:
    return {label: value for value, label in choices}


VENUE_COLUMNS = [
    Column("name", "阵地名称", required=True, width=28),
    Column("kind", "类型", required=True, choices=[label for _v, label in Venue.Kind.choices]),
    Column("owner", "所属单位", required=True, width=28, help="成员单位全称"),
    Column("area", "所在街道/区域", width=18),
    Column("address", "地址", width=30),
    Column("capacity", "容纳人数", number=True),
    Column("opening_hours", "开放时间", width=20),
    Column("access", "开放对象", choices=[label for _v, label in Venue.Access.choices]),
    Column("access_note", "使用说明", width=24),
]

SECONDMENT_COLUMNS = [
    Column("person", "姓名", required=True, help="须为派出单位已登记的人员"),
    Column("home_unit", "派出单位", required=True, width=28),
    Column("host_unit", "接收单位", required=True, width=28),
    Column("host_post", "挂任岗位", required=True, width=20),
    Column("kind", "方式", required=True, choices=[label for _v, label in Secondment.Kind.choices]),
    Column("start", "起始日期", required=True, date=True),
    Column("end", "截止日期", required=True, date=True),
]


UNAVAILABLE_COLUMNS = [
    Column("unit", "单位", required=True, width=28, help="走访计划所涉成员单位全称"),
    Column("dates", "不便接待日期", required=True, width=40,
           help="多个日期用顿号分隔，区间写作 2025-01-02 至 2025-01-06"),
]


def _date(value, header: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ValidationError(f"{header}“{value}”不是日期（应为 2025-01-31）。") from error


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for errs in error.error_dict.values() for e in errs for m in e.messages]
    return list(error.messages)


def _import_all_or_nothing(file, columns, check) -> ImportResult:
    """Read the data rows of ``file``. ``check(row, problems)`` appends what is wrong with a row and
    returns the function that saves it; a row with no problems is saved (in a savepoint; the
    service's refusal becomes the row's problem). If any row has a problem nothing is saved, and
    every problem is reported with its row number."""
    result = ImportResult()
    with transaction.atomic():
        for number, row in excel.read_rows(file, columns):
            result.rows += 1
            problems = []
            save = check(row, problems)
            if not problems:
                try:
                    with transaction.atomic():
                        save()
                    result.created += 1
                except ValidationError as error:
                    problems.extend(_messages(error))
            if problems:
                result.errors.append(f"第 {number} 行：" + "；".join(problems))
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result


def import_venues(actor, file, *, owners) -> ImportResult:
    """Each row a venue of one of ``owners`` (the units the actor may register venues for)."""
    owner_by_name = {u.name: u for u in owners}
    areas = {a.name: a for a in Area.objects.exclude(kind=Area.Kind.DISTRICT)}
    kinds, accesses = _labels(Venue.Kind.choices), _labels(Venue.Access.choices)

    def check(row, problems):
        owner = owner_by_name.get(str(row.get("owner") or ""))
        if owner is None:
            problems.append(f"所属单位“{row.get('owner')}”不存在或无权为其登记阵地")
        kind = kinds.get(str(row.get("kind") or ""))
        if kind is None:
            problems.append(f"类型“{row.get('kind')}”无效")
        area = None
        if row.get("area"):
            area = areas.get(str(row["area"]))
            if area is None:
                problems.append(f"街道/区域“{row['area']}”不存在")
        access = Venue.Access.MEMBERS
        if row.get("access"):
            access = accesses.get(str(row["access"]))
            if access is None:
                problems.append(f"开放对象“{row['access']}”无效")
        capacity = row.get("capacity")
        if capacity is not None and (not isinstance(capacity, int) or capacity < 0):
            problems.append(f"容纳人数“{capacity}”须为非负整数")
        return lambda: registry_services.create_venue(
            actor, name=str(row["name"])[:150], kind=kind, owner=owner, area=area,
            address=str(row.get("address") or "")[:200], capacity=capacity,
            opening_hours=str(row.get("opening_hours") or "")[:120], access=access,
            access_note=str(row.get("access_note") or "")[:200])

    return _import_all_or_nothing(file, VENUE_COLUMNS, check)


def import_secondments(actor, file, *, batch: SecondmentBatch) -> ImportResult:
    members = Membership.objects.current().filter(conference_id=batch.conference_id).values("unit_id")
    units = {u.name: u for u in Unit.objects.filter(pk__in=members)}
    people: dict[tuple[str, int], list[Person]] = {}
    for person in Person.objects.filter(unit_id__in=members):
        people.setdefault((person.name, person.unit_id), []).append(person)
    kinds = _labels(Secondment.Kind.choices)

    def check(row, problems):
        home = units.get(str(row.get("home_unit") or ""))
        host = units.get(str(row.get("host_unit") or ""))
        if home is None:
            problems.append(f"派出单位“{row.get('home_unit')}”不是本联席会议成员单位")
        if host is None:
            problems.append(f"接收单位“{row.get('host_unit')}”不是本联席会议成员单位")
        person = None
        if home is not None:
            found = people.get((str(row.get("person") or ""), home.pk), [])
            if len(found) != 1:
                problems.append(f"姓名“{row.get('person')}”在派出单位中" + ("未登记" if not found else "有重名"))
            else:
                person = found[0]
        kind = kinds.get(str(row.get("kind") or ""))
        if kind is None:
            problems.append(f"方式“{row.get('kind')}”无效")
        dates = {}
        for key, header in (("start", "起始日期"), ("end", "截止日期")):
            try:
                dates[key] = _date(row.get(key), header)
            except ValidationError as error:
                problems.extend(error.messages)
        return lambda: services.add_secondment(actor, batch=batch, person=person, home_unit=home, host_unit=host,
                                               host_post=str(row["host_post"])[:120], kind=kind, **dates)

    return _import_all_or_nothing(file, SECONDMENT_COLUMNS, check)


def import_unavailability(actor, file, *, plan) -> ImportResult:
    """Each row: a unit of the plan and the days it cannot receive a visit (replacing what it had)."""
    from lianxi.visits.forms import parse_dates

    units = {u.name: u for u in services.plan_units(plan)}

    def check(row, problems):
        unit = units.get(str(row.get("unit") or ""))
        if unit is None:
            problems.append(f"单位“{row.get('unit')}”不是该计划的成员单位")
        value = row.get("dates")
        try:
            days = [value] if isinstance(value, datetime.date) else parse_dates(str(value or ""))
        except ValidationError as error:
            problems.extend(error.messages)
            days = []
        outside = [d for d in days if isinstance(d, datetime.date) and not (plan.start <= d <= plan.end)]
        if outside:
            problems.append(f"日期 {outside[0]:%Y-%m-%d} 不在计划周期内")
        return lambda: services.set_unit_unavailable(actor, plan, unit=unit, dates=days)

    return _import_all_or_nothing(file, UNAVAILABLE_COLUMNS, check)


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    which = forms.ChoiceField(label=_("导入内容"), choices=[("venues", "阵地"), ("secondments", "双向交流"),
                                                          ("unavailable", "单位不便接待日期")])
    batch = forms.ModelChoiceField(SecondmentBatch.objects.none(), label=_("双向交流批次"), required=False)
    plan = forms.ModelChoiceField(VisitPlan.objects.none(), label=_("走访计划"), required=False)
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args, batches=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches if batches is not None else SecondmentBatch.objects.none()
        self.fields["plan"].queryset = plans if plans is not None else VisitPlan.objects.none()


def _owners(user):
    ids = gates.managed_conference_ids(user)
    if ids is None:
        return Unit.objects.all()
    member_ids = Membership.objects.current().filter(conference_id__in=ids).values("unit_id")
    return Unit.objects.filter(pk__in=member_ids) | Unit.objects.filter(pk__in=gates.own_unit_ids(user))


def _manageable_plans(user):
    ids = gates.managed_conference_ids(user)
    plans = gates.plans_visible_to(user).select_related("conference").order_by("-start", "-id")
    return plans if ids is None else plans.filter(conference_id__in=ids)


def _manageable_batches(user):
    ids = gates.managed_conference_ids(user)
    batches = gates.batches_visible_to(user)
    return batches if ids is None else batches.filter(conference_id__in=ids)


@login_required
def import_page(request):
    if not gates.is_insider(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, batches=_manageable_batches(request.user),
                      plans=_manageable_plans(request.user))
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["which"] == "venues":
                result = import_venues(request.user, d["file"], owners=_owners(request.user))
            elif d["which"] == "unavailable":
                if d["plan"] is None:
                    form.add_error("plan", _("导入单位不便接待日期须选择走访计划。"))
                else:
                    plan = gates.get_plan_for(request.user, d["plan"].pk, write=True)
                    result = import_unavailability(request.user, d["file"], plan=plan)
            else:
                if d["batch"] is None:
                    form.add_error("batch", _("导入双向交流须选择批次。"))
                else:
                    gates.get_batch_for(request.user, d["batch"].pk, write=True)
                    result = import_secondments(request.user, d["file"], batch=d["batch"])
        except ExcelFormatError as error:
            form.add_error("file", str(error))
    status = 400 if form.errors or (result and not result.ok) else 200
    return render(request, "visits/import.html", {"form": form, "result": result}, status=status)


@login_required
def template_download(request, which):
    if not gates.is_insider(request.user):
        raise Http404
    if which == "venues":
        return excel.download(excel.template(VENUE_COLUMNS, title="阵地"), "阵地导入模板.xlsx")
    if which == "secondments":
        return excel.download(excel.template(SECONDMENT_COLUMNS, title="双向交流"), "双向交流导入模板.xlsx")
    if which == "unavailable":
        return excel.download(excel.template(UNAVAILABLE_COLUMNS, title="单位不便接待日期"), "单位不便接待日期导入模板.xlsx")
    raise Http404


@login_required
def venue_export(request):
    venues = gates.venues_visible_to(request.user).select_related("owner", "area").order_by("name", "id")
    wb = excel.new_workbook()
    excel.add_table(wb, "阵地", [c.header for c in VENUE_COLUMNS], (
        [v.name, v.get_kind_display(), v.owner.name, v.area.name if v.area_id else "", v.address, v.capacity,
         v.opening_hours, v.get_access_display(), v.access_note] for v in venues.iterator()))
    return excel.download(wb, "阵地.xlsx")


@login_required
def batch_export(request, pk):
    batch = gates.get_batch_for(request.user, pk)
    rows = batch.secondments.select_related("person", "home_unit", "host_unit").order_by("start", "id")
    wb = excel.new_workbook()
    excel.add_table(wb, batch.name, [*(c.header for c in SECONDMENT_COLUMNS), "状态", "考核等次", "期满评价"], (
        [s.person.name, s.home_unit.name, s.host_unit.name, s.host_post, s.get_kind_display(), s.start, s.end,
         s.get_state_display(), s.get_grade_display(), s.evaluation] for s in rows), caption=batch.name)
    return excel.download(wb, f"{batch.name}.xlsx")


@login_required
def plan_export(request, pk):
    plan = gates.get_plan_for(request.user, pk)
    visits = (Visit.objects.filter(plan=plan).exclude(state=Visit.State.CANCELLED)
              .select_related("unit", "unit__area", "visitor__person").order_by("planned_on", "unit__name"))
    wb = excel.new_workbook()
    excel.add_table(wb, "走访安排", ["计划日期", "走访单位", "所在街道/区域", "走访人", "状态", "走访日期", "接待人员", "走访情况"], (
        [v.planned_on, v.unit.name, v.unit.area.name if v.unit.area_id else "",
         str(v.visitor.person) if v.visitor_id else "", v.get_state_display(), v.done_on, v.met_with, v.notes]
        for v in visits.iterator()), caption=plan.title)
    return excel.download(wb, f"{plan.title}.xlsx")

