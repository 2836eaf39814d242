"""Evaluation of report ingestion on the synthetic reports in bench/ingest_eval/ (visibly synthetic
names; street, district and industry-cluster styles; two cut off mid-list), each read clean and
damaged (pinyin after characters, traditional script, GBK byte losses, half-width punctuation).

Prints precision and recall per field for the dev part (what the extractor was written against)
and each held-out part (heldout … heldout6: each committed before the extractor changes that
followed its first run, so only each part's first run was unseen), the count of invented values
(a value whose text occurs nowhere in the repaired source), and milliseconds per report.

    .venv/bin/python bench/bench_ingest.py [--part dev|heldout|heldout2|…|heldout6|all]
"""

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lianxi.ingest.damage import damage  # noqa: E402
from lianxi.ingest.pipeline import build_draft  # noqa: E402
from lianxi.ingest.readers import InputError  # noqa: E402
from lianxi.lib.text import to_simplified, to_traditional  # noqa: E402

EVAL = Path(__file__).parent / "ingest_eval"
PARTS = sorted(p.name for p in EVAL.iterdir() if p.is_dir())
MEETING_FIELDS = ("title", "conference", "kind", "number", "date", "venue", "host", "theme")
TEXT_FREE = {"roles", "kind", "date", "month_day", "number", "role", "mode", "complete", "value", "schema", "truncated",
             "basis"}


def s(v):
    return to_simplified(v) if isinstance(v, str) else v


def variants(text: str, name: str):
    yield "clean", text
    rnd = random.Random(name)
    full = text.translate(str.maketrans(",;:!?()", "，；：！？（）"))
    trad = to_traditional(full)
    cjk = [i for i, c in enumerate(trad) if "\u4e00" <= c <= "\u9fff"]
    losses = sorted(rnd.sample(cjk[20:-20], 2))
    yield "damaged", damage(trad, pinyin_chars="區聯發會", byte_losses=losses)


class Score:
    def __init__(self):
        self.tp = defaultdict(int)
        self.fp = defaultdict(int)
        self.fn = defaultdict(int)

    def sets(self, field, pred, key):
        pred, key = set(pred), set(key)
        self.tp[field] += len(pred & key)
        self.fp[field] += len(pred - key)
        self.fn[field] += len(key - pred)

    def value(self, field, pred, key):
        if pred is None and key is None:
            return
        if pred == key:
            self.tp[field] += 1
            return
        if pred is not None:
            self.fp[field] += 1
        if key is not None:
            self.fn[field] += 1

    def sequence(self, field, pred, key):
        # longest common subsequence: items in the reported order
        n, m = len(pred), len(key)
        dp = [[0] * (m + 1) for _ in range(n + 1)]
        for i in range(n):
            for j in range(m):
                dp[i + 1][j + 1] = dp[i][j] + 1 if pred[i] == key[j] else max(dp[i][j + 1], dp[i + 1][j])
        common = dp[n][m]
        self.tp[field] += common
        self.fp[field] += n - common
        self.fn[field] += m - common


EMPTY = {"meeting": {}, "people": [], "agenda": [], "units": [], "lists": [], "figures": [], "speech_points": [],
         "truncated": None}


def score_one(draft, key, sc: Score):
    m = draft["meeting"]
    for f in MEETING_FIELDS:
        sc.value(f"meeting.{f}", s(m.get(f)), key["meeting"].get(f))
    people = {s(p["name"]): p for p in draft["people"]}
    sc.sets("people", people, key["people"])
    posts_pred = {(n, f"{s(t['organisation'])} {s(t['post'])}".replace("None ", "")) for n, p in people.items()
                  for t in p["titles"]}
    posts_key = {(n, post) for n, posts in key["people"].items() for post in posts}
    sc.sets("posts", posts_pred, posts_key)
    sc.sequence("agenda", [a["kind"] for a in draft["agenda"]], key["agenda"])
    sc.sets("admitted", [s(u["name"]) for u in draft["units"] if "admitted" in u["roles"]], key["admitted"])
    pred_items = {s(i) for lst in draft["lists"] for i in lst["items"]
                  if lst["what"] is None or not re.search("机制", s(lst["what"]))}
    sc.sets("list_items", pred_items, {i for items in key["lists"].values() for i in items})
    sc.sets("figures", {(f["value"], s(f["unit"])) for f in draft["figures"]}, {tuple(f) for f in key["figures"]})
    pred_pts = {s(sp["speaker"]): len(sp["points"]) for sp in draft["speech_points"]}
    for who in set(pred_pts) | set(key["speech_points"]):
        p, k = pred_pts.get(who, 0), key["speech_points"].get(who, 0)
        sc.tp["speech_points"] += min(p, k)
        sc.fp["speech_points"] += max(0, p - k)
        sc.fn["speech_points"] += max(0, k - p)
    sc.value("truncated", draft["truncated"], key["truncated"])


def invented(draft) -> list[str]:
    """String values of the draft whose text is nowhere in the repaired source (simplified)."""
    source = to_simplified(draft["repaired_text"])
    out = []

    def walk(v, key=""):
        if isinstance(v, dict):
            for k, x in v.items():
                if k not in TEXT_FREE and k not in ("sources", "repairs", "repaired_text", "source_text", "role"):
                    walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
        elif isinstance(v, str) and key not in TEXT_FREE and v:
            if to_simplified(v) not in source:
                out.append(f"{key}: {v}")

    walk({k: draft[k] for k in ("meeting", "conferences", "people", "units", "agenda", "lists", "figures",
                                "speech_points", "byline")})
    return out


def run(part: str):
    parts = PARTS if part == "all" else [part]
    for p in parts:
        sc = Score()
        times, invented_all, failures, n = [], [], [], 0
        for path in sorted((EVAL / p).glob("*.txt")):
            key = json.loads(path.with_suffix(".key.json").read_text(encoding="utf-8"))
            for label, text in variants(path.read_text(encoding="utf-8"), path.stem):
                start = time.perf_counter()
                try:
                    draft = build_draft(text)
                except InputError as exc:
                    # a refused report is a miss of every fact its key holds, not a report left out
                    failures.append(f"{path.stem}/{label}: {exc}")
                    score_one(EMPTY, key, sc)
                    continue
                times.append((time.perf_counter() - start) * 1000)
                n += 1
                score_one(draft, key, sc)
                invented_all += [f"{path.stem}/{label} {x}" for x in invented(draft)]
        print(f"\n== {p}: {n} reports read, {len(failures)} refused (scored as missing every fact of its key) ==")
        print(f"{'field':<18}{'precision':>10}{'recall':>10}{'tp':>6}{'fp':>6}{'fn':>6}")
        tot = [0, 0, 0]
        for field in sorted(set(sc.tp) | set(sc.fp) | set(sc.fn)):
            tp, fp, fn = sc.tp[field], sc.fp[field], sc.fn[field]
            tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
            prec = tp / (tp + fp) if tp + fp else 1.0
            rec = tp / (tp + fn) if tp + fn else 1.0
            print(f"{field:<18}{prec:>10.1%}{rec:>10.1%}{tp:>6}{fp:>6}{fn:>6}")
        tp, fp, fn = tot
        print(f"{'ALL':<18}{tp / max(1, tp + fp):>10.1%}{tp / max(1, tp + fn):>10.1%}{tp:>6}{fp:>6}{fn:>6}")
        print(f"invented values: {len(invented_all)}")
        for x in invented_all:
            print("  ", x)
        for x in failures:
            print("  refused:", x)
        if times:
            times.sort()
            print(f"ms per report: median {times[len(times) // 2]:.0f}, max {times[-1]:.0f} "
                  f"(first call includes loading jieba's dictionary)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", default="dev", choices=[*PARTS, "all"])
    run(parser.parse_args().part)
