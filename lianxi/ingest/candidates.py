"""Existing records a draft's people, units and conferences may be: by name (simplified or
traditional), party-organisation name, short name, or the same pinyin. One query per kind."""

from __future__ import annotations

from django.db.models import Q
from pypinyin import lazy_pinyin

from lianxi.lib.text import search_key, to_simplified
from lianxi.registry.models import Conference, Person, Unit


def _pinyin(text: str) -> str:
    return " ".join(lazy_pinyin(to_simplified(text or "")))


def _lookup(model, names: list[str], fields: list[str]) -> list:
    keys = {search_key(n) for n in names if n}
    if not keys:
        return []
    query = Q()
    for key in keys:
        query |= Q(search_text__startswith=key + " ") | Q(search_text__contains=" " + key + " ")
    # pinyin twins (李铭/李明) are found by their initials and checked by full pinyin below
    from lianxi.lib.text import pinyin_initials

    for name in names:
        if name and len(search_key(name)) <= 4:
            query |= Q(search_text__contains=" " + pinyin_initials(name))
    return list(model.objects.filter(query).order_by("pk")[:500])


def _score(name: str, obj, fields) -> tuple[str, str] | None:
    key = search_key(name)
    for f in fields:
        value = getattr(obj, f, "") or ""
        if value and search_key(value) == key:
            how = "同名" if value == name else "繁简对应同名"
            return ("exact", f"{how}（{obj._meta.get_field(f).verbose_name}）")
    if len(key) <= 4 and _pinyin(name) == _pinyin(obj.name):
        return ("pinyin", "拼音相同、字不同，请核对")
    return None


def propose(draft: dict) -> dict:
    """For each person/unit/conference index in the draft: candidate records, best first."""
    people = [p["name"] for p in draft.get("people", [])]
    units = [u["name"] for u in draft.get("units", [])]
    confs = [c["name"] for c in draft.get("conferences", [])]
    meeting_conf = (draft.get("meeting") or {}).get("conference")
    out = {"people": {}, "units": {}, "conferences": {}}
    person_rows = _lookup(Person, people, ["name"])
    unit_rows = _lookup(Unit, units, ["name", "party_org_name"])
    conf_rows = _lookup(Conference, confs + [meeting_conf], ["name", "short_name"])
    for kind, names, rows, fields in (("people", people, person_rows, ["name"]),
                                      ("units", units, unit_rows, ["name", "party_org_name"]),
                                      ("conferences", confs, conf_rows, ["name", "short_name"])):
        for i, name in enumerate(names):
            found = []
            for obj in rows:
                hit = _score(name, obj, fields)
                if hit:
                    found.append({"pk": obj.pk, "label": str(obj), "how": hit[0], "reason": hit[1]})
            found.sort(key=lambda c: (c["how"] != "exact", c["pk"]))
            out[kind][i] = found
    return out
