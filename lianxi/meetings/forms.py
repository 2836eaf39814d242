"""Forms of the secretariat's meeting pages. They check input shape; the rules live in the services.

Units and people are typed by name (with suggestions from the registry as one types) rather than
picked from a select, so the forms stay light when a city-wide registry holds 100,000 units."""

import re

from django import forms
from django.core.exceptions import ValidationError

from lianxi.lib.forms import LookupInput, ServiceForm
from lianxi.lib.numbers import chinese_ordinal
from lianxi.lib.text import search_key
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure
from lianxi.meetings.resolutions import resolution_for
from lianxi.registry.models import Appointment, Conference, Person, Unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


_TRAILING_ID = re.compile(r"#(\d+)\s*$")


def find_unit(text: str) -> Unit | None:
    """The unit typed as ``名称`` or ``名称 #id`` (as the suggestion list offers); a name that differs
    only in punctuation or 繁/简 is accepted when it is unique."""
    text = (text or "").strip()
    if not text:
        return None
    match = _TRAILING_ID.search(text)
    if match:
        return Unit.objects.filter(pk=int(match.group(1))).first()
    unit = Unit.objects.filter(name=text).first()
    if unit is not None:
        return unit
    matches = list(Unit.objects.filter(search_text__startswith=f"{search_key(text)} ")[:2])
    return matches[0] if len(matches) == 1 else None


class UnitNameField(forms.CharField):
    """A unit typed by name (with suggestions as one types); cleans to the ``Unit``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "请输入单位全称（须已在单位名录中登记）")
        kwargs.setdefault("widget", LookupInput("registry:unit_suggest"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        unit = find_unit(value)
        if unit is None:
            raise ValidationError("单位名录中没有“%(name)s”，请先登记该单位。", params={"name": value})
        return unit


class PersonNameField(forms.CharField):
    """A person typed by name, or ``姓名（单位） #id`` as the suggestion list offers. Cleans to
    ``(person or None, name)``: the caller decides whether an unknown name creates a person."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("widget", LookupInput("registry:person_suggest"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = _TRAILING_ID.search(value)
        if match:
            person = Person.objects.filter(pk=int(match.group(1))).first()
            if person is None:
                raise ValidationError("人员名录中没有编号为 %(pk)s 的人员。", params={"pk": match.group(1)})
            return person, person.name
        return None, value.strip()


def resolve_person(form, field: str, name: str, unit: Unit | None):
    """The one person called ``name`` (the one of ``unit`` when several share it), or ``None`` when
    nobody has that name; an ambiguous name is a field error."""
    people = Person.objects.filter(name=name)
    if unit is not None and people.count() > 1:
        people = people.filter(unit=unit)
    found = list(people[:2])
    if len(found) > 1:
        form.add_error(field, "同名人员不止一位，请从提示中选择带编号的一项，或填写代表单位以区分。")
        return None
    return found[0] if found else None


class MeetingForm(ServiceForm):
    """The meeting's own fields; the instance is left untouched until the service compares old and
    new values for the audit row."""

    model = Meeting
    model_fields = ("kind", "number", "title", "date", "venue", "host_unit", "summary", "source", "is_published")

    host_unit = UnitNameField(label="承办单位", required=False, help_text="资料未载明时留空")

    def __init__(self, *args, meeting: Meeting | None = None, next_numbers: dict | None = None, **kwargs):
        super().__init__(*args, instance=meeting, **kwargs)
        if meeting is not None and "host_unit" not in (kwargs.get("initial") or {}):
            self.initial["host_unit"] = meeting.host_unit.name if meeting.host_unit_id else ""
        self.fields["summary"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["source"].widget = forms.Textarea(attrs={"rows": 2})
        if next_numbers:
            following = "；".join(f"{Meeting.Kind(kind).label}第{chinese_ordinal(n)}次" for kind, n in next_numbers.items())
            self.fields["number"].help_text = f"留空则按所选会议类型自动编号（下一次：{following}）。每种会议各自编号。"


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label="议程类型", choices=AgendaItem.Kind.choices)
    title = forms.CharField(label="议程", max_length=300)
    description = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    concerns_conference = forms.ModelChoiceField(
        label="涉及联席会议", queryset=Conference.objects.none(), required=False,
        help_text="如通过新成员时加入的联席会议；揭牌成立的新联席会议在执行决议时创建",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        root = meeting.conference
        self.fields["concerns_conference"].queryset = Conference.objects.filter(pk=root.pk) | root.children.all()


class ParticipantForm(forms.Form):
    """A person on an item. An unknown name creates the person (with the unit and title given)."""

    person_name = PersonNameField(label="姓名")
    role = forms.ChoiceField(label="角色", choices=AgendaParticipant.Role.choices)
    title = forms.CharField(label="当日职务(原文)", max_length=300, required=False)
    unit = UnitNameField(label="代表单位", required=False, help_text="可留空")

    def clean(self):
        data = super().clean()
        picked = data.get("person_name")
        if picked is None:
            return data
        person, name = picked
        data["person_name"] = name
        data["person"] = person or resolve_person(self, "person_name", name, data.get("unit"))
        return data


class AgendaUnitForm(forms.Form):
    unit = UnitNameField(label="单位")
    role = forms.ChoiceField(label="角色", choices=AgendaUnit.Role.choices)
    label = forms.CharField(label="原文称谓", max_length=200, required=False)


class ExchangeForm(forms.Form):
    unit = UnitNameField(label="交流单位")
    mode = forms.ChoiceField(label="方式", choices=Exchange.Mode.choices)
    speaker_label = forms.CharField(label="交流身份(原文)", max_length=200, required=False)
    topic = forms.CharField(label="题目", max_length=200, required=False)


class FigureForm(ServiceForm):
    model = StatedFigure
    model_fields = ("key", "label", "value", "unit_label", "quote")


# --- resolution forms, one per agenda kind ---------------------------------------------------------

class AdmissionApplyForm(forms.Form):
    plaque = forms.BooleanField(label="会上授牌", required=False, initial=True)

    def options(self) -> dict:
        return {"plaque": self.cleaned_data["plaque"]}


class UnveilingApplyForm(forms.Form):
    name = forms.CharField(label="新联席会议名称", max_length=150, required=False)
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    kind = forms.ChoiceField(label="类型", choices=Conference.Kind.choices, initial=Conference.Kind.AREA)
    upgraded_from = forms.ModelChoiceField(
        label="在其基础上升级成立", queryset=Conference.objects.none(), required=False
    )
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upgraded_from"].queryset = item.meeting.conference.children.filter(
            status=Conference.Status.ACTIVE
        )
        if item.concerns_conference_id:
            for name in ("name", "short_name", "kind", "description"):
                del self.fields[name]

    def options(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields}


class NamingApplyForm(forms.Form):
    honour = forms.CharField(label="命名称号", max_length=60, help_text="如 百优支部")
    named = forms.IntegerField(label="命名数量", min_value=0, required=False)
    named_unit = forms.CharField(label="计量单位", max_length=20, required=False, initial="个")
    representatives = forms.IntegerField(label="会上颁授代表人数", min_value=0, required=False)

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item

    def options(self) -> dict:
        data, figures = self.cleaned_data, []
        if data.get("named") is not None:
            figures.append({"key": f"named-{self.item.pk}", "label": f"命名“{data['honour']}”",
                            "value": data["named"], "unit_label": data.get("named_unit") or ""})
        if data.get("representatives") is not None:
            figures.append({"key": f"named-{self.item.pk}-representatives",
                            "label": f"会上颁授“{data['honour']}”代表", "value": data["representatives"],
                            "unit_label": "位"})
        return {"figures": figures}


class AdjustmentApplyForm(forms.Form):
    """One row per post current on the meeting's date (keep / end / hand over), plus one new post."""

    ACTIONS = [("keep", "不变"), ("end", "结束（无继任）"), ("replace", "由继任者接任")]
    ADJUSTABLE_ROLES = [Appointment.Role.ROTATING_CONVENER, Appointment.Role.DEPUTY_CONVENER,
                        Appointment.Role.CONVENER, Appointment.Role.SECRETARY_GENERAL]

    new_role = forms.ChoiceField(label="新增职务", required=False,
                                 choices=[("", "—")] + [(r.value, r.label) for r in ADJUSTABLE_ROLES])
    new_person = PersonNameField(label="新任人员", required=False)
    new_unit = UnitNameField(label="新任人员所代表单位", required=False)

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        conference = item.concerns_conference or item.meeting.conference
        self.appointments = list(
            Appointment.objects.current(item.meeting.date)
            .filter(conference=conference, role__in=self.ADJUSTABLE_ROLES, end__isnull=True)
            .select_related("person", "unit", "conference")
            .order_by("role", "id")
        )
        for a in self.appointments:
            self.fields[f"action_{a.pk}"] = forms.ChoiceField(label=f"{a.get_role_display()} {a.holder_label}",
                                                              choices=self.ACTIONS, initial="keep")
            self.fields[f"person_{a.pk}"] = PersonNameField(label="继任人员", required=False)
            self.fields[f"unit_{a.pk}"] = UnitNameField(label="继任人员所代表单位", required=False)

    def rows(self):
        for a in self.appointments:
            yield a, self[f"action_{a.pk}"], self[f"person_{a.pk}"], self[f"unit_{a.pk}"]

    def _person(self, field: str, unit: Unit | None):
        picked = self.cleaned_data.get(field)
        if picked is None:
            return None
        person, name = picked
        person = person or resolve_person(self, field, name, unit)
        if person is None and field not in self.errors:
            self.add_error(field, "人员名录中没有此人，请先在人员名录中登记。")
        return person

    def clean(self):
        data = super().clean()
        changes, additions = [], []
        for a in self.appointments:
            action = data.get(f"action_{a.pk}")
            if action == "end":
                changes.append({"appointment": a, "person": None, "unit": None})
            elif action == "replace":
                unit = data.get(f"unit_{a.pk}")
                person = self._person(f"person_{a.pk}", unit)
                if person is None and unit is None and f"person_{a.pk}" not in self.errors:
                    self.add_error(f"person_{a.pk}", "请填写继任人员或单位。")
                changes.append({"appointment": a, "person": person, "unit": unit})
        if data.get("new_role"):
            unit = data.get("new_unit")
            person = self._person("new_person", unit)
            if person is None and "new_person" not in self.errors:
                self.add_error("new_person", "请填写新任人员。")
            additions.append({"role": data["new_role"], "person": person, "unit": unit})
        data["changes"], data["additions"] = changes, additions
        return data

    def options(self) -> dict:
        return {"changes": self.cleaned_data["changes"], "additions": self.cleaned_data["additions"]}


def apply_form_for(item: AgendaItem, data=None):
    """The form that collects the options of the item's resolution (registered with it, see
    lianxi.meetings.resolutions)."""
    form_class = resolution_for(item.kind, item.get_kind_display()).form
    if form_class is AdmissionApplyForm:
        return form_class(data)
    return form_class(data, item=item)
