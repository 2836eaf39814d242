"""Open repair of a damaged report: pinyin annotations, GBK one-byte-loss mojibake, punctuation.

Every change is an :class:`Edit` on the decoded input text (start/end in that text, before, after,
kind, confidence, reason). :func:`apply_edits` builds the repaired text from the edits the reviewer
kept and records where each one landed, so a rejected repair is simply left out and re-applied.
Nothing here guesses silently: a span whose repair is not clear becomes a marked gap ``⟦?⟧``."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import asdict, dataclass, field

from pypinyin import Style, pinyin

from lianxi.lib.text import to_simplified

GAP = "⟦?⟧"

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")

# A pinyin syllable written with tone marks (or ü), the shape annotators put after a character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_ANNOT = re.compile(
    rf"(?<=[{CJK}])\(([a-zü{_TONED}]{{1,7}})\)|(?<=[{CJK}])（([a-zü{_TONED}]{{1,7}})）"
)
_SYLLABLE = re.compile(
    r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouüv]+(?:n|ng|r)?$"
)

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_FULL_PUNCT = set("，。、；：！？（）“”‘’《》—…·「」『』【】")


@dataclass
class Edit:
    kind: str  # pinyin | mojibake | dropped | punctuation
    start: int  # in the decoded input text
    end: int
    before: str
    after: str
    confidence: float
    reason: str
    id: int = 0
    out_start: int = 0  # where ``after`` sits in the repaired text
    out_end: int = 0
    candidates: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["position"] = {"input": [self.start, self.end], "repaired": [self.out_start, self.out_end]}
        return data


# --- language evidence -------------------------------------------------------------------------


@functools.cache
def _jieba_freq():
    from lianxi.lib.text import _jieba

    dt = _jieba().dt
    dt.check_initialized()
    return dt.FREQ, math.log(dt.total)


@functools.cache
def _char_freq() -> dict[str, int]:
    """How often each character occurs in jieba's dictionary words (simplified)."""
    freq, _ = _jieba_freq()
    counts: dict[str, int] = {}
    for word, n in freq.items():
        if n:
            for ch in word:
                counts[ch] = counts.get(ch, 0) + n
    return counts


@functools.lru_cache(maxsize=65536)
def _common(ch: str, threshold: int = 2000) -> bool:
    if ch in _FULL_PUNCT or ch.isascii():
        return True
    return _char_freq().get(to_simplified(ch), 0) >= threshold


def _in_word(simp: str, i: int) -> bool:
    """Whether the character at ``i`` of simplified text belongs to a dictionary word of 2–4 characters."""
    freq, _ = _jieba_freq()
    for size in (2, 3, 4):
        for a in range(max(0, i - size + 1), i + 1):
            w = simp[a:a + size]
            if len(w) == size and freq.get(w):
                return True
    return False


_PUNCT_FREQ = 300_000  # punctuation is not in jieba's dictionary; a middling frequency keeps it from winning inside words


def _logprob(text: str) -> float:
    """Best-segmentation log probability of simplified ``text`` under jieba's unigram model."""
    freq, logtotal = _jieba_freq()
    n = len(text)
    best = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        top = -1e9
        for j in range(i + 1, min(n, i + 8) + 1):
            word = text[i:j]
            f = freq.get(word)
            if f is None and j == i + 1 and (word in _FULL_PUNCT or word in "，。、；：！？"):
                f = _PUNCT_FREQ
            if f is None and j > i + 1:
                continue
            score = math.log(f or 1) - logtotal + best[j]
            if score > top:
                top = score
        best[i] = top
    return best[0]


# --- pinyin annotations ------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _readings(ch: str) -> frozenset[str]:
    out = set()
    for form in {ch, to_simplified(ch)}:
        for item in pinyin(form, style=Style.TONE, heteronym=True):
            out.update(item)
    return frozenset(out)


def find_pinyin(text: str) -> list[Edit]:
    edits = []
    for m in _PINYIN_ANNOT.finditer(text):
        syllable = m.group(1) or m.group(2)
        bare = re.sub(f"[{_TONED}]", "a", syllable)
        has_tone = bare != syllable
        ch = text[m.start() - 1]
        if not (has_tone or _SYLLABLE.match(syllable)):
            # a note that lost its toned vowel with a byte: "区(q)" for 区(qū)
            if syllable.isascii() and any(r.startswith(syllable) for r in _readings(ch)):
                edits.append(Edit("pinyin", m.start(), m.end(), m.group(0), "", 0.8,
                                  f"括号内“{syllable}”是前一字“{ch}”读音的开头，疑为损坏的注音"))
            continue
        if syllable in _readings(ch):
            conf, why = 0.99, f"括号内“{syllable}”是前一字“{ch}”的读音"
        elif not has_tone and len(syllable) >= 2 and any(r.startswith(syllable) and r != syllable for r in _readings(ch)):
            # "會(hu)" for 會(huì): the toned vowel went with a byte, the rest still begins its reading
            conf, why = 0.8, f"括号内“{syllable}”是前一字“{ch}”读音的开头，疑为损坏的注音"
        elif has_tone:
            conf, why = 0.9, f"括号内“{syllable}”是带声调的拼音，但不是前一字“{ch}”的读音（前一字可能已损坏）"
        else:
            continue  # a bare Latin word in brackets is not taken for pinyin unless it reads the character
        edits.append(Edit("pinyin", m.start(), m.end(), m.group(0), "", conf, why))
    return edits


# --- GBK one-byte loss -------------------------------------------------------------------------


def _encode_span(chars: str, raw_ascii: set[int] = frozenset()) -> list[bytes] | None:
    """GBK bytes of each character; the report's half-width punctuation was full-width when it was
    damaged, except inside pinyin notes (positions in ``raw_ascii``), which were ASCII all along."""
    out = []
    for k, ch in enumerate(chars):
        if k not in raw_ascii:
            ch = _HALF_TO_FULL.get(ch, ch)
        try:
            out.append(ch.encode("gbk"))
        except UnicodeEncodeError:
            return None
    return out


def _decode_gbk_stream(data: bytes):
    """Yield (char_or_None, byte_start, byte_end); None marks a lead byte whose trail was lost."""
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            yield chr(b), i, i + 1
            i += 1
            continue
        if 0x81 <= b <= 0xFE and i + 1 < len(data) and 0x40 <= data[i + 1] <= 0xFE and data[i + 1] != 0x7F:
            try:
                yield data[i:i + 2].decode("gbk"), i, i + 2
            except UnicodeDecodeError:
                yield "\ufffd", i, i + 2
            i += 2
            continue
        yield None, i, i + 1
        i += 1


def _suspicious(text: str, i: int) -> bool:
    ch = text[i]
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if _CJK_RE.match(ch):
        return not _common(ch)
    if ch in "?;!" and _CJK_RE.match(nxt or " "):
        return True
    if ch.isascii() and ch.isalpha() and _CJK_RE.match(prev or " ") and _CJK_RE.match(nxt or " "):
        return True
    return ch == "\ufffd"


def _bigram_bonus(candidate: str, doc_bigrams: set[str]) -> float:
    simp = to_simplified(candidate)
    return sum(1.0 for k in range(len(simp) - 1) if simp[k:k + 2] in doc_bigrams)


def find_mojibake(text: str, hints: dict[int, str], protected: set[int]) -> list[Edit]:
    """Spans that read as GBK decoded one byte out of step; ``hints`` maps a character position to
    the pinyin annotated after it (evidence for a character whose second byte was lost)."""
    simp_doc = to_simplified(text)
    if len(simp_doc) != len(text):
        simp_doc = "".join(to_simplified(c)[:1] or c for c in text)
    marks = [i for i in range(len(text)) if i not in protected and _suspicious(text, i)
             and not (_CJK_RE.match(text[i]) and _in_word(simp_doc, i))]
    ascii_marks = {i for i in marks if text[i].isascii()}
    # damage shows as an ASCII oddity inside Chinese text, or as rare characters together
    seeds = list(ascii_marks)
    seeds += [i for i in marks if i not in ascii_marks
              and (sum(1 for j in marks if 0 < abs(j - i) <= 3) >= 1
                   or _char_freq().get(to_simplified(text[i]), 0) < 100)]
    seeds = sorted(set(seeds))
    if not seeds:
        return []
    doc_bigrams = {simp_doc[k:k + 2] for k in range(len(simp_doc) - 1) if k not in set(seeds) and k + 1 not in set(seeds)}
    # a simplified report is repaired with simplified characters, a traditional one with traditional
    traditional = sum(1 for a, b in zip(text, simp_doc, strict=False) if a != b) > len(text) * 0.02
    edits: list[Edit] = []
    done_until = -1
    for seed in seeds:
        if seed < done_until:
            continue
        best = _repair_around(text, seed, hints, protected, doc_bigrams, max(done_until, 0), traditional)
        if best is None:
            continue
        edits.append(best)
        done_until = best.end
    return edits


def _script_penalty(candidate: str, traditional: bool) -> float:
    if traditional:
        return 0.0
    return 4.0 * sum(1 for c in candidate if to_simplified(c) != c)


def _repair_around(text, seed, hints, protected, doc_bigrams, floor, traditional=True):
    line_start = text.rfind("\n", 0, seed) + 1
    line_end = text.find("\n", seed)
    line_end = len(text) if line_end == -1 else line_end
    win_lo = max(line_start, seed - 10)
    win_hi = min(line_end, seed + 12)
    base_window = to_simplified(text[win_lo:win_hi])
    base_score = _logprob(base_window) + 2.0 * _bigram_bonus(text[win_lo:win_hi], doc_bigrams)
    results: dict[tuple[int, int, str], float] = {}
    for s in range(max(line_start, floor, seed - 4), seed + 1):
        if any(p in protected for p in range(s, seed + 1)):
            continue
        limit = min(line_end, seed + 10)
        pieces = _encode_span(text[s:limit], {k - s for k in range(s, limit) if k in protected})
        if pieces is None:
            continue
        orig_bounds = {}
        off = 0
        for k, piece in enumerate(pieces):
            off += len(piece)
            orig_bounds[off] = s + k + 1  # byte boundary -> char index after it
        seed_byte_end = sum(len(p) for p in pieces[: seed - s + 1])
        data = b"".join(pieces)
        for lost in range(0x81, 0xFF):
            stream = bytes([lost]) + data
            out = []
            end_char = None
            dangling = False
            for ch, _b0, b1 in _decode_gbk_stream(stream):
                real_end = b1 - 1  # in ``data`` coordinates
                if ch is None:
                    dangling = True
                    nxt_idx = orig_bounds.get(real_end)
                    if nxt_idx is None:
                        break
                    end_char = nxt_idx
                    break
                out.append(ch)
                if real_end >= seed_byte_end and real_end in orig_bounds:
                    end_char = orig_bounds[real_end]
                    break
            if end_char is None:
                continue
            options = [""]
            if dangling:
                lead = stream[_b0]
                hint = hints.get(end_char - 1)
                options = []
                for trail in range(0x40, 0xFF):
                    if trail == 0x7F:
                        continue
                    try:
                        c = bytes([lead, trail]).decode("gbk")
                    except UnicodeDecodeError:
                        continue
                    if hint is not None and hint not in _readings(c):
                        continue
                    if _common(c):
                        options.append(c)
                if not options:
                    options = [GAP]
            for tail in options:
                cand = "".join(out) + tail
                if any(c == "\ufffd" or (c != GAP[0] and not _common(c)) for c in cand.replace(GAP, "")):
                    continue
                if cand.replace(GAP, "") and cand == text[s:end_char]:
                    continue
                window = text[win_lo:s] + cand + text[end_char:win_hi]
                score = _logprob(to_simplified(window.replace(GAP, "")))
                score += 2.0 * _bigram_bonus(window.replace(GAP, ""), doc_bigrams)
                score -= _script_penalty(cand, traditional)
                if hints.get(end_char - 1) and tail and tail != GAP:
                    score += 3.0  # the annotated reading confirms the recovered character
                key = (s, end_char, cand)
                if score > results.get(key, -1e18):
                    results[key] = score
    if not results:
        return None
    ranked = sorted(results.items(), key=lambda kv: -kv[1])
    (s, e, cand), top = ranked[0]
    gain = top - base_score
    if gain < 6.0:
        return None
    rivals = [(k, v) for k, v in ranked[1:] if top - v < 3.0]
    before = text[s:e]
    if rivals:
        same_shape = [k for k, _ in rivals if k[0] == s and k[1] == e and len(k[2]) == len(cand)]
        if len(same_shape) == len(rivals):
            merged = "".join(
                c if all(k[2][i] == c for k in same_shape) else GAP for i, c in enumerate(cand)
            )
            merged = re.sub("(?:⟦\\?⟧)+", GAP, merged)
            return Edit("mojibake", s, e, before, merged, 0.5,
                        "GBK 丢失一个字节后错位解码；部分字符有多种同样可能的还原，保留为待核对缺口",
                        candidates=[k[2] for k, _ in ranked[:4]])
        return Edit("mojibake", s, e, before, GAP, 0.3,
                    "疑似 GBK 丢失一个字节后错位解码，但还原不唯一，保留为待核对缺口",
                    candidates=[k[2] for k, _ in ranked[:4]])
    second = ranked[1][1] if len(ranked) > 1 else top - 20
    confidence = round(min(0.99, 1 - math.exp(-(top - second) / 3.0)), 2)
    return Edit("mojibake", s, e, before, cand, confidence,
                f"按 GBK 重新编码“{before}”并补回丢失的首字节，解码为“{cand}”，与上下文相合",
                candidates=[k[2] for k, _ in ranked[:4]])


# --- characters lost whole ---------------------------------------------------------------------

def _cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def find_dropped(text: str, protected: set[int]) -> list[Edit]:
    """A byte loss can take a whole character away and leave no mojibake (黨建聯席會議 → 黨聯席會議):
    the stream falls back into step at once. Such a place is found by the report's own words: the
    four characters around the join occur nowhere else, while with one character between them both
    overlapping four-character sequences occur elsewhere in the report, and no dictionary word spans
    the join. The place is marked ⟦?⟧ with the missing character proposed in the note, never
    filled in silently; the reviewer can reject the mark."""
    simp = to_simplified(text)
    if len(simp) != len(text):
        simp = "".join(to_simplified(c)[:1] or c for c in text)
    counts: dict[str, int] = {}
    middles: dict[tuple[str, str], set[str]] = {}
    for n in (3, 4, 5):
        for k in range(len(simp) - n + 1):
            gram = simp[k:k + n]
            if all(_cjk(c) for c in gram):
                counts[gram] = counts.get(gram, 0) + 1
                if n == 3:
                    middles.setdefault((gram[0], gram[2]), set()).add(gram[1])
    traditional = sum(1 for a, b in zip(text, simp, strict=False) if a != b) > len(text) * 0.02
    edits = []
    for i in range(2, len(text)):
        if any(j in protected for j in range(i - 2, i + 1)):
            continue
        left, right = simp[i - 2:i], simp[i:i + 2]
        if not (all(_cjk(c) for c in left) and _cjk(right[:1] or " ")):
            continue
        long_right = len(right) == 2 and _cjk(right[1])
        if counts.get(left + right[0], 0) > 1 or (long_right and counts.get(left + right, 0) > 1):
            continue  # the join recurs: that is how the report writes it
        best = None
        for c in middles.get((left[1], right[0]), ()):
            printed = _printed(c, traditional)
            if not _vanishes(printed, text[i]):
                continue
            evidence = counts.get(left + c + right[0], 0) + (counts.get(left[1] + c + right, 0) if long_right else 0)
            if not evidence:
                continue
            support = counts.get(left + c + right, 0) if long_right else 0
            if best is None or (support, evidence) > best[:2]:
                best = (support, evidence, printed)
        # a dictionary word across the join means the text reads as written (区委书记 beside 区委副书记);
        # so does a join between two words (单位|表示), unless the five characters recur with it
        if best is None or _across(simp, i) or (not best[0] and _word(left) and _word(right)):
            continue
        support, evidence, printed = best
        shown = text[i - 2:i] + printed + text[i:i + 1]
        edits.append(Edit(
            "dropped", i, i, "", GAP, round(min(0.9, 0.4 + 0.1 * evidence), 2),
            f"疑似 GBK 丢失一个字节后整字脱落：“{text[i - 2:i]}{text[i]}”读不通，全文他处作“{shown}”，"
            f"且“{printed}”失去首字节后恰好被解码器丢弃；可能缺“{printed}”，留作待核对缺口",
            candidates=[printed]))
    return edits


def _word(w: str) -> bool:
    return bool(_jieba_freq()[0].get(w))


def _printed(ch: str, traditional: bool) -> str:
    if not traditional:
        return ch
    from lianxi.lib.text import to_traditional

    return to_traditional(ch)


def _vanishes(ch: str, nxt: str) -> bool:
    """Whether ``ch`` losing its first GBK byte disappears without trace before ``nxt``: its second
    byte is not ASCII and makes no character with what follows, so a lenient decoder drops it."""
    try:
        data = ch.encode("gbk")
        following = nxt.encode("gbk")
    except UnicodeEncodeError:
        return False
    if len(data) != 2 or data[1] < 0x80:
        return False
    return (data[1:] + following).decode("gbk", errors="ignore") == nxt


def _across(simp: str, i: int) -> bool:
    """Whether a dictionary word of 2–4 characters spans the join between ``i - 1`` and ``i``."""
    freq, _ = _jieba_freq()
    for size in (2, 3, 4):
        for a in range(max(0, i - size + 1), i):
            w = simp[a:a + size]
            if len(w) == size and a + size > i and freq.get(w):
                return True
    return False


def find_broken_bytes(text: str, protected: set[int]) -> list[Edit]:
    """A replacement character left by the decoder (a multi-byte sequence cut at a boundary) that the
    mojibake repair did not resolve: at least one character is missing there; marked ⟦?⟧."""
    return [Edit("dropped", i, i + 1, "\ufffd", GAP, 0.5,
                 "解码时遇到残缺的多字节序列（字节丢失），此处至少缺一个字，留作待核对缺口")
            for i, ch in enumerate(text) if ch == "\ufffd" and i not in protected]


# --- punctuation -------------------------------------------------------------------------------


def find_punctuation(text: str, protected: set[int]) -> list[Edit]:
    edits = []
    for i, ch in enumerate(text):
        if i in protected or ch not in _HALF_TO_FULL:
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        chinese_side = bool(_CJK_RE.match(prev or " ") or _CJK_RE.match(nxt or " ") or prev in _FULL_PUNCT
                            or nxt in _FULL_PUNCT)
        if ch in "()":
            # brackets are normalised as a pair only, and only around Chinese text
            continue
        if chinese_side and not (prev.isdigit() and nxt.isdigit()):
            edits.append(Edit("punctuation", i, i + 1, ch, _HALF_TO_FULL[ch], 0.95, "中文语境中的半角标点改为全角"))
    for m in re.finditer(r"\(([^()\n]{1,30})\)", text):
        if m.start() in protected or m.end() - 1 in protected:
            continue
        if _CJK_RE.search(m.group(1)):
            edits.append(Edit("punctuation", m.start(), m.start() + 1, "(", "（", 0.95, "中文括号改为全角"))
            edits.append(Edit("punctuation", m.end() - 1, m.end(), ")", "）", 0.95, "中文括号改为全角"))
    return edits


# --- the whole repair --------------------------------------------------------------------------


@dataclass
class Repaired:
    source: str
    text: str
    edits: list[Edit]

    def repairs(self) -> list[dict]:
        return [e.as_dict() for e in self.edits]


def normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return re.sub(r"[ \t\u3000]+\n", "\n", text).strip("\n")


def find_edits(text: str) -> list[Edit]:
    pinyin_edits = find_pinyin(text)
    protected = set()
    hints = {}
    for e in pinyin_edits:
        protected.update(range(e.start, e.end))
        hints[e.start - 1] = e.before.strip("()（）")
    mojibake = find_mojibake(text, hints, protected)
    # a pinyin note after a span that turned out damaged is still removed, now with the repaired reading
    for e in mojibake:
        protected.update(range(e.start, e.end))
        note = re.match(rf"\(([a-zü{_TONED}]{{1,7}})\)|（([a-zü{_TONED}]{{1,7}})）", text[e.end:])
        if note and not any(p.start == e.end for p in pinyin_edits):
            syllable = note.group(1) or note.group(2)
            ch = e.after[-1:] if e.after else ""
            if ch and syllable in _readings(ch):
                conf, why = 0.99, f"括号内“{syllable}”是修复后前一字“{ch}”的读音"
            elif syllable != re.sub(f"[{_TONED}]", "a", syllable):
                conf, why = 0.9, f"括号内“{syllable}”是带声调的拼音，写在一处已损坏的文字之后"
            else:
                continue
            pinyin_edits.append(Edit("pinyin", e.end, e.end + note.end(), note.group(0), "", conf, why))
            protected.update(range(e.end, e.end + note.end()))
    broken = find_broken_bytes(text, protected)
    protected.update(e.start for e in broken)
    dropped = find_dropped(text, protected)
    punct = find_punctuation(text, protected)
    edits = sorted(pinyin_edits + mojibake + broken + dropped + punct, key=lambda e: (e.start, e.end))
    for n, e in enumerate(edits, 1):
        e.id = n
    return edits


def apply_edits(text: str, edits: list[Edit], rejected: set[int] = frozenset()) -> Repaired:
    out = []
    pos = 0
    cursor = 0
    kept = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            continue  # overlapping edits never happen by construction; be safe
        out.append(text[pos:e.start])
        cursor += e.start - pos
        replacement = e.before if e.id in rejected else e.after
        e.out_start = cursor
        out.append(replacement)
        cursor += len(replacement)
        e.out_end = cursor
        pos = e.end
        kept.append(e)
    out.append(text[pos:])
    return Repaired(text, "".join(out), kept)


def repair(text: str, rejected: set[int] = frozenset()) -> Repaired:
    text = normalise_newlines(text)
    return apply_edits(text, find_edits(text), rejected)
