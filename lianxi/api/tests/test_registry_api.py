"""The registry API: conferences, units, people, posts and the rotation roster, read and written."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from lianxi.api.tests.conftest import API, ref
from lianxi.audit.models import AuditEntry
from lianxi.registry.models import Appointment, Membership, Person, Unit
from lianxi.registry.services import admit_unit, appoint, create_person, create_unit

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- conferences


def test_conference_list_shape_and_visibility(api_world, get_json):
    w = api_world
    status, body = get_json(None, f"{API}/conferences")
    assert status == 200
    assert body["count"] == 2  # the private conference is not listed
    assert body["items"][0] == {
        "id": w.district.pk,
        "name": "示例区区域化党建联席会议",
        "short_name": "示例区",
        "kind": {"code": "district", "label": "区级"},
        "status": {"code": "active", "label": "运行中"},
        "parent": None,
        "parent_note": None,
        "area": {"id": w.district.area_id, "name": "示例区"},
        "founded_on": None,
        "founded_at": None,
        "upgraded_from": None,
        "is_public": True,
    }
    assert body["items"][1]["parent"] == ref(w.district)

    status, body = get_json(w.liaison, f"{API}/conferences")
    assert [c["id"] for c in body["items"]] == [w.district.pk, w.sub.pk, w.hidden.pk]


def test_conference_list_filters(api_world, get_json):
    w = api_world
    _, body = get_json(w.admin, f"{API}/conferences", kind="area")
    assert [c["id"] for c in body["items"]] == [w.sub.pk]
    _, body = get_json(w.admin, f"{API}/conferences", parent=w.district.pk)
    assert [c["id"] for c in body["items"]] == [w.sub.pk]


def test_conference_detail(api_world, get_json):
    w = api_world
    w.sub.founded_at = w.plenary
    w.sub.founded_on = datetime.date(2024, 6, 24)
    w.sub.upgraded_from = w.hidden
    w.sub.save()
    status, body = get_json(None, f"{API}/conferences/{w.district.pk}")
    assert status == 200
    assert body["member_count"] == 3
    assert body["children"] == [ref(w.sub)]
    assert body["committees"] == []
    assert body["description"] is None

    _, body = get_json(None, f"{API}/conferences/{w.sub.pk}")
    assert (body["founded_at"], body["founded_on"]) == (w.plenary.pk, "2024-06-24")
    assert body["upgraded_from"] is None  # private: not named to the public
    _, body = get_json(w.admin, f"{API}/conferences/{w.sub.pk}")
    assert body["upgraded_from"] == ref(w.hidden)


def test_private_conference_is_404_for_outsiders(api_world, get_json):
    w = api_world
    assert get_json(None, f"{API}/conferences/{w.hidden.pk}")[0] == 404
    assert get_json(w.outsider, f"{API}/conferences/{w.hidden.pk}")[0] == 404
    assert get_json(w.reviewer, f"{API}/conferences/{w.hidden.pk}")[0] == 200
    assert get_json(None, f"{API}/conferences/999999")[0] == 404


# ---------------------------------------------------------------- posts and rotation


def appointment_json(a):
    return {
        "id": a.pk,
        "conference": ref(a.conference),
        "role": {"code": a.role, "label": a.get_role_display()},
        "person": ref(a.person) if a.person else None,
        "unit": ref(a.unit) if a.unit else None,
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "attested_on": a.attested_on.isoformat() if a.attested_on else None,
        "appointed_at": a.appointed_at_id,
        "ended_at": a.ended_at_id,
        "note": a.note or None,  # unknown is null (docs/api.md)
    }


def test_rotation_past_current_next(api_world, get_json):
    w = api_world
    status, body = get_json(w.secretariat, f"{API}/conferences/{w.district.pk}/rotation")
    assert status == 200
    assert body == {
        "conference": ref(w.district),
        "on": timezone.localdate().isoformat(),
        "past": [appointment_json(w.rotation_past)],
        "current": [appointment_json(w.rotation_current)],
        "next": [appointment_json(w.rotation_next)],
        "adjusted": [],
    }
    assert body["current"][0]["person"] == {"id": w.person_a.pk, "name": "示例人员甲"}


def test_rotation_names_nobody_to_outsiders(api_world, get_json):
    w = api_world
    for user in (None, w.outsider):
        status, body = get_json(user, f"{API}/conferences/{w.district.pk}/rotation")
        assert status == 200
        assert (body["past"], body["current"], body["next"]) == ([], [], [])
    assert get_json(None, f"{API}/conferences/{w.hidden.pk}/rotation")[0] == 404


def test_conference_appointments_insiders_only(api_world, get_json):
    w = api_world
    url = f"{API}/conferences/{w.district.pk}/appointments"
    assert get_json(None, url)[0] == 401
    status, body = get_json(w.outsider, url)
    assert (status, body) == (200, {"items": [], "count": 0, "count_capped": False})
    status, body = get_json(w.liaison, url)
    assert body["count"] == 5
    assert body["items"][0] == appointment_json(w.convener)
    assert body["items"][0]["attested_on"] == "2024-06-24"
    secretariat = [a for a in body["items"] if a["role"]["code"] == "secretariat"]
    assert secretariat[0]["person"] is None and secretariat[0]["unit"] == ref(w.street_unit)

    _, body = get_json(w.liaison, url, role="rotating_convener", current="true")
    assert [a["id"] for a in body["items"]] == [w.rotation_current.pk]
    _, body = get_json(w.liaison, url, role="rotating_convener", current="false")
    assert sorted(a["id"] for a in body["items"]) == sorted([w.rotation_past.pk, w.rotation_next.pk])
    assert get_json(w.liaison, url, role="emperor")[0] == 422


# ---------------------------------------------------------------- units


def test_unit_list_shape(api_world, get_json):
    w = api_world
    status, body = get_json(None, f"{API}/units")
    assert status == 200
    # Anonymous: members of public conferences only (not 示例单位Z, not the private conference's unit).
    assert [u["name"] for u in body["items"]] == ["示例单位A", "示例单位B", "示例街道"]
    assert body["items"][0] == {
        "id": w.unit_a.pk,
        "name": "示例单位A",
        "party_org_name": "示例单位A党委",
        "party_org_level": {"code": "committee", "label": "党委"},
        "category": {"code": "enterprise", "label": "企事业单位"},
        "area": ref(w.street_area),
    }
    _, body = get_json(w.street, f"{API}/units")
    assert body["count"] == 5


def test_unit_list_filters(api_world, get_json):
    w = api_world
    names = lambda body: [u["name"] for u in body["items"]]  # noqa: E731
    assert names(get_json(None, f"{API}/units", q="示例单位A")[1]) == ["示例单位A"]
    assert names(get_json(None, f"{API}/units", q="示例單位B")[1]) == ["示例单位B"]  # traditional
    assert names(get_json(None, f"{API}/units", q="sljd")[1]) == ["示例街道"]  # pinyin initials
    assert names(get_json(None, f"{API}/units", category="new_economic")[1]) == ["示例单位B"]
    assert names(get_json(None, f"{API}/units", conference=w.district.pk)[1]) == ["示例单位A", "示例单位B", "示例街道"]
    assert names(get_json(None, f"{API}/units", conference=w.sub.pk)[1]) == []
    # A private conference's members are not revealed by filtering on it.
    assert names(get_json(None, f"{API}/units", conference=w.hidden.pk)[1]) == []
    assert names(get_json(w.admin, f"{API}/units", conference=w.hidden.pk)[1]) == ["示例单位H"]


def test_unit_detail_with_memberships(api_world, get_json):
    w = api_world
    membership = Membership.objects.get(unit=w.unit_b, conference=w.district)
    membership.admitted_at = w.plenary
    membership.plaque_awarded_on = datetime.date(2024, 6, 24)
    membership.save()
    status, body = get_json(None, f"{API}/units/{w.unit_b.pk}")
    assert status == 200
    assert body == {
        "id": w.unit_b.pk,
        "name": "示例单位B",
        "party_org_name": "示例单位B党总支",
        "party_org_level": {"code": "general_branch", "label": "党总支"},
        "category": {"code": "new_economic", "label": "“两新”组织·新经济组织"},
        "area": ref(w.street_area),
        "address": None,
        "phone": None,
        "description": None,
        "memberships": [
            {
                "id": membership.pk,
                "conference": ref(w.district),
                "unit": ref(w.unit_b),
                "start": "2020-01-01",
                "end": None,
                "admitted_at": w.plenary.pk,
                "plaque_awarded_on": "2024-06-24",
                "note": None,
            }
        ],
    }
    _, body = get_json(w.liaison, f"{API}/units/{w.unit_b.pk}")
    assert body["phone"] == ""


def test_unit_detail_hides_private_memberships(api_world, get_json):
    w = api_world
    admit_unit(None, unit=w.unit_a, conference=w.hidden, start=datetime.date(2022, 1, 1))
    _, body = get_json(None, f"{API}/units/{w.unit_a.pk}")
    assert [m["conference"]["id"] for m in body["memberships"]] == [w.district.pk]
    _, body = get_json(w.admin, f"{API}/units/{w.unit_a.pk}")
    assert [m["conference"]["id"] for m in body["memberships"]] == [w.district.pk, w.hidden.pk]
    assert get_json(None, f"{API}/units/{w.hidden_unit.pk}")[0] == 404
    assert get_json(w.outsider, f"{API}/units/{w.outside_unit.pk}")[0] == 404


# ---------------------------------------------------------------- people


def test_people_need_login_and_a_grant(api_world, get_json):
    w = api_world
    assert get_json(None, f"{API}/people")[0] == 401
    assert get_json(None, f"{API}/people/{w.person_a.pk}")[0] == 401
    assert get_json(w.outsider, f"{API}/people") == (200, {"items": [], "count": 0, "count_capped": False})
    assert get_json(w.outsider, f"{API}/people/{w.person_a.pk}")[0] == 404


def test_people_list_and_filters(api_world, get_json):
    w = api_world
    status, body = get_json(w.reviewer, f"{API}/people")
    assert status == 200
    assert body == {
        "count": 2,
        "count_capped": False,
        "items": [
            # ordered by name as the database collates it: 乙 (U+4E59) before 甲 (U+7532)
            {"id": w.person_b.pk, "name": "示例人员乙", "unit": ref(w.unit_b), "title": "示例单位B党总支书记"},
            {"id": w.person_a.pk, "name": "示例人员甲", "unit": ref(w.unit_a), "title": "示例单位A党委书记"},
        ],
    }
    ids = lambda **params: [p["id"] for p in get_json(w.reviewer, f"{API}/people", **params)[1]["items"]]  # noqa: E731
    assert ids(q="人員甲") == [w.person_a.pk]
    assert ids(q="slryy") == [w.person_b.pk]
    assert ids(unit=w.unit_a.pk) == [w.person_a.pk]
    assert ids(conference=w.hidden.pk) == [w.person_b.pk]


def test_person_detail_with_appointments(api_world, get_json):
    w = api_world
    status, body = get_json(w.liaison, f"{API}/people/{w.person_a.pk}")
    assert status == 200
    posts = Appointment.objects.filter(person=w.person_a).order_by("conference_id", "role", "start", "id")
    assert body == {
        "id": w.person_a.pk,
        "name": "示例人员甲",
        "unit": ref(w.unit_a),
        "title": "示例单位A党委书记",
        "phone": "000-0001",
        "email": None,
        "appointments": [appointment_json(a) for a in posts],
    }
    assert [(a["role"]["code"], a["role"]["label"]) for a in body["appointments"]] == [
        ("convener", "召集人"),
        ("rotating_convener", "轮值召集人"),
    ]


# ---------------------------------------------------------------- writes


def test_create_unit_through_service_with_audit(api_world, client_for):
    w = api_world
    payload = {"name": "示例单位C", "category": "organ", "party_org_level": "leading_group", "area": w.street_area.pk}
    response = client_for(w.secretariat).post(f"{API}/units", payload, content_type="application/json")
    assert response.status_code == 201
    unit = Unit.objects.get(name="示例单位C")
    assert response.json()["id"] == unit.pk
    assert response.json()["party_org_level"] == {"code": "leading_group", "label": "党组"}
    assert response.json()["area"] == ref(w.street_area)
    entry = AuditEntry.objects.for_object(unit).get()
    assert (entry.action, entry.actor, entry.changes["name"]) == ("registry.unit.create", w.secretariat, [None, "示例单位C"])


def test_create_unit_is_refused_to_liaisons_and_anonymous(api_world, client_for):
    w = api_world
    payload = {"name": "示例单位C", "category": "organ"}
    assert client_for(w.liaison).post(f"{API}/units", payload, content_type="application/json").status_code == 403
    assert client_for(None).post(f"{API}/units", payload, content_type="application/json").status_code == 401
    assert not Unit.objects.filter(name="示例单位C").exists()


def test_liaison_patches_own_unit_only(api_world, client_for):
    w = api_world
    client = client_for(w.liaison)
    response = client.patch(f"{API}/units/{w.unit_a.pk}", {"address": "示例路1号"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["address"] == "示例路1号"
    entry = AuditEntry.objects.for_object(w.unit_a).first()
    assert (entry.action, entry.changes) == ("registry.unit.update", {"address": ["", "示例路1号"]})

    response = client.patch(f"{API}/units/{w.unit_b.pk}", {"address": "示例路2号"}, content_type="application/json")
    assert response.status_code == 403
    w.unit_b.refresh_from_db()
    assert w.unit_b.address == ""
    response = client_for(None).patch(f"{API}/units/{w.unit_b.pk}", {"address": "x"}, content_type="application/json")
    assert response.status_code == 401
    response = client_for(w.outsider).patch(f"{API}/units/{w.unit_b.pk}", {"address": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_secretariat_patches_member_unit_and_can_clear_area(api_world, client_for):
    w = api_world
    response = client_for(w.secretariat).patch(
        f"{API}/units/{w.unit_b.pk}", {"area": None, "name": "示例单位B改"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["area"], response.json()["name"]) == (None, "示例单位B改")


def test_writes_need_csrf_token(api_world):
    w = api_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.secretariat)
    response = client.post(f"{API}/units", {"name": "示例单位C", "category": "organ"}, content_type="application/json")
    assert response.status_code == 403
    assert not Unit.objects.filter(name="示例单位C").exists()
    client.get("/accounts/login/")  # the login page sets the CSRF cookie, as a browser session would have
    response = client.post(f"{API}/units", {"name": "示例单位C", "category": "organ"}, content_type="application/json",
                           headers={"X-CSRFToken": client.cookies["csrftoken"].value})
    assert response.status_code == 201


def error_fields(response) -> set[str]:
    """The fields a 422 names, from our rules (``field``) or schema validation (``loc``)."""
    fields = set()
    for error in response.json()["detail"]:
        fields.add(error["field"] if "field" in error else str(error["loc"][-1]))
    return fields


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"category": "organ"}, "name"),  # missing
        ({"name": "", "category": "organ"}, "name"),  # blank
        ({"name": "示" * 151, "category": "organ"}, "name"),  # longer than the column
        ({"name": "示例单位A", "category": "organ"}, "name"),  # duplicate (model constraint)
        ({"name": "示例单位C", "category": "bank"}, "category"),  # unknown code
        ({"name": "示例单位C", "category": "organ", "party_org_level": "cell"}, "party_org_level"),
        ({"name": "示例单位C", "category": "organ", "area": 999999}, "area"),  # no such area
        ({"name": "示例单位C", "category": "organ", "area": "east"}, "area"),
        ({"name": "示例\x00单位", "category": "organ"}, "name"),  # NUL
        ({"name": "示例单位C", "category": "organ", "colour": "red"}, "colour"),  # unknown field
    ],
)
def test_bad_unit_payload_names_the_field(api_world, client_for, payload, field):
    before = Unit.objects.count()
    response = client_for(api_world.admin).post(f"{API}/units", payload, content_type="application/json")
    assert response.status_code == 422
    assert field in error_fields(response)
    assert Unit.objects.count() == before


def test_bad_patch_names_the_field(api_world, client_for):
    w = api_world
    client = client_for(w.liaison)
    url = f"{API}/units/{w.unit_a.pk}"
    for payload, field in [({"name": None}, "name"), ({"category": None}, "category"), ({"phone": "1" * 41}, "phone"),
                           ({"name": "示例单位B"}, "name")]:
        response = client.patch(url, payload, content_type="application/json")
        assert (response.status_code, field in error_fields(response)) == (422, True), payload
    w.unit_a.refresh_from_db()
    assert (w.unit_a.name, w.unit_a.category) == ("示例单位A", "enterprise")
    assert client.patch(url, "{not json", content_type="application/json").status_code in (400, 422)


def test_create_person(api_world, client_for):
    w = api_world
    response = client_for(w.liaison).post(
        f"{API}/people", {"name": "示例人员丙", "unit": w.unit_a.pk, "email": "c@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 201
    person = Person.objects.get(name="示例人员丙")
    assert response.json() == {"id": person.pk, "name": "示例人员丙", "unit": ref(w.unit_a), "title": None, "phone": None,
                               "email": "c@example.org", "appointments": []}
    assert AuditEntry.objects.for_object(person).get().action == "registry.person.create"


def test_create_person_permissions_and_bad_payloads(api_world, client_for):
    w = api_world
    post = lambda user, payload: client_for(user).post(f"{API}/people", payload, content_type="application/json")  # noqa: E731
    assert post(w.liaison, {"name": "示例人员丙", "unit": w.unit_b.pk}).status_code == 403
    assert post(w.liaison, {"name": "示例人员丙"}).status_code == 403
    assert post(w.outsider, {"name": "示例人员丙"}).status_code == 403
    assert post(None, {"name": "示例人员丙"}).status_code == 401
    response = post(w.admin, {"name": "示例人员丙", "email": "not-an-email"})
    assert (response.status_code, error_fields(response)) == (422, {"email"})
    response = post(w.admin, {"name": "示例人员丙", "unit": 999999})
    assert (response.status_code, error_fields(response)) == (422, {"unit"})
    response = post(w.admin, {"name": "示" * 51})
    assert (response.status_code, error_fields(response)) == (422, {"name"})
    assert not Person.objects.filter(name__startswith="示例人员丙").exists()


def test_admit_unit_dated_at_the_meeting(api_world, client_for):
    w = api_world
    url = f"{API}/conferences/{w.sub.pk}/memberships"
    payload = {"unit": w.unit_a.pk, "admitted_at": w.plenary.pk, "plaque_awarded_on": "2024-06-24"}
    response = client_for(w.admin).post(url, payload, content_type="application/json")
    assert response.status_code == 201
    membership = Membership.objects.get(unit=w.unit_a, conference=w.sub)
    assert response.json() == {
        "id": membership.pk,
        "conference": ref(w.sub),
        "unit": ref(w.unit_a),
        "start": "2024-06-24",
        "end": None,
        "admitted_at": w.plenary.pk,
        "plaque_awarded_on": "2024-06-24",
        "note": None,
    }
    entry = AuditEntry.objects.for_object(membership).get()
    assert (entry.action, entry.actor) == ("registry.membership.create", w.admin)

    again = client_for(w.admin).post(url, payload, content_type="application/json")
    assert (again.status_code, error_fields(again)) == (422, {"unit"})


def test_admit_unit_permissions_and_bad_payloads(api_world, client_for):
    w = api_world
    url = f"{API}/conferences/{w.sub.pk}/memberships"
    post = lambda user, payload, url=url: client_for(user).post(url, payload, content_type="application/json")  # noqa: E731
    assert post(w.liaison, {"unit": w.unit_a.pk}).status_code == 403
    assert post(w.outsider, {"unit": w.unit_a.pk}).status_code == 403
    assert post(None, {"unit": w.unit_a.pk}).status_code == 401
    assert post(w.liaison, {"unit": w.unit_a.pk}, f"{API}/conferences/{w.hidden.pk}/memberships").status_code == 403
    assert post(w.outsider, {"unit": w.unit_a.pk}, f"{API}/conferences/{w.hidden.pk}/memberships").status_code == 404
    for payload, field in [({"unit": 999999}, "unit"), ({"unit": w.unit_a.pk, "admitted_at": 999999}, "admitted_at"),
                           ({"unit": w.unit_a.pk, "start": "2024-02-30"}, "start"),
                           ({"unit": w.unit_a.pk, "start": "yesterday"}, "start"), ({}, "unit")]:
        response = post(w.admin, payload)
        assert (response.status_code, field in error_fields(response)) == (422, True), payload
    assert not Membership.objects.filter(conference=w.sub).exists()


# ---------------------------------------------------------------- paging and bad parameters


def test_pagination(api_world, get_json):
    w = api_world
    for i in range(3):
        create_unit(None, name=f"示例单位P{i}", category=Unit.Category.ORGAN)
    _, body = get_json(w.admin, f"{API}/units", page_size=2, page=2)
    assert body["count"] == 8
    assert [u["name"] for u in body["items"]] == ["示例单位H", "示例单位P0"]
    assert get_json(w.admin, f"{API}/units", page_size=201)[0] == 422
    assert get_json(w.admin, f"{API}/units", page=0)[0] == 422
    assert get_json(w.admin, f"{API}/units", page=10**7)[0] == 422
    assert get_json(w.admin, f"{API}/units", page=1000)[1] == {"items": [], "count": 8, "count_capped": False}


def test_pagination_count_is_bounded(api_world, get_json, monkeypatch, count_queries):
    """Past the bound (1,000 items; 3 here) ``count`` is where counting stopped and ``count_capped``
    says the list is longer; counting goes at least one page past the requested page, so a client
    paging on until a short page sees every item."""
    from lianxi.lib import pagination

    w = api_world
    monkeypatch.setattr(pagination, "COUNT_BOUND", 3)
    _, everything = get_json(w.admin, f"{API}/units", page_size=200)
    assert (everything["count"], everything["count_capped"], len(everything["items"])) == (5, False, 5)
    seen, counts = [], []
    for page in range(1, 6):
        _, body = get_json(w.admin, f"{API}/units", page_size=1, page=page)
        seen += body["items"]
        counts.append((body["count"], body["count_capped"]))
    assert counts == [(3, True), (3, True), (4, True), (5, False), (5, False)]
    assert seen == everything["items"]
    with count_queries() as ctx:
        get_json(w.admin, f"{API}/units", page_size=1)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "registry_unit" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


@pytest.mark.parametrize(
    "url",
    [
        "/units?category=bank",
        "/units?conference=abc",
        "/units?conference=-1",
        f"/units?q={'x' * 101}",
        "/units/abc",
        "/units/0",
        f"/units/{10**30}",
        "/conferences?kind=galaxy",
        "/meetings?year=abc",
        "/meetings?kind=party",
        "/projects?link=friendship",
        "/projects?year=0",
    ],
)
def test_bad_parameters_are_4xx(api_world, client_for, url):
    response = client_for(api_world.admin).get(f"{API}{url}")
    assert 400 <= response.status_code < 500


def test_huge_id_in_range_is_404(api_world, get_json):
    assert get_json(None, f"{API}/units/{2**63 - 1}")[0] == 404


# ---------------------------------------------------------------- query counts


def queries(count_queries, client, url) -> int:
    with count_queries() as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def grow_registry(w, n: int):
    for i in range(n):
        unit = create_unit(None, name=f"示例单位Q{n}{i}", category=Unit.Category.ORGAN, area=w.street_area)
        admit_unit(None, unit=unit, conference=w.district, start=datetime.date(2021, 1, 1))
        admit_unit(None, unit=unit, conference=w.sub, start=datetime.date(2021, 1, 1))
        person = create_person(None, name=f"示例人员Q{n}{i}", unit=unit)
        appoint(None, conference=w.district, role=Appointment.Role.LIAISON, person=person, unit=unit,
                start=datetime.date(2021, 1, 1))
        appoint(None, conference=w.sub, role=Appointment.Role.LIAISON, person=w.person_a, unit=unit,
                start=datetime.date(2000 + 10 * n + i, 1, 1), end=datetime.date(2000 + 10 * n + i, 6, 1))


@pytest.mark.parametrize(
    "path",
    ["/conferences", "/units", "/units?conference={district}", "/people", "/conferences/{district}/appointments",
     "/conferences/{district}/rotation", "/conferences/{district}", "/units/{unit_a}", "/people/{person_a}"],
)
def test_query_count_does_not_grow_with_rows(api_world, client_for, count_queries, path):
    w = api_world
    url = API + path.format(district=w.district.pk, unit_a=w.unit_a.pk, person_a=w.person_a.pk)
    client = client_for(w.admin)
    grow_registry(w, 2)
    before = queries(count_queries, client, url)
    grow_registry(w, 6)
    assert queries(count_queries, client, url) == before
