"""Forms of the lists. One form per thing checked: the web page and the Excel import row validate
their shape through these (the API's schemas check the payload's shape and it resolves ids itself);
the rules are the services' (docs/architecture.md, "The write path"). ``lookups`` lets an import resolve names from preloaded maps instead of one
query per cell."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lianxi.lib.forms import DateInput, NameChoiceField, ServiceForm
from lianxi.lists.gates import (
    offering_conferences,
    offering_unit_choices,
    posting_conferences,
    posting_units,
    records_only_posted_needs,
    units_acted_for,
)
from lianxi.lists.models import Cadence, Claim, Delivery, Need, NeedCategory, Resource, Urgency
from lianxi.lists.services import NeedRules, last_contact
from lianxi.registry.models import Area, Conference, Membership, Unit


class LookupChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that, given ``lookup`` (``{text: obj}``), resolves from it without a
    query; the web form leaves it unset and resolves primary keys from the queryset."""

    def __init__(self, *args, **kwargs):
        self.lookup = None
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if self.lookup is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        obj = self.lookup.get(str(value).strip())
        if obj is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return obj


class LookupMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        self.lookup = None
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if self.lookup is None:
            return super().clean(value)
        value = value or []
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        out = []
        for item in value:
            obj = self.lookup.get(str(item).strip())
            if obj is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item})
            out.append(obj)
        return out


def area_label(area: Area, parents: dict[int, Area] | None = None) -> str:
    """``街道`` or ``街道/居民区``: unique enough to pick an area in a spreadsheet cell."""
    parent = (parents or {}).get(area.parent_id) if parents is not None else area.parent
    if area.kind == Area.Kind.NEIGHBOURHOOD and parent is not None:
        return f"{parent.name}/{area.name}"
    return area.name


def conferences_for_posting(user):
    """Conferences a user may post needs to (the gate's answer, with the rules' area lookups)."""
    return posting_conferences(user, NeedRules())


def units_for_posting(user):
    return posting_units(user)


class NeedForm(ServiceForm):
    """A need as its owner or the secretariat enters it (web page, Excel row, API payload)."""

    conference = LookupChoiceField(Conference.objects.none(), label="联席会议",
                                   error_messages={"invalid_choice": "“%(value)s”不是可发布需求的联席会议。"})
    owner = LookupChoiceField(Unit.objects.none(), label="需求单位",
                              error_messages={"invalid_choice": "“%(value)s”不是可代为发布需求的单位。"})
    category = LookupChoiceField(NeedCategory.objects.filter(is_active=True), label="类别",
                                 error_messages={"invalid_choice": "“%(value)s”不是有效的类别。"})
    area = LookupChoiceField(Area.objects.exclude(kind=Area.Kind.DISTRICT), label="街道/居民区",
                             error_messages={"invalid_choice": "“%(value)s”不是有效的街道或居民区。"})
    quantity = forms.IntegerField(label="需求数量", min_value=1, max_value=1_000_000,
                                  error_messages={"invalid": "需求数量须为正整数。", "min_value": "需求数量至少为 1。",
                                                  "max_value": "需求数量过大。"})

    model = Need
    model_fields = ("conference", "owner", "title", "description", "category", "area", "quantity", "quantity_unit",
                    "beneficiaries", "deadline", "urgency", "contact_name", "contact_phone", "source", "source_note")
    widgets = {"deadline": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
    error_messages = {
        "deadline": {"invalid": "截止日期格式应为 2024-06-30。"},
        "urgency": {"invalid_choice": "“%(value)s”不是有效的紧急程度。"},
        "source": {"invalid_choice": "“%(value)s”不是有效的来源。"},
    }

    def __init__(self, *args, user, rules: NeedRules | None = None, lookups: dict | None = None,
                 publishing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.rules = rules or NeedRules()
        self.publishing = publishing
        self.import_mode = lookups is not None
        if not self.import_mode:
            # An import passes lookups already restricted to what this user may choose.
            self.fields["conference"].queryset = conferences_for_posting(user)
            self.fields["owner"].queryset = units_for_posting(user)
        self.fields["source"].choices = source_choices_for(user)
        if len(self.fields["source"].choices) == 1:
            self.fields["source"].error_messages["invalid_choice"] = (
                "只有秘书处可以登记“会议收集”“走访收集”的需求；本单位发布的需求来源为“基层单位发布”。")
        for name, lookup in (lookups or {}).items():
            self.fields[name].lookup = lookup
        if not self.import_mode and not self.is_bound and self.instance is None:
            self._prefill()

    def _prefill(self):
        """Nothing the platform already knows is asked again: the unit, its area, its conference
        and the contact from its last entry."""
        owners = list(self.fields["owner"].queryset[:2])
        if len(owners) == 1:
            owner = owners[0]
            self.initial.setdefault("owner", owner.pk)
            if owner.area_id:
                self.initial.setdefault("area", owner.area_id)
            for key, value in last_contact(owner).items():
                self.initial.setdefault(key, value)
        conferences = list(self.fields["conference"].queryset[:2])
        if len(conferences) == 1:
            self.initial.setdefault("conference", conferences[0].pk)

    def service_fields(self) -> dict:
        return self.values()


def source_choices_for(user) -> list[tuple[str, str]]:
    """The sources a user may record: a unit posts its own needs; recording needs collected at
    meetings and on visits is the secretariat's. The form, the Excel template and its import use
    this one list, so a template never offers a choice its import refuses."""
    if not records_only_posted_needs(user):
        return list(Need.Source.choices)
    return [(Need.Source.POSTED, Need.Source.POSTED.label)]


class ResourceForm(ServiceForm):
    """A resource a member unit offers (web page, Excel row, API payload)."""

    conference = LookupChoiceField(Conference.objects.none(), label="联席会议",
                                   error_messages={"invalid_choice": "“%(value)s”不是可提供资源的联席会议。"})
    unit = LookupChoiceField(Unit.objects.none(), label="提供单位",
                             error_messages={"invalid_choice": "“%(value)s”不是可代为提供资源的单位。"})
    category = LookupChoiceField(NeedCategory.objects.filter(is_active=True), label="类别",
                                 error_messages={"invalid_choice": "“%(value)s”不是有效的类别。"})
    areas = LookupMultipleChoiceField(Area.objects.all(), label="服务街道/区域", required=False,
                                      help_text="可选多个：电脑上按住 Ctrl（苹果电脑按住 ⌘）逐个点选；手机上直接勾选。不选则不限街道。",
                                      error_messages={"invalid_choice": "“%(value)s”不是有效的街道或区域。"})
    capacity = forms.IntegerField(label="可提供数量", min_value=1, max_value=1_000_000, help_text="每个周期可提供的数量",
                                  error_messages={"invalid": "可提供数量须为正整数。", "min_value": "可提供数量至少为 1。",
                                                  "max_value": "可提供数量过大。"})

    model = Resource
    model_fields = ("conference", "unit", "title", "description", "category", "kind", "capacity", "capacity_unit",
                    "period", "available_from", "available_until", "areas", "conditions", "contact_name",
                    "contact_phone")
    widgets = {"available_from": DateInput(), "available_until": DateInput(),
               "description": forms.Textarea(attrs={"rows": 3}), "conditions": forms.Textarea(attrs={"rows": 2})}
    error_messages = {
        "kind": {"invalid_choice": "“%(value)s”不是有效的资源类型。"},
        "period": {"invalid_choice": "“%(value)s”不是有效的周期。"},
    }

    def __init__(self, *args, user, lookups: dict | None = None, rules: NeedRules | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules or NeedRules()
        conferences = offering_conferences(user)
        units = offering_unit_choices(user)
        self.fields["conference"].queryset = conferences
        self.fields["unit"].queryset = units
        self.import_mode = lookups is not None
        for name, lookup in (lookups or {}).items():
            self.fields[name].lookup = lookup
        if not self.import_mode and not self.is_bound and self.instance is None:
            own = list(units.filter(pk__in=units_acted_for(user))[:2])
            if len(own) == 1:
                self.initial.setdefault("unit", own[0].pk)
                if own[0].area_id:
                    self.initial.setdefault("areas", [own[0].area_id])
                for key, value in last_contact(own[0]).items():
                    self.initial.setdefault(key, value)
            first = list(conferences[:2])
            if len(first) == 1:
                self.initial.setdefault("conference", first[0].pk)
        if self.instance is not None:
            # Who offers it and where are fixed once offered.
            for name in ("conference", "unit"):
                self.fields[name].disabled = True

    def service_fields(self) -> dict:
        fields = {name: value for name, value in self.values().items() if name != "areas"}
        if self.instance is not None:
            fields.pop("unit")
            fields.pop("conference")
        return fields


class ClaimForm(ServiceForm):
    """One click claims the remaining quantity for the user's unit; the full form adds a
    resource, a cadence (长效认领) and co-claimants. The fields are declared (their choices depend on
    the user's units); the rules (remaining quantity, the resource's owner, co-claimants) are
    ``services.claim_need``'s."""

    model = Claim
    model_fields = ("unit", "quantity", "resource", "cadence", "start_on", "end_on", "note")

    unit = forms.ModelChoiceField(Unit.objects.none(), label="认领单位", empty_label=None)
    quantity = forms.IntegerField(label="认领数量", min_value=1)
    resource = forms.ModelChoiceField(Resource.objects.none(), label="使用资源", required=False)
    cadence = forms.ChoiceField(label="频次", choices=Cadence.choices, initial=Cadence.ONCE, required=False)
    start_on = forms.DateField(label="开始日期", required=False, widget=DateInput())
    end_on = forms.DateField(label="结束日期", required=False, widget=DateInput(), help_text="长效认领留空表示长期")
    note = forms.CharField(label="说明", max_length=200, required=False)
    co_claimants = forms.CharField(
        label="联合认领单位及承担数量", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个：单位名称 数量，例如“示例单位B 2”；牵头单位承担其余数量",
    )

    def __init__(self, *args, need: Need, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need
        self.fields["unit"].queryset = units
        self.fields["resource"].queryset = Resource.objects.filter(
            unit__in=units, state=Resource.State.OFFERED
        ).select_related("unit")
        self.fields["quantity"].widget.attrs.update(min=1, max=max(need.remaining, 1))
        self.initial.setdefault("quantity", need.remaining)

    def clean_co_claimants(self):
        text = self.cleaned_data.get("co_claimants") or ""
        out = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, _, amount = line.rpartition(" ")
            name = name.strip()
            try:
                share = int(amount)
            except ValueError:
                raise ValidationError(f"第 {number} 行应为“单位名称 数量”。") from None
            # Only the name is resolved here; whether the unit may join the claim is the service's rule.
            unit = Unit.objects.filter(name=name).first() or Unit.objects.filter(party_org_name=name).first()
            if unit is None:
                raise ValidationError(f"第 {number} 行：没有名为“{name}”的单位。")
            out.append((unit, share))
        return out

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": data["unit"], "quantity": data["quantity"], "resource": data.get("resource"),
            "cadence": data.get("cadence") or Cadence.ONCE, "start_on": data.get("start_on"),
            "end_on": data.get("end_on"), "note": data.get("note") or "",
            "co_claimants": data.get("co_claimants") or [],
        }


class DeliveryForm(ServiceForm):
    """The shape of a delivery; ``services.record_delivery`` refuses a date after today or a
    quantity below 1."""

    model = Delivery
    model_fields = ("delivered_on", "quantity", "note")


RATING_CHOICES = [(str(n), "★" * n) for n in range(1, 6)]


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(label="评价（可选）", choices=[("", "不评价"), *RATING_CHOICES], coerce=int,
                                    required=False, empty_value=None, widget=forms.RadioSelect)
    comment = forms.CharField(label="评价意见", max_length=300, required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label="评价", choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label="评价意见", max_length=300, required=False)


class PairForm(forms.Form):
    units = forms.ModelMultipleChoiceField(Unit.objects.none(), label="结对单位", required=False,
                                           widget=forms.CheckboxSelectMultiple)
    until = forms.DateTimeField(label="优先认领截止", required=False,
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])

    def __init__(self, *args, need: Need, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.current().filter(conference_id=need.conference_id)
        self.fields["units"].queryset = (Unit.objects.filter(Exists(members.filter(unit=OuterRef("pk"))))
                                         .exclude(pk=need.owner_id).order_by("name"))
        self.initial.setdefault("units", list(need.pairings.values_list("unit_id", flat=True)))
        default_until = need.first_right_until or timezone.localtime() + datetime.timedelta(days=7)
        self.initial.setdefault("until", timezone.localtime(default_until).strftime("%Y-%m-%dT%H:%M"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=150, required=False)


class NeedFilterForm(forms.Form):
    SCOPES = [("open", "全部待认领（含结对优先期）"), ("hall", "认领大厅（所有成员可认领）"), ("all", "全部需求")]

    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": "需求名或拼音首字母"}))
    # Hundreds of conferences and streets: read as (id, name) rows and rendered without a template per option.
    conference = NameChoiceField(Conference.objects.all(), label="联席会议", required=False, empty_label="全部联席会议")
    category = forms.ModelChoiceField(NeedCategory.objects.all(), label="类别", required=False, empty_label="全部类别")
    area = NameChoiceField(Area.objects.filter(kind=Area.Kind.STREET), label="街道", required=False, empty_label="全部街道")
    urgency = forms.ChoiceField(label="紧急程度", choices=[("", "全部"), *Urgency.choices], required=False)
    scope = forms.ChoiceField(label="范围", choices=SCOPES, required=False)

    def __init__(self, *args, conferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conferences is not None:
            self.fields["conference"].queryset = conferences


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    conference = NameChoiceField(Conference.objects.all(), label="联席会议", required=False, empty_label="全部联席会议")
    category = forms.ModelChoiceField(NeedCategory.objects.all(), label="类别", required=False, empty_label="全部类别")
    kind = forms.ChoiceField(label="资源类型", choices=[("", "全部"), *Resource.Kind.choices], required=False)
    area = NameChoiceField(Area.objects.filter(kind=Area.Kind.STREET), label="服务街道", required=False, empty_label="全部街道")

    def __init__(self, *args, conferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conferences is not None:
            self.fields["conference"].queryset = conferences


class ImportForm(forms.Form):
    conference = forms.ModelChoiceField(Conference.objects.none(), label="联席会议", empty_label=None)
    file = forms.FileField(label="Excel 文件（.xlsx）", error_messages={
        "required": "请选择要导入的 .xlsx 文件。", "empty": "文件为空，请上传由模板填写的 .xlsx 文件。"})

    def __init__(self, *args, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences

    def clean_file(self):
        file = self.cleaned_data["file"]
        from django.conf import settings

        if file.size > settings.IMPORT_MAX_BYTES:  # before the upload is read or stored for the job
            raise ValidationError(f"文件过大：{file.size / 1048576:.1f} MB，每次导入的上限为 "
                                  f"{settings.IMPORT_MAX_BYTES / 1048576:.0f} MB，请拆分后分批导入。")
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 文件（可先下载模板）。")
        return file
