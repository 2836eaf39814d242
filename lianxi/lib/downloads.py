"""Every file download goes out through :func:`attachment`.

The name often comes from data (a conference's short name, a snapshot's or meeting's title), so it
is sent per RFC 6266 with the RFC 5987 ``filename*`` parameter: the UTF-8 name percent-encoded
(nothing but ``%XX`` and unreserved characters reach the header), and a plain ``filename`` fallback
made only of ASCII letters, digits and ``._-()``. Control, format and bidi characters are dropped
from both, so quotes, angle brackets and line breaks never reach the header raw and a name cannot
show a different extension than it has."""

import re
from urllib.parse import quote

from django.http import HttpResponse

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()\-]+")


def clean_filename(name: str) -> str:
    """``name`` without control, format (zero-width, bidi) or path characters."""
    name = "".join(ch for ch in str(name) if ch.isprintable())
    return name.replace("/", "_").replace("\\", "_").strip() or "download"


def ascii_fallback(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _UNSAFE_ASCII.sub("", stem.encode("ascii", "ignore").decode()).strip("._") or "lianxi"
    ext = _UNSAFE_ASCII.sub("", ext.encode("ascii", "ignore").decode())
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    name = clean_filename(filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(data: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response
