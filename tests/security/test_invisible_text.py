"""Names and titles made only of invisible characters, or carrying bidi controls, are refused with
the same verdict on every way in: the web form, the API and an Excel row."""

import io

import pytest
from django.urls import reverse

from lianxi.lib.text import normalise_name
from lianxi.lists.models import Need
from lianxi.lists.tests.helpers import category
from lianxi.registry.models import Unit
from tests.security import corpus

INVISIBLE = ["\u200b\u200b\u200b", "\u202e示例需求", "示例\u2066需求\u2069", "\ufeff", "\u3000 \u3000", "示例\x07需求"]


@pytest.mark.parametrize(("raw", "stored"), [
    ("  示例需求  ", "示例需求"), ("ＡＢＣ１２３ 助老", "ABC123 助老"), ("示例\u3000\u3000需求", "示例 需求"),
    ("示例（上海）有限公司", "示例（上海）有限公司"), ("e\u0301", "\u00e9"),
])
def test_normalise_name_keeps_what_is_typed_in_one_form(raw, stored):
    assert normalise_name(raw) == stored


@pytest.mark.parametrize("raw", INVISIBLE)
def test_normalise_name_refuses_invisible_text(raw):
    if raw.strip("\u3000 ") == "":
        assert normalise_name(raw) == ""  # blank: the field's own "required" rule answers
    else:
        with pytest.raises(ValueError):
            normalise_name(raw)


def _need_payload(world, title):
    return {"conference": world.district.pk, "owner": world.street_unit.pk, "title": title,
            "category": category().pk, "area": world.street_area.pk, "quantity": 3, "quantity_unit": "人"}


@pytest.mark.parametrize("title", INVISIBLE)
def test_need_title_refused_on_the_api_the_page_and_in_excel(world, client_for, title):
    client = client_for(world.street)
    api = client.post("/api/v1/needs", _need_payload(world, title), content_type="application/json")
    assert api.status_code == 422
    page = client.post(reverse("lists:need_create"), {
        "conference": world.district.pk, "owner": world.street_unit.pk, "title": title, "category": category().pk,
        "area": world.street_area.pk, "quantity": 3, "quantity_unit": "人", "urgency": "normal", "source": "posted"})
    assert page.status_code == 200  # the form again, with the error
    file = io.BytesIO(corpus.workbook(corpus.sheet_xml([["示例街道", title, "", "为老服务", "示例街道", 3]])))
    file.name = "needs.xlsx"
    excel = client.post(reverse("lists:excel"), {"which": "needs", "needs-conference": world.district.pk,
                                                 "needs-file": file}, follow=True)
    text = excel.content.decode()
    assert "已导入" not in text
    verdict = api.json()["detail"][0]
    if "messages" in verdict and "\x07" not in title:  # our rule's words: the same on the page
        assert verdict["messages"][0] in page.content.decode() and verdict["messages"][0] in text
    assert Need.objects.count() == 0


def test_unit_names_are_normalised_through_the_api(world, client_for):
    client = client_for(world.admin)
    response = client.post("/api/v1/units", {"name": "  示例单位ＸＹ  ", "category": "enterprise"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "示例单位XY"
    response = client.post("/api/v1/units", {"name": "\u202e示例单位", "category": "enterprise"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "name"
    assert not Unit.objects.filter(name__contains="\u202e").exists()
