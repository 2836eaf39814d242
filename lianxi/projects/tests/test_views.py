"""Projects pages through HTTP with named personas: the list, a project's page, the form."""

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.projects.models import Project
from lianxi.projects.services import create_project
from lianxi.registry.models import Conference
from lianxi.registry.services import create_conference
from lianxi.registry.tests.helpers import agenda, plenary, projects

pytestmark = pytest.mark.django_db

LIST = "projects:project_list"


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


def detail_url(project, name="projects:project_detail"):
    return reverse(name, args=[project.pk])


def project_post(project=None, **overrides):
    data = {"title": "示例新项目", "kind": "key", "year": 2024, "status": "active", "order": 0, "is_published": "on"}
    if project is not None:
        data.update({
            "conference": project.conference_id, "title": project.title, "kind": project.kind, "year": project.year,
            "lead_unit": project.lead_unit.name if project.lead_unit else "", "links": project.links,
            "status": project.status, "description": project.description, "order": project.order,
            "is_published": "on" if project.is_published else "",
            "partner_units": "\n".join(u.name for u in project.partner_units.all()),
            "released_at": project.released_at_id or "", "awarded_at": project.awarded_at_id or "",
        })
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------------

def test_anonymous_and_outsider_see_only_published_projects_of_public_conferences(world, client_for):
    hidden = create_conference(None, name="示例内部联席会议", kind=Conference.Kind.THEME, is_public=False)
    projects(world.district, 2)
    projects(world.district, 1, published=False, prefix="示例未公开")
    projects(hidden, 1, prefix="示例内部")
    for user in (None, world.outsider):
        response = client_for(user).get(reverse(LIST))
        assert response.status_code == 200
        assert titles(response) == ["示例项目000", "示例项目001"]
        assert "新建项目" not in response.content.decode()
    assert sorted(titles(client_for(world.liaison).get(reverse(LIST)))) == [
        "示例内部000", "示例未公开000", "示例项目000", "示例项目001"]


def test_filters_by_conference_kind_year_link_and_search(world, client_for):
    projects(world.district, 2, year=2024)
    projects(world.sub, 1, year=2023, kind="brand", prefix="示例品牌")
    create_project(None, conference=world.district, title="思南读书会（示例）", kind="brand", year=2024,
                   links=["brand"])
    client = client_for(None)
    assert titles(client.get(reverse(LIST), {"conference": world.sub.pk})) == ["示例品牌000"]
    assert titles(client.get(reverse(LIST), {"kind": "brand", "year": 2024})) == ["思南读书会（示例）"]
    assert titles(client.get(reverse(LIST), {"year": 2023})) == ["示例品牌000"]
    assert titles(client.get(reverse(LIST), {"link": "talent"})) == ["示例项目001"]
    assert titles(client.get(reverse(LIST), {"link": "brand", "kind": "key"})) == ["示例项目000"]
    assert titles(client.get(reverse(LIST), {"q": "snds"})) == ["思南读书会（示例）"]
    assert titles(client.get(reverse(LIST), {"q": "思南讀書"})) == ["思南读书会（示例）"]
    response = client.get(reverse(LIST), {"kind": "brand"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert list(response.context["years"]) == [2024, 2023]


def test_list_query_count_does_not_grow(world, client_for, count_queries):
    client = client_for(world.secretariat)
    projects(world.district, 3, lead=world.unit_a)
    with count_queries() as few:
        assert len(titles(client.get(reverse(LIST)))) == 3
    for project in projects(world.district, 30, lead=world.unit_b, year=2023):
        project.partner_units.set([world.unit_a, world.street_unit])
    with count_queries() as many:
        response = client.get(reverse(LIST))
    assert len(titles(response)) == 33
    assert list(response.context["page"].object_list)[-1].partner_count == 2
    assert len(many.captured_queries) == len(few.captured_queries)


# --- a project's page -----------------------------------------------------------------------------

def test_project_page_shows_units_links_and_the_meeting_it_was_released_at(world, client_for):
    meeting = plenary(world.district)
    item = agenda(meeting, "release", "发布2024年十大重点项目（示例）")
    project = create_project(None, conference=world.district, title="示例重点项目", kind="key", year=2024,
                             lead_unit=world.unit_a, partner_units=[world.unit_b, world.outside_unit],
                             links=["organisation", "resources"], released_at=item)
    response = client_for(None).get(detail_url(project))
    page = response.content.decode()
    assert response.status_code == 200
    assert "示例单位A" in page and "示例单位B" in page
    assert "示例单位Z" not in page  # not visible to the public
    assert "组织联建" in page and "资源联用" in page
    assert meeting.title in page and "发布2024年十大重点项目（示例）" in page
    assert "变更记录" not in page
    assert detail_url(project, "projects:project_edit") not in page


def test_partners_shown_are_the_visible_ones_by_name_without_listing_every_visible_unit(
        world, client_for, count_queries):
    """Item 15 of docs/benchmarks.md: the page takes the project's partner ids first and asks which
    of them the user may see, instead of filtering the partners by a subquery of every visible unit."""
    project = create_project(None, conference=world.district, title="示例伙伴项目", kind="key", year=2024,
                             partner_units=[world.street_unit, world.outside_unit, world.unit_b])
    client = client_for(None)
    with count_queries() as queries:
        response = client.get(detail_url(project))
    assert [u.name for u in response.context["partners"]] == ["示例单位B", "示例街道"]  # not 示例单位Z
    assert not any('"registry_unit" V0' in q["sql"] for q in queries.captured_queries)

    response = client_for(world.reviewer).get(detail_url(project))
    assert [u.name for u in response.context["partners"]] == ["示例单位B", "示例单位Z", "示例街道"]

    alone = create_project(None, conference=world.district, title="示例无伙伴项目", kind="key", year=2024)
    response = client_for(None).get(detail_url(alone))
    assert response.status_code == 200 and response.context["partners"] == []


def test_unpublished_project_is_404_for_anonymous_and_outsider(world, client_for):
    project = projects(world.district, 1, published=False)[0]
    assert client_for(None).get(detail_url(project)).status_code == 404
    assert client_for(world.outsider).get(detail_url(project)).status_code == 404
    page = client_for(world.reviewer).get(detail_url(project)).content.decode()
    assert "变更记录" in page and "新建项目" in page and "projects.project.create" not in page


def test_project_edit_is_read_only_for_liaison_and_reviewer(world, client_for):
    project = projects(world.district, 1)[0]
    url = detail_url(project, "projects:project_edit")
    for user in (world.liaison, world.reviewer, world.outsider):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, project_post(project, title="改名")).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.liaison).get(reverse("projects:project_create")).status_code == 403
    project.refresh_from_db()
    assert project.title == "示例项目000"


# --- the form -------------------------------------------------------------------------------------

def test_secretariat_creates_a_project_and_the_audit_row_is_written(world, client_for):
    meeting = plenary(world.district)
    item = agenda(meeting, "release")
    client = client_for(world.secretariat)
    assert client.get(reverse("projects:project_create")).status_code == 200
    response = client.post(reverse("projects:project_create"), project_post(
        conference=world.district.pk, lead_unit="示例单位A", partner_units="示例单位B\n示例街道",
        links=["organisation", "talent"], released_at=item.pk,
    ))
    project = Project.objects.get(title="示例新项目")
    assert response["Location"] == detail_url(project)
    assert (project.lead_unit, project.links, project.released_at) == (world.unit_a, ["organisation", "talent"], item)
    assert sorted(u.name for u in project.partner_units.all()) == ["示例单位B", "示例街道"]
    entry = AuditEntry.objects.for_object(project).get()
    assert (entry.action, entry.actor) == ("projects.project.create", world.secretariat)
    assert entry.changes["partner_units"] == [None, ["示例单位B", "示例街道"]]


def test_bad_project_input_names_the_field_and_saves_nothing(world, client_for):
    sub_item = agenda(plenary(world.sub, 1), "release")
    client = client_for(world.admin)
    url = reverse("projects:project_create")
    response = client.post(url, project_post(conference=world.district.pk, partner_units="示例单位B\n示例不存在单位"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"partner_units": ["未找到“示例不存在单位”，请从提示中选择。"]}
    response = client.post(url, project_post(conference=world.district.pk, year="明年", links=["nonsense"]))
    assert sorted(response.context["form"].errors) == ["links", "year"]
    # A release item of the sub-conference's meeting does not belong to a district project.
    response = client.post(url, project_post(conference=world.district.pk, released_at=sub_item.pk))
    assert response.context["form"].errors == {
        "released_at": ["发布议程须属于示例区或其上级联席会议的会议。"]}
    assert not Project.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="projects.").exists()


def test_secretariat_cannot_create_for_a_conference_it_does_not_manage(world, client_for):
    response = client_for(world.secretariat).post(reverse("projects:project_create"),
                                                  project_post(conference=world.sub.pk))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["conference"]
    assert not Project.objects.exists()


def test_secretariat_edits_a_project(world, client_for):
    project = create_project(None, conference=world.district, title="示例项目", kind="key", year=2024,
                             lead_unit=world.unit_a, partner_units=[world.unit_b], links=["brand"])
    response = client_for(world.secretariat).post(
        detail_url(project, "projects:project_edit"),
        project_post(project, status="completed", partner_units="示例单位B\n示例街道", links=["brand", "talent"]),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.for_object(project).first()
    assert (entry.action, entry.actor) == ("projects.project.update", world.secretariat)
    assert entry.changes == {
        "links": [["brand"], ["brand", "talent"]],
        "status": ["active", "completed"],
        "partner_units": [["示例单位B"], ["示例单位B", "示例街道"]],
    }
