"""A plain-text reading of a draft, for ``lianxi ingest FILE`` without ``--json``."""

AGENDA_LABELS = {
    "chairing": "主持", "report": "介绍情况", "speech": "讲话", "unveiling": "揭牌", "admission": "通过新成员并授牌",
    "award": "颁授", "naming": "命名", "release": "发布", "adjustment": "调整", "exchange": "交流", "video": "观看视频",
    "signing": "签约",
}


def _v(value):
    return "（未载明）" if value in (None, "", []) else value


def describe(draft: dict) -> str:
    m = draft["meeting"]
    lines = [
        f"会议：{_v(m['title'])}",
        f"  联席会议：{_v(m['conference'])}  类型：{_v(m['kind'])}  届次：{_v(m['number'])}",
        f"  日期：{_v(m['date'])}  地点：{_v(m['venue'])}  主办：{_v(m['host'])}  主题：{_v(m['theme'])}",
    ]
    date_src = draft["sources"].get("meeting.date")
    if date_src and date_src["basis"] == "inferred":
        lines.append(f"  （日期为推断：{date_src['reason']}）")
    lines.append(f"其他联席会议 {len(draft['conferences'])} 个：" + "、".join(c["name"] for c in draft["conferences"]))
    lines.append(f"人员 {len(draft['people'])} 位：")
    for p in draft["people"]:
        posts = "、".join((t["organisation"] or "") + t["post"] for t in p["titles"])
        lines.append(f"  {p['name']}：{posts}")
    lines.append(f"议程 {len(draft['agenda'])} 项：")
    for n, item in enumerate(draft["agenda"], 1):
        who = "、".join(x["name"] for x in item["people"])
        units = "、".join(x["name"] for x in item["units"])
        lines.append(f"  {n}. [{AGENDA_LABELS.get(item['kind'], item['kind'])}] {item['summary'][:60]}"
                     + (f"（人员：{who}）" if who else "") + (f"（单位：{units}）" if units else ""))
    for lst in draft["lists"]:
        state = {True: "列全", False: "未列全", None: "未知"}[lst["complete"]]
        lines.append(f"列举：{_v(lst['what'])}（{len(lst['items'])} 项，{state}）")
    for f in draft["figures"]:
        lines.append(f"数字：{f['as_stated']} —— {f['what']}")
    for sp in draft["speech_points"]:
        lines.append(f"{sp['speaker']} 讲话要点 {len(sp['points'])} 条")
    kinds = {}
    for r in draft["repairs"]:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    lines.append("修复：" + "，".join(f"{k} {v} 处" for k, v in sorted(kinds.items())))
    for r in draft["repairs"]:
        if r["kind"] == "mojibake":
            lines.append(f"  第 {r['start']} 字起：“{r['before']}” → “{r['after']}”（置信度 {r['confidence']}）")
    lines.append("截断：" + ("是" if draft["truncated"] else "否"))
    return "\n".join(lines)
