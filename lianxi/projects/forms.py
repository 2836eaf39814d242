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
