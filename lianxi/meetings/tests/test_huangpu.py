import datetime
from pathlib import Path

import pytest
from django.apps import apps

from lianxi.audit.models import AuditEntry
from lianxi.demo.huangpu import load_huangpu
from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.projects.models import Project
from lianxi.registry.models import Appointment, Conference, Membership, Person, Unit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 24)


def counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"registry", "meetings", "projects", "audit"}}


@pytest.fixture
def huangpu(db):
    load_huangpu()
    return Meeting.objects.get(conference__name="黄浦区区域化党建联席会议", number=10)


def test_loading_twice_duplicates_nothing(huangpu):
    before = counts()
    load_huangpu()
    assert counts() == before
    assert before["meetings.Meeting"] == 1
    assert before["projects.Project"] == 20


def test_the_tenth_plenary(huangpu):
    assert huangpu.title == "黄浦区庆祝中国共产党成立103周年座谈会暨区域化党建联席会议第十次全体会议"
    assert (huangpu.kind, huangpu.number, huangpu.date, huangpu.venue) == ("plenary", 10, DAY, "")
    assert huangpu.number_label == "第十次全体会议"
    # the dateline as printed (punctuation normalised by the repair)
    assert huangpu.source == "中新网上海新闻6月24日电（郑莹莹）"
    assert huangpu.host_unit is None


def test_agenda_in_the_articles_order_of_telling_said_to_be_inferred(huangpu):
    assert huangpu.agenda_note.startswith("推断：议程顺序按报道的叙述顺序排列")
    assert "原文未载明会议实际议程顺序" in huangpu.agenda_note
    items = list(huangpu.agenda_items.order_by("order").values_list("order", "kind", "title"))
    assert items == [
        (1, "chairing", "主持会议"),
        (2, "unveiling", "揭牌“中央科创区”区域化党建联席会议"),
        (3, "admission", "通过新加入的2家成员单位并授牌"),
        (4, "award", "颁授区域化党建“十大品牌项目”"),
        (5, "naming", "命名“百优支部”"),
        (6, "release", "发布2024年区域化党建“十大重点项目”"),
        (7, "speech", "周志军讲话"),
        (8, "speech", "杲云讲话"),
        (9, "video", "观看《十年逐梦 共耀门楣——黄浦区区域化党建十周年工作巡礼》"),
        (10, "adjustment", "调整联席会议轮值召集人、副召集人"),
        (11, "exchange", "现场交流"),
        (12, "exchange", "书面交流"),
    ]


def test_people_on_the_agenda_with_their_titles_that_day(huangpu):
    unveiling = huangpu.agenda_items.get(kind="unveiling")
    assert list(unveiling.participants.values_list("person__name", "role", "title")) == [
        ("周志军", "unveiler", "上海市委组织部副部长、市委党建办主任"),
        ("杲云", "unveiler", "黄浦区委书记、区区域化党建联席会议召集人"),
        ("吴建雄", "unveiler", "“中央科创区”区域化党建联席会议召集人、上海数据集团党委书记、董事长"),
        ("江帆", "unveiler", "联席会议成员单位代表上海交通大学医学院党委书记"),
        ("秦文波", "unveiler", "上海科学院党委书记、院长"),
        ("李铭", "introducer", "区委常委、组织部部长、区区域化党建联席会议秘书长"),
    ]
    # 秦文波's qualifier: "联席会议成员单位代表" stands before both names.
    qin = unveiling.participants.get(person__name="秦文波")
    assert qin.note.startswith("推断：") and "修饰语“联席会议成员单位代表”写在江帆、秦文波二人之前" in qin.note
    chairing = huangpu.agenda_items.get(kind="chairing")
    assert list(chairing.participants.values_list("person__name", "role", "unit__name", "title")) == [
        ("沈军", "host", "上海市总工会", "联席会议轮值召集人、市总工会党组书记、副主席"),
        # Only what is printed before his name; the shared 轮值召集人 is an inference, said so.
        ("韩志强", "host", "上海市科学技术协会", "市科协党组书记、副主席"),
    ]
    han = chairing.participants.get(person__name="韩志强")
    assert han.note.startswith("推断：“联席会议轮值召集人”写在“沈军和韩志强”之前")
    presenters = {
        kind: list(huangpu.agenda_items.get(kind=kind).participants.values_list("person__name", flat=True))
        for kind in ("admission", "award", "naming")
    }
    assert presenters == {"admission": ["沈山州"], "award": ["韩顺芳", "陈志奇"], "naming": ["徐树杰", "李忠兴"]}
    speeches = huangpu.agenda_items.filter(kind="speech").order_by("order")
    # 周志军 and 杲云 "出席会议并讲话": both speak and attend.
    assert [list(s.participants.values_list("person__name", "role")) for s in speeches] == [
        [("周志军", "speaker"), ("周志军", "attendee")], [("杲云", "speaker"), ("杲云", "attendee")],
    ]


def test_fourteen_named_people_with_the_editor(huangpu):
    # the editor is registered on a review decision ("编辑:郑莹莹"), without a unit
    assert Person.objects.count() == 14
    editor = Person.objects.get(name="郑莹莹")
    assert (editor.title, editor.unit) == ("编辑", None)


def test_speeches_and_stated_facts_in_full(huangpu):
    zhou = huangpu.agenda_items.get(title="周志军讲话").description
    for said in ("要在党的组织体系全覆盖上交出高质量答卷", "“必答题”“必答卷”", "阵地有效支撑两大难题",
                 "同频共振", "要以党建为引领推动基层治理能力再上新台阶", "链接组织资源、整合行政资源、撬动社会资源、导入市场资源",
                 "持续做实“减负闸门”，不断打开“赋能阀门”"):
        assert said in zhou, said
    gao = huangpu.agenda_items.get(title="杲云讲话").description
    for said in ("要坚持弘扬伟大建党精神", "要坚持发挥党的组织优势", "要坚持人民城市重要理念", "引领力、组织力、穿透力",
                 "“黄浦经验”", "“黄浦篇章”", "互联互通、互促互融"):
        assert said in gao, said
    award = huangpu.agenda_items.get(kind="award").description
    assert award.startswith("经过十年探索实践")  # a stated fact the award sentence alone would drop
    assert "经前期广泛征集、推荐、遴选" in award
    assert "韩顺芳和黄浦区政协党组书记、主席陈志奇为获评单位颁授奖杯" in award
    assert huangpu.agenda_items.get(kind="naming").description.startswith(
        "为更好地发挥先进基层党组织的示范引领作用，激励各级党组织和广大党员走在前、作先锋")


def test_every_speech_sentence_is_in_the_article(huangpu):
    """The speeches are the article's own words: each sentence of the descriptions is in it."""
    full = str.maketrans("，：；！？（）", ",:;!?()")
    article = Path(__file__).with_name("huangpu_article.txt").read_text(encoding="utf-8").translate(full)
    for item in huangpu.agenda_items.filter(kind__in=["speech", "release", "award"]):
        for line in item.description.splitlines():
            assert line.translate(full) in article, line


def test_two_admitted_members_dated_at_the_meeting_with_plaque(huangpu):
    admitted = Membership.objects.filter(admitted_at=huangpu).order_by("unit__name")
    assert [(m.unit.name, m.conference.name, m.start, m.plaque_awarded_on) for m in admitted] == [
        ("东浩兰生（集团）有限公司", "黄浦区区域化党建联席会议", DAY, DAY),
        ("城银清算服务有限责任公司", "黄浦区区域化党建联席会议", DAY, DAY),
    ]
    assert huangpu.agenda_items.get(kind="admission").applied_on is not None
    # The members the article implies (联席会议成员单位代表 …), recorded as inferred, start unknown.
    others = Membership.objects.exclude(admitted_at=huangpu).order_by("unit__name")
    assert [(m.unit.name, m.start, m.note[:3]) for m in others] == [
        ("上海交通大学医学院", None, "推断："), ("上海科学院", None, "推断："),
    ]
    assert all("未写明是哪个联席会议" in m.note for m in others)


def test_categories_and_kinds_not_stated_are_unknown(huangpu):
    categories = dict(Unit.objects.values_list("name", "category"))
    assert {name for name, c in categories.items() if c != "unknown"} == {"淮海中路街道", "五里桥街道"}
    assert categories["上海交通大学医学院"] == categories["黄浦区政协"] == "unknown"
    kinds = dict(Conference.objects.values_list("short_name", "kind"))
    assert kinds == {"黄浦区": "district", "滨江党建·创新里滩": "industry", "文化思南": "unknown",
                     "滨江党建·金融外滩": "unknown", "中央科创区": "unknown"}
    assert Unit(category="unknown").get_category_display() == "未载明"


def test_the_articles_own_composition_is_a_stated_fact(huangpu):
    district = Conference.objects.get(name="黄浦区区域化党建联席会议")
    composition = "涵盖驻区重点党政军机关、人民团体、企事业单位和“两新”组织党组织代表"
    assert composition in district.description
    assert composition in huangpu.figures.get(value=66).quote


def test_no_demo_sample_in_the_huangpu_records(huangpu):
    from lianxi.lists.demo import load_samples
    from lianxi.lists.models import Need

    load_samples()
    district = Conference.objects.get(name="黄浦区区域化党建联席会议")
    assert not Membership.objects.filter(conference=district, unit__name__contains="示例").exists()
    assert not Need.objects.filter(conference=district).exists()
    assert not Need.objects.filter(owner__name__in=["淮海中路街道", "五里桥街道"]).exists()
    assert Need.objects.filter(conference__name="演示联席会议（虚构）").count() == 4


def test_conferences(huangpu):
    district = Conference.objects.get(name="黄浦区区域化党建联席会议")
    central = Conference.objects.get(name="“中央科创区”区域化党建联席会议")
    litan = Conference.objects.get(name="“滨江党建·创新里滩”产业集群党建联席会议")
    assert (central.parent, central.founded_on, central.founded_at, central.upgraded_from, central.kind) == (
        district, DAY, huangpu, litan, "unknown"
    )
    # No sub-conference's parent is stated by the article: each says it is inferred, and why.
    assert all(c.parent_note.startswith("推断：原文未载明其上级联席会议") for c in district.children.all())
    assert litan.status == Conference.Status.SUPERSEDED
    assert sorted(district.children.values_list("short_name", flat=True)) == [
        "中央科创区", "文化思南", "滨江党建·创新里滩", "滨江党建·金融外滩"
    ]
    assert list(Conference.objects.filter(founded_on__isnull=False).values_list("short_name", flat=True)) == [
        "中央科创区"
    ]
    assert huangpu.agenda_items.get(kind="unveiling").concerns_conference == central


def test_posts_attested_on_the_meeting_day(huangpu):
    posts = Appointment.objects.filter(person__isnull=False).order_by("conference_id", "role", "person__name")
    assert sorted((a.conference.short_name, a.role, a.person.name, a.unit.name, a.end) for a in posts) == sorted([
        ("黄浦区", "convener", "杲云", "黄浦区委", None),
        ("黄浦区", "secretary_general", "李铭", "黄浦区委", None),
        ("黄浦区", "rotating_convener", "沈军", "上海市总工会", DAY),
        ("黄浦区", "rotating_convener", "韩志强", "上海市科学技术协会", DAY),
        ("中央科创区", "convener", "吴建雄", "上海数据集团", None),
    ])
    assert {(a.start, a.attested_on) for a in Appointment.objects.all()} == {(None, DAY)}
    han = Appointment.objects.get(person__name="韩志强")
    assert han.note.startswith("2024-06-24 调整后未载明")
    unit_posts = Appointment.objects.filter(person__isnull=True).order_by("role")
    assert [(a.conference.short_name, a.role, a.unit.name) for a in unit_posts] == [
        ("滨江党建·金融外滩", "secretariat", "“滨江党建·金融外滩”区域化党建联席会议秘书处（单位名称未载明）"),
        ("文化思南", "secretary_general_unit", "“文化思南”区域化党建联席会议秘书长单位（单位名称未载明）"),
    ]


def test_adjustment_ends_the_rotating_posts_and_invents_no_successor(huangpu):
    adjustment = huangpu.agenda_items.get(kind="adjustment")
    assert adjustment.applied_on is not None
    assert not Appointment.objects.filter(appointed_at=huangpu).exists()
    ended = Appointment.objects.filter(end__isnull=False).order_by("person__name")
    assert [(a.person.name, a.end, a.ended_at) for a in ended] == [("沈军", DAY, huangpu), ("韩志强", DAY, huangpu)]
    assert all(a.note.startswith("2024-06-24 调整后未载明") for a in ended)
    # Nobody is a current rotating convener in 2026.
    assert not Appointment.objects.filter(role="rotating_convener").current(datetime.date(2026, 12, 1)).exists()


def test_projects(huangpu):
    brand = Project.objects.filter(kind="brand").order_by("order")
    key = Project.objects.filter(kind="key").order_by("order")
    award = huangpu.agenda_items.get(kind="award")
    release = huangpu.agenda_items.get(kind="release")
    assert [(p.year, p.awarded_at, p.released_at) for p in brand] == [(2024, award, None)] * 10
    # The brand projects' year is inferred (only the key projects are dated by the article).
    assert {p.description[:8] for p in brand} == {"年度为推断：原文"}
    assert {p.description for p in key} == {""}
    assert [(p.year, p.released_at, p.awarded_at) for p in key] == [(2024, release, None)] * 10
    assert [p.title for p in brand][:3] == ["思南读书会", "南外滩金融直通车", "‘宜居生活·社区更新设计’"]
    assert [p.title for p in key][-1] == "南风为民·圆梦安居"
    assert {(p.lead_unit_id, tuple(p.links)) for p in Project.objects.all()} == {(None, ())}
    assert not Project.objects.filter(partner_units__isnull=False).exists()


def test_figures_and_exchanges(huangpu):
    # the figures in the order the report states them, each with its sentence
    assert list(huangpu.figures.values_list("key", "value", "unit_label")) == [
        ("admitted", 2, "家"), ("member_units", 66, "家"), ("excellent_branches", 100, "个"),
        ("excellent_branch_representatives", 10, "位"), ("brand_projects", 10, "项"), ("key_projects", 10, "项")]
    assert "涵盖驻区重点党政军机关" in huangpu.figures.get(value=66).quote
    exchanges = [
        (x.mode, x.speaker_label)
        for item in huangpu.agenda_items.filter(kind="exchange").order_by("order")
        for x in item.exchanges.order_by("order")
    ]
    assert exchanges == [
        ("live", "海通证券股份有限公司党委"),
        ("live", "“文化思南”区域化党建联席会议秘书长单位"),
        ("live", "淮海中路街道党工委"),
        ("written", "上海社会科学院党委"),
        ("written", "“滨江党建·金融外滩”区域化党建联席会议秘书处"),
        ("written", "五里桥街道党工委"),
    ]


def test_every_write_was_audited_as_the_system(huangpu):
    assert AuditEntry.objects.filter(actor__isnull=False).count() == 0
    assert AuditEntry.objects.filter(action="meetings.agenda.apply.admission").count() == 1
    applied = AgendaItem.objects.filter(applied_on__isnull=False).values_list("kind", flat=True)
    assert sorted(applied) == ["adjustment", "admission", "award", "naming", "release", "unveiling"]


def test_the_tenth_plenary_page(huangpu, client):
    html = client.get(f"/meetings/{huangpu.pk}/").content.decode()
    for text in ("第十次全体会议", "沈山州", "黄浦区委副书记、区长", "城银清算服务有限责任公司党委", "思南读书会",
                 "南风为民·圆梦安居", "书面", "未载明"):
        assert text in html, text
    agenda = html[html.index('id="agenda"'):]
    # the conference's page says why the stated 66 members differ from those registered
    home = client.get(f"/conferences/{huangpu.conference_id}/").content.decode()
    assert 'id="member-count-note"' in home and "资料载明成员单位 66 家，但未列出名单" in home
    assert agenda.index("揭牌“中央科创区”") < agenda.index("通过新加入的2家") < agenda.index("周志军讲话") < agenda.index("书面交流")
