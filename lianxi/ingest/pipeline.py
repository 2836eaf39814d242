"""Report → draft: repair the text openly, extract the draft, refuse what is not a meeting report.

Pure functions (no database): the command line, the import service and the benchmark share them."""

from __future__ import annotations

import hashlib
import re

from lianxi.ingest.extract import extract
from lianxi.ingest.readers import InputError
from lianxi.ingest.repair import apply_edits, find_edits, normalise_newlines

SCHEMA_VERSION = 1


class NotAReport(InputError):
    pass


def content_hash(text: str) -> str:
    """Same report, same hash: whitespace and half/full-width punctuation do not count."""
    key = re.sub(r"\s+", "", normalise_newlines(text))
    key = key.translate(str.maketrans("，；：！？（）", ",;:!?()"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def build_draft(text: str, rejected: set[int] = frozenset()) -> dict:
    source = normalise_newlines(text)
    edits = find_edits(source)
    repaired = apply_edits(source, edits, rejected)
    draft = extract(repaired.text)
    check_is_report(draft)
    draft["repairs"] = [dict(e.as_dict(), rejected=e.id in rejected) for e in repaired.edits]
    draft["schema"] = SCHEMA_VERSION
    draft["repaired_text"] = repaired.text
    draft["source_text"] = source
    return draft


def check_is_report(draft: dict):
    meeting = draft["meeting"]
    has_meeting = bool(meeting.get("title")) and "会" in (meeting.get("title") or "").replace("會", "会")
    if not has_meeting or not (draft["agenda"] or draft["people"] or meeting.get("number")):
        raise NotAReport(
            "这篇文字不像一次会议的报道：没有找到“……会议……召开/举行”的会议名称，也没有主持、讲话、揭牌等议程，"
            "未建立任何导入。"
        )


def public_draft(draft: dict) -> dict:
    """The JSON printed by ``lianxi ingest --json``: the draft without the two full texts."""
    keys = ("meeting", "conferences", "people", "units", "agenda", "lists", "figures", "speech_points", "byline",
            "repairs", "truncated", "sources", "schema")
    return {k: draft[k] for k in keys}
