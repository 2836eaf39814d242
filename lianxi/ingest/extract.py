"""Rule-based, deterministic extraction of a meeting draft from a repaired report.

Patterns are matched on a simplified copy of the text made character by character (so offsets are
the same), and every value is cut from the repaired text as printed — a traditional report stays
traditional. Each value is recorded with its path in the draft, its span, the sentence it came from
and whether it is stated or inferred (with the reason). Nothing the text does not state is filled
in: a missing venue stays ``None``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lianxi.lib.text import to_simplified

# --- small helpers -----------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUM = "零〇一二两三四五六七八九十百千万"


def cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def simplified_same_length(text: str) -> str:
    whole = to_simplified(text)
    if len(whole) == len(text):
        return whole
    return "".join(to_simplified(ch) if len(to_simplified(ch)) == 1 else ch for ch in text)


# Posts (longest first when matched); the part before a post in a chain segment is its organisation.
POSTS = sorted(
    """党组书记 党委书记 党工委书记 党总支书记 党支部书记 党委副书记 党组副书记 党工委副书记 副书记 书记
    常务副主任 副主任 主任 常务副部长 副部长 部长 部务委员 常委 委员 副院长 院长 副主席 主席 副董事长 董事长
    总经理 副总经理 总裁 副区长 区长 副市长 市长 副镇长 镇长 副局长 局长 副处长 处长 副校长 校长 副馆长 馆长
    副所长 所长 副县长 县长 副乡长 乡长 副秘书长 秘书长 轮值召集人 常务副召集人 副召集人 召集人 组织委员 宣传委员 纪检委员 成员单位代表 社长 主任委员 理事长 会长 副会长
    总支书记 支部书记 负责人 行长 副行长 经理 主委 代表 副科长 科长 党委委员 党工委委员 党组成员""".split(),
    key=len, reverse=True,
)
NO_INHERIT = {"区长", "副区长", "市长", "副市长", "县长", "副县长", "镇长", "副镇长", "乡长", "副乡长"}
# Conference roles as the article words them → the code names used by the registry (Appointment.Role).
ROLE_CODES = {"轮值召集人": "rotating_convener", "常务副召集人": "deputy_convener", "副召集人": "deputy_convener", "召集人": "convener",
              "副秘书长": "deputy_secretary_general", "秘书长": "secretary_general", "成员单位代表": "member_representative",
              "秘书处": "secretariat", "秘书长单位": "secretary_general_unit"}
CONFERENCE_ROLES = ("轮值召集人", "常务副召集人", "副召集人", "召集人", "副秘书长", "秘书长", "成员单位代表", "秘书处", "秘书长单位")
PARTY_BODY = ("党工委", "党总支", "党支部", "党委", "党组")
_POST_RE = "|".join(map(re.escape, POSTS))

# Words that end a person's name in this genre: what people do in a report.
_AFTER_NAME = (
    "出席|主持|为|介绍|共同|强调|指出|表示|在|和|与|及|、|，|。|,|等|作|代表|讲话|致辞|宣读|发布|颁|揭|签|参加|"
    "带领|率|先后|分别|围绕|就|对|向|回顾|总结|通报|传达|解读|提出|要求|希望"
)
# (a compound surname makes a name of three or four characters: 欧阳示例)
_COMPOUND = "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|夏侯"
_NAME_RE = re.compile(rf"(?:{_POST_RE})((?:{_COMPOUND})[\u4e00-\u9fff]{{1,2}}?|[\u4e00-\u9fff]{{2,3}}?)(?={_AFTER_NAME})")
_NOT_NAME = set("的会上中各全本新区市党委组部长")
# Common surnames (simplified); a person's name in this genre starts with one of these.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚池"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米杭蔺杲臧闵滑储鞠边苑雍糜郎燕仇荣奚明凤水柏云苏潘葛奚范彭郎鲁韦昌马苗花方"
    "俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄"
    "米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍"
    "虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳"
    # more of the 百家姓 (not those that are common words in this genre: 全 国 文 公 通 …)
    "汲邴宓蓬郗仲栾钭韶郜蓟邰鄂赖屠胥莘贡逄姬堵郦璩桑桂濮冀郏瞿阎慕茹宦庾匡寇夔晁敖訾阚蒯荆竺逯官闻"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯")

OPEN_Q, CLOSE_Q = "“‘《「『", "”’》」』"
_SENT_END = "。！？!?"


def split_top(text: str, sep: str = "、") -> list[tuple[int, int]]:
    """Split on ``sep`` outside quotes and brackets; returns (start, end) offsets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN_Q or ch in "（(":
            depth += 1
        elif ch in CLOSE_Q or ch in "）)":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            parts.append((start, i))
            start = i + 1
    parts.append((start, len(text)))
    return parts


def _common_word(word: str) -> bool:
    from lianxi.ingest.repair import _jieba_freq

    freq, _ = _jieba_freq()
    return (freq.get(word) or 0) >= 50


@dataclass
class Sentence:
    start: int
    end: int
    para: int


class Draft:
    """The draft plus its ``sources`` map (path → span, sentence, basis)."""

    def __init__(self, text: str, sentences: list[Sentence]):
        self.text = text
        self.sentences = sentences
        self.sources: dict[str, dict] = {}

    def sentence_of(self, pos: int) -> Sentence:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return self.sentences[-1]

    def cite(self, path: str, start: int, end: int, basis: str = "stated", reason: str | None = None):
        sent = self.sentence_of(start)
        entry = {"span": [start, end], "quote": self.text[start:end],
                 "sentence": {"span": [sent.start, sent.end], "text": self.text[sent.start:sent.end]},
                 "basis": basis}
        if reason:
            entry["reason"] = reason
        self.sources[path] = entry


# --- the extractor -----------------------------------------------------------------------------


class Extractor:
    def __init__(self, text: str):
        self.text = text  # repaired text, as printed
        self.s = simplified_same_length(text)
        self.sentences = self._sentences()
        self.draft = Draft(text, self.sentences)
        self.people: dict[str, dict] = {}
        self.person_spans: list[tuple[int, int, str]] = []
        self.units: dict[str, dict] = {}
        self.conferences: dict[str, dict] = {}
        self.agenda: list[dict] = []
        self.lists: list[dict] = []
        self.figures: list[dict] = []
        self.speeches: list[dict] = []
        self.meeting: dict = {}
        self.byline: dict = {}
        self.body_start = 0
        self.body_end = len(text)

    # sentences and paragraphs
    def _sentences(self) -> list[Sentence]:
        out = []
        para = 0
        start = 0
        depth = 0
        for i, ch in enumerate(self.text):
            if ch in "“‘":
                depth += 1
            elif ch in "”’":
                depth = max(0, depth - 1)
            if ch == "\n":
                if i > start:
                    out.append(Sentence(start, i, para))
                para += 1
                start = i + 1
                depth = 0
            elif ch in _SENT_END and depth == 0 and self.text[max(0, i - 1):i + 2] != "⟦?⟧":
                # (the ? of a marked gap ⟦?⟧ ends no sentence)
                end = i + 1
                out.append(Sentence(start, end, para))
                start = end
        if start < len(self.text):
            out.append(Sentence(start, len(self.text), para))
        return [s for s in out if self.text[s.start:s.end].strip()] or [Sentence(0, len(self.text), 0)]

    def val(self, start: int, end: int) -> str:
        return self.text[start:end]

    # ---- byline, date, title -----------------------------------------------------------------
    def extract_byline(self):
        s = self.s
        m = re.search(r"(?:^|\n)\s*([^\s，,。（(]{2,16}?)(\d{1,2})月(\d{1,2})日[电訊讯][（(]([^）)]{2,20})[）)]",
                      s[:300])
        if m:
            self.byline["source"] = self.val(*m.span(1))
            self.draft.cite("byline.source", *m.span(1))
            self.byline["dateline"] = self.val(m.start(1), m.end())
            self.draft.cite("byline.dateline", m.start(1), m.end())
            self.byline["reporter"] = self.val(*m.span(4))
            self.draft.cite("byline.reporter", *m.span(4))
            self.dateline = (int(m.group(2)), int(m.group(3)), m.span(2)[0], m.span(3)[1])
            self.body_start = m.end()
        else:
            self.dateline = None
            m2 = re.search(r"(来源|來源)[:：]\s*([^\s，。]{2,20})", s)
            if m2:
                self.byline["source"] = self.val(*m2.span(2))
                self.draft.cite("byline.source", *m2.span(2))
        m = re.search(r"(?:编辑|责任编辑|责编)[:：]\s*([^\s（(，。]{2,12})", s)
        if m:
            self.byline["editor"] = self.val(*m.span(1))
            self.draft.cite("byline.editor", *m.span(1))
            self.body_end = min(self.body_end, s.rfind("\n", 0, m.start()) + 1 or m.start())
        m = re.search(r"(?:记者|通讯员)\s*([\u4e00-\u9fff]{2,3})(?:\s|报道|摄|[，。])", s[:200])
        if m and "reporter" not in self.byline:
            self.byline["reporter"] = self.val(*m.span(1))
            self.draft.cite("byline.reporter", *m.span(1))
        # closing credit lines (文字：…, 审核：…, 供稿) end the body
        # (only a trailer: no sentence of the story follows it)
        credit = next((c for c in re.finditer(r"\n(?:文字|审核|审校|校对|摄影|图片|初审|复审|终审|来源|稿源|作者)[:：]"
                                              r"[^\n]*(?:\n|$)", s) if "。" not in s[c.end():]), None)
        if credit:
            self.body_end = min(self.body_end, credit.start() + 1)
        note = re.search(r"注[:：].*", s)
        if note:
            self.body_end = min(self.body_end, note.start())

    def extract_meeting(self):
        s, d = self.s, self.draft
        # title: "<name of the meeting>(N日)(在<venue>)召开/举行" in one of the first sentences; the
        # headline and the lead often both carry it, the lead with the venue
        found = []
        # (a 简报 prints its name, issue and issuer before the story: look a little further down)
        for sent in self.sentences[:8]:
            head = s[sent.start:sent.end]
            for m in re.finditer(r"(?:(\d{1,2})日|(\d{4})年(\d{1,2})月(\d{1,2})日)?(?:上午|下午|晚上)?(?:在([^，,。]{2,30}?))?(召开|举行|举办)", head):
                t_start = max(sent.start, self.body_start if self.body_start <= sent.end else sent.start)
                t_end = sent.start + m.start()
                # a dateline, a purpose clause (为进一步…，) and the day (2025年5月20日，) may precede the name
                # an occasion (在…之际，值此…之际，) likewise
                lead = re.match(r"\s*(?:[^，。\s]{0,16}?(?:讯|消息|\d{1,2}月\d{1,2}日电)\s*(?:（[^）]{0,20}）)?)?\s*"
                                r"(?:为[^，。“”]{2,30}，|(?:在|值此|正值)[^，。]{2,30}之际，)?"
                                r"(?:近日|日前|(?:\d{4}年)?\d{1,2}月\d{1,2}日)?(?:上午|下午|晚上)?，?",
                                s[t_start:t_end])
                if lead:
                    t_start += lead.end()
                if t_end - t_start < 4 or "会" not in s[t_start:t_end] or "，" in s[t_start:t_end]:
                    continue
                score = (2 if re.search(r"第[\d零〇一二两三四五六七八九十百]+次|全体会议|工作会议", s[t_start:t_end]) else 0)
                found.append((score, -len(found), (t_start, t_end), m, sent))
        title = None
        if found:
            found.sort(key=lambda f: (f[0], bool(f[3].group(1) or f[3].group(5)), f[2][1] - f[2][0], f[1]),
                       reverse=True)
            _, _, title, m, sent = found[0]
            same = [f for f in found if s[f[2][0]:f[2][1]] == s[title[0]:title[1]]]
            with_venue = next((f for f in same if f[3].group(5)), None)
            if with_venue:
                vm, vs = with_venue[3], with_venue[4]
                self.meeting["venue"] = self.val(vs.start + vm.start(5), vs.start + vm.end(5))
                d.cite("meeting.venue", vs.start + vm.start(5), vs.start + vm.end(5))
            for f in same:
                fm, fs = f[3], f[4]
                if fm.group(2):
                    y, mo, dd = int(fm.group(2)), int(fm.group(3)), int(fm.group(4))
                    self._set_date(y, mo, dd, fs.start + fm.start(2), fs.start + fm.end(4), "stated")
                    break
        if title is None:
            self.meeting["title"] = None
            return
        self.meeting["title"] = self.val(*title)
        d.cite("meeting.title", *title)
        st = s[title[0]:title[1]]
        num = re.search(rf"第([{CN_NUM}\d]+)(?:次|届)(全体会议|全体成员会议|工作会议|联络员会议|会议)", st)
        per_year = re.search(rf"(\d{{4}})年第[{CN_NUM}\d]+次", st)
        if per_year:
            self.title_year = (int(per_year.group(1)), title[0] + per_year.start(1), title[0] + per_year.end(1) + 1)
        kind_words = {"全体会议": "plenary", "全体成员会议": "plenary", "工作会议": "working",
                      "联络员会议": "liaison"}
        if num:
            a = title[0] + num.start(1)
            if not per_year:
                self.meeting["number"] = cn_number(num.group(1))
                d.cite("meeting.number", title[0] + num.start(), title[0] + num.end(1) + 1)
            if num.group(2) in kind_words:
                self.meeting["kind"] = kind_words[num.group(2)]
                d.cite("meeting.kind", title[0] + num.start(2), title[0] + num.end(2))
            conf_end = title[0] + num.start()
            del a
        else:
            kw = re.search("全体会议|工作会议|联络员会议", st)
            if kw:
                self.meeting["kind"] = kind_words[kw.group(0)]
                d.cite("meeting.kind", title[0] + kw.start(), title[0] + kw.end())
            conf_end = title[0] + (kw.start() if kw else len(st))
        # the conference: the stem printed just before 第N次 (…联席会议), resolved to its full name
        # a quoted name, with the place printed before it (示例街道“睦邻共治”…联席会议)
        # (after it, a year or a year's round — 2025年, 2025年度 — or a founding occasion: 成立大会暨)
        tail = r"(?:\d{4}年度?)?(?:[\u4e00-\u9fff]{0,4}大会暨)?$"
        quoted = re.search(r"^([\u4e00-\u9fff]{0,10}“[^”]+”[\u4e00-\u9fff]*?联席会议)" + tail,
                           s[title[0]:conf_end]) or re.search(r"(“[^”]+”[\u4e00-\u9fff]*?联席会议)" + tail,
                                                              s[title[0]:conf_end])
        stem = re.search(r"((?:区域化)?(?:党建)?联席会议)" + tail, s[title[0]:conf_end])
        if quoted:
            self.meeting["conference"] = self.val(title[0] + quoted.start(1), title[0] + quoted.end(1))
            d.cite("meeting.conference", title[0] + quoted.start(1), title[0] + quoted.end(1))
            self.home_conference = self.meeting["conference"]
        elif stem:
            self._meeting_conference(title[0] + stem.start(1), title[0] + stem.end(1))
        occasion = re.match(r"(.+?座谈会|.+?大会)暨", st)
        if occasion:
            self.meeting["occasion"] = self.val(title[0], title[0] + occasion.end(1))
            d.cite("meeting.occasion", title[0], title[0] + occasion.end(1))
        theme = re.search(r"(?:主题为|以)“([^”]{2,40})”(?:为主题)?", s[self.body_start:self.body_end])
        if theme and ("主题" in theme.group(0)):
            a, b = self.body_start + theme.start(1), self.body_start + theme.end(1)
            self.meeting["theme"] = self.val(a, b)
            d.cite("meeting.theme", a, b)
        host = re.search(r"由([^，。]{2,30}?)(?:主办|承办|牵头举办)", s)
        if host:
            self.meeting["host"] = self.val(*host.span(1))
            d.cite("meeting.host", *host.span(1))

    def _meeting_conference(self, a: int, b: int):
        s, d = self.s, self.draft
        stem = s[a:b]
        # the place the report is about: the first 区/县/街道/镇 name in the title
        place = re.match(r"([\u4e00-\u9fff]{1,6}?(?:区|县|街道|镇|市))", s[self.meeting_title_start():a] or "")
        t0 = self.meeting_title_start()
        whole = s[t0:b]
        if stem.startswith(("区域化", "党建", "联席")) and place and not re.search(r"暨|召开|举行|纪念|庆祝|，", whole):
            # the title names the conference itself (示例中央商务区楼宇党建联席会议2025年第一次工作会议)
            self.meeting["conference"] = self.val(t0, b)
            d.cite("meeting.conference", t0, b)
        elif stem.startswith(("区域化", "党建", "联席")) and place:
            full = place.group(1) + stem
            found = s.find(full)
            if found >= 0:
                self.meeting["conference"] = self.val(found, found + len(full))
                d.cite("meeting.conference", found, found + len(full))
            else:
                # the full name is printed nowhere: left empty, never a name put together from the
                # place and the stem (the reviewer picks the conference the report is imported into)
                self.meeting["conference"] = None
        else:
            self.meeting["conference"] = self.val(a, b)
            d.cite("meeting.conference", a, b)
        self.home_conference = self.meeting.get("conference")

    def meeting_title_start(self) -> int:
        src = self.draft.sources.get("meeting.title")
        return src["span"][0] if src else 0

    def extract_date(self):
        if "date" in self.meeting:
            return
        lead_end = self.sentences[min(3, len(self.sentences) - 1)].end
        full = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", self.s[:lead_end])
        # the meeting's own sentence may give another day than a full date elsewhere in the lead (a
        # 简报's issue date): the day is the meeting sentence's, the year only inferred from the full date
        src = self.draft.sources.get("meeting.title")
        own = None
        if src:
            sent = self.draft.sentence_of(src["span"][0])
            own = re.search(r"(?<![\d年])(\d{1,2})月(\d{1,2})日", self.s[sent.start:sent.end])
            if own:
                own = (int(own.group(1)), int(own.group(2)), sent.start + own.start(), sent.start + own.end())
        if full and own and (own[0], own[1]) != (int(full.group(2)), int(full.group(3))):
            month, day, a, b = own
            self.meeting["month_day"] = f"{month:02d}-{day:02d}"
            self.draft.cite("meeting.month_day", a, b)
            y, fm, fd = int(full.group(1)), int(full.group(2)), int(full.group(3))
            if (fm, fd) >= (month, day):
                self.meeting["date"] = f"{y:04d}-{month:02d}-{day:02d}"
                self.draft.cite("meeting.date", a, b, "inferred",
                                f"月日见会议所在句；年份据文中日期“{full.group(0)}”（在会议之后，同年）")
                self.draft.sources["meeting.date"]["evidence"] = {"span": [full.start(), full.end()],
                                                                  "quote": self.val(full.start(), full.end())}
            else:
                self.meeting["date"] = None
            return
        if full:
            self._set_date(int(full.group(1)), int(full.group(2)), int(full.group(3)), full.start(), full.end(), "stated")
            return
        if self.dateline:
            month, day, a, b = self.dateline
            where = "电头"
        else:
            # "4月26日，…会议…召开": the day in the lead (not a date inside a later sentence)
            md = re.search(r"(?<![\d年])(\d{1,2})月(\d{1,2})日", self.s[:lead_end])
            if not md:
                self.meeting["date"] = None
                return
            month, day, a, b = int(md.group(1)), int(md.group(2)), md.start(), md.end()
            where = "导语"
        # "24日召开" on the same day as the dateline confirms the meeting day; the year needs evidence.
        years = []
        for m in re.finditer(r"(?:中国共产党|党)成立(\d{2,3})周年", self.s):
            years.append((1921 + int(m.group(1)), m.start(), m.end(),
                          f"“{self.val(m.start(), m.end())}”：1921 + {m.group(1)} = {1921 + int(m.group(1))}"))
        for m in re.finditer(r"(?:新中国|中华人民共和国)成立(\d{2,3})周年", self.s):
            years.append((1949 + int(m.group(1)), m.start(), m.end(),
                          f"“{self.val(m.start(), m.end())}”：1949 + {m.group(1)} = {1949 + int(m.group(1))}"))
        if getattr(self, "title_year", None):
            y, ya, yb = self.title_year
            years.append((y, ya, yb, f"标题“{self.val(ya, yb)}第…次”所载年份"))
        elif src:
            # a headline that counts the meeting within a year (…召开2025年第一次全体会议) while the lead
            # gives its overall number (第九次): the headline's year
            title_sent = self.draft.sentence_of(src["span"][0])
            for se in self.sentences:
                if se.start > title_sent.start:
                    break
                ym = re.search(rf"(\d{{4}})年第[{CN_NUM}\d]+次(?:全体会议|全体成员会议|工作会议|联络员会议|会议)",
                               self.s[se.start:se.end])
                if ym:
                    ya, yb = se.start + ym.start(1), se.start + ym.end(1) + 1
                    years.append((int(ym.group(1)), ya, yb, f"标题“{self.val(se.start + ym.start(), se.start + ym.end())}”所载年份"))
                    break
        self.meeting["month_day"] = f"{month:02d}-{day:02d}"
        self.draft.cite("meeting.month_day", a, b)
        if len({y for y, *_ in years}) == 1:
            y, ya, yb, why = years[0]
            self.meeting["date"] = f"{y:04d}-{month:02d}-{day:02d}"
            self.draft.cite("meeting.date", a, b, "inferred", f"月日见{where}；年份据{why}")
            self.draft.sources["meeting.date"]["evidence"] = {"span": [ya, yb], "quote": self.val(ya, yb)}
        else:
            self.meeting["date"] = None

    def _set_date(self, y, mo, dd, a, b, basis):
        self.meeting["date"] = f"{y:04d}-{mo:02d}-{dd:02d}"
        self.draft.cite("meeting.date", a, b, basis)

    # ---- conferences -------------------------------------------------------------------------
    def extract_conferences(self):
        s = self.s
        home = getattr(self, "home_conference", None)
        home_s = to_simplified(home) if home else None
        for m in re.finditer(r"“([^”]{2,20})”((?:区域化)?(?:党建)?联席会议|产业集群党建联席会议|[\u4e00-\u9fff]{0,4}党建联席会议)", s):
            name = self.val(m.start(), m.end())
            if to_simplified(name) == home_s:
                continue
            key = to_simplified(name)
            if key in self.conferences:
                continue
            kind = "industry" if "产业集群" in m.group(2) else None
            entry = {"name": name, "short_name": self.val(*m.span(1)), "kind": kind, "parent": home}
            n = len(self.conferences)
            self.conferences[key] = entry
            self.draft.cite(f"conferences[{n}].name", m.start(), m.end())
            if kind:
                self.draft.cite(f"conferences[{n}].kind", m.start(2), m.end(2))
            if home:
                self.draft.cite(f"conferences[{n}].parent", m.start(), m.end(), "inferred",
                                f"本报道记述{home}的会议，其中提及的联席会议视为其下属联席会议")

    def conference_for(self, text: str) -> str | None:
        t = to_simplified(text)
        for key, entry in self.conferences.items():
            if t.endswith(key) or key in t:
                return entry["name"]
        if re.search(r"(^|区|县)(区域化党建)?联席会议$", t) or t in ("联席会议",):
            return getattr(self, "home_conference", None)
        return None

    # ---- people ------------------------------------------------------------------------------
    def extract_people(self):
        s = self.s
        lo, hi = self.body_start, self.body_end
        found = []
        for m in _NAME_RE.finditer(s, lo, hi):
            name = m.group(1)
            a, b = m.span(1)
            if name[0] in _NOT_NAME or any(p in name for p in ("书记", "主任", "代表")):
                continue
            if not (name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES)) or _common_word(name):
                continue
            if s[b:b + 2] in ("单位", "组织", "支部"):
                continue
            found.append((a, b, name))
        names = {n for _, _, n in found}
        # later mentions by bare name ("周志军强调")
        spans = []
        for name in sorted(names, key=len, reverse=True):
            for m in re.finditer(re.escape(name), s[:hi]):
                if m.start() < lo:
                    continue
                if any(a <= m.start() < b for a, b, _ in spans):
                    continue
                spans.append((m.start(), m.end(), name))
        self.person_spans = sorted(spans)
        for a, b, name in sorted(found):
            if name in self.people:
                continue
            idx = len(self.people)
            person = {"name": self.val(a, b), "titles": [], "units": [], "roles": []}
            self.people[name] = person
            self.draft.cite(f"people[{idx}].name", a, b)
            self._title_chain(idx, person, a)

    def _chain_start(self, name_start: int) -> int:
        s = self.s
        sent = self.draft.sentence_of(name_start)
        k = name_start
        while k > sent.start:
            ch = s[k - 1]
            if ch in "，,。；;：:——":
                break
            if ch in "和与及":
                # "…书记甲和乙…": 和 after a post and a name joins two people; inside an organisation's
                # name (经济和信息化工作党委) it does not end the chain
                if any(b == k - 1 for _, b, _ in self.person_spans) or re.search(
                        rf"(?:{_POST_RE})[\u4e00-\u9fff]{{1,3}}$", s[sent.start:k - 1]) or not re.search(
                        rf"(?:{_POST_RE})$", s[k:name_start]):
                    break
            if ch == "、":
                # a 、 right after another person's name separates people; inside a chain it separates posts
                if any(b == k - 1 for _, b, _ in self.person_spans):
                    break
            if any(b == k for _, b, _ in self.person_spans):
                break
            k -= 1
        lead = re.match(r"(?:会上|会议上|会前|随后|最后|此外|其中|会议由|由)", s[k:name_start])
        if lead:
            k += lead.end()
        return k

    def _title_chain(self, idx: int, person: dict, name_start: int):
        s, d = self.s, self.draft
        start = self._chain_start(name_start)
        chain = s[start:name_start]
        if not chain:
            return
        d.cite(f"people[{idx}].title_chain", start, name_start)
        person["title_chain"] = self.val(start, name_start)
        last_org = None
        t = 0
        for a, b in split_top(chain):
            seg_a, seg_b = start + a, start + b
            seg = s[seg_a:seg_b]
            # "…成员单位代表上海交通大学医学院党委书记": a conference role then a post
            rep = re.match(r"(.*?成员单位代表)(.+)", seg)
            pieces = [(seg_a, seg_a + rep.end(1)), (seg_a + rep.end(1), seg_b)] if rep else [(seg_a, seg_b)]
            for pa, pb in pieces:
                piece = s[pa:pb]
                post = next((p for p in POSTS if piece.endswith(p)), None)
                if post is None:
                    continue
                org_a, org_b = pa, pb - len(post)
                path = f"people[{idx}].titles[{t}]"
                entry = {"post": self.val(org_b, pb), "organisation": None}
                d.cite(path + ".post", org_b, pb)
                if org_b > org_a:
                    entry["organisation"] = self.val(org_a, org_b)
                    d.cite(path + ".organisation", org_a, org_b)
                    last_org = (org_a, org_b)
                elif last_org:
                    entry["organisation"] = self.val(*last_org)
                    d.cite(path + ".organisation", *last_org, "inferred",
                           "职务链中承前省略单位（如“党组书记、副主席”的“副主席”属同一单位）")
                org = entry["organisation"] or ""
                post_s = s[org_b:pb]
                org_s = to_simplified(org)
                role = next((r for r in CONFERENCE_ROLES if post_s.endswith(r)), None)
                if role:
                    inherited = org_b == org_a
                    conf = self.conference_for(org_s) if org and not inherited else None
                    self._add_role(idx, person, role, conf, (org_a, pb), org)
                    if post_s == "成员单位代表":
                        entry = None
                elif org and org_b > org_a or (org and post_s not in NO_INHERIT):
                    if org not in person["units"]:
                        person["units"].append(org)
                if entry is not None and org_b == org_a and post_s in NO_INHERIT:
                    entry["organisation"] = None
                    d.sources.pop(path + ".organisation", None)
                if entry is not None:
                    person["titles"].append(entry)
                    t += 1

    def _add_role(self, idx, person, role, conf, span, org, basis=None, reason=None):
        d = self.draft
        printed = self.val(span[1] - len(role), span[1]) if to_simplified(self.val(span[1] - len(role), span[1])) == role else role
        person["roles"].append({"role": ROLE_CODES.get(role, role), "as_stated": printed, "conference": conf})
        r = len(person["roles"]) - 1
        d.cite(f"people[{idx}].roles[{r}].role", *span, basis or "stated", reason)
        if conf:
            stated = org and to_simplified(conf) == to_simplified(org)
            d.cite(f"people[{idx}].roles[{r}].conference", *span, "stated" if stated else "inferred",
                   None if stated else f"原文作“{org}”，指{conf}")

    def share_leading_roles(self):
        """"联席会议轮值召集人、A党组书记、副主席甲和B党组书记、副主席乙先后主持": the leading conference
        role may qualify both people joined by 和; the second gets it as an inference for review."""
        s = self.s
        names = list(self.people)
        for k, name in enumerate(names[:-1]):
            first, second = self.people[name], self.people[names[k + 1]]
            fa = self.draft.sources.get(f"people[{k}].name")
            sa = self.draft.sources.get(f"people[{k + 1}].name")
            if not (fa and sa and first["roles"]) or second["roles"]:
                continue
            if s[fa["span"][1]:fa["span"][1] + 1] != "和" or self.draft.sentence_of(fa["span"][0]) is not self.draft.sentence_of(sa["span"][0]):
                continue
            chain = first.get("title_chain") or ""
            lead = first["roles"][0]
            word = to_simplified(lead["as_stated"])
            if not to_simplified(chain).split("、")[0].endswith(word):
                continue
            tail = s[sa["span"][1]:self.draft.sentence_of(sa["span"][0]).end]
            if not re.match(r"(?:先后|共同|分别)", tail):
                continue
            span = self.draft.sources[f"people[{k}].roles[0].role"]["span"]
            self._add_role(k + 1, second, word, lead["conference"], tuple(span), chain.split("、")[0],
                           "inferred", f"“{chain.split('、')[0]}”写在“{first['name']}和{second['name']}”之前，"
                           "二人“先后”同作一事，职务可能同时修饰二人")

    def share_member_qualifier(self):
        """"联席会议成员单位代表A党委书记甲,B党委书记、院长乙共同为…": the qualifier 成员单位代表 stands
        before the first of two people listed before 共同/分别/先后; that it covers the second too is
        an inference for review, with the words it rests on."""
        s = self.s
        names = list(self.people)
        for k, name in enumerate(names[:-1]):
            first, second = self.people[name], self.people[names[k + 1]]
            fa = self.draft.sources.get(f"people[{k}].name")
            sa = self.draft.sources.get(f"people[{k + 1}].name")
            rep = next((r for r, role in enumerate(first["roles"]) if role["role"] == "member_representative"), None)
            if not (fa and sa) or rep is None or second["roles"]:
                continue
            if s[fa["span"][1]:fa["span"][1] + 1] not in "，," or self.draft.sentence_of(fa["span"][0]) is not \
                    self.draft.sentence_of(sa["span"][0]):
                continue
            if not re.match(r"(?:先后|共同|分别)", s[sa["span"][1]:sa["span"][1] + 2]):
                continue
            lead = first["roles"][rep]
            span = tuple(self.draft.sources[f"people[{k}].roles[{rep}].role"]["span"])
            qualifier = self.val(*span)
            whole = self.val(span[0], sa["span"][1])
            person = {"role": lead["role"], "as_stated": lead["as_stated"], "conference": lead["conference"]}
            second["roles"].append(person)
            r = len(second["roles"]) - 1
            self.draft.cite(f"people[{k + 1}].roles[{r}].role", span[0], sa["span"][1], "inferred",
                            f"原文“{whole}”：修饰语“{qualifier}”写在{first['name']}、{second['name']}二人之前，"
                            "可能兼指二人")
            if lead["conference"]:
                self.draft.cite(f"people[{k + 1}].roles[{r}].conference", *span, "inferred",
                                f"原文作“{qualifier}”，指{lead['conference']}")

    def home_conference_or_none(self):
        return getattr(self, "home_conference", None)

    def people_in(self, a: int, b: int) -> list[str]:
        return [self.val(pa, pb) for pa, pb, _ in self.person_spans if a <= pa < b]

    # ---- units ----------------------------------------------------------------------------------
    def add_unit(self, a: int, b: int, role: str | None, role_span=None) -> dict:
        s = self.s
        label = s[a:b]
        body = next((p for p in PARTY_BODY if label.endswith(p)), None)
        name_end = b - len(body) if body else b
        key = to_simplified(self.val(a, name_end))
        entry = self.units.get(key)
        idx = list(self.units).index(key) if entry else len(self.units)
        if entry is None:
            entry = {"name": self.val(a, name_end), "party_organisation": self.val(a, b) if body else None,
                     "roles": [], "conference_body": None}
            self.units[key] = entry
            self.draft.cite(f"units[{idx}].name", a, name_end)
            if body:
                self.draft.cite(f"units[{idx}].party_organisation", a, b)
            conf = re.match(r"(“[^”]+”(?:区域化)?党建联席会议)(秘书长单位|秘书处)$", s[a:b])
            if conf:
                entry["conference_body"] = {"conference": self.conference_for(conf.group(1)), "role": conf.group(2)}
                self.draft.cite(f"units[{idx}].conference_body", a, b)
        if role and role not in entry["roles"]:
            entry["roles"].append(role)
            self.draft.cite(f"units[{idx}].roles[{len(entry['roles']) - 1}]", *(role_span or (a, b)))
        return entry

    def unit_list(self, a: int, b: int, role: str, role_span) -> list[str]:
        out = []
        for pa, pb in split_top(self.s[a:b]):
            pa, pb = a + pa, a + pb
            while pa < pb and self.s[pa] in " ——-":
                pa += 1
            if pb - pa >= 3:
                out.append(self.add_unit(pa, pb, role, role_span)["name"])
        return out

    # ---- agenda ---------------------------------------------------------------------------------
    def add_item(self, kind: str, pos: int, a: int, b: int, **fields) -> dict:
        item = {"kind": kind, "summary": self.val(a, b).strip("，,。 "), "people": [], "units": [], "objects": [],
                "_pos": pos, "_seq": len(self.agenda), "_span": (a, b)}
        item.update(fields)
        self.agenda.append(item)
        return item

    def extend(self, item: dict, a: int, b: int):
        """An item reported over several sentences: its summary is the source slice covering them."""
        lo, hi = item["_span"]
        item["_span"] = (min(lo, a), max(hi, b))
        item["summary"] = self.val(*item["_span"]).strip("，,。 ")

    def extract_agenda(self):
        s = self.s
        lo, hi = self.body_start, self.body_end
        current_para_items: dict[int, list[dict]] = {}
        speakers_seen = {}
        for sent in self.sentences:
            if sent.end <= lo or sent.start >= hi:
                continue
            a, b = max(sent.start, lo), min(sent.end, hi)
            st = s[a:b]
            para_items = current_para_items.setdefault(sent.para, [])

            # 出席会议并讲话: the speakers (their speeches are placed where their content is reported)
            for m in re.finditer(r"(出席|主持)(?:会议|活动)?并(?:讲话|致辞)", st):
                # the subjects: clauses before the verb back to one that has a verb of its own
                clause_start = a
                for c in re.finditer(r"[，,]", st[: m.start()]):
                    before = st[clause_start - a: c.start()]
                    if re.search(r"主持|讲话|出席|介绍|召开|举行|通报|发布", before):
                        clause_start = a + c.end()
                attended = (a + m.start(), a + m.end()) if m.group(1) == "出席" else None
                for person in self.people_in(clause_start, a + m.start()):
                    speakers_seen.setdefault(to_simplified(person), (a + m.start(), a, b, attended))
            # chairing
            m = re.search(r"(先后|共同|分别)?主持(?:会议|会议并讲话)?", st)
            if m and "主持人" not in st:
                ppl = self.people_in(a, a + m.start())
                if ppl:
                    item = self.add_item("chairing", a + m.start(), a, b)
                    item["people"] = [{"name": p, "role": "host"} for p in ppl]
                    self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
            # unveiling
            for m in re.finditer(r"(“[^”]+”[^，。“”]*?联席会议|[^，。、]{2,30}?)揭牌(成立)?", st):
                obj_a, obj_b = a + m.start(1), a + m.end(1)
                obj = s[obj_a:obj_b]
                obj_clean = re.sub(r"^.*?为", "", obj) if "为" in obj else obj
                target = next((it for it in self.agenda if it["kind"] == "unveiling"
                               and to_simplified(it["objects"][0]) in obj), None)
                if target is None:
                    target = self.add_item("unveiling", a + m.start(), a, b)
                    off = obj.find(obj_clean)
                    target["objects"] = [self.val(obj_a + off, obj_b)]
                    self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                    para_items.append(target)
                else:
                    for p in self.people_in(a, a + m.end(1)):
                        if p not in [x["name"] for x in target["people"]]:
                            target["people"].append({"name": p, "role": "unveiler"})
            m = re.search(r"在(“[^”]+”[^，。“”]*?联席会议)的基础上(?:升级)?成立", st)
            if m:
                target = next((it for it in reversed(self.agenda) if it["kind"] == "unveiling"), None)
                if target is not None and to_simplified(target["objects"][0]) in st[: m.start()]:
                    target["upgraded_from"] = self.val(a + m.start(1), a + m.end(1))
                    self.draft.cite(f"agenda[{target['_seq']}].upgraded_from", a + m.start(1), a + m.end(1))
                    self.extend(target, a, b)  # what the new conference is founded on belongs to the item
            # introduction: belongs to the item just reported in the same paragraph, else a report
            m = re.search(r"(?:介绍|通报|汇报)(?:了)?[^，。]{0,30}?(?:情况|工作安排|工作要点|工作计划|进展)", st)
            if m:
                ppl = self.people_in(a, a + m.start())
                if para_items:
                    para_items[-1]["people"] += [{"name": p, "role": "introducer"} for p in ppl]
                elif ppl:
                    item = self.add_item("report", a + m.start(), a, b)
                    item["people"] = [{"name": p, "role": "introducer"} for p in ppl]
                    self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                    para_items.append(item)
                else:
                    # "会上，A公司党委介绍了…情况": a unit reports
                    subj = re.fullmatch(r"(?:会上|会议上|随后|此外|同时)?，?([^，。、]{3,30}?(?:" + "|".join(PARTY_BODY) + r"))",
                                        st[: m.start()])
                    if subj:
                        item = self.add_item("report", a + m.start(), a, b)
                        item["units"] = [{"name": self.add_unit(a + subj.start(1), a + subj.end(1), None)["name"],
                                          "role": "introducer"}]
                        self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                        para_items.append(item)
            # admission
            m = re.search(rf"通过(?:了)?新加入的([\d{CN_NUM}]+)家[^——，。]*?成员单位(?:——|：|:|，|,)([^。]+)", st)
            if not m:
                # "A党委、B党总支(等N家单位)(新)加入(“X”)…联席会议"
                # "…通过了A党委、B党委3家新成员单位的加入申请" likewise
                m = re.search(rf"()([^，。：]+?)(?:等?[\d{CN_NUM}]+家(?:新)?(?:成员)?(?:单位)?)?(?:(?:正式|新)?加入(?:了)?[^，。]*?联席会议|"
                              r"成为(?:首批|新)?(?:[^，。]*?联席会议)?(?:首批|新)?成员单位|的?(?:加入|入会)申请)", st)
                if m:
                    lead = re.match(r"(?:会上|会议上|此外|同时)?，?", st[m.start(2):])
                    m = m if lead is None else m
            if m:
                item = self.add_item("admission", a + m.start(), a, b)
                u_a = a + m.start(2)
                lead = re.match(r"(?:会上|会议上|此外|同时)?，?(?:会议)?(?:审议)?(?:通过了?)?(?:同意)?", s[u_a:a + m.end(2)])
                u_a += lead.end() if lead else 0
                item["units"] = [{"name": u, "role": "admitted"} for u in
                                 self.unit_list(u_a, a + m.end(2), "admitted", (a + m.start(), a + m.end()))]
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                para_items.append(item)
            m = re.search(r"为(?:新加入的)?[^，。]*?(?:成员单位|单位)授牌", st)
            if m:
                target = next((it for it in reversed(para_items) if it["kind"] == "admission"), None)
                ppl = self.people_in(a, a + m.start())
                if target is None:
                    target = self.add_item("award", a + m.start(), a, b)
                    self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                    para_items.append(target)
                target["people"] += [{"name": p, "role": "presenter"} for p in ppl]
                self.extend(target, a, b)
            # naming
            m = re.search(r"命名(?:了)?([^。]*?)为“([^”]+)”", st) or re.search(
                rf"命名(?:了)?(?:[^。“”]*?等)?(?:首批|新一批|第[{CN_NUM}\d]+批)?([\d{CN_NUM}]+[个家位名支])“([^”]+)”", st) or re.search(r"为()“([^”]+)”命名", st) or \
                re.search(rf"对([\d{CN_NUM}]+[个家位名支])“([^”]+)”(?:进行了?|予以)?命名", st)
            if m:
                item = self.add_item("naming", a + m.start(), a, b)
                item["objects"] = [self.val(a + m.start(2) - 1, a + m.end(2) + 1)]
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                para_items.append(item)
            # award (颁授/颁发 … 奖杯/奖牌/证书)
            m = re.search(r"为([^，。]*?)(?:颁授|颁发)(?:了)?(奖杯|奖牌|证书|奖状|荣誉|铭牌)?", st) or re.search(
                r"()(?:颁授|颁发)(?:了)?“[^”]+”(奖杯|奖牌|证书|奖状|荣誉|铭牌)", st)
            if m:
                ppl = self.people_in(a, a + m.start())
                receivers = s[a + m.start(1):a + m.end(1)]
                target = None
                for it in reversed(para_items):
                    if it["kind"] == "naming" and it["objects"] and (to_simplified(it["objects"][0]) in receivers
                                                                      or receivers.startswith("获评")):
                        target = it
                        break
                if target is None:
                    target = self.add_item("award", a + m.start(), a, b)
                    self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                    para_items.append(target)
                    prior = [lst for lst in self.lists if lst["_para"] == sent.para]
                    if prior:
                        target["objects"].append(prior[-1]["what"])
                else:
                    self.extend(target, a, b)
                target["people"] += [{"name": p, "role": "presenter"} for p in ppl]
            # release
            m = re.search(r"发布(?:了)?([^。，]*)", st)
            if m and not re.search(r"(?:讲话|强调|指出)", st[: m.start()]):
                item = self.add_item("release", a + m.start(), a, b)
                item["objects"] = [self.val(a + m.start(1), a + m.end(1))]
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
                para_items.append(item)
            # video
            m = re.search(r"观看(?:了)?(《[^》]+》)?[^，。]*?(?:视频|专题片|短片|宣传片)", st)
            if m:
                item = self.add_item("video", a + m.start(), a + m.start(), a + m.end())
                if m.group(1):
                    item["objects"] = [self.val(a + m.start(1), a + m.end(1))]
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a + m.start(), a + m.end())
            # adjustment
            m = re.search(r"调整(?:了)?([^，。]*?(?:召集人|秘书长|成员|人选)[^，。]*)", st)
            if m:
                item = self.add_item("adjustment", a + m.start(), a + m.start(), a + m.end())
                item["objects"] = [self.val(a + m.start(1), a + m.end(1))]
                item["successors"] = []
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a + m.start(), a + m.end())
            # exchanges
            for m in re.finditer(r"([^，。]*?)作(现场|书面)?交流(?:发言)?", st):
                u_a = a + m.start(1)
                lead = re.match(r"(?:会上|此外|同时|随后)?，?", s[u_a:a + m.end(1)])
                u_a += lead.end() if lead else 0
                mode = {"现场": "live", "书面": "written"}.get(m.group(2))
                item = self.add_item("exchange", a + m.start(), u_a, a + m.end(), mode=mode)
                item["units"] = [{"name": u, "role": "exchange"} for u in
                                 self.unit_list(u_a, a + m.end(1), f"exchange_{mode}", (u_a, a + m.end()))]
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", u_a, a + m.end())
            # signing
            m = re.search(r"签订(?:了)?([^，。]*?(?:协议|协议书|备忘录|合作书))|签约", st)
            if m:
                item = self.add_item("signing", a + m.start(), a, b)
                self.draft.cite(f"agenda[{len(self.agenda) - 1}]", a, b)
        self._speeches(speakers_seen)
        self.agenda.sort(key=lambda it: it["_pos"])

    def _speeches(self, speakers_seen):
        s = self.s
        lo, hi = self.body_start, self.body_end
        names = {to_simplified(p["name"]): p["name"] for p in self.people.values()}
        current = None
        for sent in self.sentences:
            if sent.end <= lo or sent.start >= hi:
                continue
            st = s[sent.start:sent.end]
            # "甲强调，…", or with the speaker's posts before the name: "…召集人甲指出，…"
            m = next((x for x in (re.match(rf"(?:[^，。“”]{{0,40}}?(?:{_POST_RE}))?({re.escape(n)})(?:在讲话中|在致辞中)?"
                                           r"(?:强调|指出|表示|要求|提出)", st) for n in names) if x), None)
            if m and m.group(1) in names:
                speaker = names[m.group(1)]
                if current is None or current["speaker"] != speaker:
                    current = next((sp for sp in self.speeches if sp["speaker"] == speaker), None)
                    if current is None:
                        current = {"speaker": speaker, "points": [], "_start": sent.start, "_sents": []}
                        self.speeches.append(current)
                current["_sents"].append(sent)
                continue
            if re.match(r"(?:会上|会议|此外|随后|最后)", st) or (current and sent.para != current["_sents"][-1].para
                                                                 and not st.startswith("要")):
                current = None
                continue
            if current is not None:
                current["_sents"].append(sent)
        for sp in self.speeches:
            sents = sp["_sents"]
            firsts = set()
            prev_para = None
            for se in sents:
                if se.para != prev_para:
                    firsts.add(se.start)
                prev_para = se.para
            # a point starts with 要; the speaker's opening sentence counts from after "强调，"
            starts = {}
            for se in sents:
                st = s[se.start:se.end]
                opener = re.match(rf"(?:[^，。“”]{{0,40}}?(?:{_POST_RE}))?{re.escape(to_simplified(sp['speaker']))}"
                                  r"(?:在讲话中|在致辞中)?(?:强调|指出|表示|要求|提出)[，,：:]", st)
                begin = se.start + (opener.end() if opener else 0)
                if s[begin:se.end].startswith("要"):
                    starts[se.start] = Sentence(begin, se.end, se.para)
            cands = []
            for se in sents:
                if se.start not in starts:
                    continue
                # "要…；要…；要…": points joined by semicolons in one sentence are points each
                x = starts[se.start]
                cuts = [k + 1 for k in range(x.start, x.end - 1) if s[k] == "；" and s[k + 1] == "要"]
                bounds = [x.start, *cuts, x.end]
                cands += [Sentence(lo, hi, x.para) for lo, hi in zip(bounds, bounds[1:], strict=False)]
            keep = [x for x in cands if s[x.start:x.end].startswith("要坚持")]
            if len(keep) < 2:
                keep = [x for x in cands if x.start in firsts]
            if len(keep) < 2:
                keep = cands
            # a point the text breaks off inside (the report is cut off) is kept apart, not counted
            cut = None
            if keep and self.truncated and keep[-1].end >= self.truncated_at and \
                    s[keep[-1].start:keep[-1].end].rstrip()[-1:] not in "。！？；!?;":
                cut = keep.pop()
            sp["points"] = [self.val(x.start, x.end) for x in keep]
            sp["_cut"] = cut
            sp["_keep"] = keep
        # a speech item per speaker, placed where the speech is reported (else where it is announced);
        # "甲出席会议并讲话" also makes the speaker an attendee of that item, cited to those words
        def attend(item, name, seen):
            if seen and seen[3]:
                item["people"].append({"name": name, "role": "attendee"})
                self.draft.cite(f"agenda[{item['_seq']}].people[{len(item['people']) - 1}]", *seen[3])

        for sp in self.speeches:
            item = self.add_item("speech", sp["_start"], sp["_sents"][0].start, sp["_sents"][0].end)
            item["people"] = [{"name": sp["speaker"], "role": "speaker"}]
            self.extend(item, sp["_sents"][0].start, sp["_sents"][-1].end)  # the speech as reported
            attend(item, sp["speaker"], speakers_seen.pop(to_simplified(sp["speaker"]), None))
        for name, seen in speakers_seen.items():
            item = self.add_item("speech", *seen[:3])
            item["people"] = [{"name": names.get(name, name), "role": "speaker"}]
            attend(item, names.get(name, name), seen)

    # ---- lists and figures ----------------------------------------------------------------------
    def extract_lists(self):
        s = self.s
        lo, hi = self.body_start, self.body_end
        pats = [
            # 评选出了“A、B、…”等…“十大品牌项目”  /  包括A、B…等。
            re.compile(r"(?:评选出(?:了)?|包括|命名(?:了)?|推出(?:了)?|发布(?:了)?)“([^“”]*(?:‘[^’]*’[^“”]*)*)”等([^，。]{2,30})"),
            re.compile(rf"(?:包括|包含|有|涵盖)(?:了)?([^。：]{{4,}}?)等(?:[\d{CN_NUM}]+[个项家])?[^，。]{{0,6}}(?:[。，]|$)"),
            re.compile(r"(?:做实|推动|建立)([^。，“]{4,}?)等([^，。]{2,12})"),
            # "…，包括A、B、C。" without 等: the list runs to the end of the sentence
            re.compile(r"(?:包括|包含|涵盖|分别是|分别为)(?:了)?[：:]?([^。：等]{4,}?)。"),
            # "发布了…：“A”“B”“C”。": quoted items after a colon, with or without separators
            re.compile(r"[：:]((?:“[^“”]+”[、，]?){3,})(?:。|$)"),
            # "命名了A、B等15个“示范阵地”": the items before 等 and a count, the label quoted after it
            re.compile(rf"(?:命名(?:了)?|评选出(?:了)?|推出(?:了)?|认定(?:了)?)([^。：“”]{{4,}}?)等(?:[\d{CN_NUM}]+[个项家位名支])(“[^”]+”)"),
        ]
        taken = []
        for sent in self.sentences:
            if sent.end <= lo or sent.start >= hi:
                continue
            a = max(sent.start, lo)
            st = s[a:min(sent.end, hi)]
            for pat in pats:
                for m in pat.finditer(st):
                    ia, ib = a + m.start(1), a + m.end(1)
                    if any(x < ib and ia < y for x, y in taken):
                        continue
                    items = [(ia + x, ia + y) for x, y in split_top(s[ia:ib])]
                    if len(items) == 1 and re.fullmatch(r"(?:“[^“”]+”){3,}", s[ia:ib]):
                        items = [(ia + q.start(), ia + q.end()) for q in re.finditer(r"“[^“”]+”", s[ia:ib])]
                    # (two items suffice where 等 and a count say the list goes on)
                    if len(items) < (2 if pat is pats[-1] else 3):
                        continue
                    taken.append((ia, ib))
                    if m.lastindex and m.lastindex >= 2 and pat is not pats[1]:
                        what_a, what_b = a + m.start(2), a + m.end(2)
                    else:
                        # "发布了“…清单”，包括…" or "会上发布了2024年区域化党建“十大重点项目”。包括…": the
                        # label is earlier in the sentence, or in the sentence before
                        here = re.search(r"(?:发布|评选出|命名|推出)(?:了)?([^，。]+?)[，,]?$", s[a:a + m.start()])
                        prev = [x for x in self.sentences if x.end <= sent.start]
                        label = re.search(r"(?:发布|评选出|命名)(?:了)?([^。]+?)[。]?$", s[prev[-1].start:prev[-1].end]) if prev else None
                        if here:
                            what_a, what_b = a + here.start(1), a + here.end(1)
                        elif label:
                            what_a, what_b = prev[-1].start + label.start(1), prev[-1].start + label.end(1)
                        else:
                            what_a, what_b = ia, ia
                    what = self.val(what_a, what_b).rstrip("。")
                    n = len(self.lists)
                    entry = {"what": what, "items": [self.val(x, y).strip() for x, y in items], "complete": None,
                             "_para": sent.para}
                    for k, (x, y) in enumerate(items):
                        self.draft.cite(f"lists[{n}].items[{k}]", x, y)
                    self.draft.cite(f"lists[{n}].what", what_a, what_b)
                    count = re.search(rf"([{CN_NUM}\d]+)(?:大|项|个|家|件)", to_simplified(what))
                    ends_with_deng = s[ib:ib + 2].startswith(("”等", "等"))
                    if count and cn_number(count.group(1)) == len(items):
                        entry["complete"] = True
                        self.draft.cite(f"lists[{n}].complete", what_a, what_b, "inferred",
                                        f"列出 {len(items)} 项，与“{count.group(0)}”之数相符（“等”为煞尾）")
                    elif ends_with_deng:
                        entry["complete"] = False
                        self.draft.cite(f"lists[{n}].complete", ib, ib + 2, "inferred", "以“等”结尾，未说明是否列全")
                    self.lists.append(entry)
        # a list cut off by the end of the text
        tail = s[lo:hi].rstrip()
        if self.truncated_at is not None:
            last = [x for x in self.sentences if x.start < hi][-1]
            st = s[last.start:hi]
            m = re.search(r"(?:分别是|分别为|包括|评选出(?:了)?|命名(?:了)?)“?((?:(?!分别是|分别为|包括)[^：。])*、[^：。]*)$", st)
            if m and tail:
                ia, ib = last.start + m.start(1), last.start + m.end(1)
                items = [(ia + x, ia + y) for x, y in split_top(s[ia:ib]) if y - x > 1]
                cut = None
                if not s[ib - 1:ib] == "、" and items:
                    cut = items.pop()  # the text stops inside this item: it may be incomplete
                n = len(self.lists)
                label = re.search(rf"(?:发布|命名|评选出|推出)(?:了)?(?:[\d{CN_NUM}]+[个项家])?([^，。]+?)[，,]?$",
                                  s[last.start:last.start + m.start()])
                what = None
                if label:
                    what = self.val(last.start + label.start(1), last.start + label.end(1))
                    self.draft.cite(f"lists[{n}].what", last.start + label.start(1), last.start + label.end(1))
                self.lists.append({"what": what, "items": [self.val(x, y).strip() for x, y in items],
                                   "complete": False, "cut_item": self.val(*cut) if cut else None,
                                   "_para": last.para})
                for k, (x, y) in enumerate(items):
                    self.draft.cite(f"lists[{n}].items[{k}]", x, y)
                if cut:
                    self.draft.cite(f"lists[{n}].cut_item", *cut)
                self.draft.cite(f"lists[{n}].complete", ib - 1, ib, "inferred", "原文在列举中途截断")

    def extract_figures(self):
        s = self.s
        lo, hi = self.body_start, self.body_end
        speech_spans = [(se.start, se.end) for sp in self.speeches for se in sp["_sents"]]
        seen = []
        for m in re.finditer(rf"(?<![第\d{CN_NUM}])([\d]+|[{CN_NUM}]+)(家|个|位|名|项|支|所|件)([^，。、；：“”—]{{0,24}})", s):
            if not (lo <= m.start() < hi) or any(x <= m.start() < y for x, y in speech_spans):
                continue
            value = cn_number(m.group(1))
            if value is None or (not m.group(1).isdigit() and value < 2):
                continue
            before = s[max(lo, m.start() - 30):m.start()]
            if re.search(r"(?:新加入的|这|上述|该)$", before) and any(v == value for v, _ in seen):
                continue  # a back-reference to a count already stated
            after = m.group(3)
            what = re.match(r"(?:来自[^的]*的)?([^，。]*?)(?:为|，|。|$)", after)
            what_text = after
            wa, wb = m.start(3), m.end(3)
            subject = re.search(r"([\u4e00-\u9fff“”]{2,30}?)(?:已达到|已达|已有|共有|共计|达到|达|有)$", before)
            quoted = re.match(r"“([^”]{2,20})”", s[m.end(2):m.end(2) + 22])
            if not after.strip() and quoted:
                wa, wb = m.end(2), m.end(2) + quoted.end()
                what_text = quoted.group(0)
            elif not what_text.strip() or re.match(r"^(?:，|。|$)", after):
                if subject:
                    wa = m.start() - len(before) + subject.start(1)
                    wb = wa + len(subject.group(1))
                    what_text = subject.group(1)
            else:
                cut = re.search(r"(?:为|授|颁|揭|的$)", after)
                if cut and cut.start() > 0:
                    wb = wa + cut.start()
            if wb <= wa:
                continue
            if what:
                pass
            n = len(self.figures)
            self.figures.append({"what": self.val(wa, wb), "value": value, "unit": self.val(*m.span(2)),
                                 "as_stated": self.val(m.start(1), m.end(2))})
            self.draft.cite(f"figures[{n}].value", m.start(1), m.end(2))
            self.draft.cite(f"figures[{n}].what", wa, wb)
            seen.append((value, self.val(wa, wb)))
        # “十大…项目”: a count in a quoted label
        for m in re.finditer(rf"“([{CN_NUM}]+)大([^”]{{2,12}})”", s):
            if not (lo <= m.start() < hi) or any(x <= m.start() < y for x, y in speech_spans):
                continue
            value = cn_number(m.group(1))
            key = s[m.start():m.end()]
            if value is None or any(f["as_stated"] and to_simplified(f["as_stated"]) == key for f in self.figures):
                continue
            n = len(self.figures)
            self.figures.append({"what": self.val(m.start(2), m.end(2)), "value": value, "unit": "项",
                                 "as_stated": self.val(m.start(), m.end())})
            self.draft.cite(f"figures[{n}].value", m.start(), m.end())
            self.draft.cite(f"figures[{n}].what", m.start(2), m.end(2))
            self.draft.cite(f"figures[{n}].unit", m.start(), m.end(), "inferred", "“十大…项目”计项数，原文未写量词")

    # ---- truncation -----------------------------------------------------------------------------
    def detect_truncation(self):
        s = self.s
        body = s[:self.body_end].rstrip()
        if re.search(r"[（(]完[）)]\s*$", body):
            self.truncated = False
            self.truncated_at = None
            m = re.search(r"[（(]完[）)]", body)
            self.draft.cite("truncated", m.start(), m.end())
            self.body_end = min(self.body_end, m.start())
        elif body and body[-1] in "。！？”』」）)":
            self.truncated = False
            self.truncated_at = None
            self.draft.cite("truncated", len(body) - 1, len(body), "inferred", "正文以句末标点结束")
        else:
            self.truncated = True
            self.truncated_at = len(body)
            self.draft.cite("truncated", max(0, len(body) - 8), len(body), "inferred", "正文在句中结束，没有句末标点")

    # ---- all --------------------------------------------------------------------------------------
    def run(self) -> dict:
        self.extract_byline()
        self.detect_truncation()
        self.extract_meeting()
        self.extract_date()
        self.extract_conferences()
        self.extract_people()
        self.share_leading_roles()
        self.share_member_qualifier()
        self.extract_lists()
        self.extract_agenda()
        self.extract_figures()
        return self.result()

    def result(self) -> dict:
        meeting = {k: self.meeting.get(k) for k in
                   ("title", "conference", "kind", "number", "date", "month_day", "venue", "host", "theme",
                    "occasion")}
        # agenda sources were recorded under creation indices; rewrite them under the final order
        agenda_out = []
        new_sources = {k: v for k, v in self.draft.sources.items() if not k.startswith("agenda[")}
        old = {k: v for k, v in self.draft.sources.items() if k.startswith("agenda[")}
        creation = list(self._creation_order())
        for n, item in enumerate(self.agenda):
            old_idx = creation.index(id(item))
            src = old.get(f"agenda[{old_idx}]")
            if src is None:
                a = item["_pos"]
                sent = self.draft.sentence_of(a)
                self.draft.cite(f"agenda[{n}]", sent.start, sent.end)
                src = self.draft.sources.pop(f"agenda[{n}]")
            new_sources[f"agenda[{n}]"] = src
            prefix = f"agenda[{old_idx}]."
            for k, v in old.items():
                if k.startswith(prefix):
                    new_sources[f"agenda[{n}]." + k[len(prefix):]] = v
            agenda_out.append({k: v for k, v in item.items() if not k.startswith("_")})
        self.draft.sources = new_sources
        speech_points = []
        for n, sp in enumerate(self.speeches):
            entry = {"speaker": sp["speaker"], "points": sp["points"]}
            for k, se in enumerate(sp["_keep"]):
                self.draft.cite(f"speech_points[{n}].points[{k}]", se.start, se.end)
            if sp.get("_cut"):
                entry["cut_point"] = self.val(sp["_cut"].start, sp["_cut"].end)
                self.draft.cite(f"speech_points[{n}].cut_point", sp["_cut"].start, sp["_cut"].end, "inferred",
                                "原文在此要点中途截断")
            speech_points.append(entry)
        return {
            "meeting": meeting,
            "conferences": list(self.conferences.values()),
            "people": list(self.people.values()),
            "units": list(self.units.values()),
            "agenda": agenda_out,
            "lists": [{k: v for k, v in lst.items() if not k.startswith("_")} for lst in self.lists],
            "figures": self.figures,
            "speech_points": speech_points,
            "byline": self.byline,
            "truncated": self.truncated,
            "sources": dict(sorted(self.draft.sources.items())),
        }

    def _creation_order(self):
        return [id(it) for it in sorted(self.agenda, key=lambda it: it["_seq"])]


def extract(text: str) -> dict:
    return Extractor(text).run()
