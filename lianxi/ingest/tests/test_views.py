"""The import pages through HTTP: who may import, bad input, the review page, apply, sources shown."""

from pathlib import Path

import pytest
from django.urls import reverse

from lianxi.ingest.models import Import
from lianxi.meetings.models import Meeting

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def _upload(client, world, name="synthetic_district.txt", data=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = data if data is not None else (DATA / name).read_bytes()
    return client.post(reverse("ingest:import_create"),
                       {"conference": world.district.pk, "file": SimpleUploadedFile(name, data)})


def test_outsiders_and_liaisons_cannot_import(world, client_for):
    for user in (world.outsider, world.liaison, world.reviewer):
        assert client_for(user).get(reverse("ingest:import_create")).status_code == 403
    assert client_for(None).get(reverse("ingest:import_list")).status_code == 302


def test_secretariat_imports_and_reviews_and_others_cannot_see_the_import(world, client_for):
    response = _upload(client_for(world.secretariat), world)
    imp = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ingest:import_review", args=[imp.pk])
    page = client_for(world.secretariat).get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "示例区区域化党建联席会议第五次全体会议" in html and 'src="/static/ingest/review.js"' in html
    assert "<script>" not in html.replace('<script src', '')  # no inline script
    assert client_for(world.liaison).get(response["Location"]).status_code == 404
    assert client_for(world.outsider).get(response["Location"]).status_code == 404


def test_bad_uploads_get_a_message_and_create_nothing(world, client_for):
    client = client_for(world.secretariat)
    for name, data, message in [("e.txt", b"", "文件为空"), ("b.txt", bytes(range(256)) * 20, "不是文本"),
                                ("w.txt", "今天天气晴朗，适合外出散步和晾晒衣物，明天有小雨请带伞出门。".encode(), "不像一次会议的报道")]:
        response = _upload(client, world, name, data)
        assert response.status_code == 200 and message in response.content.decode(), name
    assert Import.objects.count() == 0


def test_a_20_mb_upload_is_refused_from_its_length_before_reading(world, client_for):
    client = client_for(world.secretariat)
    response = client.generic("POST", reverse("ingest:import_create"), b"x" * 16,
                              content_type="multipart/form-data; boundary=zz", CONTENT_LENGTH=str(20 * 1024 * 1024))
    assert response.status_code == 413 and "文件过大（20.0 MB）" in response.content.decode()
    assert Import.objects.count() == 0


def test_a_20_mb_file_is_refused_by_the_command_before_reading(tmp_path, capsys):
    from lianxi.cli import main

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(20 * 1024 * 1024)  # sparse: nothing is written, and nothing should be read
    assert main(["ingest", str(big)]) == 2
    assert "文件过大（20.0 MB）" in capsys.readouterr().err


def test_apply_from_the_review_page_shows_the_sources_on_the_meeting_page(world, client_for):
    client = client_for(world.secretariat)
    _upload(client, world)
    imp = Import.objects.get()
    post = {"action": "apply", "meeting-date": "2023-03-18", "meeting-kind": "plenary", "meeting-number": "5",
            "meeting-title": imp.draft["meeting"]["title"], "meeting-is_published": "on"}
    for i in range(len(imp.draft["units"])):
        post[f"units-{i}-category"] = "enterprise"
    response = client.post(reverse("ingest:import_review", args=[imp.pk]), post)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    html = client.get(response["Location"]).content.decode()
    assert "见于 示例新闻网报道" in html and "示例区区域化党建联席会议第五次全体会议18日在示例区会议中心召开" in html
    api = client.get(f"/api/v1/meetings/{meeting.pk}/sources").json()
    assert {"meeting.title", "agenda[0]"} <= {row["path"] for row in api}


def test_apply_without_a_category_for_a_new_unit_names_it(world, client_for):
    client = client_for(world.secretariat)
    _upload(client, world)
    imp = Import.objects.get()
    response = client.post(reverse("ingest:import_review", args=[imp.pk]),
                           {"action": "apply", "meeting-date": "2023-03-18", "meeting-kind": "plenary"})
    assert response.status_code == 400
    assert "单位“示例科技有限公司”：新建单位须选择成员类别" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_import_list_query_count_does_not_grow_with_rows(world, client_for, count_queries):
    client = client_for(world.secretariat)
    _upload(client, world)
    with count_queries() as one:
        client.get(reverse("ingest:import_list"))
    _upload(client, world)
    _upload(client, world)
    with count_queries() as three:
        client.get(reverse("ingest:import_list"))
    assert len(three.captured_queries) == len(one.captured_queries)


def test_an_inferred_role_can_be_rejected_on_the_review_page(world, client_for):
    from lianxi.registry.models import Appointment

    client = client_for(world.secretariat)
    _upload(client, world, "huangpu_2024-06-24_raw.txt")
    imp = Import.objects.get()
    page = client.get(reverse("ingest:import_review", args=[imp.pk])).content.decode()
    assert 'name="roles-3-0-reject"' in page and "先后" in page  # 韩志强's inferred rotating convener
    post = {"action": "apply", "roles-3-0-reject": "on"}
    for i in range(len(imp.draft["units"])):
        post[f"units-{i}-category"] = "enterprise"
    for i in range(len(imp.draft["conferences"])):
        post[f"conferences-{i}-kind"] = "area"
    assert client.post(reverse("ingest:import_review", args=[imp.pk]), post).status_code == 302
    rotating = Appointment.objects.filter(conference=world.district, role="rotating_convener")
    assert [a.person.name for a in rotating] == ["沈軍"]
