"""Meeting documents from the records: 公文 layout, only what the records hold, names by strokes."""

import io
import shutil

import pytest
from docx import Document
from docx.shared import Pt

from lianxi.demo.huangpu import load_huangpu
from lianxi.documents.context import BLANK, minutes_context
from lianxi.documents.render import render_docx
from lianxi.jobs.models import Job
from lianxi.lib.strokes import person_key
from lianxi.meetings.models import AgendaParticipant, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenth(db):
    load_huangpu()
    return Meeting.objects.get(conference__name="黄浦区区域化党建联席会议", number=10)


def _text(data: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(data))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def test_minutes_state_the_records_and_leave_blanks_for_what_they_do_not_hold(tenth):
    doc, text = _text(render_docx("minutes", tenth))
    assert "黄浦区区域化党建联席会议纪要" in text
    assert tenth.title in text
    assert "时间：2024年6月24日" in text
    # The article names no venue: the minutes leave a line to fill in, never a guess.
    assert tenth.venue == ""
    assert f"地点：{BLANK}" in text
    # Every agenda item of the record, in order.
    titles = list(tenth.agenda_items.order_by("order").values_list("title", flat=True))
    positions = [text.index(t) for t in titles]
    assert positions == sorted(positions)
    # No template tag survives.
    assert "{{" not in text and "{%" not in text


def test_minutes_list_attendees_in_stroke_order_each_once(tenth):
    context = minutes_context(tenth)
    names = [line.split("　")[0] for line in context["attendees"]]
    recorded = set(
        AgendaParticipant.objects.filter(item__meeting=tenth).values_list("person__name", flat=True)
    )
    assert set(names) == recorded and len(names) == len(recorded)
    assert names == sorted(names, key=person_key)


def test_minutes_page_layout_follows_gbt_9704(tenth):
    doc, _ = _text(render_docx("minutes", tenth))
    section = doc.sections[0]
    mm = [round(v.mm) for v in (section.page_width, section.page_height, section.top_margin,
                                section.bottom_margin, section.left_margin, section.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]
    body = [p for p in doc.paragraphs if p.text.startswith("时间：")][0]
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)


def test_notice_lists_member_units_and_blanks_the_time(tenth):
    _, text = _text(render_docx("notice", tenth))
    assert f"关于召开{tenth.title}的通知" in text
    assert "各成员单位：" in text
    assert f"2024年6月24日{BLANK}" in text


def test_brief_and_certificates_render(tenth):
    _, brief = _text(render_docx("brief", tenth))
    assert f"{tenth.title}召开" in brief
    _, certs = _text(render_docx("certificate", tenth))
    assert "荣誉证书" in certs


def test_only_those_who_run_the_conference_get_documents(tenth, world, client_for):
    url = f"/documents/meetings/{tenth.pk}/minutes.docx"
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.liaison).get(url).status_code == 403
    assert client_for(world.secretariat).get(url).status_code == 403  # secretariat of another conference
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("docs-admin", password="x" * 12)
    response = client_for(boss).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    page = client_for(boss).get(f"/documents/meetings/{tenth.pk}/")
    assert page.status_code == 200 and "会议纪要" in page.content.decode()
    assert client_for(boss).get(f"/documents/meetings/{tenth.pk}/nonsense.docx").status_code == 404


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_is_made_by_a_job_and_downloaded_from_it(tenth, client_for):
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("docs-admin", password="x" * 12)
    response = client_for(boss).post(f"/documents/meetings/{tenth.pk}/minutes/pdf/")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.state == Job.State.SUCCEEDED, job.error
    pdf = client_for(boss).get(f"/jobs/{job.pk}/download/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
