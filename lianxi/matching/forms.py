"""Forms of the matching pages: the suggestions filter, starting a run, and a street's neighbours."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxi.lib.forms import NameChoiceField
from lianxi.lists.models import NeedCategory
from lianxi.matching.models import Suggestion
from lianxi.registry.models import Area, Conference


class SuggestionFilter(forms.Form):
    conference = forms.ModelChoiceField(label=_("联席会议"), queryset=Conference.objects.none(), required=False,
                                        empty_label=None)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + list(Suggestion.State.choices))
    category = forms.ModelChoiceField(label=_("类别"), queryset=NeedCategory.objects.filter(is_active=True),
                                      required=False, empty_label=_("全部"))
    # Hundreds of streets at city scale: options read as (id, name) rows and rendered in one pass.
    area = NameChoiceField(Area.objects.filter(kind=Area.Kind.STREET).order_by("name"), label=_("街道"),
                           required=False, empty_label=_("全部"))
    q = forms.CharField(label=_("需求或单位"), required=False, max_length=100)

    def __init__(self, *args, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences


class RunForm(forms.Form):
    conference = forms.ModelChoiceField(label=_("联席会议"), queryset=Conference.objects.none())

    def __init__(self, *args, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences


class NeighboursForm(forms.Form):
    """The neighbours of one street, ticked among the other streets of its district. Choices are
    given as rows already read (one query for the whole page, not one per street)."""

    neighbours = forms.TypedMultipleChoiceField(label=_("相邻街道"), coerce=int, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, street: Area, others: list[Area], **kwargs):
        kwargs.setdefault("auto_id", f"nb{street.pk}_%s")
        super().__init__(*args, **kwargs)
        self.street = street
        self.fields["neighbours"].choices = [(a.pk, a.name) for a in others]

    def to_save(self, current: set[int]) -> set[int]:
        """The neighbours to record: those ticked, plus any recorded outside the choices offered
        here (a street of another district, a residents' area), which this form cannot show."""
        offered = {pk for pk, _label in self.fields["neighbours"].choices}
        return set(self.cleaned_data["neighbours"]) | (current - offered)
