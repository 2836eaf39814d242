"""QuickSelect renders the same <select> as Django's Select, without a template per option, and
NameChoiceField reads its options as (id, name) rows yet cleans to the model instance."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Group

from lianxi.lib.forms import NameChoiceField, QuickSelect


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(v, bool(s), label) for v, s, label in
            re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)]


def select_tag(html: str) -> str:
    return re.match(r"\s*(<select[^>]*>)", html).group(1)


class Filters(forms.Form):
    group = forms.ModelChoiceField(Group.objects.order_by("name"), required=False, empty_label="全部 <组>")
    quick = forms.ModelChoiceField(Group.objects.order_by("name"), required=False, empty_label="全部 <组>",
                                   widget=QuickSelect)
    named = NameChoiceField(Group.objects.order_by("name"), required=False, empty_label="全部 <组>")


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"group": "", "quick": "", "named": ""}, "second"])
def test_same_options_attributes_and_selection_as_django(data, count_queries):
    Group.objects.bulk_create([Group(name="甲 & 乙"), Group(name="<b>丙</b>")])
    if data == "second":
        pk = str(Group.objects.order_by("name")[1].pk)
        data = {"group": pk, "quick": pk, "named": pk}
    form = Filters(data)
    form.is_valid()
    django_html, quick_html, named_html = str(form["group"]), str(form["quick"]), str(form["named"])
    assert options(quick_html) == options(django_html) == options(named_html)
    assert len(options(quick_html)) == 3
    assert sum(selected for _, selected, _ in options(quick_html)) == 1
    assert "&lt;b&gt;丙&lt;/b&gt;" in quick_html and "甲 &amp; 乙" in quick_html
    assert select_tag(quick_html) == select_tag(django_html).replace("id_group", "id_quick").replace(
        'name="group"', 'name="quick"')
    with count_queries() as ctx:
        str(form["quick"])
        str(form["named"])
    assert len(ctx.captured_queries) == 2
    if data and data["named"]:
        assert form.cleaned_data["named"] == form.cleaned_data["group"] == Group.objects.get(pk=data["named"])


@pytest.mark.django_db
def test_name_choice_field_refuses_what_its_queryset_leaves_out():
    kept, dropped = Group.objects.create(name="留"), Group.objects.create(name="删")

    class OneGroup(forms.Form):
        named = NameChoiceField(Group.objects.filter(pk=kept.pk), required=False)

    assert not OneGroup({"named": dropped.pk}).is_valid()
    assert 'value="' + str(dropped.pk) + '"' not in str(OneGroup()["named"])
    assert OneGroup({"named": kept.pk}).is_valid()
