"""Scores of candidate pairs and the words that explain them.

A pair's score adds up: how well the categories fit, whether the resource's unit sits in the
need's street or a neighbouring one, how similar the two texts are (jieba tokens, hashed TF-IDF,
cosine), earlier successful claims between the same two units, minus the unit's current load.
Texts are turned into vectors once per need and per resource; the similarity of two million pairs
is a row-wise sparse product, not a loop. Scores are integers (points × 100) for the solver."""

import os
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lianxi.lib.processes import die_with
from lianxi.matching.candidates import FIT_EXACT, FIT_RELATED, Candidates, Needs, Resources

FEATURE_BITS = 20
FEATURES = 1 << FEATURE_BITS
SCALE = 100  # points → integer solver units

PROX_NONE, PROX_NEIGHBOUR, PROX_SAME = 0, 1, 2


@dataclass(frozen=True)
class Weights:
    """Points per component. With these defaults every candidate scores at least 10 points, so
    any candidate is worth assigning; the solver still decides which assignment is best overall."""

    base: float = 10.0
    fit_exact: float = 40.0
    fit_related: float = 20.0
    same_street: float = 20.0
    neighbour: float = 10.0
    text: float = 30.0
    history_each: float = 5.0
    history_max: int = 3
    load_each: float = 2.0
    load_max: int = 10


# ---------------------------------------------------------------------------------------- text

def text_tokens(text: str) -> list[str]:
    """jieba tokens worth comparing: single characters, numbers and punctuation carry no meaning here."""
    from lianxi.lib.text import tokens

    return [t for t in tokens(text) if len(t) > 1 and not t.isdigit()]


def token_features(tokens) -> np.ndarray:
    """Stable hashed feature ids (crc32, not ``hash()``, which changes between processes)."""
    mask = FEATURES - 1
    return np.fromiter((zlib.crc32(t.encode("utf-8")) & mask for t in tokens), dtype=np.int32)


def text_features(text: str) -> np.ndarray:
    return token_features(text_tokens(text))


# Texts to segment before the work is spread over more processes.
PARALLEL_FROM = 20_000


def _features_of(texts: list[str]) -> list[np.ndarray]:
    return [text_features(t) for t in texts]


def features_many(texts: list[str], workers: int | None = None) -> list[np.ndarray]:
    """:func:`text_features` of many texts. jieba is pure Python (about 100 µs a text), so a large
    batch is split over the machine's cores."""
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(texts) < PARALLEL_FROM or workers < 2:
        return _features_of(texts)
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # Workers only segment text (no database, no shared state). From a single-threaded process
    # (the CLI, a benchmark) a forked child is safe, and loading jieba's dictionary first lets
    # every child inherit it. In a threaded server (gunicorn's gthread workers) another thread may
    # hold a lock at the moment of the fork, so children come from a clean fork server instead
    # and load the dictionary themselves (about a second, against ≥ 2 s of segmenting).
    single = threading.active_count() == 1
    if single:
        text_tokens("预热")
    chunk = -(-len(texts) // (workers * 4))
    parts = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
    context = multiprocessing.get_context("fork" if single else "forkserver")
    # die_with: a kill -9 of this process must not leave the workers, the fork server they keep
    # open and the resource tracker running.
    with ProcessPoolExecutor(workers, mp_context=context, initializer=die_with, initargs=(os.getpid(),)) as pool:
        return [f for part in pool.map(_features_of, parts) for f in part]


_DIGIT_RUN = re.compile(r"[0-9]+")


def features_by_shape(texts: list[str], workers: int | None = None) -> list[np.ndarray]:
    """:func:`features_many` for texts made from a few templates around running numbers (the
    synthetic data: 示例需求0001234助餐送餐 …). Numbers are not features (:func:`text_tokens`), so
    texts that differ only in their digits share their features: each shape (the text with every
    run of digits replaced) is segmented once, from its first text, and checked against its last;
    a shape whose two texts disagree is segmented text by text."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        groups[_DIGIT_RUN.sub("0", text)].append(i)
    out: list[np.ndarray | None] = [None] * len(texts)
    direct: list[int] = []
    for members in groups.values():
        if len(members) < 3:
            direct.extend(members)
            continue
        first, last = text_features(texts[members[0]]), text_features(texts[members[-1]])
        if np.array_equal(first, last):
            for i in members:
                out[i] = first
        else:
            direct.extend(members)
    for i, features in zip(direct, features_many([texts[i] for i in direct], workers), strict=True):
        out[i] = features
    return out


def _counts_matrix(rows: list[np.ndarray]) -> sp.csr_matrix:
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.concatenate(rows).astype(np.int32) if len(rows) and indptr[-1] else np.zeros(0, np.int32)
    data = np.ones(len(indices), dtype=np.float32)
    m = sp.csr_matrix((data, indices, indptr), shape=(len(rows), FEATURES))
    m.sum_duplicates()  # repeated tokens become term counts
    return m


def tfidf_pair(need_rows: list[np.ndarray], resource_rows: list[np.ndarray]):
    """L2-normalised TF-IDF matrices for needs and resources, with IDF over both collections so a
    word that every text uses (社区, 服务) weighs little."""
    a, b = _counts_matrix(need_rows), _counts_matrix(resource_rows)
    n_docs = a.shape[0] + b.shape[0]
    df = np.bincount(a.indices, minlength=FEATURES) + np.bincount(b.indices, minlength=FEATURES)
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    out = []
    for m in (a, b):
        m = m.copy()
        m.data = ((1.0 + np.log(m.data)) * idf[m.indices]).astype(np.float32)  # sublinear tf
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        m.data /= np.repeat(np.where(norms > 0, norms, 1.0), np.diff(m.indptr)).astype(np.float32)
        out.append(m.astype(np.float32))
    return out[0], out[1]


def pair_similarity(a: sp.csr_matrix, b: sp.csr_matrix, need_idx: np.ndarray, res_idx: np.ndarray,
                    chunk: int = 400_000) -> np.ndarray:
    """Cosine similarity of row ``need_idx[k]`` of ``a`` and row ``res_idx[k]`` of ``b``, for every k."""
    out = np.empty(len(need_idx), dtype=np.float32)
    for lo in range(0, len(need_idx), chunk):
        hi = min(lo + chunk, len(need_idx))
        prod = a[need_idx[lo:hi]].multiply(b[res_idx[lo:hi]])
        out[lo:hi] = np.asarray(prod.sum(axis=1)).ravel()
    np.clip(out, 0.0, 1.0, out=out)
    return out


# ---------------------------------------------------------------------------------------- lookups

def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.int64) << 32) | (b.astype(np.int64) & 0xFFFFFFFF)


def lookup_pairs(keys_a, keys_b, values, query_a, query_b, default=0) -> np.ndarray:
    """Vectorised dictionary lookup on (a, b) integer pairs."""
    values = np.asarray(values)
    if len(values) == 0:
        return np.full(len(query_a), default, dtype=values.dtype if values.size else np.int64)
    table = _pair_keys(np.asarray(keys_a), np.asarray(keys_b))
    order = np.argsort(table)
    table, values = table[order], values[order]
    q = _pair_keys(query_a, query_b)
    pos = np.clip(np.searchsorted(table, q), 0, len(table) - 1)
    return np.where(table[pos] == q, values[pos], default)


def lookup(keys, values, query, default=0) -> np.ndarray:
    keys, values = np.asarray(keys, dtype=np.int64), np.asarray(values)
    if len(keys) == 0:
        return np.full(len(query), default, dtype=np.int64)
    order = np.argsort(keys)
    keys, values = keys[order], values[order]
    pos = np.clip(np.searchsorted(keys, query), 0, len(keys) - 1)
    return np.where(keys[pos] == query, values[pos], default)


# ---------------------------------------------------------------------------------------- scores

@dataclass
class Context:
    """What scoring knows beyond the two rows: the neighbour map (pairs of area codes, either
    order), earlier successful claims per (claiming unit, need's unit), and each unit's load."""

    neighbours: np.ndarray | None = None  # shape (k, 2)
    history_units: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (claimant, owner, count)
    load_units: tuple[np.ndarray, np.ndarray] | None = None  # (unit, open items)


@dataclass
class Scored:
    """Per-pair components and the integer score."""

    score: np.ndarray
    proximity: np.ndarray
    similarity: np.ndarray
    history: np.ndarray
    load: np.ndarray


def score_pairs(needs: Needs, resources: Resources, cand: Candidates, similarity: np.ndarray,
                context: Context | None = None, weights: Weights | None = None) -> Scored:
    context = context or Context()
    w = weights or Weights()
    ni, rj = cand.need, cand.resource
    need_area = needs.area[ni]
    unit_area = resources.unit_area[rj]

    proximity = np.where((unit_area == need_area) & (unit_area >= 0), PROX_SAME, PROX_NONE).astype(np.int8)
    if context.neighbours is not None and len(context.neighbours) and len(ni):
        nb = np.asarray(context.neighbours, dtype=np.int64).reshape(-1, 2)
        nb = nb[(nb >= 0).all(axis=1)]
        size = int(max(nb.max(initial=-1), need_area.max(initial=-1), unit_area.max(initial=-1))) + 1
        has_unit = unit_area >= 0
        if size <= 8192:
            # Streets are few (a city has about 215): a dense table answers each pair at once.
            table = np.zeros((size, size), dtype=bool)
            table[nb[:, 0], nb[:, 1]] = table[nb[:, 1], nb[:, 0]] = True
            is_nb = has_unit & table[need_area, np.where(has_unit, unit_area, 0)]
        else:
            nb = np.concatenate([nb, nb[:, ::-1]])
            is_nb = has_unit & np.isin(_pair_keys(need_area, unit_area), _pair_keys(nb[:, 0], nb[:, 1]))
        proximity[(proximity == PROX_NONE) & is_nb] = PROX_NEIGHBOUR

    if context.history_units is not None:
        claimant, owner, count = context.history_units
        history = lookup_pairs(claimant, owner, np.asarray(count, dtype=np.int64), resources.unit[rj], needs.unit[ni])
    else:
        history = np.zeros(len(ni), dtype=np.int64)

    if context.load_units is not None:
        units, loads = context.load_units
        load_per_resource = lookup(units, np.asarray(loads, dtype=np.int64), resources.unit)
        load = load_per_resource[rj]
    else:
        load = np.zeros(len(ni), dtype=np.int64)

    points = (
        w.base
        + np.where(cand.fit == FIT_EXACT, w.fit_exact, np.where(cand.fit == FIT_RELATED, w.fit_related, 0.0))
        + np.where(proximity == PROX_SAME, w.same_street, np.where(proximity == PROX_NEIGHBOUR, w.neighbour, 0.0))
        + w.text * similarity.astype(np.float64)
        + w.history_each * np.minimum(history, w.history_max)
        - w.load_each * np.minimum(load, w.load_max)
    )
    score = np.rint(points * SCALE).astype(np.int64)
    return Scored(score=score, proximity=proximity, similarity=similarity.astype(np.float32),
                  history=history.astype(np.int64), load=load.astype(np.int64))


# ---------------------------------------------------------------------------------------- words

def reasons(fit: int, need_category: str, resource_category: str, proximity: int, area: str,
            unit_area: str, similarity: float, history: int, load: int) -> dict:
    """The structured reasons stored with a suggestion (rendered by :func:`describe`)."""
    return {
        "fit": "exact" if fit == FIT_EXACT else "related",
        "need_category": need_category,
        "resource_category": resource_category,
        "proximity": {PROX_SAME: "same", PROX_NEIGHBOUR: "neighbour"}.get(int(proximity), ""),
        "area": area,
        "unit_area": unit_area,
        "similarity": round(float(similarity), 2),
        "history": int(history),
        "load": int(load),
    }


# Below this, the texts share too few words to be worth mentioning to a liaison.
SIMILAR_WORDS = 0.2


def describe(r: dict) -> str:
    """Why a resource is suggested for a need, in words a liaison uses:
    ``同属“为老服务”；都在示例街道；需求和资源的说明用词相近；此前合作成功2次；该单位手头已有3项认领``."""
    from django.utils.translation import gettext as _

    parts = []
    if r.get("fit") == "exact":
        parts.append(_("同属“%(category)s”") % {"category": r["need_category"]})
    else:
        parts.append(_("“%(resource)s”类资源也可用于“%(need)s”类需求")
                     % {"need": r["need_category"], "resource": r["resource_category"]})
    if r.get("proximity") == "same":
        parts.append(_("都在%(area)s") % {"area": r["area"]})
    elif r.get("proximity") == "neighbour":
        parts.append(_("提供单位在相邻的%(area)s") % {"area": r["unit_area"]})
    if r.get("similarity", 0.0) >= SIMILAR_WORDS:
        parts.append(_("需求和资源的说明用词相近"))
    if r.get("history"):
        parts.append(_("此前合作成功%(n)d次") % {"n": r["history"]})
    if r.get("load"):
        parts.append(_("该单位手头已有%(n)d项认领") % {"n": r["load"]})
    return "；".join(parts)
