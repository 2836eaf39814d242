"""Pinyin initials from the per-character table give what pypinyin's phrase segmentation gives."""

import random

import pytest
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from lianxi.lib import text
from lianxi.lib.text import _initials_table, _pinyin_initials_by_phrase, pinyin_initials


def by_phrase(value: str) -> str:
    """The function as it was: pypinyin with its phrase segmentation on the whole text."""
    return _pinyin_initials_by_phrase(text._PUNCT.sub("", value or ""))


POLYPHONES = [
    "银行", "行走", "重庆市", "重要", "长宁区", "区长", "会计", "会议纪要", "音乐", "乐山", "单于", "大夫", "大璞不完",
    "朝阳", "朝代", "调查", "调节", "弹琴", "子弹", "效率", "率领", "给予", "给你", "阿胶", "阿姨", "其他", "郦食其",
    "长宁区行政服务中心重阳节长者助餐", "示例银行长宁支行", "示例区重点项目：会计培训",
]
RARE = ["㐀㐁㐂", "𠀀𠀁", "〇", "燵", "呣", "嗯", "欸", "ḿ", "示例①号", "ＡＢＣ示例", "示例 abc-12 单位", "Ⅻ期", "😀示例",
        "", "  ", "abc", "000123", "示例单位000123"]


@pytest.mark.parametrize("value", POLYPHONES + RARE)
def test_same_as_phrase_segmentation(value):
    assert pinyin_initials(value) == by_phrase(value)


def test_polyphones_in_context():
    assert pinyin_initials("示例银行") == "slyh"
    assert pinyin_initials("示例行走") == "slxz"
    assert pinyin_initials("重庆") == "cq"
    assert pinyin_initials("黄浦区") == "hpq"


def test_random_text_and_phrases_agree():
    rng = random.Random(20261201)
    chars = [chr(c) for c in PINYIN_DICT]
    phrases = list(PHRASES_DICT)
    _letters, exceptions = _initials_table()
    tricky = [p for ps in exceptions.values() for p in ps]
    samples = []
    for _ in range(3000):
        samples.append("".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) + rng.choice(["", "12", "ab"]))
        samples.append("示例" + "".join(rng.choice(phrases) for _ in range(rng.randint(1, 4))))
        samples.append(rng.choice(tricky) + rng.choice(phrases) + rng.choice(tricky))
    wrong = [(s, pinyin_initials(s), by_phrase(s)) for s in samples if pinyin_initials(s) != by_phrase(s)]
    assert wrong == []


def test_plain_titles_do_not_segment(monkeypatch):
    """An import title without a phrase that changes a reading is read from the table alone."""
    def refuse(*args, **kwargs):
        raise AssertionError("segmented")

    monkeypatch.setattr(text, "lazy_pinyin", refuse)
    assert pinyin_initials("示例导入需求000001：为老服务志愿服务") == "sldrxq000001wlfwzyfw"
    with pytest.raises(AssertionError):
        pinyin_initials("示例银行")  # 行 read háng here: the phrase segmentation decides
