"""The project form: it parses input and offers only the conferences and agenda items a user
manages; the rules live in the model and ``projects.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxi.lib.forms import LookupField, MultiLookupField, ServiceForm
from lianxi.meetings.models import AgendaItem
from lianxi.projects.models import Link, Project
from lianxi.registry.gates import filter_managed, managed_conferences, units_visible_to

PROJECT_FIELDS = ("conference", "title", "kind", "year", "lead_unit", "partner_units", "links", "status",
                  "description", "released_at", "awarded_at", "order", "is_published")


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        meeting = item.meeting
        name = meeting.number_label or meeting.title
        return f"{meeting.conference.display_name} · {name}（{meeting.date:%Y-%m-%d}）· {item.title}"


def agenda_field(label: str, user, kind: str, current_id: int | None) -> AgendaItemChoiceField:
    items = filter_managed(user, AgendaItem.objects.filter(kind=kind), "meeting__conference_id")
    if current_id:
        items = items | AgendaItem.objects.filter(pk=current_id)
    return AgendaItemChoiceField(
        items.select_related("meeting__conference").order_by("-meeting__date", "order"), required=False, label=label
    )


class ProjectForm(ServiceForm):
    model = Project
    model_fields = PROJECT_FIELDS

    links = forms.MultipleChoiceField(label=_("五联"), choices=Link.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible_to(user)
        self.fields["conference"].queryset = managed_conferences(user)
        self.fields["lead_unit"] = LookupField(units, suggest_url_name="registry:unit_suggest", label=_("牵头单位"),
                                               required=False, label_fn=lambda unit: unit.name)
        self.fields["partner_units"] = MultiLookupField(units, label=_("参与单位"), required=False,
                                                        label_fn=lambda unit: unit.name,
                                                        help_text=_("每行一个单位名称"))
        instance = self.instance
        self.fields["released_at"] = agenda_field("发布于议程", user, AgendaItem.Kind.RELEASE,
                                                  instance.released_at_id if instance else None)
        self.fields["awarded_at"] = agenda_field("颁授于议程", user, AgendaItem.Kind.AWARD,
                                                 instance.awarded_at_id if instance else None)
        self.fields["description"].widget.attrs["rows"] = 4
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})


class ProjectsApplyForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(label="项目", queryset=Project.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        conference = item.meeting.conference
        field = "released_at" if item.kind == AgendaItem.Kind.RELEASE else "awarded_at"
        kind = Project.Kind.KEY if item.kind == AgendaItem.Kind.RELEASE else Project.Kind.BRAND
        self.fields["projects"].queryset = Project.objects.filter(
            conference__in=[conference, *conference.children.all()], kind=kind, **{f"{field}__isnull": True}
        ).order_by("-year", "order", "id")

    def options(self) -> dict:
        return {"projects": list(self.cleaned_data["projects"])}


# --- tracking (常抓项目) -----------------------------------------------------------------------------

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def parse_figures(text: str) -> dict:
    """``名称: 数值`` per line → ``{名称: 数值}``; a bad line raises a ValidationError naming it."""
    out = {}
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        name, sep, value = line.replace("：", ":").partition(":")
        try:
            parsed = float(value.strip()) if sep else None
        except ValueError:
            parsed = None
        if parsed is None or not name.strip():
            raise forms.ValidationError(_("第 %(n)d 行应为“名称: 数值”。") % {"n": number})
        out[name.strip()] = int(parsed) if parsed.is_integer() else parsed
    return out


class ReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 5}))
    figures = forms.CharField(label=_("数据（每行“名称: 数值”）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("照片和文档（jpg/png ≤ 5 MB，pdf/docx/xlsx ≤ 10 MB）"), required=False)
    milestones_done = forms.ModelMultipleChoiceField(label=_("本次完成的节点"), required=False, queryset=None,
                                                     widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestones_done"].queryset = project.milestones.filter(done_on__isnull=True)

    def clean_figures(self):
        return parse_figures(self.cleaned_data.get("figures", ""))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due = forms.DateField(label=_("计划完成日期"), widget=forms.DateInput(attrs={"type": "date"}))


class TrackingForm(forms.Form):
    from lianxi.projects.models import Cadence as _Cadence

    goals = forms.CharField(label=_("目标"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    report_cadence = forms.ChoiceField(label=_("填报周期"), choices=_Cadence.choices)
