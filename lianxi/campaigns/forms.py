"""Forms parse input only; the rules are in campaigns.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxi.projects.models import Link


class NominationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("申报单位"), queryset=None)
    body = forms.ModelChoiceField(label=_("推荐主体"), queryset=None)
    title = forms.CharField(label=_("申报名称"), max_length=200)
    party_org_name = forms.CharField(label=_("党组织"), max_length=200, required=False)
    summary = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    links = forms.MultipleChoiceField(label=_("五联"), choices=Link.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    submit = forms.BooleanField(label=_("直接提交（否则保存为草稿）"), required=False)

    def __init__(self, *args, campaign, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["unit"].queryset = units
        only = list(units[:2])
        if len(only) == 1:
            self.fields["unit"].initial = only[0].pk
        self.fields["body"].queryset = campaign.bodies.all()
        for f in campaign.fields:
            self.fields[f"field_{f['key']}"] = forms.CharField(label=f["label"], required=False,
                                                                widget=forms.Textarea(attrs={"rows": 2}))

    def values(self) -> dict:
        d = self.cleaned_data
        return {f["key"]: d.get(f"field_{f['key']}", "") for f in self.campaign.fields if d.get(f"field_{f['key']}")}


class ObjectionForm(forms.Form):
    filer_name = forms.CharField(label=_("署名"), max_length=100)
    contact = forms.CharField(label=_("联系方式"), max_length=100)
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("申报表（.xlsx）"))
