"""The ingest API: a draft from text, an import for review, and a meeting's sources."""

from pathlib import Path

import pytest

from lianxi.ingest.models import Import

pytestmark = pytest.mark.django_db
TEXT = (Path(__file__).parent / "data" / "synthetic_district.txt").read_text(encoding="utf-8")


def test_draft_from_text_saves_nothing(world, client_for):
    response = client_for(world.secretariat).post("/api/v1/ingest/draft", {"text": TEXT}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["meeting"]["number"] == 5 and body["meeting"]["date"] is None
    assert [p["name"] for p in body["people"]] == ["张示例", "李示例", "赵示例", "周示例"]
    assert body["sources"]["meeting.venue"]["quote"] == "示例区会议中心"
    assert Import.objects.count() == 0


def test_only_importers_may_post_and_bad_text_is_a_422(world, client_for):
    assert client_for(world.liaison).post("/api/v1/ingest/draft", {"text": TEXT},
                                          content_type="application/json").status_code == 403
    assert client_for(None).post("/api/v1/ingest/draft", {"text": TEXT},
                                 content_type="application/json").status_code == 401
    bad = client_for(world.secretariat).post("/api/v1/ingest/draft", {"text": "hello world, not a report at all"},
                                             content_type="application/json")
    assert bad.status_code == 422 and "中文会议报道" in bad.json()["detail"][0]["messages"][0]


def test_import_then_read_it_back(world, client_for):
    client = client_for(world.secretariat)
    response = client.post("/api/v1/ingest/imports", {"conference": world.district.pk, "text": TEXT},
                           content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.get(f"/api/v1/ingest/imports/{pk}").json()["state"] == "review"
    assert client_for(world.liaison).get(f"/api/v1/ingest/imports/{pk}").status_code == 404
    other = client_for(world.secretariat).post("/api/v1/ingest/imports", {"conference": world.sub.pk + 999, "text": TEXT},
                        content_type="application/json")
    assert other.status_code == 422
