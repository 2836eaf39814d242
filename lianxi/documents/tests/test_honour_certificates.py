"""Certificates of a campaign honour's list (百优支部 …): one per named entry, from the records only,
on the meeting certificates' template; gated like the honour and printed by its conference's managers."""

import io
import shutil

import pytest
from django.urls import reverse
from docx import Document

from lianxi.campaigns.models import Honour, HonourEntry
from lianxi.documents.context import WRITTEN_ON_BLANK
from lianxi.documents.render import render_honour_certificates
from lianxi.jobs.models import Job
from lianxi.meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db

ORGS = ["示例单位A第一党支部", "示例单位B机关党支部"]


@pytest.fixture
def honour(world):
    honour = Honour.objects.create(conference=world.district, name="示例百优支部", year=2024, is_published=False)
    for order, (unit, org) in enumerate(zip((world.unit_a, world.unit_b), ORGS, strict=True)):
        HonourEntry.objects.create(honour=honour, unit=unit, party_org_name=org, order=order)
    return honour


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def test_each_entry_gets_a_certificate_saying_only_what_the_records_hold(world, honour):
    text = _paragraphs(render_honour_certificates(honour))
    # The honour was named at no recorded meeting and its entries were awarded at none: the
    # certificate names the list and leaves the date to be written by hand.
    expected = []
    for org in ORGS:
        expected += ["荣誉证书", f"{org}：", "列入2024年度“示例百优支部”名单。", world.district.name,
                     WRITTEN_ON_BLANK]
    assert [t.strip() for t in text] == [t.strip() for t in expected]
    joined = "\n".join(text)
    assert "{{" not in joined and "{%" not in joined
    # Nothing invented: no unit name, no count, no figure that the entries do not carry.
    assert world.unit_a.name not in joined.replace(ORGS[0], "")
    assert "100" not in joined


def test_a_named_honour_carries_the_meeting_and_its_date(world, honour):
    meeting = Meeting.objects.create(conference=world.district, title="示例第一次全体会议",
                                     date="2024-06-24")
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.NAMING, title="命名百优支部")
    Honour.objects.filter(pk=honour.pk).update(named_at=item)
    honour.refresh_from_db()
    joined = "\n".join(_paragraphs(render_honour_certificates(honour)))
    assert joined.count("经示例第一次全体会议命名为2024年度“示例百优支部”。") == 2
    assert joined.count("2024年6月24日") == 2


def test_certificates_are_offered_on_the_honour_page_to_its_managers_only(world, honour, client_for):
    page_url = reverse("campaigns:honour_detail", args=[honour.pk])
    docx_url = reverse("documents:honour_certificates_docx", args=[honour.pk])
    page = client_for(world.secretariat).get(page_url).content.decode()
    assert docx_url in page
    response = client_for(world.secretariat).get(docx_url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    joined = "\n".join(_paragraphs(response.content))
    assert all(org in joined for org in ORGS) and "示例百优支部" in joined
    # An insider who reads the honour but does not run its conference: no button, 403.
    assert docx_url not in client_for(world.liaison).get(page_url).content.decode()
    assert client_for(world.liaison).get(docx_url).status_code == 403
    # The honour is not published: outsiders do not learn it exists; visitors are asked to log in.
    assert client_for(world.outsider).get(docx_url).status_code == 404
    assert client_for(None).get(docx_url).status_code == 302
    pdf_url = reverse("documents:honour_certificates_pdf", args=[honour.pk])
    assert client_for(world.liaison).post(pdf_url).status_code == 403
    assert client_for(world.secretariat).get(pdf_url).status_code == 405
    assert not Job.objects.exists()


def test_a_list_the_records_do_not_name_gives_no_certificates(world, client_for):
    stated = Honour.objects.create(conference=world.district, name="示例百优支部", year=2024, stated_count=100)
    response = client_for(world.secretariat).get(reverse("documents:honour_certificates_docx", args=[stated.pk]),
                                                 follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaigns:honour_detail", args=[stated.pk])
    assert "名单未载明，无法生成证书" in response.content.decode()
    client_for(world.secretariat).post(reverse("documents:honour_certificates_pdf", args=[stated.pk]))
    assert not Job.objects.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_certificate_pdf_is_made_by_the_pdf_job(world, honour, client_for):
    response = client_for(world.secretariat).post(reverse("documents:honour_certificates_pdf", args=[honour.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job_detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.output_name == "2024年示例百优支部证书.pdf"
    pdf = client_for(world.secretariat).get(reverse("jobs:job_output", args=[job.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("installed", [True, False])
def test_the_pdf_button_is_offered_only_where_libreoffice_is_installed(world, honour, client_for, monkeypatch,
                                                                       installed):
    """Without ``soffice`` a PDF job could only fail: the honour page and the meeting's documents
    page say so instead of offering the button, and a post anyway queues nothing."""
    from lianxi.lib import office

    monkeypatch.setattr(office, "soffice_path", lambda: "/usr/bin/soffice" if installed else None)
    client = client_for(world.secretariat)
    pdf_url = reverse("documents:honour_certificates_pdf", args=[honour.pk])
    page = client.get(reverse("campaigns:honour_detail", args=[honour.pk])).content.decode()
    assert (pdf_url in page) is installed
    assert ("本机未安装 LibreOffice" in page) is not installed
    meeting = Meeting.objects.create(conference=world.district, title="示例第一次全体会议", date="2024-06-24")
    page = client.get(reverse("documents:meeting_documents", args=[meeting.pk])).content.decode()
    minutes_pdf = reverse("documents:meeting_document_pdf", args=[meeting.pk, "minutes"])
    assert (minutes_pdf in page) is installed
    assert ("本机未安装 LibreOffice" in page) is not installed
    if not installed:
        response = client.post(pdf_url, follow=True)
        assert "无法生成 PDF" in response.content.decode()
        response = client.post(minutes_pdf, follow=True)
        assert "无法生成 PDF" in response.content.decode()
        assert not Job.objects.exists()
