"""A conference's home page (assembled in the home room from registry, meetings and projects),
through HTTP with named personas."""


import pytest
from django.urls import reverse

from lianxi.registry.models import Appointment, Conference, Unit
from lianxi.registry.services import appoint, create_conference
from lianxi.registry.tests.helpers import DAY, figure, member_units, people, plenary, projects

pytestmark = pytest.mark.django_db


def detail_url(conference):
    return reverse("registry:conference_detail", args=[conference.pk])


def test_landing_page_opens_the_first_public_top_level_conference(world, client_for):
    response = client_for(None).get("/")
    assert response.status_code == 302 and response["Location"] == detail_url(world.district)


def test_home_for_anonymous_shows_members_figures_meetings_and_projects_but_no_people(world, client_for):
    meeting = plenary(world.district)
    figure(meeting, 66)
    plenary(world.district, 11, published=False)
    person = people(world.unit_a, 1)[0]
    appoint(None, conference=world.district, role=Appointment.Role.CONVENER, person=person, unit=world.unit_a,
            attested_on=DAY)
    projects(world.district, 2, lead=world.unit_a)
    projects(world.district, 1, published=False, prefix="示例内部项目")

    response = client_for(None).get(detail_url(world.district))
    page = response.content.decode()
    assert response.status_code == 200
    assert "示例单位A" in page and "示例单位B" in page and "示例街道" in page
    assert "示例单位Z" not in page  # not a member
    assert "成员单位共有：<b>66</b>家" in page
    assert "第十次全体会议" in page and "所载" in page
    assert meeting.title in page
    assert "第11次全体会议" not in page  # unpublished meeting
    assert "示例项目000" in page and "示例内部项目000" not in page
    assert "现任职务" not in page and person.name not in page
    assert "变更记录" not in page
    assert "编辑" not in page


def test_home_for_insider_shows_posts_with_attested_start(world, client_for):
    person = people(world.unit_a, 1)[0]
    appoint(None, conference=world.district, role=Appointment.Role.CONVENER, person=person, unit=world.unit_a,
            attested_on=DAY)
    page = client_for(world.reviewer).get(detail_url(world.district)).content.decode()
    assert "现任职务" in page
    assert person.name in page
    assert "起始未知，见于2024-06-24资料" in page
    assert "变更记录" in page
    assert reverse("registry:conference_edit", args=[world.district.pk]) not in page  # read-only


def test_home_caps_units_per_category_and_links_to_the_full_list(world, client_for):
    for i in range(14):
        unit = Unit.objects.create(name=f"示例机关{i:02d}", category=Unit.Category.ORGAN)
        world.district.memberships.create(unit=unit)
    page = client_for(None).get(detail_url(world.district)).content.decode()
    assert "示例机关11" in page and "示例机关12" not in page
    assert f"?conference={world.district.pk}&amp;category=organ" in page
    assert "查看全部 14 家" in page


def test_private_conference_is_404_for_anonymous_and_outsider(world, client_for):
    hidden = create_conference(None, name="示例内部联席会议", kind=Conference.Kind.THEME, is_public=False)
    assert client_for(None).get(detail_url(hidden)).status_code == 404
    assert client_for(world.outsider).get(detail_url(hidden)).status_code == 404
    assert client_for(world.liaison).get(detail_url(hidden)).status_code == 200


def test_home_query_count_does_not_grow_with_members_posts_and_projects(world, client_for, count_queries):
    client = client_for(world.secretariat)
    plenary(world.district)
    url = detail_url(world.district)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    units = member_units(world.district, 30)
    for unit in units[:10]:
        person = people(unit, 1, prefix=f"示例{unit.pk}人员")[0]
        appoint(None, conference=world.district, role=Appointment.Role.DEPUTY_CONVENER, person=person, unit=unit,
                start=DAY)
    projects(world.district, 20, lead=units[0])
    for i in range(5):
        create_conference(None, name=f"示例下级{i}", kind=Conference.Kind.AREA, parent=world.district)
    with count_queries() as many:
        page = client.get(url).content.decode()
    assert "示例项目019" in page and "示例下级4" in page
    assert len(many.captured_queries) == len(few.captured_queries)


# --- editing --------------------------------------------------------------------------------------
