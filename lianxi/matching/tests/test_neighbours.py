"""The neighbour-map page (相邻街道) through HTTP: who may see and set it, what is stored (each pair
once, ``area < neighbour``), the audit row, and a query count that does not grow with the streets."""

import pytest
from django.urls import reverse

from lianxi.accounts.models import Grant
from lianxi.matching import services
from lianxi.matching.models import AreaNeighbour
from lianxi.matching.tests.helpers import audit
from lianxi.registry.models import Area
from lianxi.registry.services import create_area, update_conference
from lianxi.testing import grant, make_user

PAGE = reverse("matching:neighbours")


@pytest.fixture
def streets(world):
    """示例街道 plus 示例街道乙 and 示例街道丙 in the same district, and 示例街道丁 in another district."""
    district_area = world.street_area.parent
    world.b = create_area(None, name="示例街道乙", kind=Area.Kind.STREET, parent=district_area)
    world.c = create_area(None, name="示例街道丙", kind=Area.Kind.STREET, parent=district_area)
    other_district = create_area(None, name="示例邻区", kind=Area.Kind.DISTRICT)
    world.far = create_area(None, name="示例街道丁", kind=Area.Kind.STREET, parent=other_district)
    return world


def set_url(w, street):
    return reverse("matching:neighbours_set", args=[w.district.pk, street.pk])


def pairs():
    return sorted(AreaNeighbour.objects.values_list("area_id", "neighbour_id"))


# ------------------------------------------------------------------------------ the page

def test_page_lists_the_conference_streets_empty_by_default(client_for, streets):
    w = streets
    response = client_for(w.secretariat).get(PAGE)
    assert response.status_code == 200
    assert response.context["conference"] == w.district
    rows = response.context["rows"]
    assert [r["street"].name for r in rows] == ["示例街道", "示例街道丙", "示例街道乙"]
    assert [r["neighbours"] for r in rows] == [[], [], []]
    # Each street is offered the other streets of its district, never itself nor another district's.
    assert [label for _pk, label in rows[0]["form"].fields["neighbours"].choices] == ["示例街道丙", "示例街道乙"]
    html = response.content.decode()
    assert "没有记录相邻街道时，这项加分就不会给出" in html
    assert "示例街道丁" not in html


def test_page_shows_recorded_neighbours_from_both_ends(client_for, streets):
    w = streets
    services.set_neighbours(None, w.c, [w.street_area])
    rows = {r["street"]: r for r in client_for(w.admin).get(PAGE, {"conference": w.district.pk}).context["rows"]}
    assert rows[w.street_area]["neighbours"] == ["示例街道丙"]
    assert rows[w.c]["neighbours"] == ["示例街道"]
    assert rows[w.b]["neighbours"] == []
    assert rows[w.street_area]["form"].initial == {"neighbours": [w.c.pk]}


def test_conference_without_an_area_has_no_streets(client_for, streets):
    w = streets
    response = client_for(w.admin).get(PAGE, {"conference": w.sub.pk})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "未填写所在区域" in response.content.decode()


def test_a_street_conference_maps_its_own_street(client_for, streets):
    w = streets
    update_conference(None, w.sub, area=w.b)
    rows = client_for(w.admin).get(PAGE, {"conference": w.sub.pk}).context["rows"]
    assert [r["street"] for r in rows] == [w.b]
    assert [label for _pk, label in rows[0]["form"].fields["neighbours"].choices] == ["示例街道", "示例街道丙"]


def test_linked_from_the_suggestions_page(client_for, world):
    html = client_for(world.secretariat).get(reverse("matching:suggestions")).content.decode()
    assert f'href="{PAGE}?conference={world.district.pk}"' in html


def test_page_outsider_404_anonymous_login(client_for, streets):
    w = streets
    assert client_for(w.outsider).get(PAGE).status_code == 404
    assert client_for(w.outsider).get(PAGE, {"conference": w.district.pk}).status_code == 404
    response = client_for(None).get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["liaison", "street", "reviewer"])
def test_page_read_only_insiders_403(client_for, streets, persona):
    client = client_for(getattr(streets, persona))
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, {"conference": streets.district.pk}).status_code == 403


def test_page_of_a_conference_not_managed_403(client_for, streets):
    w = streets
    other = make_user("sub_secretariat")
    grant(other, Grant.Role.SECRETARIAT, conference=w.sub)
    assert client_for(other).get(PAGE, {"conference": w.district.pk}).status_code == 403
    assert client_for(other).get(PAGE, {"conference": 999999}).status_code == 404


def test_page_query_count_does_not_grow_with_the_streets(client_for, count_queries, streets):
    w = streets
    client = client_for(w.secretariat)
    services.set_neighbours(None, w.street_area, [w.b])
    client.get(PAGE)  # warm caches (content types, sessions)
    with count_queries() as few:
        assert client.get(PAGE).status_code == 200
    more = [create_area(None, name=f"示例街道{i:03d}", kind=Area.Kind.STREET, parent=w.street_area.parent)
            for i in range(12)]
    for a, b in zip(more, more[1:], strict=False):
        services.set_neighbours(None, a, [b, w.c])
    with count_queries() as many:
        response = client.get(PAGE)
    assert len(response.context["rows"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)


# ------------------------------------------------------------------------------ setting

def test_secretariat_sets_neighbours(client_for, streets):
    w = streets
    response = client_for(w.secretariat).post(set_url(w, w.c), {"neighbours": [w.street_area.pk, w.b.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?conference={w.district.pk}#street-{w.c.pk}"
    # Stored once per pair, the smaller id first, whichever end it was set from.
    assert pairs() == sorted([(w.street_area.pk, w.c.pk), (w.b.pk, w.c.pk)])
    [entry] = audit(w.c, "matching.neighbours.set")
    assert entry.actor == w.secretariat
    assert entry.changes == {"neighbours": [[], sorted([w.street_area.pk, w.b.pk])]}
    rows = {r["street"]: r["neighbours"] for r in client_for(w.secretariat).get(PAGE).context["rows"]}
    assert rows == {w.street_area: ["示例街道丙"], w.b: ["示例街道丙"], w.c: ["示例街道", "示例街道乙"]}


def test_unticking_removes_and_an_unchanged_post_writes_nothing(client_for, streets):
    w = streets
    client = client_for(w.admin)
    client.post(set_url(w, w.street_area), {"neighbours": [w.b.pk, w.c.pk]})
    client.post(set_url(w, w.b), {"neighbours": []})
    assert pairs() == [(w.street_area.pk, w.c.pk)]
    assert len(audit(w.b, "matching.neighbours.set")) == 1
    response = client.post(set_url(w, w.street_area), {"neighbours": [w.c.pk]}, follow=True)
    assert "示例街道的相邻街道没有变化。" in response.content.decode()
    assert len(audit(w.street_area, "matching.neighbours.set")) == 1


def test_neighbours_outside_the_choices_are_kept(client_for, streets):
    w = streets
    services.set_neighbours(None, w.street_area, [w.far])
    client_for(w.secretariat).post(set_url(w, w.street_area), {"neighbours": [w.b.pk]})
    assert pairs() == sorted([tuple(sorted((w.street_area.pk, w.far.pk))), (w.street_area.pk, w.b.pk)])


def test_a_street_not_offered_is_refused(client_for, streets):
    w = streets
    response = client_for(w.secretariat).post(set_url(w, w.street_area), {"neighbours": [w.far.pk]})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["street"] == w.street_area)
    assert row["form"].errors["neighbours"]
    assert pairs() == []


def test_set_refused(client_for, streets):
    w = streets
    data = {"neighbours": [w.b.pk]}
    assert client_for(w.outsider).post(set_url(w, w.street_area), data).status_code == 404
    for persona in (w.liaison, w.street, w.reviewer):
        assert client_for(persona).post(set_url(w, w.street_area), data).status_code == 403
    assert client_for(w.secretariat).get(set_url(w, w.street_area)).status_code == 405
    assert client_for(None).post(set_url(w, w.street_area), data).status_code == 302
    # A street the conference does not cover.
    assert client_for(w.secretariat).post(set_url(w, w.far), data).status_code == 404
    other = make_user("sub_secretariat")
    grant(other, Grant.Role.SECRETARIAT, conference=w.sub)
    assert client_for(other).post(set_url(w, w.street_area), data).status_code == 403
    assert pairs() == []
