"""The Huangpu reference data as the API shows it to the public: the tenth plenary's agenda in the
article's order with the right people in the right posts, the two admitted units, 中央科创区 under
the district conference, and the twenty projects."""

from pathlib import Path

import pytest

from lianxi.accounts.models import Grant
from lianxi.demo.huangpu import load_huangpu
from lianxi.testing import grant, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1"
DAY = "2024-06-24"


@pytest.fixture
def huangpu(db):
    return load_huangpu()


def test_tenth_plenary_agenda(huangpu, get_json):
    meeting, central = huangpu["meeting"], huangpu["central"]
    _, listing = get_json(None, f"{API}/meetings", conference=huangpu["district"].pk, kind="plenary", year=2024)
    assert [(m["id"], m["number_label"], m["date"], m["venue"]) for m in listing["items"]] == [
        (meeting.pk, "第十次全体会议", DAY, None)
    ]
    status, body = get_json(None, f"{API}/meetings/{meeting.pk}")
    assert status == 200
    assert body["title"] == "黄浦区庆祝中国共产党成立103周年座谈会暨区域化党建联席会议第十次全体会议"
    items = body["agenda_items"]
    assert [(i["order"], i["kind"]["code"]) for i in items] == [
        (1, "chairing"), (2, "unveiling"), (3, "admission"), (4, "award"), (5, "naming"), (6, "release"),
        (7, "speech"), (8, "speech"), (9, "video"), (10, "adjustment"), (11, "exchange"), (12, "exchange"),
    ]
    unveiling = items[1]
    assert unveiling["concerns_conference"] == {"id": central.pk, "name": "“中央科创区”区域化党建联席会议"}
    assert [(p["person"]["name"], p["role"]["code"], p["title"]) for p in unveiling["participants"]][:2] == [
        ("周志军", "unveiler", "上海市委组织部副部长、市委党建办主任"),
        ("杲云", "unveiler", "黄浦区委书记、区区域化党建联席会议召集人"),
    ]
    assert [(p["person"]["name"], p["unit"]["name"], p["title"]) for p in items[0]["participants"]] == [
        ("沈军", "上海市总工会", "联席会议轮值召集人、市总工会党组书记、副主席"),
        ("韩志强", "上海市科学技术协会", "市科协党组书记、副主席"),
    ]
    assert items[0]["participants"][1]["note"].startswith("推断：")
    assert items[0]["participants"][0]["note"] is None
    assert body["agenda_note"].startswith("推断：议程顺序按报道的叙述顺序排列")
    assert [(u["unit"]["name"], u["role"]["code"]) for u in items[2]["units"]] == [
        ("城银清算服务有限责任公司", "admitted"), ("东浩兰生（集团）有限公司", "admitted"),
    ]
    assert [(p["kind"]["code"], p["year"]) for p in items[3]["projects_awarded"]] == [("brand", 2024)] * 10
    assert [(p["kind"]["code"], p["year"]) for p in items[5]["projects_released"]] == [("key", 2024)] * 10
    assert items[3]["projects_awarded"][0]["title"] == "思南读书会"
    assert [(x["mode"]["code"], x["label"]) for item in items[10:] for x in item["exchanges"]] == [
        ("live", "海通证券股份有限公司党委"),
        ("live", "“文化思南”区域化党建联席会议秘书长单位"),
        ("live", "淮海中路街道党工委"),
        ("written", "上海社会科学院党委"),
        ("written", "“滨江党建·金融外滩”区域化党建联席会议秘书处"),
        ("written", "五里桥街道党工委"),
    ]
    # the figures in the order the report states them (keys are the import's own)
    assert [f["value"] for f in body["figures"]][:2] == [2, 66]


def test_admitted_units_are_members_from_the_meeting_day(huangpu, get_json):
    meeting, district = huangpu["meeting"], huangpu["district"]
    for name in ("城银清算服务有限责任公司", "东浩兰生（集团）有限公司"):
        _, body = get_json(None, f"{API}/units/{huangpu['units'][name].pk}")
        assert [(m["conference"]["id"], m["start"], m["admitted_at"], m["plaque_awarded_on"], m["end"])
                for m in body["memberships"]] == [(district.pk, DAY, meeting.pk, DAY, None)]


def test_central_scitech_under_the_district_conference(huangpu, get_json):
    district, central, meeting = huangpu["district"], huangpu["central"], huangpu["meeting"]
    _, body = get_json(None, f"{API}/conferences/{central.pk}")
    assert (body["parent"], body["founded_on"], body["founded_at"], body["kind"]) == (
        {"id": district.pk, "name": "黄浦区区域化党建联席会议"}, DAY, meeting.pk, {"code": "unknown", "label": "未载明"}
    )
    assert body["parent_note"].startswith("推断：原文未载明其上级联席会议")
    assert body["upgraded_from"]["name"] == "“滨江党建·创新里滩”产业集群党建联席会议"
    _, body = get_json(None, f"{API}/conferences/{district.pk}")
    assert sorted(c["name"] for c in body["children"]) == sorted([
        "“中央科创区”区域化党建联席会议", "“文化思南”区域化党建联席会议", "“滨江党建·创新里滩”产业集群党建联席会议",
        "“滨江党建·金融外滩”区域化党建联席会议",
    ])


def test_twenty_projects(huangpu, get_json):
    _, body = get_json(None, f"{API}/projects", conference=huangpu["district"].pk)
    assert body["count"] == 20
    assert sorted((p["kind"]["code"], p["year"]) for p in body["items"]) == [("brand", 2024)] * 10 + [("key", 2024)] * 10


def test_posts_for_insiders(huangpu, get_json):
    district = huangpu["district"]
    insider = make_user("huangpu_secretariat")
    grant(insider, Grant.Role.SECRETARIAT, conference=district)
    _, body = get_json(insider, f"{API}/conferences/{district.pk}/appointments")
    assert sorted((a["role"]["label"], a["person"]["name"], a["attested_on"]) for a in body["items"]) == sorted([
        ("召集人", "杲云", DAY), ("秘书长", "李铭", DAY), ("轮值召集人", "沈军", DAY), ("轮值召集人", "韩志强", DAY),
    ])
    _, rotation = get_json(insider, f"{API}/conferences/{district.pk}/rotation")
    # The same meeting adjusted the rotating conveners without naming who followed: both posts end
    # that day, "调整后未载明", and nobody is shown as the current rotating convener.
    assert rotation["current"] == []
    assert sorted((a["person"]["name"], a["end"], a["note"][:17]) for a in rotation["past"]) == [
        ("沈军", DAY, "2024-06-24 调整后未载明"), ("韩志强", DAY, "2024-06-24 调整后未载明"),
    ]


def test_unknown_is_written_one_way_per_type(huangpu, get_json):
    """null for a single value, code "unknown" for a choice — never "" (documented in docs/api.md)."""
    meeting = huangpu["meeting"]
    _, body = get_json(None, f"{API}/meetings/{meeting.pk}")
    assert body["venue"] is None and body["host_unit"] is None
    # an empty note (沈军 chairs with nothing inferred) is null, not ""
    chairing = next(i for i in body["agenda_items"] if i["kind"]["code"] == "chairing")
    assert chairing["participants"][0]["note"] is None

    def no_empty_strings(value, path="$"):
        if isinstance(value, dict):
            for key, item in value.items():
                no_empty_strings(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                no_empty_strings(item, f"{path}[{index}]")
        else:
            assert value != "", path

    no_empty_strings(body)
    unit = huangpu["units"]["上海交通大学医学院"]
    _, body = get_json(None, f"{API}/units/{unit.pk}")
    no_empty_strings(body)
    assert body["category"] == {"code": "unknown", "label": "未载明"}
    assert body["memberships"][0]["note"].startswith("推断：")
    for conference in (huangpu["district"], huangpu["central"]):
        _, body = get_json(None, f"{API}/conferences/{conference.pk}")
        no_empty_strings(body)
    assert (Path(__file__).parents[3] / "docs" / "api.md").read_text(encoding="utf-8").count("未载明") >= 1
