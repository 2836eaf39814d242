"""Query parameters read in one place, so that no value a visitor can type reaches the database
or the calendar unchecked.

A page reads each parameter through these helpers: an integer outside its range, text that is not
a number, a year or month that is not a date all give ``None`` (the filter is not applied) and one
message on the page naming the parameter ("已忽略无效的参数：年度"). Ids are bounded by what
SQLite and PostgreSQL store in a bigint; page numbers by :data:`MAX_PAGE`.
"""

import datetime

from django.contrib import messages

MAX_ID = 2**63 - 1
# Deep enough for every page of a city's needs at 50 per page (1,000,000 rows → 20,000 pages)
# with room to spare; further than that is not a page anyone reaches but a way to make the
# database count millions of rows.
MAX_PAGE = 100_000
MIN_YEAR, MAX_YEAR = 1949, 2100
MAX_TEXT = 200

LABELS = {
    "page": "页码", "year": "年度", "month": "月份", "area": "地区", "conference": "联席会议", "unit": "单位",
    "category": "类别", "kind": "类型", "q": "关键词", "role": "职务", "state": "状态", "run": "匹配批次",
}


def _flag(request, name: str):
    """One message per parameter per request, shown on the page the filter was ignored on."""
    flagged = getattr(request, "_lianxi_bad_params", None)
    if flagged is None:
        flagged = request._lianxi_bad_params = set()
    if name in flagged:
        return
    flagged.add(name)
    label = LABELS.get(name, name)
    try:
        messages.warning(request, f"已忽略无效的参数：{label}")
    except messages.MessageFailure:  # a request without the messages middleware (the API)
        pass


def parse_int(value, *, min_value: int = 1, max_value: int = MAX_ID) -> int | None:
    """``value`` as an int within bounds; ``None`` when it is anything else. Only ASCII digits
    with an optional sign are numbers here (Python's ``int`` also takes "２０２４" and "1_000")."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 19:
            return None
        number = int(text)
    return number if min_value <= number <= max_value else None


def int_param(request, name: str, *, min_value: int = 1, max_value: int = MAX_ID, source=None) -> int | None:
    """The integer parameter ``name`` (an id by default); blank → ``None`` quietly, bad → ``None``
    with a message."""
    raw = (request.GET if source is None else source).get(name, "")
    if raw in ("", None):
        return None
    number = parse_int(raw, min_value=min_value, max_value=max_value)
    if number is None:
        _flag(request, name)
    return number


def id_param(request, name: str, source=None) -> int | None:
    return int_param(request, name, source=source)


def year_param(request, name: str = "year") -> int | None:
    return int_param(request, name, min_value=MIN_YEAR, max_value=MAX_YEAR)


def choice_param(request, name: str, choices) -> str:
    """A value among ``choices`` (codes), or ``""``; an unknown value is flagged."""
    raw = request.GET.get(name, "")
    if raw == "":
        return ""
    if raw in set(choices):
        return raw
    _flag(request, name)
    return ""


def text_param(request, name: str = "q", *, max_length: int = MAX_TEXT) -> str:
    """Free text, trimmed, without NUL and other control characters, at most ``max_length``."""
    raw = request.GET.get(name, "")
    cleaned = "".join(ch for ch in raw if ch >= " " or ch in "\t").strip()
    if len(cleaned) > max_length or cleaned != raw.strip():
        _flag(request, name)
    return cleaned[:max_length]


def month_param(request, name: str = "month") -> datetime.date | None:
    """``YYYY-MM`` as the first day of that month, or ``None``."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    parts = raw.split("-")
    if len(parts) == 2:
        year = parse_int(parts[0], min_value=MIN_YEAR, max_value=MAX_YEAR)
        month = parse_int(parts[1], min_value=1, max_value=12)
        if year and month:
            return datetime.date(year, month, 1)
    _flag(request, name)
    return None


def page_param(request, name: str = "page") -> int:
    """The requested page number, 1 when missing or bad (a bad one is flagged); "last" is kept
    for Django's paginator."""
    raw = request.GET.get(name, "")
    if raw in ("", None):
        return 1
    number = parse_int(raw, min_value=1, max_value=MAX_PAGE)
    if number is None:
        _flag(request, name)
        return 1
    return number
