"""The matching index's segmentation: rjieba gives jieba's tokens."""

import logging
import random

import jieba
import pytest

from lianxi.lib import text
from lianxi.lib.text import tokens

TEXTS = [
    "为辖区独居老人提供助餐服务，每周一至周五午餐送餐上门",
    "长宁区行政服务中心重阳节长者助餐活动需要志愿者20名",
    "青少年暑期托管班需要大学生志愿者辅导作业",
    "示例导入需求000001：为老服务志愿服务\n示例描述：每周1次，上门服务，第1条合成数据",
    "示例需求0001234助餐送餐", "示例资源000123法律咨询", "楼道微更新、垃圾分类宣传、口袋花园",
    "Excel 导入 abc123 测试", "銀行網點適老化改造（繁體）", "", "   ", "！？。",
]


def test_rjieba_is_used():
    pytest.importorskip("rjieba")
    import rjieba

    assert text._cut_for_search() is rjieba.cut_for_search


def test_same_tokens_as_jieba():
    jieba.setLogLevel(logging.WARNING)
    from lianxi.lists.generate import TOPICS

    rng = random.Random(13)
    words = [w for ws in TOPICS.values() for w in ws] + ["示例", "社区", "街道", "居民区", "党群", "服务", "需要", "上门"]
    samples = TEXTS + ["".join(rng.choice(words) for _ in range(rng.randint(1, 8))) + str(rng.randint(0, 999))
                       for _ in range(500)]
    for sample in samples:
        simplified = text.to_simplified(sample)
        expected = [t for t in jieba.lcut_for_search(simplified) if t.strip() and not text._PUNCT.fullmatch(t)]
        assert tokens(sample) == expected, sample


def test_ascii_compounds_are_one_more_token():
    """The one known difference: jieba-rs keeps letters joined by - _ . as a word as well as their
    parts (e-mail → e-mail, mail), where jieba splits at the joiner. It only adds a feature to
    Latin compounds in a need's text; the index and a matching run both use :func:`tokens`."""
    pytest.importorskip("rjieba")
    assert "e-mail" in tokens("e-mail地址") and "mail" in tokens("e-mail地址")
