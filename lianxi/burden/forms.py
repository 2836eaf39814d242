"""Forms of the burden pages: the shape of the input only; the rules are in the services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError


class BurdenCapForm(forms.Form):
    monthly_cap = forms.IntegerField(label="每月上限", min_value=0, required=False, help_text="留空则使用全区默认值")
    note = forms.CharField(label="说明", max_length=200, required=False)


class MonthField(forms.CharField):
    """``2024-06`` → the first day of that month."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError("月份格式应为 2024-06。") from None


class MonthForm(forms.Form):
    month = MonthField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
