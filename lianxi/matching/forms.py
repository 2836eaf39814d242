"""Forms of the matching pages: the suggestions filter and starting a run."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
    area = forms.ModelChoiceField(label=_("街道"), queryset=Area.objects.filter(kind=Area.Kind.STREET).order_by("name"),
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
