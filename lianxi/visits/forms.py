"""Forms of the visits room: they check shape and types and hand typed values to the services,
which own every rule (the same forms check the rows of an Excel import)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxi.lib.forms import DateInput, LookupField, ServiceForm
from lianxi.lists.models import NeedCategory, Urgency
from lianxi.registry.forms import PersonLookupField, person_label
from lianxi.registry.models import Area, Conference, Membership, Person, Unit, Venue
from lianxi.visits.models import Secondment, SecondmentBatch, Visitor, VisitPlan


def parse_dates(text: str) -> list[datetime.date]:
    """``2025-01-02、2025-01-05`` or ``2025-01-02 至 2025-01-06`` (ranges inclusive)."""
    out = []
    for part in (text or "").replace("，", ",").replace("、", ",").replace("\n", ",").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in part.replace("至", "~").split("~")]
        try:
            days = [datetime.date.fromisoformat(p) for p in pieces]
        except ValueError as error:
            raise ValidationError(_("日期“%(d)s”格式不对，应为 2025-01-31，区间写作 2025-01-02 至 2025-01-06。"),
                                  params={"d": part}) from error
        if len(days) == 1:
            out.append(days[0])
        elif len(days) == 2 and days[0] <= days[1] and (days[1] - days[0]).days <= 366:
            day = days[0]
            while day <= days[1]:
                out.append(day)
                day += datetime.timedelta(days=1)
        else:
            raise ValidationError(_("日期区间“%(d)s”无效。"), params={"d": part})
    return out


class DatesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value):
        return parse_dates(super().clean(value))


class PlanForm(forms.Form):
    conference = forms.ModelChoiceField(Conference.objects.none(), label=_("联席会议"))
    start = forms.DateField(label=_("起始日期"), required=False, widget=DateInput(),
                            help_text=_("留空为本季度"))
    end = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, conferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences if conferences is not None else Conference.objects.none()


class VisitorForm(forms.Form):
    """The person is typed with suggestions, not picked from a ``<select>``: a city conference has
    hundreds of people in its member units, and rendering each as an option cost seconds a page."""

    person = PersonLookupField(Person.objects.none(), suggest_url_name="registry:person_suggest", label=_("走访人"),
                               label_fn=person_label, help_text=_("输入姓名，从提示中选择"))
    role = forms.ChoiceField(label=_("身份"), choices=Visitor.Role.choices)
    capacity = forms.IntegerField(label=_("每周可走访次数"), min_value=0, max_value=50, initial=3)
    unavailable = DatesField(label=_("不可走访日期"), required=False, help_text=_("多个日期用顿号分隔，区间写作 2025-01-02 至 2025-01-06"))

    def __init__(self, *args, plan: VisitPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            # People holding a post in the conference, and people of its member units.
            members = Membership.objects.current().filter(conference_id=plan.conference_id).values("unit_id")
            self.fields["person"].queryset = Person.objects.filter(
                Q(appointments__conference_id=plan.conference_id) | Q(unit_id__in=members)
            ).distinct().select_related("unit").order_by("name")


class UnitUnavailableForm(forms.Form):
    unit = LookupField(Unit.objects.none(), suggest_url_name="registry:unit_suggest", label=_("单位"),
                       label_fn=lambda unit: unit.name, help_text=_("输入单位名称，从提示中选择"))
    dates = DatesField(label=_("不便接待日期"), required=False)

    def __init__(self, *args, plan: VisitPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            from lianxi.visits.services import plan_units

            self.fields["unit"].queryset = plan_units(plan).order_by("name")


class RecordForm(forms.Form):
    """The visit log, filled on a phone: date, who went, whom they met, notes, and one need raised."""

    done_on = forms.DateField(label=_("走访日期"), widget=DateInput())
    participants = forms.CharField(label=_("走访人员"), max_length=200, required=False)
    met_with = forms.CharField(label=_("接待人员"), max_length=200, required=False)
    notes = forms.CharField(label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    need_title = forms.CharField(label=_("收集的需求（可留空）"), max_length=120, required=False)
    need_category = forms.ModelChoiceField(NeedCategory.objects.filter(is_active=True), label=_("需求类别"),
                                           required=False)
    need_quantity = forms.IntegerField(label=_("需求数量"), min_value=1, required=False, initial=1)
    need_quantity_unit = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    need_description = forms.CharField(label=_("需求描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    need_urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL, required=False)
    follow_up = forms.CharField(label=_("其他跟进事项（可留空）"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("need_title"):
            if not data.get("need_category"):
                self.add_error("need_category", _("登记需求时请选择类别。"))
            if not data.get("need_quantity"):
                self.add_error("need_quantity", _("登记需求时请填写数量。"))
        return data

    def needs(self) -> list[dict]:
        d = self.cleaned_data
        if not d.get("need_title"):
            return []
        return [{"title": d["need_title"], "category": d["need_category"], "quantity": d["need_quantity"],
                 "quantity_unit": d.get("need_quantity_unit", ""), "description": d.get("need_description", ""),
                 "urgency": d.get("need_urgency") or Urgency.NORMAL}]

    def follow_ups(self) -> list[dict]:
        text = self.cleaned_data.get("follow_up")
        return [{"summary": text}] if text else []


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(label=_("办结情况"), max_length=200, required=False)


class FollowUpForm(forms.Form):
    summary = forms.CharField(label=_("跟进事项"), max_length=200)
    due_on = forms.DateField(label=_("跟进期限"), required=False, widget=DateInput())


class VenueForm(ServiceForm):
    model = Venue
    model_fields = ("name", "kind", "owner", "area", "address", "capacity", "opening_hours", "access", "access_note")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Unit.objects.none()
        self.fields["area"].queryset = Area.objects.exclude(kind=Area.Kind.DISTRICT).order_by("kind", "name")


class OfferVenueForm(forms.Form):
    conference = forms.ModelChoiceField(Conference.objects.none(), label=_("提供给联席会议"))
    category = forms.ModelChoiceField(NeedCategory.objects.filter(is_active=True), label=_("类别"))
    capacity = forms.IntegerField(label=_("每月可提供场次"), min_value=1, initial=4)

    def __init__(self, *args, venue: Venue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if venue is not None:
            ids = Membership.objects.current().filter(unit_id=venue.owner_id).values("conference_id")
            self.fields["conference"].queryset = Conference.objects.filter(pk__in=ids)


class BatchForm(ServiceForm):
    model = SecondmentBatch
    model_fields = ("conference", "name", "year", "project", "description")

    def __init__(self, *args, conferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences if conferences is not None else Conference.objects.none()
        self.fields["year"].initial = timezone.localdate().year
        from lianxi.projects.models import Project

        self.fields["project"].queryset = Project.objects.filter(conference__in=self.fields["conference"].queryset) \
            .order_by("-year", "title")


class SecondmentForm(ServiceForm):
    model = Secondment
    model_fields = ("person", "home_unit", "host_unit", "host_post", "kind", "start", "end")

    def __init__(self, *args, batch: SecondmentBatch | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if batch is not None:
            members = Membership.objects.current().filter(conference_id=batch.conference_id).values("unit_id")
            units = Unit.objects.filter(pk__in=members).order_by("name")
            self.fields["home_unit"].queryset = units
            self.fields["host_unit"].queryset = units
            self.fields["person"].queryset = Person.objects.filter(unit_id__in=members).order_by("name")


class CompleteForm(forms.Form):
    grade = forms.ChoiceField(label=_("考核等次"), choices=Secondment.Grade.choices)
    evaluation = forms.CharField(label=_("期满评价"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RotationRuleForm(forms.Form):
    order = forms.CharField(label=_("轮值顺序"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("每行一个成员单位名称，按轮值先后"))
    term_months = forms.IntegerField(label=_("任期（月）"), min_value=1, max_value=60, initial=12)
    seats = forms.IntegerField(label=_("同时在任人数"), min_value=1, max_value=10, initial=2)
    note = forms.CharField(label=_("规则说明"), max_length=300, required=False)

    def __init__(self, *args, conference: Conference | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference

    def clean_order(self):
        names = [line.strip() for line in self.cleaned_data["order"].splitlines() if line.strip()]
        members = Membership.objects.current().filter(conference=self.conference).values("unit_id")
        by_name = {u.name: u for u in Unit.objects.filter(pk__in=members, name__in=names)}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ValidationError(_("不是本联席会议的现任成员单位：%(n)s") % {"n": "、".join(missing)})
        return [by_name[n] for n in names]


class HandoverForm(forms.Form):
    """The successors at a plenary's 调整 item: for each proposed unit, its person if known."""

    item = forms.ModelChoiceField(queryset=None, label=_("全体会议“调整”议程"))

    def __init__(self, *args, conference: Conference | None = None, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        from lianxi.meetings.models import AgendaItem, Meeting

        self.fields["item"].queryset = AgendaItem.objects.filter(
            kind=AgendaItem.Kind.ADJUSTMENT, applied_on__isnull=True, meeting__kind=Meeting.Kind.PLENARY,
            meeting__conference=conference).select_related("meeting").order_by("-meeting__date")
        self.fields["item"].label_from_instance = lambda i: f"{i.meeting.date:%Y-%m-%d} {i.meeting.title} · {i.title}"
        self.units = list(units)
        for index, unit in enumerate(self.units):
            self.fields[f"person_{index}"] = forms.ModelChoiceField(
                Person.objects.filter(unit=unit).order_by("name"), required=False,
                label=_("%(u)s 的继任人选") % {"u": unit.name}, empty_label=_("未载明（该单位暂不任命）"))

    def successors(self) -> list:
        return [(unit, self.cleaned_data.get(f"person_{i}")) for i, unit in enumerate(self.units)]
