"""The Huangpu reference data made by the pipeline: the raw seed report imported, then applied
with the committed review decisions (data/huangpu_review.json), every record tied to its sentence."""

import json
from pathlib import Path

from django.db import transaction

from lianxi.ingest import services
from lianxi.ingest.models import Import
from lianxi.ingest.readers import read_path
from lianxi.lib.text import to_simplified
from lianxi.registry import services as registry
from lianxi.registry.models import Area, Conference

DATA = Path(__file__).parent / "data"
REPORT = DATA / "huangpu_2024-06-24_raw.txt"
DECISIONS = DATA / "huangpu_review.json"


def decisions_for(draft: dict, review: dict) -> dict:
    """Name-keyed review decisions → the index-keyed decisions the apply service takes."""
    out = {"script": review["script"]["value"],
           "meeting": {k: v for k, v in review["meeting"].items() if k != "why"},
           "byline_people": [{k: v for k, v in spec.items() if k != "why"} for spec in review.get("byline_people", [])]}
    for kind in ("units", "conferences"):
        by_name = review.get(kind, {})
        out[kind] = {}
        for i, entry in enumerate(draft[kind]):
            dec = by_name.get(to_simplified(entry["name"]))
            if dec:
                out[kind][str(i)] = {k: v for k, v in dec.items() if k != "why"}
    out["figures"] = {}
    by_what = {k: v for k, v in review.get("figures", {}).items() if k != "why"}
    for i, fig in enumerate(draft.get("figures", [])):
        dec = by_what.get(f"{to_simplified(fig['what'])}|{fig['value']}")
        if dec:
            out["figures"][str(i)] = dict(dec)
    out["agenda"] = {}
    for i, item in enumerate(draft["agenda"]):
        dec = review.get("agenda", {}).get(item["kind"])
        if dec:
            out["agenda"][str(i)] = {k: v for k, v in dec.items() if k != "why"}
    out["people"] = {}
    for i, person in enumerate(draft["people"]):
        dec = review.get("people", {}).get(to_simplified(person["name"]))
        if dec:
            out["people"][str(i)] = {k: v for k, v in dec.items() if k != "why"}
    out["memberships"] = []
    for spec in review.get("memberships", []):
        entry = {"unit": spec["unit"], "note": spec["note"]}
        for i, person in enumerate(draft["people"]):
            for r, role in enumerate(person["roles"]):
                if to_simplified(person["name"]) == spec["person"] and role["role"] == spec["role"]:
                    entry["path"] = f"people[{i}].roles[{r}].role"
        out["memberships"].append(entry)
    out["roles"] = {}
    for i, person in enumerate(draft["people"]):
        for r, role in enumerate(person["roles"]):
            dec = review.get("roles", {}).get(f"{to_simplified(person['name'])}/{role['role']}")
            if dec:
                out["roles"][f"{i}.{r}"] = {k: v for k, v in dec.items() if k != "why"}
    return out


@transaction.atomic
def load_from_report(actor=None) -> Import:
    review = json.loads(DECISIONS.read_text(encoding="utf-8"))
    spec = review["conference"]
    area = Area.objects.filter(name=spec["area"], parent=None).first() or registry.create_area(
        actor, name=spec["area"], kind=Area.Kind.DISTRICT)
    district = Conference.objects.filter(name=spec["name"]).first() or registry.create_conference(
        actor, name=spec["name"], short_name=spec["short_name"], kind=spec["kind"], area=area)
    done = Import.objects.filter(conference=district, state=Import.State.APPLIED).first()
    if done is not None:
        return done
    imp = services.create_import(actor, conference=district, decoded=read_path(REPORT), file_name=REPORT.name)
    services.apply_import(actor, imp, decisions_for(imp.draft, review))
    imp.refresh_from_db()
    if spec.get("description_quote") and not district.description:
        # the report's own statement of the members' composition, checked against the report
        text = to_simplified(imp.repaired_text)
        at = text.find(spec["description_quote"])
        if at < 0:
            raise ValueError(f"description_quote is not in the report: {spec['description_quote']}")
        registry.update_conference(actor, district, description="原文：" + text[at:at + len(spec["description_quote"])])
    return imp
