"""Chinese text helpers: simplified/traditional conversion (OpenCC), pinyin initials, jieba tokens."""

import functools
import re
import unicodedata

import opencc
from pypinyin import Style, lazy_pinyin

_PUNCT = re.compile(r"[\s“”‘’\"'·•・、,，。.:：;；()（）《》〈〉【】\[\]—\-]+")


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.cache
def _protected_names() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern matching every protected name (simplified or its printed traditional form), longest
    first, and the printed traditional form of each."""
    from lianxi.lib.proper_names import TRADITIONAL_AS_PRINTED

    forms = dict(TRADITIONAL_AS_PRINTED)
    forms.update({traditional: traditional for traditional in TRADITIONAL_AS_PRINTED.values()})
    pattern = re.compile("|".join(re.escape(name) for name in sorted(forms, key=len, reverse=True)))
    return pattern, forms


_HELD = re.compile("\ue000(\\d+)\ue001")


def to_traditional(text: str) -> str:
    """Simplified → traditional, except proper names: those in :mod:`lianxi.lib.proper_names` come
    out as the source prints them, not converted character by character (杲云 stays 杲云)."""
    if not text:
        return text
    pattern, forms = _protected_names()
    held: list[str] = []

    def hold(match):
        held.append(forms[match.group(0)])
        return f"\ue000{len(held) - 1}\ue001"

    # s2t, not s2twp: organisation names must not be rewritten into Taiwan vocabulary. The names are
    # set aside as private-use markers, which OpenCC leaves alone, and put back afterwards.
    converted = _converter("s2t").convert(pattern.sub(hold, text))
    return _HELD.sub(lambda m: held[int(m.group(1))], converted) if held else converted


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def pinyin_initials(text: str) -> str:
    """``黄浦区`` → ``hpq``; letters and digits in the text are kept, punctuation dropped.

    The same answer as pypinyin's phrase segmentation (:func:`_pinyin_initials_by_phrase`), but
    from a table built once (:func:`_initials_table`): pypinyin reads a character alone with its
    first reading and inside a phrase of its dictionary with the phrase's reading, so a character's
    first letter can only differ from its first reading's inside one of the phrases that read it
    otherwise (会 in 会计, 行 in 银行). A text holding none of those phrases is read from the table;
    one holding such a phrase is segmented by pypinyin as before. About 50 times faster on import
    titles, which is what a 100,000-row import needs; ``lianxi/lib/tests/test_pinyin_initials.py``
    compares the two on polyphones, phrases, rare characters and random text."""
    cleaned = _PUNCT.sub("", text or "")
    letters, exceptions = _initials_table()
    out = []
    for ch in cleaned:
        if ch.isascii():
            out.append(ch)
            continue
        letter = letters.get(ch)
        if letter is None or (ch in exceptions and any(p in cleaned for p in exceptions[ch])):
            return _pinyin_initials_by_phrase(cleaned)
        out.append(letter)
    return "".join(out).lower()


def _pinyin_initials_by_phrase(cleaned: str) -> str:
    # Chinese characters come back one first letter each; a run of letters or digits comes back
    # whole and is kept whole ("示例单位000123" → "sldw000123").
    return "".join(part if part.isascii() else part[0] for part in lazy_pinyin(cleaned, style=Style.FIRST_LETTER)
                   if part).lower()


@functools.cache
def _first_letter(reading: str) -> str:
    """``zhōng`` → ``z``, ``ǎi`` → ``a``, ``ń`` → ``n``: the reading's first letter without its tone mark."""
    return unicodedata.normalize("NFD", reading)[0].lower()


@functools.cache
def _initials_table() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """``({character: first letter of its first reading}, {character: the phrases that read it
    with another first letter}``), from pypinyin's own dictionaries (as loaded, so phrases an app
    adds count too); built once per process."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    letters = {chr(code): _first_letter(readings.split(",")[0]) for code, readings in PINYIN_DICT.items() if readings}
    exceptions: dict[str, set[str]] = {}
    for phrase, readings in PHRASES_DICT.items():
        for ch, options in zip(phrase, readings, strict=False):
            letter = letters.get(ch)
            if letter is not None and any(_first_letter(r) != letter for r in options if r):
                exceptions.setdefault(ch, set()).add(phrase)
    return letters, {ch: tuple(sorted(phrases, key=len)) for ch, phrases in exceptions.items()}


def search_key(text: str) -> str:
    """What a search field stores: the simplified text without punctuation, lower-cased."""
    return _PUNCT.sub("", to_simplified(text or "")).lower()


def normalise_query(query: str) -> str:
    """A user's query, traditional or simplified, in the form stored by :func:`search_key`."""
    return search_key(query.strip())


def looks_like_initials(query: str) -> bool:
    return bool(re.fullmatch(r"[a-zA-Z]{2,}", query.strip()))


@functools.cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """Search-engine style segmentation of simplified text, punctuation and single spaces dropped."""
    jieba = _jieba()
    return [t for t in jieba.lcut_for_search(to_simplified(text or "")) if t.strip() and not _PUNCT.fullmatch(t)]


# Characters that change how text reads without being seen: zero-width spaces and joiners, the
# byte-order mark, soft hyphen, and the bidirectional embeddings, overrides and isolates
# (U+202A–202E, U+2066–2069) with the direction marks — "U+202E" makes "需求exe.txt" read backwards.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_FULL_WIDTH_ALNUM = {**{cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)},
                     **{cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)},
                     **{cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)}}
_SPACES = re.compile(r"\s+")


def normalise_name(value: str) -> str:
    """A name or title as stored: NFC, full-width letters and digits folded to ASCII (ＡＢＣ１ →
    ABC1, so look-alike names do not multiply), runs of spaces (ideographic included) made one,
    trimmed. Raises ``ValueError`` with the reason for control characters, zero-width or bidi
    characters, or text without a visible character.

    Not full NFKC: it would also turn the full-width brackets and punctuation of Chinese
    organisation names (示例（上海）有限公司) into ASCII ones and change how a registered name
    reads."""
    text = unicodedata.normalize("NFC", value)
    if _INVISIBLE.search(text):
        raise ValueError("不能包含零宽字符或文字方向控制符等不可见字符。")
    if any(unicodedata.category(ch) == "Cc" and ch not in " \t\n\r" for ch in text):
        raise ValueError("不能包含控制字符。")
    text = _SPACES.sub(" ", text.translate(_FULL_WIDTH_ALNUM)).strip()
    if text and not any(unicodedata.category(ch)[0] in "LNPS" for ch in text):
        raise ValueError("须包含可见的文字。")
    return text
