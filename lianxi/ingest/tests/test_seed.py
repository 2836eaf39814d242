"""The reference input: the raw, damaged Huangpu report imports with every fact the article states."""

import functools
from pathlib import Path

from lianxi.ingest.pipeline import build_draft
from lianxi.ingest.readers import read_path
from lianxi.lib.text import to_simplified

SEED = Path(__file__).parent / "data" / "huangpu_2024-06-24_raw.txt"


@functools.cache
def draft():
    return build_draft(read_path(SEED).text)


def simp(value):
    return to_simplified(value) if isinstance(value, str) else value


def test_repairs_are_listed_and_the_mojibake_is_restored():
    d = draft()
    moji = [(r["before"], r["after"]) for r in d["repairs"] if r["kind"] == "mojibake"]
    assert moji == [("?茖W", "海科學"), ("!爸醒肟苿", "。“中央科創"), (";鶎狱h", "海基層黨")]
    pinyin = [r for r in d["repairs"] if r["kind"] == "pinyin"]
    assert len(pinyin) == 136
    assert "(" not in "".join(r["after"] for r in pinyin)
    text = d["repaired_text"]
    assert "上海科學院黨委書記" in text and "上海基層黨建" in text and "有關情況。“中央科創區”" in text
    assert "(qū)" not in text and "(chuàng)" not in text
    # every repair says where it landed in the repaired text
    for r in d["repairs"]:
        a, b = r["position"]["repaired"]
        assert text[a:b] == r["after"]


def test_rejecting_a_repair_keeps_the_printed_text():
    first = next(r for r in draft()["repairs"] if r["kind"] == "mojibake")
    again = build_draft(read_path(SEED).text, rejected={first["id"]})
    assert "上?茖W院" in again["repaired_text"]
    assert next(r for r in again["repairs"] if r["id"] == first["id"])["rejected"] is True


def test_meeting():
    m = draft()["meeting"]
    assert simp(m["title"]) == "黄浦区庆祝中国共产党成立103周年座谈会暨区域化党建联席会议第十次全体会议"
    assert simp(m["conference"]) == "黄浦区区域化党建联席会议"
    assert (m["kind"], m["number"], m["date"]) == ("plenary", 10, "2024-06-24")
    assert (m["venue"], m["host"], m["theme"]) == (None, None, None)
    date = draft()["sources"]["meeting.date"]
    assert date["basis"] == "inferred" and "1921 + 103 = 2024" in date["reason"]


def test_thirteen_people_with_their_posts():
    people = {simp(p["name"]): p for p in draft()["people"]}
    assert list(people) == ["周志军", "杲云", "沈军", "韩志强", "吴建雄", "江帆", "秦文波", "李铭", "沈山州",
                            "韩顺芳", "陈志奇", "徐树杰", "李忠兴"]
    posts = {name: [(simp(t["organisation"]), simp(t["post"])) for t in p["titles"]] for name, p in people.items()}
    assert posts["周志军"] == [("上海市委组织部", "副部长"), ("市委党建办", "主任")]
    assert posts["沈军"] == [("联席会议", "轮值召集人"), ("市总工会", "党组书记"), ("市总工会", "副主席")]
    assert posts["秦文波"] == [("上海科学院", "党委书记"), ("上海科学院", "院长")]
    assert posts["沈山州"] == [("黄浦区委", "副书记"), (None, "区长")]
    assert posts["徐树杰"] == [("市委组织部", "部务委员")]
    roles = {name: [(r["role"], simp(r["conference"])) for r in p["roles"]] for name, p in people.items()}
    assert roles["杲云"] == [("convener", "黄浦区区域化党建联席会议")]
    assert roles["李铭"] == [("secretary_general", "黄浦区区域化党建联席会议")]
    assert roles["吴建雄"] == [("convener", "“中央科创区”区域化党建联席会议")]
    assert roles["江帆"] == [("member_representative", "黄浦区区域化党建联席会议")]
    # 韩志强's rotating-convener role is read from the shared title before "沈军和韩志强": marked inferred
    assert roles["韩志强"] == [("rotating_convener", "黄浦区区域化党建联席会议")]
    assert draft()["sources"]["people[3].roles[0].role"]["basis"] == "inferred"


def test_four_conferences():
    names = [simp(c["name"]) for c in draft()["conferences"]]
    assert names == ["“中央科创区”区域化党建联席会议", "“滨江党建·创新里滩”产业集群党建联席会议",
                     "“文化思南”区域化党建联席会议", "“滨江党建·金融外滩”区域化党建联席会议"]


def test_twelve_agenda_items_in_order():
    d = draft()
    agenda = d["agenda"]
    assert [a["kind"] for a in agenda] == ["chairing", "unveiling", "admission", "award", "naming", "release",
                                           "speech", "speech", "video", "adjustment", "exchange", "exchange"]
    people = [[(simp(p["name"]), p["role"]) for p in a["people"]] for a in agenda]
    assert people[0] == [("沈军", "host"), ("韩志强", "host")]
    assert people[1] == [("周志军", "unveiler"), ("杲云", "unveiler"), ("吴建雄", "unveiler"), ("江帆", "unveiler"),
                         ("秦文波", "unveiler"), ("李铭", "introducer")]
    assert people[2] == [("沈山州", "presenter")]
    assert people[4] == [("徐树杰", "presenter"), ("李忠兴", "presenter")]
    # "周志军,…杲云出席会议并讲话": each speaks and attends; the attendance cites those words
    assert [people[6], people[7]] == [[("周志军", "speaker"), ("周志军", "attendee")],
                                      [("杲云", "speaker"), ("杲云", "attendee")]]
    assert simp(d["sources"]["agenda[6].people[1]"]["quote"]) == "出席会议并讲话"
    assert [a.get("mode") for a in agenda[10:]] == ["live", "written"]
    assert [simp(u["name"]) for u in agenda[10]["units"]] == [
        "海通证券股份有限公司", "“文化思南”区域化党建联席会议秘书长单位", "淮海中路街道"]
    assert agenda[9]["successors"] == []  # the new rotating conveners are not named


def test_two_admitted_units():
    admitted = [simp(u["name"]) for u in draft()["units"] if "admitted" in u["roles"]]
    assert admitted == ["城银清算服务有限责任公司", "东浩兰生（集团）有限公司"]


def test_both_project_lists_of_ten():
    lists = {simp(x["what"]): x for x in draft()["lists"] if "项目" in simp(x["what"] or "")}
    assert list(lists) == ["区域化党建“十大品牌项目”", "2024年区域化党建“十大重点项目”"]
    brand, key = lists.values()
    assert [len(brand["items"]), len(key["items"])] == [10, 10]
    assert brand["complete"] is True and key["complete"] is True
    assert simp(brand["items"][0]) == "思南读书会" and simp(key["items"][-1]) == "南风为民·圆梦安居"


def test_six_figures():
    figures = [(f["value"], simp(f["unit"]), simp(f["what"])) for f in draft()["figures"]]
    assert figures == [(2, "家", "区域化党建联席会议成员单位"), (66, "家", "黄浦区区域化党建联席会议成员单位"),
                       (100, "个", "来自各领域的党（总）支部"), (10, "位", "代表"), (10, "项", "品牌项目"),
                       (10, "项", "重点项目")]


def test_speech_points_of_both_speakers():
    points = {simp(s["speaker"]): [simp(p)[:8] for p in s["points"]] for s in draft()["speech_points"]}
    assert points == {"周志军": ["要在党的组织体系", "要更好发挥组织优", "要以党建为引领推"],
                      "杲云": ["要坚持弘扬伟大建", "要坚持发挥党的组", "要坚持人民城市重"]}


def test_byline_and_truncation():
    d = draft()
    assert {k: simp(v) for k, v in d["byline"].items()} == {"source": "中新网上海新闻", "reporter": "郑莹莹",
                                                            "editor": "郑莹莹", "dateline": "中新网上海新闻6月24日电（郑莹莹）"}
    assert d["truncated"] is False


def test_every_value_is_tied_to_its_span():
    d = draft()
    text = d["repaired_text"]
    assert len(d["sources"]) > 150
    for path, src in d["sources"].items():
        a, b = src["span"]
        assert text[a:b] == src["quote"], path
        sa, sb = src["sentence"]["span"]
        assert sa <= a and b <= sb or src["basis"] == "inferred", path
        assert src["basis"] in ("stated", "inferred")
        if src["basis"] == "inferred":
            assert src["reason"], path
    for n, person in enumerate(d["people"]):
        assert d["sources"][f"people[{n}].name"]["quote"] == person["name"]
