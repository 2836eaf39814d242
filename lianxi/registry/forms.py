"""Forms of the registry pages. They parse input and offer only the choices a user may make;
the rules themselves live in the models and ``registry.services`` (checked once, there)."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxi.accounts.models import Grant
from lianxi.lib.forms import DateInput, LookupField, ServiceForm
from lianxi.registry.gates import (
    can_place_conference_under,
    conferences_granted_by,
    conferences_visible_to,
    filter_managed,
    managed_conferences,
    people_visible_to,
    person_unit_refusal,
    unit_required_for_person,
    unit_required_on_create,
    units_visible_to,
)
from lianxi.registry.models import (
    Appointment,
    Area,
    Committee,
    Conference,
    Membership,
    Person,
    Unit,
    meeting_model,
)
from lianxi.registry.services import CONFERENCE_FIELDS, PERSON_FIELDS, UNIT_FIELDS


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        name = meeting.number_label or meeting.title
        return f"{meeting.conference.display_name} · {name}（{meeting.date:%Y-%m-%d}）"


def meeting_field(label: str, queryset) -> MeetingChoiceField:
    return MeetingChoiceField(
        queryset=queryset.select_related("conference").order_by("-date", "-id"), required=False, label=label
    )


def managed_meetings(user, **filters):
    return filter_managed(user, meeting_model().objects.filter(**filters))


def unit_lookup(user, label=None, required=False) -> LookupField:
    return LookupField(
        units_visible_to(user), suggest_url_name="registry:unit_suggest", label=label or _("单位"), required=required,
        label_fn=lambda unit: unit.name,
    )


def person_label(person: Person, *, with_id: bool = False) -> str:
    """``沈军（上海市总工会）``: what a person lookup shows and accepts. The record number is added
    only where two people would read the same (``with_id``)."""
    unit = f"（{person.unit.name}）" if person.unit_id and person.unit else ""
    return f"{person.name}{unit}" + (f" #{person.pk}" if with_id else "")


def person_labels(people) -> list[str]:
    """Labels for a suggestion list: plain, with the number only on labels that repeat."""
    plain = [person_label(p) for p in people]
    return [person_label(p, with_id=plain.count(label) > 1) for p, label in zip(people, plain, strict=True)]


_NAME_AND_UNIT = re.compile(r"(.+?)（(.+)）")


class PersonLookupField(LookupField):
    """Accepts ``姓名（单位）`` as well as a bare name or ``… #id``."""

    def resolve(self, text: str):
        match = _NAME_AND_UNIT.fullmatch(text.strip())
        if match and not re.search(r"#\d+\s*$", text):
            found = list(self.queryset.filter(name=match.group(1), unit__name=match.group(2))[:2])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": text})
        return super().resolve(text)


def person_lookup(user, label=None, required=False) -> LookupField:
    return PersonLookupField(
        people_visible_to(user).select_related("unit"), suggest_url_name="registry:person_suggest",
        label=label or _("人员"),
        required=required, label_fn=person_label,
    )


class ConferenceForm(ServiceForm):
    model = Conference
    model_fields = tuple(CONFERENCE_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        others = conferences_visible_to(user)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = others
        self.fields["upgraded_from"].queryset = others
        self.fields["area"].queryset = Area.objects.exclude(kind=Area.Kind.NEIGHBOURHOOD)
        meetings = managed_meetings(user, kind=meeting_model().Kind.PLENARY)
        if self.instance is not None and self.instance.founded_at_id:
            meetings = meetings | meeting_model().objects.filter(pk=self.instance.founded_at_id)
        self.fields["founded_at"] = meeting_field("揭牌成立于", meetings)
        self.fields["description"].widget.attrs["rows"] = 4

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        unchanged = self.instance is not None and (parent.pk if parent else None) == self.instance.parent_id
        if unchanged:
            return parent
        refused = can_place_conference_under(self.user, parent)
        if refused:
            raise forms.ValidationError(refused)
        return parent


class CommitteeForm(ServiceForm):
    model = Committee
    model_fields = ("name", "description")


class UnitForm(ServiceForm):
    """A unit's profile. When creating, the unit may be admitted to a conference in the same step
    (required for anyone but a district administrator, who otherwise could not edit it again)."""

    model = Unit
    model_fields = tuple(UNIT_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.exclude(kind=Area.Kind.NEIGHBOURHOOD)
        if self.instance is not None and self.instance.area_id:
            areas = Area.objects.filter(Q(pk=self.instance.area_id) | ~Q(kind=Area.Kind.NEIGHBOURHOOD))
        self.fields["area"].queryset = areas
        self.fields["description"].widget.attrs["rows"] = 4
        if self.instance is None:
            self.fields["conference"] = forms.ModelChoiceField(
                managed_conferences(user), label=_("加入联席会议"), required=unit_required_on_create(user),
                help_text=_("新单位同时成为该联席会议的成员单位"),
            )
            self.fields["start"] = forms.DateField(label=_("加入日期"), required=False, widget=DateInput(),
                                                   help_text=_("未知时留空"))


class MembershipForm(ServiceForm):
    model = Membership
    model_fields = ("conference", "start", "admitted_at", "plaque_awarded_on", "note")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = managed_conferences(user)
        self.fields["admitted_at"] = meeting_field("通过于会议", managed_meetings(user, kind=meeting_model().Kind.PLENARY))

    def clean(self):
        data = super().clean()
        meeting, conference = data.get("admitted_at"), data.get("conference")
        if meeting and conference and meeting.conference_id != conference.pk:
            self.add_error("admitted_at", _("所选会议不是该联席会议的会议。"))
        return data


class MembershipEndForm(forms.Form):
    end = forms.DateField(label=_("退出日期"), widget=DateInput(), help_text=_("当日起不再是成员单位"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class PlaqueForm(forms.Form):
    plaque_awarded_on = forms.DateField(label=_("授牌日期"), required=False, widget=DateInput(),
                                        help_text=_("留空表示尚未授牌"))


class DeleteForm(forms.Form):
    """A deletion's confirmation: posting it is the consent; the service decides whether it may be."""


class PersonForm(ServiceForm):
    model = Person
    model_fields = tuple(PERSON_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"] = unit_lookup(user, label=_("所在单位"), required=unit_required_for_person(user))

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        unchanged = self.instance is not None and (unit.pk if unit else None) == self.instance.unit_id
        refusal = "" if unit is None or unchanged else person_unit_refusal(self.user, unit)
        if refusal:
            raise forms.ValidationError(refusal)
        return unit


class AppointmentForm(ServiceForm):
    model = Appointment
    model_fields = ("role", "person", "unit", "start", "end", "attested_on", "appointed_at", "note")

    def __init__(self, *args, user, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = person_lookup(user)
        self.fields["unit"] = unit_lookup(user, label=_("单位"), required=False)
        self.fields["unit"].help_text = _("秘书长单位、秘书处只填单位；个人职务填所代表的单位")
        self.fields["appointed_at"] = meeting_field("任命于会议", meeting_model().objects.filter(conference=conference))


class AppointmentEndForm(forms.Form):
    end = forms.DateField(label=_("任职结束"), widget=DateInput(), help_text=_("当日起不再担任"))
    ended_at = forms.ModelChoiceField(meeting_model().objects.none(), required=False, label=_("调整于会议"))

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_at"] = meeting_field("调整于会议", meeting_model().objects.filter(conference=conference))


class AppointmentReplaceForm(forms.Form):
    on = forms.DateField(label=_("交接日期"), widget=DateInput(), help_text=_("原任职于当日结束，继任者当日起任职"))

    def __init__(self, *args, user, conference, unit_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not unit_only:
            self.fields["person"] = person_lookup(user, label=_("继任人员"), required=True)
        self.fields["unit"] = unit_lookup(user, label=_("继任单位"), required=unit_only)
        self.fields["at_meeting"] = meeting_field("调整于会议", meeting_model().objects.filter(conference=conference))


class GrantForm(ServiceForm):
    """Give a role: the account by its login name, the role, and the conference or unit it covers.
    The form resolves names to objects; whether the scope fits the role is the service's rule."""

    model = Grant
    model_fields = ("role", "conference", "unit")

    username = forms.CharField(label=_("账号（登录名）"), max_length=150)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"username": self.fields.pop("username"), **self.fields}
        self.fields["conference"].queryset = conferences_granted_by(user)
        self.fields["conference"].required = False
        self.fields["conference"].help_text = _("区级管理员、秘书处、评审填写")
        self.fields["unit"] = unit_lookup(user, label=_("单位"))
        self.fields["unit"].help_text = _("联络员、基层单位填写")

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        account = get_user_model().objects.filter(username=name, is_active=True).first()
        if account is None:
            raise forms.ValidationError(_("没有登录名为“%(name)s”的有效账号。") % {"name": name})
        return account
