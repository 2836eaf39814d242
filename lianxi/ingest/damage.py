"""Reproduces the damage reports suffer when re-posted, for tests and the evaluation set: pinyin
written after characters (区(qū)), one byte lost from the GBK bytes (the rest decoded out of
step), and full-width punctuation flattened to half-width. Deterministic for given positions."""

from pypinyin import Style, pinyin

FLATTEN = str.maketrans({"，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")"})


def add_pinyin(text: str, chars: str) -> str:
    """Write each character of ``chars`` wherever it occurs followed by its reading: 区 → 区(qū)."""
    out = []
    for ch in text:
        out.append(ch)
        if ch in chars:
            out.append(f"({pinyin(ch, style=Style.TONE)[0][0]})")
    return "".join(out)


def drop_gbk_bytes(text: str, positions: list[int]) -> str:
    """Lose the first GBK byte of the character at each position (positions in ``text``)."""
    data = bytearray()
    drop = set()
    for i, ch in enumerate(text):
        encoded = ch.encode("gbk", errors="replace")
        if i in positions and len(encoded) == 2:
            drop.add(len(data))
        data.extend(encoded)
    kept = bytes(b for k, b in enumerate(data) if k not in drop)
    return kept.decode("gbk", errors="ignore")


def damage(text: str, *, pinyin_chars: str = "", byte_losses: list[int] = (), flatten: bool = True) -> str:
    text = add_pinyin(text, pinyin_chars) if pinyin_chars else text
    text = drop_gbk_bytes(text, list(byte_losses)) if byte_losses else text
    return text.translate(FLATTEN) if flatten else text
