"""Filter fields with hundreds of choices are searched as the user types (registry.picks): the list
pages render the chosen conference or area only, the picker answers with a few matches among what
the user may see, and without JavaScript the picker is a page whose links keep ``?conference=<id>``."""

import re

import pytest
from django.urls import reverse

from lianxi.registry.models import Area, Conference
from lianxi.registry.services import admit_unit, create_area, create_conference
from lianxi.registry.tests.helpers import DAY

pytestmark = pytest.mark.django_db

PAGES = ["registry:unit_list", "registry:person_list", "projects:project_list", "meetings:meeting_list"]
HX = {"HX-Request": "true"}


def many_conferences(world, n=40, public=True, first=0):
    return [create_conference(None, name=f"示例挑选{i:03d}区域化党建联席会议", short_name=f"示例挑选{i:03d}",
                              kind=Conference.Kind.AREA, parent=world.district, is_public=public)
            for i in range(first, first + n)]


def chosen_ids(html: str) -> list[str]:
    return re.findall(r'data-pick-choose="(\d*)"', html)


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_render_no_conference_options_and_keep_the_chosen_one(world, client_for, name):
    confs = many_conferences(world)
    client = client_for(world.admin)
    page = client.get(reverse(name)).content.decode()
    assert "示例挑选0" not in page  # not one of the 40 is rendered
    assert 'name="conference" value=""' in page and reverse("registry:conference_pick") in page
    page = client.get(reverse(name), {"conference": confs[7].pk}).content.decode()
    assert f'name="conference" value="{confs[7].pk}"' in page
    assert "示例挑选007" in page and "示例挑选008" not in page


def test_the_query_parameter_still_filters_the_list(world, client_for):
    admit_unit(None, unit=world.unit_b, conference=world.sub, start=DAY)
    client = client_for(world.admin)
    response = client.get(reverse("registry:unit_list"), {"conference": world.sub.pk})
    members = {u.name for u in response.context["page"].object_list}
    everyone = {u.name for u in client.get(reverse("registry:unit_list")).context["page"].object_list}
    assert members and members < everyone


def test_picker_suggests_few_matches_by_name_or_initials_in_constant_queries(world, client_for, count_queries):
    many_conferences(world, 5)
    client = client_for(world.admin)
    url = reverse("registry:conference_pick")
    with count_queries() as few:
        html = client.get(url, {"term": "挑选003"}, headers=HX).content.decode()
    assert "<html" not in html and "示例挑选003" in html and "示例挑选004" not in html
    assert chosen_ids(html)[0] == ""  # "all" comes first
    many_conferences(world, 60, first=5)
    with count_queries() as many:
        html = client.get(url, {"term": "sltx"}, headers=HX).content.decode()
    assert len(chosen_ids(html)) == 1 + 15  # capped
    assert len(many.captured_queries) == len(few.captured_queries)


def test_picker_offers_only_conferences_the_user_may_see(world, client_for):
    hidden = many_conferences(world, 3, public=False, first=100)
    url = reverse("registry:conference_pick")
    anonymous = client_for(None).get(url, {"term": "示例挑选"}, headers=HX).content.decode()
    assert not set(chosen_ids(anonymous)) & {str(c.pk) for c in hidden}
    insider = client_for(world.admin).get(url, {"term": "示例挑选"}, headers=HX).content.decode()
    assert {str(c.pk) for c in hidden} <= set(chosen_ids(insider))
    # Choosing a conference one may not see by id shows no name for it.
    page = client_for(None).get(reverse("registry:unit_list"), {"conference": hidden[0].pk}).content.decode()
    assert "示例挑选100" not in page


def test_without_javascript_the_picker_is_a_page_linking_back_with_the_parameter(world, client_for):
    street = create_area(None, name="示例挑选街道", kind=Area.Kind.STREET, parent=world.street_area.parent)
    client = client_for(world.admin)
    nxt = reverse("registry:unit_list") + "?q=sl&category=street&page=3&area=1"
    response = client.get(reverse("registry:area_pick"), {"term": "挑选", "next": nxt})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert f'href="/units/?q=sl&amp;category=street&amp;area={street.pk}"' in html
    assert 'href="/units/?q=sl&amp;category=street"' in html  # 全部
    # Another site is never a destination: the links go back to the unit list instead.
    html = client.get(reverse("registry:area_pick"), {"term": "挑选", "next": "https://evil.example/x"}).content.decode()
    assert 'href="https://evil' not in html and 'href="//evil' not in html
    assert f'href="/units/?area={street.pk}"' in html
