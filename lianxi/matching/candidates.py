"""Candidate pairs for matching: which resource could serve which need at all.

Pure numpy, no Django. A pair is a candidate when the resource's category fits the need's
category, the resource serves the need's street (area) and the two availability windows overlap;
a unit is never paired with its own need. City scale (100,000 needs × 20,000 resources) gives
about two million pairs, so the join is a sort-merge on the key (need category, area) with the
cartesian product of each key group expanded by index arithmetic, never a Python loop per row."""

from dataclasses import dataclass, field

import numpy as np

# Fit levels of a (need category, resource category) pair; 0 means "does not fit".
FIT_NONE, FIT_RELATED, FIT_EXACT = 0, 1, 2

# Bounds the memory of one expansion step (pairs before the window filter).
CHUNK_PAIRS = 4_000_000

NO_UNIT = -1


@dataclass
class Needs:
    """Open needs as parallel arrays. ``category`` and ``area`` are small dense codes (0…n-1);
    ``start``/``end`` are day numbers (inclusive); ``quantity`` is what is still unclaimed."""

    id: np.ndarray
    category: np.ndarray
    area: np.ndarray
    unit: np.ndarray
    quantity: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self):
        return len(self.id)


@dataclass
class Resources:
    """Available resources as parallel arrays. The streets a resource serves are a CSR list:
    ``served_area[served_ptr[i]:served_ptr[i + 1]]``. ``unit_area`` is the owning unit's own street
    (``-1`` when unknown), used for the same-street/neighbour bonus."""

    id: np.ndarray
    category: np.ndarray
    unit: np.ndarray
    unit_area: np.ndarray
    capacity: np.ndarray
    start: np.ndarray
    end: np.ndarray
    served_ptr: np.ndarray
    served_area: np.ndarray

    def __len__(self):
        return len(self.id)


@dataclass
class CategoryFit:
    """Which resource categories fit which need categories. Same code = exact fit; ``related``
    lists extra (need category, resource category) pairs that fit less well."""

    n_categories: int
    related: list[tuple[int, int]] = field(default_factory=list)

    def matrix(self) -> np.ndarray:
        m = np.zeros((self.n_categories, self.n_categories), dtype=np.int8)
        m[np.arange(self.n_categories), np.arange(self.n_categories)] = FIT_EXACT
        for need_cat, res_cat in self.related:
            if need_cat != res_cat:
                m[need_cat, res_cat] = FIT_RELATED
        return m


@dataclass
class Candidates:
    """Candidate pairs: positions into the ``Needs`` and ``Resources`` arrays, and the fit level."""

    need: np.ndarray
    resource: np.ndarray
    fit: np.ndarray

    def __len__(self):
        return len(self.need)


def _as(a, dtype):
    return np.ascontiguousarray(a, dtype=dtype)


def make_needs(**arrays) -> Needs:
    kinds = {"id": np.int64, "category": np.int32, "area": np.int32, "unit": np.int64,
             "quantity": np.int64, "start": np.int32, "end": np.int32}
    return Needs(**{k: _as(arrays[k], t) for k, t in kinds.items()})


def make_resources(**arrays) -> Resources:
    kinds = {"id": np.int64, "category": np.int32, "unit": np.int64, "unit_area": np.int32,
             "capacity": np.int64, "start": np.int32, "end": np.int32, "served_ptr": np.int64,
             "served_area": np.int32}
    return Resources(**{k: _as(arrays[k], t) for k, t in kinds.items()})


def served_from_lists(lists) -> tuple[np.ndarray, np.ndarray]:
    """``[[areas of resource 0], [areas of resource 1], …]`` → (``served_ptr``, ``served_area``);
    duplicates within one resource are dropped."""
    cleaned = [sorted(set(a)) for a in lists]
    ptr = np.zeros(len(cleaned) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(a) for a in cleaned])
    flat = np.fromiter((x for a in cleaned for x in a), dtype=np.int32, count=int(ptr[-1]))
    return ptr, flat


def _group_bounds(sorted_keys: np.ndarray):
    """Unique keys of a sorted array with the start offset and size of each run."""
    if len(sorted_keys) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return sorted_keys[:0], empty, empty
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_keys)])
    return sorted_keys[starts], starts.astype(np.int64), sizes.astype(np.int64)


def build_candidates(needs: Needs, resources: Resources, fit: CategoryFit,
                     chunk_pairs: int = CHUNK_PAIRS) -> Candidates:
    """All candidate (need, resource) pairs, ordered by need category, area, need, resource."""
    n_areas = int(max(needs.area.max(initial=-1), resources.served_area.max(initial=-1))) + 1
    fit_matrix = fit.matrix()

    # Only needs with something left to claim and resources with capacity left take part.
    need_ok = np.flatnonzero((needs.quantity > 0) & (needs.area >= 0) & (needs.category >= 0))
    need_key = needs.category[need_ok].astype(np.int64) * n_areas + needs.area[need_ok]
    order = np.argsort(need_key, kind="stable")
    need_sorted = need_ok[order]
    n_keys, n_start, n_size = _group_bounds(need_key[order])

    # One resource entry per (need category it fits, area it serves).
    res_ok = resources.capacity > 0
    counts = np.diff(resources.served_ptr) * res_ok
    entry_res = np.repeat(np.arange(len(resources), dtype=np.int64), counts)
    keep_served = np.repeat(res_ok, np.diff(resources.served_ptr))
    entry_area = resources.served_area[keep_served].astype(np.int64)
    fit_cols = fit_matrix.T[resources.category[entry_res]]  # entries × need categories
    e_idx, need_cat = np.nonzero(fit_cols)
    entry_fit = fit_cols[e_idx, need_cat]
    entry_res, entry_area = entry_res[e_idx], entry_area[e_idx]
    res_key = need_cat.astype(np.int64) * n_areas + entry_area
    order = np.argsort(res_key, kind="stable")
    entry_res, entry_fit = entry_res[order], entry_fit[order]
    r_keys, r_start, r_size = _group_bounds(res_key[order])

    common, in_n, in_r = np.intersect1d(n_keys, r_keys, assume_unique=True, return_indices=True)
    ns, nc = n_start[in_n], n_size[in_n]
    rs, rc = r_start[in_r], r_size[in_r]
    per_key = nc * rc

    out_need, out_res, out_fit = [], [], []
    # Expand key groups in chunks so that memory stays bounded whatever the density.
    cum = np.cumsum(per_key)
    lo = 0
    while lo < len(common):
        base = cum[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(cum, base + chunk_pairs, side="right")))
        sl = slice(lo, hi)
        sizes = per_key[sl]
        total = int(sizes.sum())
        group = np.repeat(np.arange(hi - lo), sizes)
        local = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        width = rc[sl][group]
        ni = need_sorted[ns[sl][group] + local // width]
        ei = rs[sl][group] + local % width
        rj = entry_res[ei]
        keep = (
            (needs.start[ni] <= resources.end[rj])
            & (resources.start[rj] <= needs.end[ni])
            & ((needs.unit[ni] != resources.unit[rj]) | (needs.unit[ni] == NO_UNIT))
        )
        out_need.append(ni[keep])
        out_res.append(rj[keep])
        out_fit.append(entry_fit[ei][keep])
        lo = hi

    if not out_need:
        z = np.zeros(0, dtype=np.int64)
        return Candidates(z, z.copy(), np.zeros(0, dtype=np.int8))
    return Candidates(np.concatenate(out_need), np.concatenate(out_res), np.concatenate(out_fit).astype(np.int8))
