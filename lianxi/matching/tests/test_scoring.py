"""Scores and their words: text similarity from jieba tokens, each component of the score, and the
sentence a suggestion shows."""

import numpy as np
import pytest

from lianxi.matching import scoring
from lianxi.matching.candidates import FIT_EXACT, FIT_RELATED, Candidates
from lianxi.matching.scoring import (
    PROX_NEIGHBOUR,
    PROX_NONE,
    PROX_SAME,
    SCALE,
    Context,
    Weights,
    describe,
    lookup_pairs,
    pair_similarity,
    reasons,
    score_pairs,
    text_features,
    text_tokens,
    tfidf_pair,
)
from lianxi.matching.tests.test_candidates import _needs, _resources


def test_tokens_drop_numbers_and_single_characters():
    assert text_tokens("示例需求000123：为独居老人提供助餐服务") == ["示例", "需求", "独居", "老人", "提供", "助餐", "服务"]


def test_similarity_identical_disjoint_and_partial():
    needs = [text_features("独居老人助餐服务"), text_features("青少年暑托班"), text_features("")]
    resources = [text_features("独居老人助餐服务"), text_features("法律咨询讲座"), text_features("老人助餐")]
    a, b = tfidf_pair(needs, resources)
    sim = pair_similarity(a, b, np.array([0, 0, 1, 0, 2]), np.array([0, 1, 1, 2, 0]), chunk=2)
    assert sim[0] == pytest.approx(1.0, abs=1e-6)
    assert sim[1] == 0.0
    assert sim[2] == 0.0
    assert 0.3 < sim[3] < 1.0
    assert sim[4] == 0.0  # an empty text is similar to nothing


def test_lookup_pairs():
    got = lookup_pairs([1, 1, 2], [5, 6, 5], [3, 4, 7], np.array([1, 2, 2, 9]), np.array([6, 5, 6, 9]))
    assert got.tolist() == [4, 7, 0, 0]


def test_score_components():
    needs = _needs([
        {"id": 1, "cat": 0, "area": 0, "unit": 100},
        {"id": 2, "cat": 0, "area": 1, "unit": 101},
        {"id": 3, "cat": 0, "area": 2, "unit": 102},
    ])
    resources = _resources([{"id": 10, "cat": 0, "unit": 7, "unit_area": 0, "served": [0, 1, 2]}])
    cand = Candidates(np.array([0, 1, 2]), np.array([0, 0, 0]), np.array([FIT_EXACT, FIT_RELATED, FIT_EXACT], np.int8))
    ctx = Context(neighbours=np.array([[1, 0]]), history_units=([7], [100], [5]), load_units=([7], [3]))
    w = Weights()
    scored = score_pairs(needs, resources, cand, np.array([0.5, 0.0, 0.25], np.float32), ctx, w)
    assert scored.proximity.tolist() == [PROX_SAME, PROX_NEIGHBOUR, PROX_NONE]
    assert scored.history.tolist() == [5, 0, 0]
    assert scored.load.tolist() == [3, 3, 3]
    expected = [
        w.base + w.fit_exact + w.same_street + w.text * 0.5 + w.history_each * w.history_max - w.load_each * 3,
        w.base + w.fit_related + w.neighbour - w.load_each * 3,
        w.base + w.fit_exact + w.text * 0.25 - w.load_each * 3,
    ]
    assert scored.score.tolist() == [round(x * SCALE) for x in expected]
    assert (scored.score > 0).all()


def test_describe_in_words(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    r = reasons(FIT_EXACT, "为老服务", "为老服务", PROX_SAME, "示例街道", "示例街道", 0.4213, 2, 3)
    assert describe(r) == "同属“为老服务”；都在示例街道；需求和资源的说明用词相近；此前合作成功2次；该单位手头已有3项认领"
    r = reasons(FIT_RELATED, "为老服务", "志愿服务", PROX_NEIGHBOUR, "示例街道", "示例街道乙", 0.0, 0, 0)
    # No solver words, no similarity figure, no "similar" for categories that are merely allowed.
    assert describe(r) == "“志愿服务”类资源也可用于“为老服务”类需求；提供单位在相邻的示例街道乙"


@pytest.mark.parametrize("from_thread", [False, True], ids=["single-threaded: fork", "threaded server: forkserver"])
def test_features_many_in_worker_processes_equals_one_process(monkeypatch, from_thread):
    """Large batches are segmented in worker processes — forked from a single-threaded process,
    from a fork server when other threads run (a gthread web worker) — with the same result."""
    import threading

    texts = [f"示例需求{i:03d}：为独居老人提供助餐服务和健康讲座" if i % 2 else f"社区读书会活动场地{i:03d}"
             for i in range(40)]
    expected = [scoring.text_features(t).tolist() for t in texts]
    monkeypatch.setattr(scoring, "PARALLEL_FROM", 10)
    out = {}

    def run():
        out["features"] = [f.tolist() for f in scoring.features_many(texts, workers=2)]

    if from_thread:
        stop = threading.Event()
        other = threading.Thread(target=stop.wait, daemon=True)  # another thread alive, as in a server
        other.start()
        try:
            run()
        finally:
            stop.set()
            other.join()
    else:
        run()
    assert out["features"] == expected
