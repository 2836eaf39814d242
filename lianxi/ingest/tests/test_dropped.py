"""A byte loss that takes a whole character away (the decoder drops the orphaned byte and falls
back into step, so no mojibake is left): the place is marked ⟦?⟧ with the missing character
proposed in the repair's note, never joined silently; a replacement character left by a cut
multi-byte sequence is marked the same way. Clean texts get no such mark."""

from pathlib import Path

from lianxi.ingest.damage import drop_gbk_bytes
from lianxi.ingest.readers import read_path
from lianxi.ingest.repair import GAP, repair

DATA = Path(__file__).parent / "data"


def lose(text: str, pos: int) -> str:
    damaged = drop_gbk_bytes(text, [pos])
    assert damaged == text[:pos] + text[pos + 1:], "the loss must take the character away without a trace"
    return damaged


def dropped(repaired):
    return [e for e in repaired.edits if e.kind == "dropped"]


def test_a_character_lost_whole_in_the_seed_is_marked_not_joined():
    seed = repair(read_path(DATA / "huangpu_2024-06-24_raw.txt").text)
    assert dropped(seed) == []  # the seed as it came has no such loss
    text = seed.text
    at = text.index("黨建聯席") + 1  # 建 of the first 區域化黨建聯席會議
    damaged = lose(text, at)
    assert damaged[at - 3:at + 2] == "域化黨聯席"
    repaired = repair(damaged)
    [edit] = dropped(repaired)
    assert (edit.start, edit.end, edit.before, edit.after, edit.candidates) == (at, at, "", GAP, ["建"])
    assert "可能缺“建”" in edit.reason and edit.confidence < 1
    assert repaired.text[edit.out_start - 3:edit.out_end + 2] == f"域化黨{GAP}聯席"
    # the reviewer may reject the mark: the text is then left as it came
    assert repair(damaged, rejected={edit.id}).text.count(GAP) == repaired.text.count(GAP) - 1


def test_a_synthetic_report_losing_a_character_of_a_recurring_word():
    text = (DATA / "synthetic_district.txt").read_text(encoding="utf-8")
    at = text.index("联席会议", text.index("会上通过"))
    damaged = lose(text, at)  # 联 of 区域化党建联席会议
    [edit] = dropped(repair(damaged))
    assert (edit.start, edit.candidates) == (at, ["联"])
    assert dropped(repair(text)) == []


def test_a_cut_multibyte_sequence_left_by_the_decoder_is_a_marked_gap():
    text = (DATA / "synthetic_district.txt").read_text(encoding="utf-8")
    at = text.index("成员单位")
    repaired = repair(text[:at] + "\ufffd" + text[at + 1:])
    gaps = [e for e in dropped(repaired) if e.before == "\ufffd"]
    assert len(gaps) == 1 and gaps[0].after == GAP and "\ufffd" not in repaired.text
