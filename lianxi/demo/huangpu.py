"""The Huangpu reference data: what the seed article (中新网, 2024-06-24) states about Huangpu
District's 区域化党建联席会议 and its tenth plenary meeting — and nothing it does not.

Where the article is silent the data says 未载明 or stays empty: no venue, no start dates of posts
(they are *attested* on the meeting day instead), no successors for the adjusted rotating/deputy
conveners, no unit categories or conference kinds the article does not give, no lead units or
five-link tags for the projects, no names behind the 66 member units or the 100 百优支部 (those are
figures stated at the meeting). Where a relation is inferred (a sub-conference's parent, a membership,
the brand projects' year, the agenda's order, a qualifier shared by two names) the record says
"推断：" and why. Nothing synthetic lives here: the demo's samples belong to a separate, visibly
fictitious conference (lianxi.lists.demo). Every write goes through a service, and every object is
looked up by its natural key first, so loading twice changes nothing."""

import datetime

from django.db import transaction

from lianxi.meetings import services as meetings
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure
from lianxi.projects.models import Project
from lianxi.projects.services import create_project
from lianxi.registry import services as registry
from lianxi.registry.models import Appointment, Area, Conference, Membership, Person, Unit

MEETING_DATE = datetime.date(2024, 6, 24)
SOURCE = "中新网上海新闻6月24日电(郑莹莹)"
MEETING_TITLE = "黄浦区庆祝中国共产党成立103周年座谈会暨区域化党建联席会议第十次全体会议"
MEETING_SUMMARY = (
    "回顾总结区域化党建重点工作,谋划推进下一阶段工作,激励引导区域内各战线党员砥砺初心使命、奋发担当作为,"
    "共同把党的诞生地打造成为党的建设新高地。"
)

DISTRICT = "黄浦区区域化党建联席会议"
CHUANGXIN_LITAN = "“滨江党建·创新里滩”产业集群党建联席会议"
CENTRAL_SCITECH = "“中央科创区”区域化党建联席会议"
WENHUA_SINAN = "“文化思南”区域化党建联席会议"
JINRONG_WAITAN = "“滨江党建·金融外滩”区域化党建联席会议"

# Conferences that exist before the meeting (中央科创区 is founded by the unveiling item). The article
# gives none of them a founding date. Kinds: 创新里滩 is called an 产业集群 conference; 文化思南 is the
# design notes' example of a theme conference; 金融外滩 is not typed by the article — a finance
# cluster and the sibling of 创新里滩 under the 滨江党建 name, so industry is the closest kind.
# 创新里滩 is called an 产业集群 conference by the article; the others are not typed (未载明). None of
# them is said to sit under the district conference: that parenthood is an inference, recorded so.
PARENT_INFERRED = ("推断：原文未载明其上级联席会议；因其出现在黄浦区区域化党建联席会议第十次全体会议的报道中"
                   "（揭牌、交流），暂列于区联席会议之下。")
SUB_CONFERENCES = [
    {"name": CHUANGXIN_LITAN, "short_name": "滨江党建·创新里滩", "kind": Conference.Kind.INDUSTRY,
     "parent_note": PARENT_INFERRED},
    {"name": WENHUA_SINAN, "short_name": "文化思南", "kind": Conference.Kind.UNKNOWN, "parent_note": PARENT_INFERRED},
    {"name": JINRONG_WAITAN, "short_name": "滨江党建·金融外滩", "kind": Conference.Kind.UNKNOWN,
     "parent_note": PARENT_INFERRED},
]
# The article's own statement of the members' composition (four categories), kept as it is printed.
COMPOSITION = ("目前,黄浦区区域化党建联席会议成员单位共有66家,涵盖驻区重点党政军机关、人民团体、企事业单位和"
               "“两新”组织党组织代表。")
DISTRICT_DESCRIPTION = f"原文：{COMPOSITION}"

Lv = Unit.PartyOrgLevel
Cat = Unit.Category
# (name, party organisation as the article names it, level, category, how the article words it).
# Names are the article's; where it abbreviates (市总工会, 市科协) the Shanghai body it means is named
# and the article's wording kept in the description. The article gives no unit a member category
# (its four categories describe the 66 members as a whole), so every category is 未载明 except the two
# streets, which the article itself calls 街道.
UNITS = [
    ("上海市委组织部", "", Lv.UNKNOWN, Cat.UNKNOWN, "原文作“上海市委组织部”“市委组织部”"),
    ("黄浦区委", "", Lv.UNKNOWN, Cat.UNKNOWN, "原文作“黄浦区委”“区委”"),
    ("上海市总工会", "上海市总工会党组", Lv.LEADING_GROUP, Cat.UNKNOWN, "原文作“市总工会”"),
    ("上海市科学技术协会", "上海市科学技术协会党组", Lv.LEADING_GROUP, Cat.UNKNOWN, "原文作“市科协”"),
    ("上海数据集团", "上海数据集团党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("上海交通大学医学院", "上海交通大学医学院党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("上海科学院", "上海科学院党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("黄浦区人大常委会", "黄浦区人大常委会党组", Lv.LEADING_GROUP, Cat.UNKNOWN, ""),
    ("黄浦区政协", "黄浦区政协党组", Lv.LEADING_GROUP, Cat.UNKNOWN, ""),
    ("城银清算服务有限责任公司", "城银清算服务有限责任公司党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("东浩兰生(集团)有限公司", "东浩兰生(集团)有限公司党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("海通证券股份有限公司", "海通证券股份有限公司党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("上海社会科学院", "上海社会科学院党委", Lv.COMMITTEE, Cat.UNKNOWN, ""),
    ("淮海中路街道", "淮海中路街道党工委", Lv.WORKING_COMMITTEE, Cat.STREET, "原文作“淮海中路街道党工委”"),
    ("五里桥街道", "五里桥街道党工委", Lv.WORKING_COMMITTEE, Cat.STREET, "原文作“五里桥街道党工委”"),
]
# "联席会议成员单位代表上海交通大学医学院党委书记江帆,上海科学院党委书记、院长秦文波": the qualifier stands
# before both names and does not say which conference. Both memberships are recorded as inferred.
MEMBER_QUALIFIER = "联席会议成员单位代表上海交通大学医学院党委书记江帆,上海科学院党委书记、院长秦文波"
INFERRED_MEMBERS = {
    "上海交通大学医学院": f"推断：原文“{MEMBER_QUALIFIER}”，未写明是哪个联席会议的成员单位；暂记为区联席会议成员，加入日期未载明",
    "上海科学院": f"推断：原文“{MEMBER_QUALIFIER}”，修饰语“联席会议成员单位代表”兼指二人，未写明是哪个联席会议；"
                  "暂记为区联席会议成员，加入日期未载明",
}
STREETS = {"淮海中路街道", "五里桥街道"}

# Two exchanges were given by bodies the article names only by their role in a sub-conference. An
# Exchange must point at a Unit, so each gets one Unit whose name says exactly what the article says
# and that the organisation behind it is not named, plus the unit-only post (秘书长单位 / 秘书处) in
# that conference, attested on the meeting day. This invents no organisation: the row stands for
# "whoever holds that post", and can be merged into the real unit once a source names it. Its
# category is 未载明.
ROLE_ONLY_UNITS = [
    (WENHUA_SINAN, Appointment.Role.SECRETARY_GENERAL_UNIT, "“文化思南”区域化党建联席会议秘书长单位"),
    (JINRONG_WAITAN, Appointment.Role.SECRETARIAT, "“滨江党建·金融外滩”区域化党建联席会议秘书处"),
]
UNNAMED_SUFFIX = "（单位名称未载明）"

# People: name → (unit, the titles the article prints before their name on 2024-06-24). The article
# prints 轮值召集人 once, before the pair "沈军和…韩志强" who "先后主持会议": 韩志强's title is what is
# printed before his own name; that the qualifier covers him too is an inference, recorded as such.
CHAIRS = "联席会议轮值召集人、市总工会党组书记、副主席沈军和市科协党组书记、副主席韩志强先后主持会议"
HAN_ZHIQIANG_INFERRED = (f"推断：原文“{CHAIRS}”，“联席会议轮值召集人”写在二人之前，按文意兼指沈军、韩志强；"
                         "原文在韩志强名前只印“市科协党组书记、副主席”")
QIN_WENBO_QUALIFIER = (f"原文“{MEMBER_QUALIFIER}”：修饰语“联席会议成员单位代表”写在江帆、秦文波二人之前，按文意兼指二人"
                       "（推断）")
PEOPLE = {
    "周志军": ("上海市委组织部", "上海市委组织部副部长、市委党建办主任"),
    "杲云": ("黄浦区委", "黄浦区委书记、区区域化党建联席会议召集人"),
    "沈军": ("上海市总工会", "联席会议轮值召集人、市总工会党组书记、副主席"),
    "韩志强": ("上海市科学技术协会", "市科协党组书记、副主席"),
    "吴建雄": ("上海数据集团", "“中央科创区”区域化党建联席会议召集人、上海数据集团党委书记、董事长"),
    "江帆": ("上海交通大学医学院", "联席会议成员单位代表上海交通大学医学院党委书记"),
    "秦文波": ("上海科学院", "上海科学院党委书记、院长"),
    "李铭": ("黄浦区委", "区委常委、组织部部长、区区域化党建联席会议秘书长"),
    "沈山州": ("黄浦区委", "黄浦区委副书记、区长"),
    "韩顺芳": ("黄浦区人大常委会", "黄浦区人大常委会党组书记、主任"),
    "陈志奇": ("黄浦区政协", "黄浦区政协党组书记、主席"),
    "徐树杰": ("上海市委组织部", "市委组织部部务委员"),
    "李忠兴": ("黄浦区委", "黄浦区委副书记"),
    # The reporter and editor: "中新网上海新闻6月24日电(郑莹莹)" … "编辑:郑莹莹". No unit is recorded:
    # 中新网 is not a party to the conference.
    "郑莹莹": (None, "编辑"),
}
# Notes on a person's appearance on the agenda (qualifiers shared by two names, inferences).
PARTICIPANT_NOTES = {"韩志强": HAN_ZHIQIANG_INFERRED, "秦文波": QIN_WENBO_QUALIFIER}

ATTESTED = "见于2024-06-24第十次全体会议报道"
# Posts the article attests on the meeting day (start dates unknown), with a note where inferred.
DISTRICT_POSTS = [
    (Appointment.Role.CONVENER, "杲云", ATTESTED),
    (Appointment.Role.SECRETARY_GENERAL, "李铭", ATTESTED),
    (Appointment.Role.ROTATING_CONVENER, "沈军", ATTESTED),
    (Appointment.Role.ROTATING_CONVENER, "韩志强", "推断：原文“联席会议轮值召集人”写在沈军、韩志强二人之前，按文意兼指二人"),
]
# The same meeting "调整了联席会议轮值召集人、副召集人" without naming who holds the posts afterwards: the
# rotating conveners' posts end at that item, and what followed is 未载明.
ADJUSTED = "2024-06-24 调整后未载明：会上调整了联席会议轮值召集人、副召集人，调整后由谁担任（含本人是否留任）原文未载明"
BRAND_YEAR_INFERRED = ("年度为推断：原文只为十大重点项目注明“2024年”；品牌项目未注年度，"
                       "按2024-06-24会上颁授记为2024年。")

BRAND_PROJECTS = [
    "思南读书会",
    "南外滩金融直通车",
    "‘宜居生活·社区更新设计’",
    "‘医’心志愿白领健康加油站",
    "长三角‘C9第一方阵’红色文化会客厅",
    "区域化党建干部人才‘双向交流’锻炼",
    "律聚初心地",
    "兴业讲堂",
    "‘心路’党课",
    "走读外滩·阅读建筑",
]
# The article lists these ten and ends with 等; exactly these ten are kept.
KEY_PROJECTS = [
    "院士专家黄浦行",
    "央企看黄浦",
    "“艺街汇”——演艺大世界文化惠民服务包",
    "绿色信用·活力淮海",
    "科创街区·创享里滩",
    "红色家园话初心",
    "“豫”见温度",
    "南外滩金融中心建设者之家",
    "淞畔领里·璟彩启航",
    "南风为民·圆梦安居",
]

FIGURES = [
    ("member_units", "区域化党建联席会议成员单位", 66, "家", COMPOSITION),
    ("admitted", "会上通过的新加入成员单位", 2, "家", "会上通过新加入的2家区域化党建联席会议成员单位"),
    ("brand_projects", "区域化党建“十大品牌项目”", 10, "项", "评选出了……等区域化党建“十大品牌项目”"),
    ("key_projects", "2024年区域化党建“十大重点项目”", 10, "项", "会上发布了2024年区域化党建“十大重点项目”"),
]
NAMING_FIGURES = [
    {"key": "excellent_branches", "label": "命名为“百优支部”的党(总)支部", "value": 100, "unit_label": "个",
     "quote": "黄浦区命名了100个来自各领域的党(总)支部为“百优支部”"},
    {"key": "excellent_branch_representatives", "label": "会上获颁奖牌的“百优支部”代表", "value": 10,
     "unit_label": "位", "quote": "为获评“百优支部”的10位代表颁授奖牌"},
]

K = AgendaItem.Kind
R = AgendaParticipant.Role
# The agenda in the order the article *reports* it: the chairing (paragraph 2), then the items
# reported with 会上, then the two speeches (reported after the release), then the closing paragraph —
# video, adjustment, live and written exchanges. The article gives no running order; the meeting says so.
AGENDA_NOTE = ("推断：议程顺序按报道的叙述顺序排列，原文未载明会议实际议程顺序；“主持会议”列于首位，"
               "因原文称沈军、韩志强“先后主持会议”。")
ZHOU_SPEECH = (
    "周志军强调,作为党的诞生地、初心始发地和伟大建党精神孕育地所在区,作为上海的“心脏、窗口、名片”,"
    "黄浦区要始终牢记使命、砥砺奋进,在新的赶考路上创造出无愧于党的诞生地的党建业绩。\n"
    "要在党的组织体系全覆盖上交出高质量答卷。这是今年上海基层党建的“必答题”“必答卷”。要重点突破党组织功能有效发挥和"
    "阵地有效支撑两大难题,进一步加强探索和总结,推动基层党组织与区域单位实现好“宗旨和作用的全覆盖”这个目标。\n"
    "要更好发挥组织优势、汇聚组织力量,在推动高质量发展上彰显更大作为。黄浦经济密度高、现代产业发达、高端要素集聚,"
    "要进一步推动党建工作与中心工作同频共振,更好地把区域化党建单位的资源力量统合起来、凝聚起来、联动起来,"
    "真正把区域化党建推动区域化发展的实际效果体现出来。\n"
    "要以党建为引领推动基层治理能力再上新台阶。充分发挥区域化党建平台作用,更加有效地链接组织资源、整合行政资源、"
    "撬动社会资源、导入市场资源,持续做实“减负闸门”,不断打开“赋能阀门”,真正把资源统筹好、把矛盾化解好、"
    "把群众工作做好,进一步提升基层治理的活力和效能。"
)
GAO_SPEECH = (
    "杲云在讲话中向长期以来关心和支持黄浦发展的各驻区单位表示衷心的感谢,"
    "向奋战在全区各条战线上的广大党员同志致以节日的祝贺和诚挚的问候。\n"
    "杲云指出,总结过往,我们互联互通、互促互融,区域化党建工作结出丰硕成果。\n"
    "杲云强调,展望未来,我们同心同向、同力同行,奋力创造更多走在前列的“黄浦经验”。我们将继续携手共进、并肩同行,"
    "奋力书写以高质量党建引领推动高质量发展“黄浦篇章”。要坚持弘扬伟大建党精神,以理论武装激发奋进力量。"
    "黄浦是党的诞生地所在区,红色基因早已深深刻进黄浦城区的肌理,融入干部群众的血脉。要自觉从伟大建党精神中汲取前行奋进力量,"
    "共同把党的诞生地打造成为党的建设新高地。要坚持发挥党的组织优势,以高质量党建引领推动高质量发展。"
    "进一步发挥区域化党建工作优势,有效打破领域、行业、层级壁垒,推动各方资源向发展靠拢,各方力量向发展用劲,"
    "提升党组织引领力、组织力、穿透力。要坚持人民城市重要理念,以务实举措回应群众呼声。进一步突出问题导向和需求导向,"
    "推动资源力量下沉基层一线,切实解决居民群众最直接、最关心、最现实的问题,提升群众获得感满意度。"
)
ATTENDED = "原文：“出席会议并讲话”"
AGENDA = [
    {"kind": K.CHAIRING, "title": "主持会议",
     "description": "联席会议轮值召集人、市总工会党组书记、副主席沈军和市科协党组书记、副主席韩志强先后主持会议。",
     "people": [("沈军", R.HOST), ("韩志强", R.HOST)]},
    {"kind": K.UNVEILING, "title": "“中央科创区”区域化党建联席会议揭牌成立",
     "description": "“中央科创区”区域化党建联席会议在“滨江党建·创新里滩”产业集群党建联席会议的基础上升级成立,"
                    "下一步将做实常任轮值、常态走访、常抓项目、长效认领等工作机制,高效推动组织联建、资源联用、人才联育、"
                    "发展联促、品牌联创,奋力书写以高质量党建引领推动高质量发展的“科创篇章”。",
     "people": [("周志军", R.UNVEILER), ("杲云", R.UNVEILER), ("吴建雄", R.UNVEILER), ("江帆", R.UNVEILER),
                ("秦文波", R.UNVEILER), ("李铭", R.INTRODUCER)]},
    {"kind": K.ADMISSION, "title": "通过新加入的2家成员单位并授牌",
     "description": "会上通过新加入的2家区域化党建联席会议成员单位。黄浦区委副书记、区长沈山州为新加入的两家成员单位授牌。",
     "people": [("沈山州", R.PRESENTER)],
     "units": [("城银清算服务有限责任公司", "城银清算服务有限责任公司党委"),
               ("东浩兰生(集团)有限公司", "东浩兰生(集团)有限公司党委")]},
    {"kind": K.AWARD, "title": "颁授区域化党建“十大品牌项目”",
     "description": "经过十年探索实践,在各成员单位的共同努力下,黄浦区域化党建工作涌现出了一大批有内涵、有特色、"
                    "有影响的品牌项目。经前期广泛征集、推荐、遴选,评选出区域化党建“十大品牌项目”。"
                    "黄浦区人大常委会党组书记、主任韩顺芳和黄浦区政协党组书记、主席陈志奇为获评单位颁授奖杯。",
     "people": [("韩顺芳", R.PRESENTER), ("陈志奇", R.PRESENTER)]},
    {"kind": K.NAMING, "title": "命名“百优支部”",
     "description": "为更好地发挥先进基层党组织的示范引领作用,激励各级党组织和广大党员走在前、作先锋,"
                    "黄浦区命名了100个来自各领域的党(总)支部为“百优支部”。"
                    "市委组织部部务委员徐树杰、黄浦区委副书记李忠兴为获评“百优支部”的10位代表颁授奖牌。",
     "people": [("徐树杰", R.PRESENTER), ("李忠兴", R.PRESENTER)]},
    {"kind": K.RELEASE, "title": "发布2024年区域化党建“十大重点项目”",
     "description": "会上发布了2024年区域化党建“十大重点项目”。包括院士专家黄浦行、央企看黄浦、"
                    "“艺街汇”——演艺大世界文化惠民服务包、绿色信用·活力淮海、科创街区·创享里滩、红色家园话初心、"
                    "“豫”见温度、南外滩金融中心建设者之家、淞畔领里·璟彩启航、南风为民·圆梦安居等。",
     "people": []},
    {"kind": K.SPEECH, "title": "周志军讲话", "description": ZHOU_SPEECH,
     "people": [("周志军", R.SPEAKER), ("周志军", R.ATTENDEE)]},
    {"kind": K.SPEECH, "title": "杲云讲话", "description": GAO_SPEECH,
     "people": [("杲云", R.SPEAKER), ("杲云", R.ATTENDEE)]},
    {"kind": K.VIDEO, "title": "观看《十年逐梦 共耀门楣——黄浦区区域化党建十周年工作巡礼》视频短片",
     "description": "", "people": []},
    {"kind": K.ADJUSTMENT, "title": "调整联席会议轮值召集人、副召集人",
     "description": "原文仅载“调整了联席会议轮值召集人、副召集人”，调整后由谁担任未载明：轮值召集人沈军、韩志强的任职"
                    "在此结束，注明“调整后未载明”；不设继任人。", "people": []},
    {"kind": K.EXCHANGE, "title": "现场交流", "description": "", "people": [],
     "exchanges": [("海通证券股份有限公司", "海通证券股份有限公司党委"),
                   (None, "“文化思南”区域化党建联席会议秘书长单位"),
                   ("淮海中路街道", "淮海中路街道党工委")],
     "mode": Exchange.Mode.LIVE},
    {"kind": K.EXCHANGE, "title": "书面交流", "description": "", "people": [],
     "exchanges": [("上海社会科学院", "上海社会科学院党委"),
                   (None, "“滨江党建·金融外滩”区域化党建联席会议秘书处"),
                   ("五里桥街道", "五里桥街道党工委")],
     "mode": Exchange.Mode.WRITTEN},
]


# --- idempotent look-ups ----------------------------------------------------------------------------

def _area(actor, name, kind, parent=None) -> Area:
    found = Area.objects.filter(name=name, parent=parent).first()
    return found or registry.create_area(actor, name=name, kind=kind, parent=parent)


def _conference(actor, name, **fields) -> Conference:
    found = Conference.objects.filter(name=name).first()
    return found or registry.create_conference(actor, name=name, **fields)


def _unit(actor, name, **fields) -> Unit:
    found = Unit.objects.filter(name=name).first()
    return found or registry.create_unit(actor, name=name, **fields)


def _person(actor, name, unit, title) -> Person:
    found = Person.objects.filter(name=name, unit=unit).first()
    return found or registry.create_person(actor, name=name, unit=unit, title=title)


def _post(actor, conference, role, *, person=None, unit=None, note="") -> Appointment:
    found = Appointment.objects.filter(conference=conference, role=role, person=person, unit=unit).first()
    return found or registry.appoint(actor, conference=conference, role=role, person=person, unit=unit,
                                     attested_on=MEETING_DATE, note=note)


def _item(actor, meeting, spec) -> AgendaItem:
    found = AgendaItem.objects.filter(meeting=meeting, kind=spec["kind"], title=spec["title"]).first()
    return found or meetings.add_agenda_item(actor, meeting, kind=spec["kind"], title=spec["title"],
                                             description=spec["description"])


def _project(actor, district, kind, order, title) -> Project:
    found = Project.objects.filter(conference=district, kind=kind, year=2024, title=title).first()
    # The article states no project's progress, so the status says so instead of guessing 推进中.
    # The brand projects are not dated by the article; their year is an inference, said so.
    description = BRAND_YEAR_INFERRED if kind == Project.Kind.BRAND else ""
    return found or create_project(actor, conference=district, kind=kind, year=2024, title=title, order=order,
                                   status=Project.Status.UNKNOWN, description=description)


# --- the loader -------------------------------------------------------------------------------------

@transaction.atomic
def load_huangpu(actor=None) -> dict:
    """Load (or complete) the Huangpu reference data; returns the main objects by name."""
    huangpu = _area(actor, "黄浦区", Area.Kind.DISTRICT)
    streets = {name: _area(actor, name, Area.Kind.STREET, parent=huangpu) for name in sorted(STREETS)}

    district = _conference(actor, DISTRICT, short_name="黄浦区", kind=Conference.Kind.DISTRICT, area=huangpu,
                           description=DISTRICT_DESCRIPTION)
    subs = {spec["name"]: _conference(actor, parent=district, **spec) for spec in SUB_CONFERENCES}

    units = {}
    for name, party_org, level, category, wording in UNITS:
        units[name] = _unit(actor, name, party_org_name=party_org, party_org_level=level, category=category,
                            area=streets.get(name), description=wording)
    for conference_name, role, label in ROLE_ONLY_UNITS:
        unit = _unit(actor, label + UNNAMED_SUFFIX, category=Unit.Category.UNKNOWN,
                     description=f"原文仅称“{label}”，单位名称与成员类别均未载明。")
        units[label] = unit
        _post(actor, subs[conference_name], role, unit=unit, note=ATTESTED)

    for name, note in INFERRED_MEMBERS.items():
        if not Membership.objects.filter(unit=units[name], conference=district).exists():
            registry.admit_unit(actor, unit=units[name], conference=district, start=None, note=note)

    people = {name: _person(actor, name, units.get(unit), title) for name, (unit, title) in PEOPLE.items()}
    posts = {}
    for role, name, note in DISTRICT_POSTS:
        person = people[name]
        posts[name] = _post(actor, district, role, person=person, unit=person.unit, note=note)

    meeting = Meeting.objects.filter(conference=district, kind=Meeting.Kind.PLENARY, number=10).first()
    if meeting is None:
        meeting = meetings.create_meeting(
            actor, conference=district, kind=Meeting.Kind.PLENARY, number=10, title=MEETING_TITLE,
            date=MEETING_DATE, venue="", summary=MEETING_SUMMARY, source=SOURCE, is_published=True,
            agenda_note=AGENDA_NOTE,
        )
    for key, label, value, unit_label, quote in FIGURES:
        if not StatedFigure.objects.filter(meeting=meeting, key=key).exists():
            meetings.add_figure(actor, meeting, key=key, label=label, value=value, unit_label=unit_label, quote=quote)

    items = {}
    for spec in AGENDA:
        item = _item(actor, meeting, spec)
        items.setdefault(spec["kind"], []).append(item)
        for person_name, role in spec["people"]:
            person = people[person_name]
            if not item.participants.filter(person=person, role=role).exists():
                note = ATTENDED if role == R.ATTENDEE else PARTICIPANT_NOTES.get(person_name, "")
                meetings.add_participant(actor, item, person=person, role=role, title=PEOPLE[person_name][1],
                                         unit=person.unit, note=note)
        for unit_name, label in spec.get("units", []):
            unit = units[unit_name]
            if not item.units.filter(unit=unit, role=AgendaUnit.Role.ADMITTED).exists():
                meetings.add_agenda_unit(actor, item, unit=unit, role=AgendaUnit.Role.ADMITTED, label=label)
        for unit_name, label in spec.get("exchanges", []):
            unit = units[unit_name or label]
            if not item.exchanges.filter(unit=unit, mode=spec["mode"]).exists():
                meetings.add_exchange(actor, item, unit=unit, mode=spec["mode"], speaker_label=label)

    # Resolutions, each applied once.
    unveiling = items[K.UNVEILING][0]
    if unveiling.applied_on is None:
        meetings.apply_unveiling(actor, unveiling, name=CENTRAL_SCITECH, short_name="中央科创区",
                                 kind=Conference.Kind.UNKNOWN, upgraded_from=subs[CHUANGXIN_LITAN])
    central = Conference.objects.get(name=CENTRAL_SCITECH)
    if not central.parent_note:
        registry.update_conference(actor, central, parent_note=(
            "推断：原文未载明其上级联席会议；因在黄浦区区域化党建联席会议第十次全体会议上揭牌成立，暂列于区联席会议之下。"))
    convener = people["吴建雄"]
    _post(actor, central, Appointment.Role.CONVENER, person=convener, unit=convener.unit, note=ATTESTED)

    admission = items[K.ADMISSION][0]
    if admission.applied_on is None:
        meetings.apply_admission(actor, admission, plaque=True)

    brand = [_project(actor, district, Project.Kind.BRAND, i, t) for i, t in enumerate(BRAND_PROJECTS, start=1)]
    award = items[K.AWARD][0]
    if award.applied_on is None:
        meetings.apply_resolution(actor, award, projects=brand)

    key = [_project(actor, district, Project.Kind.KEY, i, t) for i, t in enumerate(KEY_PROJECTS, start=1)]
    release = items[K.RELEASE][0]
    if release.applied_on is None:
        meetings.apply_resolution(actor, release, projects=key)

    naming = items[K.NAMING][0]
    if naming.applied_on is None:
        meetings.apply_naming(actor, naming, figures=NAMING_FIGURES)

    # The adjustment: the rotating conveners' posts end at the item, with no successor (none is named).
    adjustment = items[K.ADJUSTMENT][0]
    if adjustment.applied_on is None:
        rotating = [posts["沈军"], posts["韩志强"]]
        meetings.apply_adjustment(actor, adjustment, changes=[{"appointment": a, "note": ADJUSTED} for a in rotating])
    return {"district": district, "central": central, "meeting": meeting, "units": units, "people": people}
