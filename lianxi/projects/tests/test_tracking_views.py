"""Tracking pages: filing a report through the page changes status and roll-up; attachments only
through the gated view; the public showcase shows nothing unpublished."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxi.projects import services
from lianxi.projects.models import Project

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def key_project(world, title="示例重点项目", published=True):
    p = services.create_project(world.secretariat, conference=world.district, title=title, kind=Project.Kind.KEY,
                                year=2025, lead_unit=world.unit_a, is_published=published, description="示例故事")
    services.add_milestone(world.secretariat, p, title="启动", due=datetime.date.today() + datetime.timedelta(days=20))
    return p


def test_report_through_the_page_changes_status_and_rollup(world, client_for):
    project = key_project(world)
    rollup = reverse("projects:rollup")
    c = client_for(world.secretariat)
    row = c.get(rollup).context["rows"][0]
    assert dict((v, n) for v, _l, n in row["by_status"])["not_started"] == 1
    c = client_for(world.liaison)
    detail = c.get(reverse("projects:project_detail", args=[project.pk]))
    assert detail.context["tracking_code"] == "not_started" and detail.context["can_report"]
    url = reverse("projects:report_create", args=[project.pk])
    milestone = project.milestones.get()
    response = c.post(url, {"text": "已启动", "figures": "服务人次: 30", "milestones_done": [milestone.pk],
                            "attachments": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.pdf", PDF)]})
    assert response.status_code == 302
    detail = c.get(reverse("projects:project_detail", args=[project.pk]))
    assert detail.context["tracking_code"] == "completed" and detail.context["progress"] == 100
    row = client_for(world.secretariat).get(rollup).context["rows"][0]
    assert dict((v, n) for v, _l, n in row["by_status"])["completed"] == 1
    bad = c.post(url, {"text": "", "figures": "没有冒号"})
    assert bad.status_code == 400 and project.reports.count() == 1
    assert "第 1 行" in bad.content.decode()
    # Another unit's liaison may not file for this project.
    assert client_for(world.liaison_b).get(url).status_code == 403


def test_attachments_are_gated_and_the_showcase_leaks_nothing(world, client_for):
    shown = key_project(world, "示例公开项目")
    hidden = key_project(world, "示例未公开项目", published=False)
    for p in (shown, hidden):
        services.file_report(world.liaison, p, unit=world.unit_a, text="进展",
                             attachments=[SimpleUploadedFile("p.png", PNG), SimpleUploadedFile("d.pdf", PDF)])
    anon = client_for(None)
    page = anon.get(reverse("projects:showcase"))
    body = page.content.decode()
    assert "示例公开项目" in body and "示例未公开项目" not in body and "示例故事" in body
    photo, doc = shown.reports.get().attachments.order_by("pk")
    hidden_photo = hidden.reports.get().attachments.order_by("pk").first()
    assert anon.get(reverse("projects:attachment", args=[photo.pk])).status_code == 200
    assert anon.get(reverse("projects:attachment", args=[doc.pk])).status_code == 404
    assert anon.get(reverse("projects:attachment", args=[hidden_photo.pk])).status_code == 404
    assert anon.get(reverse("projects:project_detail", args=[hidden.pk])).status_code == 404
    insider = client_for(world.liaison_b)
    response = insider.get(reverse("projects:attachment", args=[doc.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_showcase_query_count_is_constant(world, client_for, count_queries):
    for i in range(3):
        key_project(world, f"示例项目{i}")
    anon = client_for(None)
    with count_queries() as few:
        anon.get(reverse("projects:showcase"))
    for i in range(3, 12):
        p = key_project(world, f"示例项目{i}")
        p.partner_units.add(world.unit_b)
    with count_queries() as many:
        anon.get(reverse("projects:showcase"))
    assert len(many.captured_queries) == len(few.captured_queries)
