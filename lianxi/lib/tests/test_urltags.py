"""``{% pk_url %}`` gives exactly what ``{% url %}`` gives, under any script prefix."""

import pytest
from django.template import engines
from django.urls import clear_script_prefix, reverse, set_script_prefix

from lianxi.lib.urltags import pk_url

NAMES = ["registry:unit_detail", "registry:conference_detail", "registry:person_detail", "projects:project_detail",
         "registry:appointment_end"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 8642097531, 10**12])
def test_pk_url_equals_reverse(name, pk):
    assert pk_url(name, pk) == reverse(name, args=[pk])


def test_script_prefix_is_respected():
    try:
        set_script_prefix("/lianxi/")
        assert pk_url("registry:unit_detail", 7) == reverse("registry:unit_detail", args=[7])
        assert pk_url("registry:unit_detail", 7).startswith("/lianxi/")
    finally:
        clear_script_prefix()
    assert pk_url("registry:unit_detail", 7) == reverse("registry:unit_detail", args=[7])


def test_template_tag_is_builtin():
    html = engines["django"].from_string("{% pk_url 'registry:unit_detail' pk %}").render({"pk": 5})
    assert html == reverse("registry:unit_detail", args=[5])
