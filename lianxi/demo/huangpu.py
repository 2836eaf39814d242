"""The Huangpu reference data, as ``lianxi demo`` loads it: the raw seed report (中新网,
2024-06-24) imported by the ingest pipeline and applied with the committed review decisions
(``lianxi/ingest/data/huangpu_review.json``), every record tied to the sentence it came from.

What the report does not state stays empty or says 未载明; what the review infers (a sub-conference's
parent, a membership, a shared qualifier, the brand projects' year, the agenda's order, the end of
the adjusted posts) says 推断 and why. This module only hands the loaded records to the demo and
the tests; the data itself is the report plus the decisions. Loading twice changes nothing."""

from lianxi.ingest.reference import load_from_report
from lianxi.registry.models import Conference, Person, Unit

DISTRICT = "黄浦区区域化党建联席会议"
CENTRAL_SCITECH = "“中央科创区”区域化党建联席会议"


def load_huangpu(actor=None) -> dict:
    """Load (once) the Huangpu reference data; returns the main objects by name."""
    imp = load_from_report(actor)
    meeting = imp.meeting
    return {
        "district": meeting.conference,
        "central": Conference.objects.get(name=CENTRAL_SCITECH),
        "meeting": meeting,
        "units": {u.name: u for u in Unit.objects.filter(pk__in=_ids(imp, "unit"))},
        "people": {p.name: p for p in Person.objects.filter(pk__in=_ids(imp, "person"))},
    }


def _ids(imp, model: str) -> list[int]:
    return list(imp.spans.filter(target_type__model=model).values_list("target_id", flat=True))
