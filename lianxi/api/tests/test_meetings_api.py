"""The meetings API: the list and one meeting with its ordered agenda."""

import datetime

import pytest

from lianxi.api.tests.conftest import API, ref
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting
from lianxi.projects.models import Project

pytestmark = pytest.mark.django_db


def test_meeting_list_shape_and_visibility(api_world, get_json):
    w = api_world
    status, body = get_json(None, f"{API}/meetings")
    assert status == 200
    assert body == {
        "count": 1,
        "count_capped": False,
        "items": [
            {
                "id": w.plenary.pk,
                "conference": ref(w.district),
                "kind": {"code": "plenary", "label": "全体会议"},
                "number": 1,
                "number_label": "第一次全体会议",
                "title": "示例区区域化党建联席会议第一次全体会议",
                "date": "2024-06-24",
                "venue": None,
                "host_unit": ref(w.unit_a),
            }
        ],
    }
    assert get_json(w.outsider, f"{API}/meetings")[1]["count"] == 1
    _, body = get_json(w.liaison, f"{API}/meetings")
    assert [m["id"] for m in body["items"]] == [w.plenary.pk, w.draft_meeting.pk, w.hidden_meeting.pk]


def test_meeting_list_filters(api_world, get_json):
    w = api_world
    ids = lambda **params: [m["id"] for m in get_json(w.admin, f"{API}/meetings", **params)[1]["items"]]  # noqa: E731
    assert ids(conference=w.hidden.pk) == [w.hidden_meeting.pk]
    assert ids(kind="working") == [w.draft_meeting.pk]
    assert ids(year=2023) == [w.hidden_meeting.pk]
    assert ids(year=2024, kind="plenary") == [w.plenary.pk]
    assert ids(year=2025) == []


def test_meeting_detail_agenda_in_order(api_world, get_json):
    w = api_world
    status, body = get_json(None, f"{API}/meetings/{w.plenary.pk}")
    assert status == 200
    assert (body["summary"], body["source"]) == ("示例概要", None)
    assert body["figures"] == [
        {"key": "member_units", "label": "成员单位", "value": 3, "unit_label": "家", "quote": "示例成员单位共有3家"}
    ]
    items = body["agenda_items"]
    assert [(i["order"], i["kind"]["code"], i["kind"]["label"]) for i in items] == [
        (1, "speech", "讲话"),
        (2, "admission", "通过新成员并授牌"),
        (3, "unveiling", "揭牌"),
        (4, "exchange", "交流"),
        (5, "release", "发布"),
        (6, "award", "颁授"),
    ]
    speech, admission, unveiling, exchange, release, award = items
    assert speech == {
        "id": w.items["speech"].pk,
        "order": 1,
        "kind": {"code": "speech", "label": "讲话"},
        "title": "示例讲话",
        "description": None,
        "concerns_conference": None,
        "participants": [
            {"person": ref(w.person_a), "role": {"code": "speaker", "label": "讲话"}, "title": "示例区委书记",
             "unit": ref(w.unit_a), "note": None}
        ],
        "units": [],
        "exchanges": [],
        "projects_released": [],
        "projects_awarded": [],
    }
    assert admission["concerns_conference"] == ref(w.district)
    assert admission["units"] == [
        {"unit": ref(w.unit_b), "role": {"code": "admitted", "label": "新加入成员单位"}, "label": "示例单位B党总支"}
    ]
    assert admission["participants"] == [
        {"person": ref(w.person_b), "role": {"code": "presenter", "label": "授牌/颁奖"}, "title": "示例副书记",
         "unit": None, "note": None}
    ]
    assert unveiling["concerns_conference"] is None  # a private conference is not named to the public
    assert exchange["exchanges"] == [
        {"unit": ref(w.unit_a), "label": "示例单位A秘书处", "mode": {"code": "live", "label": "现场交流"},
         "topic": "示例交流题目"},
        {"unit": ref(w.street_unit), "label": None, "mode": {"code": "written", "label": "书面交流"}, "topic": None},
    ]
    # The unpublished project released at the same item is not shown to the public.
    assert release["projects_released"] == [
        {"id": w.key_project.pk, "title": "示例重点项目一", "kind": {"code": "key", "label": "重点项目"}, "year": 2024}
    ]
    assert award["projects_awarded"] == [
        {"id": w.brand_project.pk, "title": "示例品牌项目一", "kind": {"code": "brand", "label": "品牌项目"},
         "year": 2023}
    ]


def test_meeting_detail_for_insiders(api_world, get_json):
    w = api_world
    _, body = get_json(w.liaison, f"{API}/meetings/{w.plenary.pk}")
    items = {i["kind"]["code"]: i for i in body["agenda_items"]}
    assert [p["id"] for p in items["release"]["projects_released"]] == [w.key_project.pk, w.draft_project.pk]
    assert items["unveiling"]["concerns_conference"] == ref(w.hidden)


def test_unpublished_meetings_are_404_for_outsiders(api_world, get_json):
    w = api_world
    for meeting in (w.draft_meeting, w.hidden_meeting):
        assert get_json(None, f"{API}/meetings/{meeting.pk}")[0] == 404
        assert get_json(w.outsider, f"{API}/meetings/{meeting.pk}")[0] == 404
        assert get_json(w.street, f"{API}/meetings/{meeting.pk}")[0] == 200


def grow_meetings(w, n: int):
    for i in range(n):
        meeting = Meeting.objects.create(conference=w.district, kind=Meeting.Kind.LIAISON, date=datetime.date(2022, 1, 1 + i),
                                         title=f"示例联络员会议{n}-{i}", host_unit=w.unit_b)
        item = AgendaItem.objects.create(meeting=w.plenary, order=100 * n + i, kind=AgendaItem.Kind.EXCHANGE,
                                         title=f"示例交流{n}-{i}", concerns_conference=w.sub)
        AgendaParticipant.objects.create(item=item, person=w.person_b, role=AgendaParticipant.Role.SPEAKER, unit=w.unit_b)
        AgendaUnit.objects.create(item=item, unit=w.unit_a, role=AgendaUnit.Role.EXCHANGE)
        Exchange.objects.create(item=item, unit=w.unit_b, mode=Exchange.Mode.WRITTEN)
        project = Project.objects.create(conference=w.district, title=f"示例项目{n}-{i}", kind=Project.Kind.KEY,
                                         year=2022, lead_unit=w.unit_a, released_at=item)
        project.partner_units.set([w.unit_b])
        Project.objects.create(conference=w.district, title=f"示例品牌{n}-{i}", kind=Project.Kind.BRAND, year=2022,
                               awarded_at=item)
        assert meeting.pk


@pytest.mark.parametrize("user", ["admin", None])
@pytest.mark.parametrize("path", ["/meetings", "/meetings/{plenary}"])
def test_query_count_does_not_grow_with_rows(api_world, client_for, count_queries, path, user):
    w = api_world
    client = client_for(getattr(w, user) if user else None)
    url = API + path.format(plenary=w.plenary.pk)

    def count():
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow_meetings(w, 2)
    before = count()
    grow_meetings(w, 7)
    assert count() == before
