"""Certificates for a campaign honour's list (百优支部 …): one page per named entry, on the same
template as a meeting's certificates (``certificate.docx``), from the records only.

What a certificate says comes from the honour and its entry: the party organisation's name as
listed, the honour's year and name, the conference that keeps it (落款), and a date only where the
records hold one — the meeting that named the honour, else the one where the entry was awarded;
otherwise the date is left blank to fill in by hand. A source that states a count but names no one
(``stated_count`` with no entries) gives no certificates: nobody is invented."""

from lianxi.campaigns.models import Honour, HonourEntry
from lianxi.documents.context import WRITTEN_ON_BLANK, _quoted, cn_date


def _entries(honour: Honour) -> list[HonourEntry]:
    return list(honour.entries.select_related("awarded_at__meeting").order_by("order", "pk"))


def honour_certificate_context(honour: Honour) -> dict:
    named_at = honour.named_at.meeting if honour.named_at_id else None
    title = f"{honour.year}年度{_quoted(honour.name)}"
    certs = []
    for entry in _entries(honour):
        if named_at is not None:
            text = f"经{named_at.title}命名为{title}。"
        else:
            text = f"列入{title}名单。"
        meeting = named_at or (entry.awarded_at.meeting if entry.awarded_at_id else None)
        certs.append({
            "recipient": entry.party_org_name,
            "text": text,
            "organ": honour.conference.name,
            "date": cn_date(meeting.date) if meeting is not None and meeting.date else WRITTEN_ON_BLANK,
        })
    return {"certificates": certs}


def file_name(honour: Honour) -> str:
    return f"{honour.year}年{honour.name}证书"
