"""Candidate pairs: the vectorised sort-merge join gives exactly the pairs a plain double loop
over needs and resources gives, and each rule (category, street, window, own unit) holds."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lianxi.matching.candidates import (
    FIT_EXACT,
    FIT_RELATED,
    CategoryFit,
    build_candidates,
    make_needs,
    make_resources,
    served_from_lists,
)
from lianxi.matching.synthetic import instance


def _resources(rows):
    ptr, flat = served_from_lists([r["served"] for r in rows])
    return make_resources(
        id=[r["id"] for r in rows], category=[r["cat"] for r in rows], unit=[r["unit"] for r in rows],
        unit_area=[r.get("unit_area", -1) for r in rows], capacity=[r.get("cap", 1) for r in rows],
        start=[r.get("start", 0) for r in rows], end=[r.get("end", 100) for r in rows], served_ptr=ptr,
        served_area=flat,
    )


def _needs(rows):
    return make_needs(
        id=[r["id"] for r in rows], category=[r["cat"] for r in rows], area=[r["area"] for r in rows],
        unit=[r["unit"] for r in rows], quantity=[r.get("qty", 1) for r in rows],
        start=[r.get("start", 0) for r in rows], end=[r.get("end", 100) for r in rows],
    )


def _pairs(needs, resources, cand):
    return sorted(
        (int(needs.id[n]), int(resources.id[r]), int(f)) for n, r, f in zip(cand.need, cand.resource, cand.fit, strict=True)
    )


def test_each_rule():
    needs = _needs([
        {"id": 1, "cat": 0, "area": 0, "unit": 100},
        {"id": 2, "cat": 0, "area": 1, "unit": 100, "start": 50, "end": 60},
        {"id": 3, "cat": 1, "area": 0, "unit": 101},
        {"id": 4, "cat": 0, "area": 0, "unit": 7},  # the resource's own unit
        {"id": 5, "cat": 0, "area": 0, "unit": 100, "qty": 0},  # nothing left to claim
    ])
    resources = _resources([
        {"id": 10, "cat": 0, "unit": 7, "served": [0, 1], "start": 0, "end": 40},
        {"id": 11, "cat": 2, "unit": 8, "served": [0]},  # related to category 1 only
        {"id": 12, "cat": 0, "unit": 9, "served": [1], "cap": 0},  # nothing left to offer
    ])
    cand = build_candidates(needs, resources, CategoryFit(3, related=[(1, 2)]))
    assert _pairs(needs, resources, cand) == [(1, 10, FIT_EXACT), (3, 11, FIT_RELATED)]


def _brute(needs, resources, fit):
    m = fit.matrix()
    out = []
    for n in range(len(needs)):
        for r in range(len(resources)):
            served = resources.served_area[resources.served_ptr[r]:resources.served_ptr[r + 1]]
            level = m[needs.category[n], resources.category[r]]
            if (needs.quantity[n] > 0 and resources.capacity[r] > 0 and level and needs.area[n] in served
                    and needs.start[n] <= resources.end[r] and resources.start[r] <= needs.end[n]
                    and needs.unit[n] != resources.unit[r]):
                out.append((int(needs.id[n]), int(resources.id[r]), int(level)))
    return sorted(out)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 60), st.integers(1, 25), st.integers(1, 6), st.integers(1, 500))
def test_join_equals_double_loop(seed, n_needs, n_res, n_areas, chunk):
    inst = instance(n_needs, n_res, n_areas, seed=seed, n_units=4, n_need_units=3, texts=False)
    # Some needs belong to a resource unit, so the own-unit rule is exercised.
    inst.needs.unit[::5] = inst.resources.unit[0]
    cand = build_candidates(inst.needs, inst.resources, inst.fit, chunk_pairs=chunk)
    assert _pairs(inst.needs, inst.resources, cand) == _brute(inst.needs, inst.resources, inst.fit)


def test_no_pairs():
    needs = _needs([{"id": 1, "cat": 0, "area": 0, "unit": 1}])
    resources = _resources([{"id": 2, "cat": 1, "unit": 2, "served": [0]}])
    cand = build_candidates(needs, resources, CategoryFit(2))
    assert len(cand) == 0
    assert cand.need.dtype == np.int64
