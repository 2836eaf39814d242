"""姓氏笔画 order: how officials order names on a list (出席名单, 表彰名单, 成员单位名单).

The rule, as written in docs/stroke-order.md:

1. Compare the first characters: fewer strokes first.
2. Same number of strokes: compare the strokes in writing order by their class —
   横 (一, with 提) before 竖 (丨, with 竖钩) before 撇 (丿) before 点 (丶, with 捺) before 折 (乛, every
   turning or hooked stroke other than 竖钩) — the first stroke that differs decides.
3. Still the same: the next character decides, by 1–2 again. In 按姓氏笔画 order a two-character
   personal name is read with a blank in the middle (田富 = 田□富), and a blank comes first, so
   田富 stands before 田大利.
4. Characters with identical stroke classes (己 and 已, say) fall back to code point order; the
   national 笔画序 table that would split them further is not openly published.

Stroke data: ``data/strokes.tsv`` (6,939 characters, MIT, see its LICENSE file). A traditional
character is looked up through its simplified form; a character that still is not found sorts after
every known character at its position, by code point, and :func:`unknown_characters` names it so
that an office can check such a list by hand."""

from functools import cache, lru_cache
from pathlib import Path

# Stroke letters of the data file → the five classes 横1 竖2 撇3 点4 折5.
_CLASS = {"j": 1, "i": 1, "d": 1, "f": 2, "g": 2, "s": 3, "k": 4, "l": 4}
_FOLD = 5  # every other letter is a turning or hooked stroke
BLANK = (0, ())
# Sorts after every Han character: letters, digits and unknown characters, by code point.
_AFTER = 10_000


@cache
def _table() -> dict[str, str]:
    path = Path(__file__).with_name("data") / "strokes.tsv"
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        char, _, letters = line.partition("\t")
        if char and letters:
            table[char] = letters
    return table


@cache
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def strokes(char: str) -> str | None:
    """The stroke letters of one character, or ``None`` when the data does not hold it."""
    table = _table()
    letters = table.get(char)
    if letters is None and "\u3400" <= char <= "\u9fff":
        letters = table.get(_to_simplified().convert(char))
    return letters


def stroke_count(char: str) -> int | None:
    letters = strokes(char)
    return None if letters is None else len(letters)


@lru_cache(maxsize=20_000)
def char_key(char: str) -> tuple:
    letters = strokes(char)
    if letters is None:
        return (_AFTER, (ord(char),))
    return (len(letters), tuple(_CLASS.get(letter, _FOLD) for letter in letters), ord(char))


def name_key(name: str) -> tuple:
    """Sort key for a unit or organisation name: character by character, by the rule above."""
    return tuple(char_key(c) for c in "".join(name.split()))


def person_key(name: str) -> tuple:
    """Sort key for a person's name in 按姓氏笔画 order (a single given name leaves a blank first)."""
    chars = "".join(name.split())
    keys = [char_key(c) for c in chars]
    if len(keys) == 2:
        keys.insert(1, BLANK)
    return tuple(keys)


def sort_people(items, name=lambda item: item):
    """``items`` in 姓氏笔画 order; ``name`` reads the name from an item."""
    return sorted(items, key=lambda item: person_key(name(item)))


def sort_names(items, name=lambda item: item):
    return sorted(items, key=lambda item: name_key(name(item)))


def unknown_characters(names) -> set[str]:
    """Han characters in ``names`` that the stroke data does not hold."""
    return {c for n in names for c in n if "\u3400" <= c <= "\u9fff" and strokes(c) is None}
