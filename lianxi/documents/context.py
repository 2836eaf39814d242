"""What goes into a meeting's documents, read from its records and nothing else.

A value the records do not hold (no venue, no host, no date of writing) becomes ``BLANK``, a line
for the office to fill in by hand; nothing is guessed. Names of people and units are listed in
姓氏笔画 order (see docs/stroke-order.md)."""

from lianxi.lib.numbers import chinese_ordinal
from lianxi.lib.strokes import person_key, sort_names
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Meeting
from lianxi.registry.models import Membership

BLANK = "＿＿＿＿＿＿"
WRITTEN_ON_BLANK = "　　　　年　　月　　日"


def cn_date(day) -> str:
    """2024年6月24日: Arabic digits, full year, no zero padding (GB/T 9704 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else BLANK


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda_items.order_by("order").prefetch_related(
            "participants__person", "units__unit", "released_projects", "awarded_projects"
        )
    )


def _person_label(participant: AgendaParticipant) -> str:
    return f"{participant.person.name}（{participant.title}）" if participant.title else participant.person.name


def _attendees(items) -> list[str]:
    """Everyone the records put on the meeting's agenda (attending, speaking, chairing, presenting),
    once each, with the title they were given that day, in 姓氏笔画 order."""
    seen: dict[int, AgendaParticipant] = {}
    for item in items:
        for participant in item.participants.all():
            known = seen.get(participant.person_id)
            if known is None or (not known.title and participant.title):
                seen[participant.person_id] = participant
    people = sorted(seen.values(), key=lambda p: person_key(p.person.name))
    return [f"{p.person.name}　{p.title}" if p.title else p.person.name for p in people]


def _hosts(items) -> str:
    hosts = [p for item in items for p in item.participants.all() if p.role == AgendaParticipant.Role.HOST]
    return "、".join(dict.fromkeys(_person_label(p) for p in hosts)) or BLANK


def _agenda(items) -> list[dict]:
    out = []
    for n, item in enumerate(items, start=1):
        people = "、".join(
            p.person.name for p in item.participants.all() if p.role != AgendaParticipant.Role.ATTENDEE
        )
        out.append({"number": f"（{chinese_ordinal(n)}）", "title": item.title, "people": people})
    return out


def _decisions(meeting: Meeting, items) -> list[str]:
    """议定事项: what the meeting's applied resolutions changed in the records, in agenda order."""
    lines = []
    for item in items:
        if item.applied_on is None and item.kind not in (AgendaItem.Kind.RELEASE, AgendaItem.Kind.AWARD):
            continue
        units = list(item.units.all())
        if item.kind == AgendaItem.Kind.ADMISSION:
            admitted = [u.label or u.unit.name for u in units if u.role == AgendaUnit.Role.ADMITTED]
            if admitted:
                where = item.concerns_conference.name if item.concerns_conference_id else meeting.conference.name
                lines.append(f"会议通过{'、'.join(admitted)}为{where}成员单位。")
        elif item.kind == AgendaItem.Kind.UNVEILING and item.concerns_conference_id:
            lines.append(f"会议为{item.concerns_conference.name}揭牌。")
        elif item.kind == AgendaItem.Kind.RELEASE and item.released_projects.all():
            titles = [_quoted(p.title) for p in item.released_projects.all()]
            lines.append(f"会议{item.title}（{len(titles)}项）：{'、'.join(titles)}。")
        elif item.kind in (AgendaItem.Kind.AWARD, AgendaItem.Kind.NAMING):
            awarded = [_quoted(p.title) for p in item.awarded_projects.all()]
            awarded += [u.label or u.unit.name for u in units if u.role == AgendaUnit.Role.AWARDED]
            if awarded:
                lines.append(f"会议{item.title}：{'、'.join(awarded)}。")
        elif item.kind == AgendaItem.Kind.ADJUSTMENT:
            lines.append(f"会议{item.title}。")
    started = meeting.appointments_started.select_related("person", "unit", "conference").order_by("pk")
    for post in started:
        holder = post.person.name if post.person_id else post.unit.name
        lines.append(f"{holder}任{post.conference.name}{post.get_role_display()}。")
    ended = meeting.appointments_ended.select_related("person", "unit", "conference").order_by("pk")
    for post in ended:
        holder = post.person.name if post.person_id else post.unit.name
        lines.append(f"{holder}不再担任{post.conference.name}{post.get_role_display()}。")
    return [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


def _quoted(title: str) -> str:
    return title if title.startswith(("“", "《", "\"")) else f"“{title}”"


def _organ(meeting: Meeting) -> str:
    return meeting.conference.name


def minutes_context(meeting: Meeting) -> dict:
    items = _items(meeting)
    opening = f"{cn_date(meeting.date)}，{meeting.title}召开。"
    figures = [f"{f.label}{f.value}{f.unit_label}" for f in meeting.figures.all()]
    if figures:
        opening += "会议记录的数字：" + "；".join(figures) + "。"
    return {
        "masthead": f"{meeting.conference.name}纪要",
        "title": meeting.title,
        "date": cn_date(meeting.date),
        "venue": meeting.venue or BLANK,
        "host": _hosts(items),
        "opening": opening,
        "agenda": _agenda(items),
        "decisions": _decisions(meeting, items),
        "attendees": _attendees(items),
        "organ": _organ(meeting),
        "written_on": WRITTEN_ON_BLANK,
        "blank": BLANK,
    }


def _member_units(meeting: Meeting) -> list[str]:
    names = Membership.objects.current(meeting.date).filter(conference=meeting.conference).values_list(
        "unit__name", flat=True
    )
    return sort_names(set(names))


def notice_context(meeting: Meeting) -> dict:
    items = _items(meeting)
    units = _member_units(meeting)
    return {
        "masthead": meeting.conference.name,
        "title": f"关于召开{meeting.title}的通知",
        "addressee": "各成员单位",
        "opening": f"经研究，定于{cn_date(meeting.date)}召开{meeting.title}。现将有关事项通知如下：",
        "date": cn_date(meeting.date),
        "time": BLANK,
        "venue": meeting.venue or BLANK,
        "participants": f"{meeting.conference.name}各成员单位（共{len(units)}家，名单见附件）。" if units else BLANK,
        "agenda": _agenda(items),
        "attachment_title": f"{meeting.conference.name}成员单位名单",
        "member_units": units,
        "organ": _organ(meeting),
        "written_on": WRITTEN_ON_BLANK,
        "blank": BLANK,
    }


def brief_context(meeting: Meeting) -> dict:
    items = _items(meeting)
    paragraphs = [f"{cn_date(meeting.date)}，{meeting.title}召开。"]
    if meeting.summary:
        paragraphs.append(meeting.summary)
    for item in items:
        text = item.title + (f"：{item.description}" if item.description else "")
        people = "、".join(_person_label(p) for p in item.participants.all()
                          if p.role != AgendaParticipant.Role.ATTENDEE)
        paragraphs.append(f"{people}{'，' if people else ''}{text}。".replace("。。", "。"))
    return {
        "masthead": f"{meeting.conference.short_name or meeting.conference.name}工作简报",
        "issue": f"第{BLANK}期",
        "title": f"{meeting.title}召开",
        "paragraphs": paragraphs,
        "organ": _organ(meeting),
        "written_on": WRITTEN_ON_BLANK,
    }


def certificate_context(meeting: Meeting) -> dict:
    """One certificate per unit or project awarded or named at the meeting."""
    certs = []
    for item in _items(meeting):
        if item.kind not in (AgendaItem.Kind.AWARD, AgendaItem.Kind.NAMING, AgendaItem.Kind.ADMISSION):
            continue
        for project in item.awarded_projects.all():
            recipient = project.lead_unit.name if project.lead_unit_id else f"“{project.title}”项目"
            certs.append({"recipient": recipient, "text": f"{_quoted(project.title)}在{meeting.title}上获{item.title}。",
                          "organ": _organ(meeting), "date": cn_date(meeting.date)})
        for unit in item.units.all():
            if unit.role not in (AgendaUnit.Role.AWARDED, AgendaUnit.Role.ADMITTED):
                continue
            text = (f"在{meeting.title}上获{item.title}。" if unit.role == AgendaUnit.Role.AWARDED
                    else f"经{meeting.title}通过，成为{meeting.conference.name}成员单位。")
            certs.append({"recipient": unit.label or unit.unit.name, "text": text, "organ": _organ(meeting),
                          "date": cn_date(meeting.date)})
    return {"certificates": certs}


KINDS = {
    "notice": ("会议通知", notice_context),
    "minutes": ("会议纪要", minutes_context),
    "brief": ("简报", brief_context),
    "certificate": ("证书", certificate_context),
}
