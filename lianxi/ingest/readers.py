"""Turning an uploaded or pasted report into text: size and type checks before anything is read,
encoding detection for .txt (UTF-8, GB18030/GBK, Big5), .docx paragraphs and .html without tags.

Every refusal is an :class:`InputError` with a Chinese message naming what is wrong; nothing is
created from a refused input."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_BYTES = 2 * 1024 * 1024  # a news report is a few kilobytes; 2 MB leaves room for a .docx with images
MIN_CHARS = 20


class InputError(ValueError):
    pass


@dataclass
class Decoded:
    text: str
    encoding: str
    kind: str  # txt | docx | html | paste


def check_size(size: int):
    if size == 0:
        raise InputError("文件为空：请上传一篇会议报道（.txt、.docx 或 .html）。")
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size / 1024 / 1024:.1f} MB）：会议报道不应超过 {MAX_BYTES // 1024 // 1024} MB，未读取。")


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk / max(1, sum(1 for ch in text if not ch.isspace()))


def _common_share(text: str) -> float:
    from lianxi.ingest.repair import _common

    chars = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not chars:
        return 0.0
    return sum(1 for ch in chars if _common(ch)) / len(chars)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a .txt file and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = None
    for enc in ("gb18030", "big5"):
        text = data.decode(enc, errors="replace")
        errors = text.count("\ufffd")
        score = _common_share(text) - errors / max(1, len(text)) * 10
        if best is None or score > best[0]:
            best = (score, text, enc)
    return best[1], best[2]


class _TextOnly(HTMLParser):
    """Collects visible text: script/style dropped, block elements end a paragraph."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def docx_to_text(data: bytes) -> str:
    import zipfile

    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise InputError("无法读取 .docx：服务器缺少 python-docx。") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError("无法读取 .docx：文件已损坏或不是 Word 文档。") from exc
    return "\n".join(p.text for p in document.paragraphs if p.text.strip())


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def read_upload(name: str, data: bytes) -> Decoded:
    """Bytes of an uploaded file → text; the size is checked by the caller before ``data`` is read."""
    check_size(len(data))
    lower = (name or "").lower()
    if lower.endswith(".docx"):
        if not data.startswith(b"PK"):
            raise InputError("文件扩展名为 .docx，但内容不是 Word 文档。")
        decoded = Decoded(docx_to_text(data), "docx", "docx")
    elif lower.endswith((".html", ".htm")):
        if _looks_binary(data):
            raise InputError("文件不是文本（含二进制内容），无法作为网页读取。")
        text, enc = decode_text(data)
        decoded = Decoded(html_to_text(text), enc, "html")
    elif lower.endswith(".txt") or "." not in lower:
        if _looks_binary(data):
            raise InputError("文件不是文本（含二进制内容）：请上传 .txt、.docx 或 .html 格式的会议报道。")
        text, enc = decode_text(data)
        decoded = Decoded(text, enc, "txt")
    else:
        raise InputError(f"不支持的文件类型“{name}”：请上传 .txt、.docx 或 .html。")
    check_text(decoded.text)
    return decoded


def check_text(text: str):
    stripped = (text or "").strip()
    if not stripped:
        raise InputError("没有可读的正文：文件或粘贴内容为空。")
    if len(stripped) < MIN_CHARS or _cjk_share(stripped) < 0.3:
        raise InputError("内容不像一篇中文会议报道（正文过短或中文字符过少）。")
    if stripped.count("\ufffd") > len(stripped) * 0.05:
        raise InputError("文本中无法解码的字符过多：请确认文件编码（UTF-8、GBK 或 Big5）。")


def read_path(path) -> Decoded:
    """For the command line: refuse by size before reading the file."""
    import os

    size = os.path.getsize(path)
    check_size(size)
    with open(path, "rb") as fh:
        data = fh.read()
    return read_upload(str(path), data)


def read_paste(text: str) -> Decoded:
    check_size(len((text or "").encode("utf-8")))
    check_text(text)
    return Decoded(text, "utf-8", "paste")
