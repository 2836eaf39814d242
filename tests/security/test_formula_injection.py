"""The issue's request: a street posts a need whose title and description are formulas through the
API; the plenary export and the released snapshot keep them as text, never as formulas."""

import io
import zipfile

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxi.lists import services
from lianxi.lists.models import Need
from lianxi.lists.tests.helpers import category, export_plenary_file

TITLE = '=HYPERLINK("http://evil.example/x","点击查看")'
DESCRIPTION = "=cmd|' /C calc'!A0"


def formulas(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [n for n in zf.namelist() if n.startswith("xl/worksheets/") and b"<f>" in zf.read(n)]


def test_formula_text_posted_through_the_api_is_text_in_every_export(world, client_for):
    from lianxi.meetings.models import AgendaItem, Meeting

    payload = {"conference": world.district.pk, "owner": world.street_unit.pk, "title": TITLE,
               "description": DESCRIPTION, "category": category().pk, "area": world.street_area.pk,
               "quantity": 3, "quantity_unit": "人", "contact_name": "@SUM(1+1)"}
    response = client_for(world.street).post("/api/v1/needs", payload, content_type="application/json")
    assert response.status_code == 201
    assert Need.objects.get().title == TITLE  # stored as typed

    client = client_for(world.secretariat)
    export = export_plenary_file(client, world.district)
    assert export.status_code == 200 and formulas(export.content) == []
    ws = load_workbook(io.BytesIO(export.content))["需求清单"]
    assert ws["C3"].value == f"{TITLE}：{DESCRIPTION}" and ws["C3"].data_type == "s"
    assert ws["I3"].value == "@SUM(1+1)" and ws["I3"].quotePrefix

    meeting = Meeting.objects.create(conference=world.district, title="示例全体会议", date=timezone.localdate())
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.RELEASE, title="发布")
    snapshot = services.freeze_lists(world.secretariat, item)
    frozen = client.get(reverse("lists:snapshot_export", args=[snapshot.pk]))
    assert frozen.status_code == 200 and formulas(frozen.content) == []
