"""General reading rules of the extractor, each on a short synthetic report (示例 names only).

Each rule was added because a held-out report stated a fact the extractor missed; the sentences
here are written for the test, not copied from the evaluation sets."""

from lianxi.ingest.extract import extract
from lianxi.ingest.pipeline import build_draft
from lianxi.ingest.repair import find_edits

HEAD = "示例区区域化党建联席会议第三次全体会议召开\n"


def draft(body: str, head: str = HEAD) -> dict:
    return extract(head + body)


def posts(d, name):
    person = next(p for p in d["people"] if p["name"] == name)
    return [f"{t['organisation']} {t['post']}".replace("None ", "") for t in person["titles"]]


def test_a_lead_opening_with_an_occasion_still_names_the_meeting_and_the_anniversary_gives_the_year():
    d = draft("在中国共产党成立104周年之际，7月2日，示例区区域化党建联席会议第三次全体会议在示例会堂举行。"
              "区委副书记、区长甲示例主持会议。")
    assert d["meeting"]["venue"] == "示例会堂"
    assert d["meeting"]["date"] == "2025-07-02"
    assert d["sources"]["meeting.date"]["basis"] == "inferred"


def test_a_source_printed_as_消息_before_a_full_date():
    d = draft("示例融媒体中心消息（通讯员 乙示例）2025年9月23日，示例区区域化党建联席会议第三次全体会议在示例科学会堂召开。")
    assert d["meeting"]["venue"] == "示例科学会堂"
    assert d["meeting"]["date"] == "2025-09-23"


def test_a_conference_named_before_a_year_round_or_a_founding_occasion():
    d = extract("示例区区域化党建联席会议召开2025年度联络员会议\n"
                "5月14日，示例区区域化党建联席会议2025年度联络员会议在示例党校召开。")
    assert d["meeting"]["conference"] == "示例区区域化党建联席会议"
    assert d["meeting"]["kind"] == "liaison"
    assert d["meeting"]["date"] is None  # 2025年度 is the year's round, not the meeting's year
    d = extract("2025年5月20日，“示例湾”商圈党建联席会议成立大会暨第一次全体会议在示例会客厅举行。")
    assert d["meeting"]["conference"] == "“示例湾”商圈党建联席会议"


def test_the_title_names_the_conference_itself_and_a_name_never_printed_is_not_made_up():
    d = extract("示例中央商务区楼宇党建联席会议召开2025年第一次工作会议\n"
                "3月12日，示例中央商务区楼宇党建联席会议2025年第一次工作会议在示例大厦举行。")
    assert d["meeting"]["conference"] == "示例中央商务区楼宇党建联席会议"
    assert d["meeting"]["date"] == "2025-03-12"
    d = extract("示例网7月1日电(丙示例)示例区纪念中国共产党成立103周年暨区域化党建联席会议第六次全体会议1日召开。"
                "示例区委书记丁示例出席会议并讲话。")
    assert d["meeting"]["conference"] is None  # "示例区区域化党建联席会议" occurs nowhere in the text


def test_admissions_by_application_and_by_正式加入():
    d = draft("会议通过了示例能源有限公司党委、示例职业学院党委、示例农商银行党委3家新成员单位的加入申请，"
              "甲示例为新成员单位授牌。\n示例物流有限公司党支部、示例幼儿园党支部2家单位正式加入联席会议。\n"
              "示例基因有限公司党支部、示例器械有限公司党支部成为联席会议新成员单位。")
    admitted = [u["name"] for u in d["units"] if "admitted" in u["roles"]]
    assert admitted == ["示例能源有限公司", "示例职业学院", "示例农商银行", "示例物流有限公司", "示例幼儿园",
                        "示例基因有限公司", "示例器械有限公司"]
    assert [a["kind"] for a in d["agenda"]] == ["admission", "admission", "admission"]


def test_a_naming_of_a_first_batch():
    d = draft("会议命名了首批8个“示例先锋岗”。")
    assert [(a["kind"], a["objects"]) for a in d["agenda"]] == [("naming", ["“示例先锋岗”"])]


def test_posts_of_organisations_with_和_and_of_科长_县长_and_a_compound_surname():
    d = draft("示例区经济和信息化工作党委书记、“示例谷”产业集群党建联席会议召集人蒋示例，"
              "区委组织部组织科科长殷示例，县委副书记、县长邢示例，示例港务集团党委书记、董事长欧阳示例出席会议。"
              "示例街道党工委委员岑示例主持会议。")
    assert posts(d, "蒋示例") == ["示例区经济和信息化工作 党委书记", "“示例谷”产业集群党建联席会议 召集人"]
    assert posts(d, "殷示例") == ["区委组织部组织科 科长"]
    assert posts(d, "邢示例") == ["县委 副书记", "县长"]
    assert posts(d, "欧阳示例") == ["示例港务集团 党委书记", "示例港务集团 董事长"]
    assert posts(d, "岑示例") == ["示例街道 党工委委员"]


def test_two_people_joined_by_和_still_end_each_others_chains():
    d = draft("示例公司党委书记简示例和示例大学党委书记、校长池示例先后主持会议。")
    assert posts(d, "简示例") == ["示例公司 党委书记"]
    assert posts(d, "池示例") == ["示例大学 党委书记", "示例大学 校长"]


def test_a_speaker_introduced_in_the_speech_sentence_itself():
    d = draft("示例区委书记、区区域化党建联席会议召集人萧示例指出，要把服务企业作为出发点。要做好联系服务工作。")
    assert d["speech_points"] == [{"speaker": "萧示例", "points": ["要把服务企业作为出发点。", "要做好联系服务工作。"]}]


def test_credit_lines_of_来源_end_the_body_and_the_report_is_not_cut_off():
    d = draft("示例街道党工委书记甲示例主持会议。\n来源：示例街道党工委\n责任编辑：乙示例")
    assert d["truncated"] is False
    assert d["byline"]["editor"] == "乙示例"


def test_lists_without_等_and_quoted_runs_with_their_counts():
    d = draft("会上发布了2025年“六大共建项目”，包括“示例课堂”、示例健康行、示例驿站、示例学堂、示例共治、示例食堂。\n"
              "会上发布了2025年“三件民生实事”：“示例食堂”“示例书屋”“示例集市”。")
    assert [(lst["items"], lst["complete"]) for lst in d["lists"]] == [
        (["“示例课堂”", "示例健康行", "示例驿站", "示例学堂", "示例共治", "示例食堂"], True),
        (["“示例食堂”", "“示例书屋”", "“示例集市”"], True),
    ]
    assert (3, "件") in {(f["value"], f["unit"]) for f in d["figures"]}


def test_a_bulletins_issue_date_gives_the_year_but_not_the_day():
    d = extract("示例街道区域化党建工作简报\n第3期\n示例街道党工委办公室　　2025年4月18日\n\n"
                "4月16日下午，示例街道区域化党建联席会议第五次全体会议在示例中心召开。")
    assert d["meeting"]["date"] == "2025-04-16"
    assert d["sources"]["meeting.date"]["basis"] == "inferred"
    d = extract("示例简报　　2025年1月8日\n\n12月30日，示例街道区域化党建联席会议第五次全体会议在示例中心召开。")
    assert d["meeting"]["date"] is None  # issued before the meeting's day in the year: another year


def test_a_headline_counting_the_meeting_within_a_year_gives_the_year():
    d = extract("示例街道区域化党建联席会议召开2025年第一次全体会议\n"
                "2月26日，示例街道区域化党建联席会议第九次全体会议在示例中心召开。")
    assert d["meeting"]["number"] == 9
    assert d["meeting"]["date"] == "2025-02-26"


def test_a_speech_point_cut_off_by_the_end_of_the_text_is_kept_apart():
    d = draft("示例街道党工委书记龙示例主持会议。\n龙示例强调，要在共建上求实效。要在共享上下功夫。要")
    assert d["truncated"] is True
    assert d["speech_points"][0]["points"] == ["要在共建上求实效。", "要在共享上下功夫。"]
    assert d["speech_points"][0]["cut_point"] == "要"


def test_a_pinyin_note_after_a_repaired_span_or_missing_its_tone_is_removed():
    edits = find_edits("示例區區域化黨建聯席會(hu)議第三次全體會議召開")
    assert [(e.kind, e.before, e.confidence) for e in edits if e.kind == "pinyin"] == [("pinyin", "(hu)", 0.8)]
    text = ("示例中央商務區樓宇黨建聯席會議第一次工作會議在示例國際大廈舉行。"
            "會議由示例中央商諈^(qū)黨工委副書記、樓宇黨建聯席會議祕書長汪示例主持。")
    edits = find_edits(text)
    assert [(e.kind, e.before, e.after) for e in edits] == [("mojibake", "諈^", "務區"), ("pinyin", "(qū)", "")]
    d = build_draft(text)
    assert "示例中央商務區黨工委副書記" in d["repaired_text"]


def test_surnames_of_the_百家姓_beyond_the_commonest():
    d = draft("街道党工委书记、街道区域化党建联席会议召集人官示例出席会议。区交通工作党委书记闻示例主持会议。")
    assert [p["name"] for p in d["people"]] == ["官示例", "闻示例"]


def test_a_naming_of_listed_items_with_a_count_and_a_quoted_label():
    d = draft("会议命名了示例社区书院、示例党群驿站等15个“示例示范阵地”。")
    assert [a["kind"] for a in d["agenda"]] == ["naming"]
    assert [(lst["what"], lst["items"], lst["complete"]) for lst in d["lists"]] == [
        ("“示例示范阵地”", ["示例社区书院", "示例党群驿站"], False)]


def test_a_unit_reporting_is_a_report_item_with_that_unit():
    d = draft("会上，示例航空货运有限公司党委介绍了“党建+安全”工作情况。")
    assert [(a["kind"], a["units"]) for a in d["agenda"]] == [
        ("report", [{"name": "示例航空货运有限公司", "role": "introducer"}])]
