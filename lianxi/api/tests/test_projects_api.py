"""The projects API: key and brand projects with lead and partner units and the five links."""

import pytest

from lianxi.api.tests.conftest import API, ref
from lianxi.projects.models import Link, Project

pytestmark = pytest.mark.django_db


def test_project_list_shape_and_visibility(api_world, get_json):
    w = api_world
    status, body = get_json(None, f"{API}/projects")
    assert status == 200
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": w.key_project.pk,
            "title": "示例重点项目一",
            "kind": {"code": "key", "label": "重点项目"},
            "year": 2024,
            "conference": ref(w.district),
            "status": {"code": "active", "label": "推进中"},
            "lead_unit": ref(w.unit_a),
            "partner_units": [ref(w.unit_b), ref(w.street_unit)],
            "links": [{"code": "resources", "label": "资源联用"}, {"code": "talent", "label": "人才联育"}],
        },
        {
            "id": w.brand_project.pk,
            "title": "示例品牌项目一",
            "kind": {"code": "brand", "label": "品牌项目"},
            "year": 2023,
            "conference": ref(w.district),
            "status": {"code": "active", "label": "推进中"},
            "lead_unit": ref(w.unit_b),
            "partner_units": [],
            "links": [{"code": "brand", "label": "品牌联创"}],
        },
    ]
    _, body = get_json(w.reviewer, f"{API}/projects")
    assert [p["title"] for p in body["items"]] == ["示例重点项目一", "示例未公开项目", "示例内部项目", "示例品牌项目一"]


def test_project_list_filters(api_world, get_json):
    w = api_world
    titles = lambda **params: [p["title"] for p in get_json(w.admin, f"{API}/projects", **params)[1]["items"]]  # noqa: E731
    assert titles(kind="brand") == ["示例品牌项目一"]
    assert titles(year=2023) == ["示例品牌项目一"]
    assert titles(conference=w.hidden.pk) == ["示例内部项目"]
    assert titles(link="talent") == ["示例重点项目一"]
    assert titles(link="brand") == ["示例品牌项目一"]
    assert titles(link="organisation") == []
    assert titles(q="重點項目") == ["示例重点项目一"]
    assert titles(q="slppxm") == ["示例品牌项目一"]
    assert titles(year=2024, kind="key") == ["示例重点项目一", "示例未公开项目"]


def test_project_detail(api_world, get_json):
    w = api_world
    status, body = get_json(None, f"{API}/projects/{w.key_project.pk}")
    assert status == 200
    assert body["description"] is None
    assert body["released_at"] == {"id": w.items["release"].pk, "meeting": w.plenary.pk, "title": "发布2024年度重点项目"}
    assert body["awarded_at"] is None
    assert body["partner_units"] == [ref(w.unit_b), ref(w.street_unit)]
    _, body = get_json(None, f"{API}/projects/{w.brand_project.pk}")
    assert body["awarded_at"] == {"id": w.items["award"].pk, "meeting": w.plenary.pk, "title": "颁授品牌项目"}


def test_unpublished_projects_are_404_for_outsiders(api_world, get_json):
    w = api_world
    for project in (w.draft_project, w.hidden_project):
        assert get_json(None, f"{API}/projects/{project.pk}")[0] == 404
        assert get_json(w.outsider, f"{API}/projects/{project.pk}")[0] == 404
        assert get_json(w.liaison, f"{API}/projects/{project.pk}")[0] == 200


def test_release_at_unpublished_meeting_is_not_shown_to_outsiders(api_world, get_json):
    w = api_world
    w.plenary.is_published = False
    w.plenary.save()
    assert get_json(None, f"{API}/projects/{w.key_project.pk}")[1]["released_at"] is None
    assert get_json(w.admin, f"{API}/projects/{w.key_project.pk}")[1]["released_at"]["meeting"] == w.plenary.pk


@pytest.mark.parametrize("path", ["/projects", "/projects?link=talent", "/projects/{key}"])
def test_query_count_does_not_grow_with_rows(api_world, client_for, count_queries, path):
    w = api_world
    client = client_for(None)
    url = API + path.format(key=w.key_project.pk)

    def count():
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        for i in range(n):
            project = Project.objects.create(conference=w.district, title=f"示例项目{n}-{i}", kind=Project.Kind.KEY,
                                             year=2020 + i, lead_unit=w.unit_b, links=[Link.TALENT])
            project.partner_units.set([w.unit_a, w.street_unit])
        w.key_project.partner_units.add(w.unit_a)

    grow(2)
    before = count()
    grow(8)
    assert count() == before
