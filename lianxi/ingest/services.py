"""Every write of the ingest app: bring a report in, reject repairs, record review decisions,
apply the reviewed draft through the meetings/registry/projects services, discard.

Applying runs in one transaction: each record is made by its own app's service (with its own audit
row), then a provenance row ties it to the report's span, and one audit row on the meeting cites
the report. Nothing is written for a draft item the reviewer did not accept."""

from __future__ import annotations

import datetime
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.ingest.models import Import, SourceSpan
from lianxi.ingest.pipeline import build_draft, content_hash
from lianxi.ingest.readers import Decoded
from lianxi.lib.services import create_object, update_object
from lianxi.lib.text import to_simplified
from lianxi.meetings import services as meetings
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting
from lianxi.projects import services as project_services
from lianxi.projects.models import Project
from lianxi.projects.services import create_project
from lianxi.registry import services as registry
from lianxi.registry.models import Appointment, Area, Conference, Membership, Person, Unit

KINDS = {k.value for k in AgendaItem.Kind}
HALF_TO_FULL = str.maketrans(",:;!?()", "，：；！？（）")
ROLE_WORDS = {"轮值召集人": Appointment.Role.ROTATING_CONVENER, "常务副召集人": Appointment.Role.DEPUTY_CONVENER,
              "副召集人": Appointment.Role.DEPUTY_CONVENER, "召集人": Appointment.Role.CONVENER,
              "秘书长": Appointment.Role.SECRETARY_GENERAL}
PARTICIPANT_ROLES = {r.value for r in AgendaParticipant.Role}
APPOINTMENT_ROLES = {r.value for r in Appointment.Role}


# --- bringing a report in ---------------------------------------------------------------------------

def flatten(value, prefix="") -> dict:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else k))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
        return out
    return {prefix: value}


def draft_diff(old: dict, new: dict) -> list[dict]:
    """What differs between two drafts of (versions of) the same report, value by value."""
    keys = ("meeting", "conferences", "people", "units", "agenda", "lists", "figures", "speech_points", "byline",
            "truncated")
    a = flatten({k: old.get(k) for k in keys})
    b = flatten({k: new.get(k) for k in keys})
    return [{"path": p, "before": a.get(p), "after": b.get(p)} for p in sorted(set(a) | set(b))
            if a.get(p) != b.get(p)]


def earlier_import(conference: Conference, draft: dict, digest: str) -> Import | None:
    same = Import.objects.filter(content_hash=digest).exclude(state=Import.State.DISCARDED).order_by("-pk").first()
    if same:
        return same
    title = (draft.get("meeting") or {}).get("title")
    if not title:
        return None
    return (Import.objects.filter(conference=conference, draft__meeting__title=title)
            .exclude(state=Import.State.DISCARDED).order_by("-pk").first())


@transaction.atomic
def create_import(actor, *, conference: Conference, decoded: Decoded, file_name: str = "") -> Import:
    """Repair and extract (raises InputError/NotAReport before anything is saved)."""
    draft = build_draft(decoded.text)
    digest = content_hash(decoded.text)
    previous = earlier_import(conference, draft, digest)
    return create_object(
        actor, Import, "ingest.import.create", conference=conference,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, file_name=file_name[:200],
        input_kind=decoded.kind, encoding=decoded.encoding, source_text=draft.pop("source_text"),
        repaired_text=draft.pop("repaired_text"), draft=draft, content_hash=digest, previous=previous,
    )


def _require_review(imp: Import):
    if imp.state != Import.State.REVIEW:
        raise ValidationError({"state": f"该导入{imp.get_state_display()}，不能再修改。"})


@transaction.atomic
def set_rejected_repairs(actor, imp: Import, rejected: set[int]) -> Import:
    """Re-run the extraction on the text with the rejected repairs left as printed. Decisions on
    items are kept by index only when the draft's shape did not change."""
    _require_review(imp)
    known = {r["id"] for r in imp.draft.get("repairs", [])}
    unknown = set(rejected) - known
    if unknown:
        raise ValidationError({"rejected_repairs": f"没有编号为 {sorted(unknown)} 的修复。"})
    draft = build_draft(imp.source_text, rejected=set(rejected))
    repaired = draft.pop("repaired_text")
    draft.pop("source_text")
    shape = lambda d: [len(d.get(k, [])) for k in ("people", "units", "agenda", "conferences")]  # noqa: E731
    decisions = imp.decisions if shape(draft) == shape(imp.draft) else {}
    update_object(actor, imp, "ingest.import.repairs", rejected_repairs=sorted(rejected), draft=draft,
                  repaired_text=repaired, decisions=decisions)
    return imp


@transaction.atomic
def save_decisions(actor, imp: Import, decisions: dict) -> Import:
    _require_review(imp)
    update_object(actor, imp, "ingest.import.review", decisions=decisions)
    return imp


@transaction.atomic
def discard_import(actor, imp: Import) -> Import:
    _require_review(imp)
    update_object(actor, imp, "ingest.import.discard", state=Import.State.DISCARDED)
    return imp


# --- applying ---------------------------------------------------------------------------------------

def _simplify(value):
    if isinstance(value, str):
        return to_simplified(value)
    if isinstance(value, list):
        return [_simplify(v) for v in value]
    if isinstance(value, dict):
        return {k: _simplify(v) for k, v in value.items()}
    return value


class _Applier:
    def __init__(self, actor, imp: Import, decisions: dict):
        self.actor, self.imp, self.d = actor, imp, decisions
        self.draft = imp.draft
        if decisions.get("script") == "simplified":
            # a review decision: record names in the platform's default script; sources keep the print
            self.draft = {k: (v if k in ("sources", "repairs") else _simplify(v)) for k, v in imp.draft.items()}
        self.sources = self.draft.get("sources", {})
        self.spans: list[SourceSpan] = []
        self.errors: list[str] = []
        self.people: dict[str, Person] = {}
        self.units: dict[str, Unit] = {}
        self.conferences: dict[str, Conference] = {}
        self.adjustments: list = []

    @property
    def citation(self) -> str:
        return to_simplified(self.imp.citation) if self.d.get("script") == "simplified" else self.imp.citation

    def decision(self, kind, i) -> dict:
        return (self.d.get(kind) or {}).get(str(i)) or {}

    def accepted(self, kind, i) -> bool:
        return self.decision(kind, i).get("action", "accept") != "reject"

    def cite(self, obj, path, field=""):
        src = self.sources.get(path)
        if not src:
            return
        self.spans.append(SourceSpan(
            source_import=self.imp, target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk,
            field=field, path=path, start=src["span"][0], end=src["span"][1],
            quote=src["sentence"]["text"] if src["span"][1] - src["span"][0] < 60 else src["quote"],
            basis=src["basis"], reason=(src.get("reason") or "")[:300],
        ))

    def key(self, name):
        return to_simplified(name or "")

    def out(self, text: str) -> str:
        """Text written into a record (a note, a quote) in the script the reviewer chose; the
        provenance rows keep the report as printed."""
        return to_simplified(text) if self.d.get("script") == "simplified" else text

    def quoted(self, quote: str, what: str) -> tuple[int, int]:
        """Where a reviewer's quotation stands in the repaired report (simplified either side, so
        the same offsets serve the printed text); a quotation the report does not hold is refused."""
        def norm(x):
            return to_simplified(x).translate(HALF_TO_FULL)

        at = norm(self.imp.repaired_text).find(norm(quote))
        if not quote or at < 0:
            raise ValidationError({"decisions": f"{what}：引文“{quote[:30]}”不在报道中。"})
        return at, at + len(quote)

    def cite_quote(self, obj, quote: str, field: str, what: str, basis="stated", reason=""):
        start, end = self.quoted(quote, what)
        self.spans.append(SourceSpan(
            source_import=self.imp, target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk,
            field=field, path=f"decisions.{field}", start=start, end=end,
            quote=self.imp.repaired_text[start:end][:500], basis=basis, reason=(reason or "")[:300]))

    # records
    def meeting(self) -> Meeting:
        m = dict(self.draft["meeting"])
        m.update({k: v for k, v in (self.d.get("meeting") or {}).items() if k in m or k == "is_published"})
        if not m.get("date"):
            raise ValidationError({"meeting": "会议日期：报道未载明年份或日期，请在“会议”一栏填写后再导入。"})
        try:
            date = datetime.date.fromisoformat(str(m["date"]))
        except ValueError as exc:
            raise ValidationError({"meeting": f"会议日期“{m['date']}”不是 YYYY-MM-DD 格式。"}) from exc
        if not m.get("title"):
            raise ValidationError({"meeting": "会议名称为空，请填写。"})
        byline = self.draft.get("byline", {})
        source = self.citation
        if byline.get("dateline"):
            source = byline["dateline"]  # the dateline as printed: source, day and reporter
        elif byline.get("reporter"):
            source += f"（记者 {byline['reporter']}）"
        summary = ""
        if (self.d.get("meeting") or {}).get("summary_quote"):
            # the reviewer points at the lead's own words; the record keeps the report's text
            start, end = self.quoted(self.d["meeting"]["summary_quote"], "会议概要")
            summary = self.imp.repaired_text[start:end]
            summary = to_simplified(summary) if self.d.get("script") == "simplified" else summary
        kind = m.get("kind") if m.get("kind") in Meeting.Kind.values else None
        if kind is None:
            raise ValidationError({"meeting": "会议类型：报道未载明（全体会议/工作会议/联络员会议），请选择。"})
        number = m.get("number")
        meeting = meetings.create_meeting(
            self.actor, conference=self.imp.conference, kind=kind, number=int(number) if number else None,
            title=m["title"][:300], date=date, venue=(m.get("venue") or "")[:200], summary=summary,
            source=source, is_published=bool(m.get("is_published")),
            # a report tells the agenda in its own order; the reviewer may say so (it is never stated)
            agenda_note=((self.d.get("meeting") or {}).get("agenda_note") or "")[:300],
        )
        for field in ("title", "number", "kind", "date", "venue", "conference"):
            self.cite(meeting, f"meeting.{field}", field)
        if summary:
            self.cite_quote(meeting, summary, "summary", "会议概要")
        if byline.get("dateline"):
            self.cite(meeting, "byline.dateline", "source")
        self.meeting_obj = meeting
        return meeting

    def unit_for(self, i, entry) -> Unit | None:
        if not self.accepted("units", i):
            return None
        dec = self.decision("units", i)
        if dec.get("match"):
            unit = Unit.objects.filter(pk=int(dec["match"])).first()
            if unit is None:
                raise ValidationError({"units": f"单位“{entry['name']}”：所选的已有单位不存在。"})
        else:
            category = dec.get("category")
            if category not in Unit.Category.values:
                self.errors.append(f"单位“{entry['name']}”：新建单位须选择成员类别（报道未载明）。")
                return None
            body = entry.get("party_organisation") or ""
            level = next((lv for word, lv in (("党工委", "working_committee"), ("党总支", "general_branch"),
                                              ("党支部", "branch"), ("党委", "committee"), ("党组", "leading_group"))
                          if to_simplified(body).endswith(word)), Unit.PartyOrgLevel.UNKNOWN)
            if level not in Unit.PartyOrgLevel.values:
                level = Unit.PartyOrgLevel.UNKNOWN
            area = None
            if dec.get("street_area") and category == Unit.Category.STREET and self.imp.conference.area_id:
                # a street the report names (…街道党工委) is also a street of the conference's area
                parent = self.imp.conference.area
                area = Area.objects.filter(name=entry["name"], parent=parent).first() or registry.create_area(
                    self.actor, name=entry["name"][:100], kind=Area.Kind.STREET, parent=parent)
            unit = registry.create_unit(self.actor, name=(dec.get("name") or entry["name"])[:150], party_org_name=body[:180],
                                        party_org_level=level, category=category, area=area,
                                        description=f"见于{self.citation}")
            self.cite(unit, f"units[{i}].name", "name")
            self.cite(unit, f"units[{i}].party_organisation", "party_org_name")
        self.units[self.key(entry["name"])] = unit
        return unit

    def unit_posts(self, date):
        """A body named only by its post (“文化思南”…秘书长单位, …秘书处) holds that post, attested."""
        codes = {"秘书长单位": Appointment.Role.SECRETARY_GENERAL_UNIT, "秘书处": Appointment.Role.SECRETARIAT}
        for i, entry in enumerate(self.draft.get("units", [])):
            body = entry.get("conference_body")
            unit = self.units.get(self.key(entry["name"]))
            if not body or unit is None:
                continue
            conf = self.conference_for(body.get("conference"))
            role = codes.get(self.key(body.get("role")))
            if conf is None or role is None:
                continue
            if Appointment.objects.filter(conference=conf, role=role, unit=unit, end=None).exists():
                continue
            appt = registry.appoint(self.actor, conference=conf, role=role, unit=unit, attested_on=date,
                                    note=f"见于{self.citation}"[:200])
            self.cite(appt, f"units[{i}].conference_body", "role")

    def person_for(self, i, entry) -> Person | None:
        if not self.accepted("people", i):
            return None
        dec = self.decision("people", i)
        if dec.get("match"):
            person = Person.objects.filter(pk=int(dec["match"])).first()
            if person is None:
                raise ValidationError({"people": f"人员“{entry['name']}”：所选的已有人员不存在。"})
        else:
            unit = self.reviewed_unit(i, dec.get("unit")) if isinstance(dec.get("unit"), dict) else None
            for org in ([] if unit else entry.get("units", [])):
                unit = self.units.get(self.key(org)) or Unit.objects.filter(name=org).first() or \
                    Unit.objects.filter(name=to_simplified(org)).first()
                if unit:
                    break
            person = registry.create_person(self.actor, name=(dec.get("name") or entry["name"])[:50], unit=unit,
                                            title=(entry.get("title_chain") or "")[:200])
            self.cite(person, f"people[{i}].name", "name")
            self.cite(person, f"people[{i}].title_chain", "title")
        self.people[self.key(entry["name"])] = person
        return person

    def reviewed_unit(self, i, spec: dict) -> Unit:
        """The reviewer names the unit a person serves (the report gives only an abbreviation such
        as 市总工会): found by name, or created with the category the reviewer chose."""
        name = (spec.get("name") or "").strip()
        unit = Unit.objects.filter(name=name).first() or self.units.get(self.key(name))
        if unit is None:
            if spec.get("category") not in Unit.Category.values:
                raise ValidationError({"people": f"单位“{name}”：新建单位须选择成员类别。"})
            unit = registry.create_unit(self.actor, name=name[:150], party_org_name=(spec.get("party_org_name") or "")[:180],
                                        party_org_level=spec.get("party_org_level") or Unit.PartyOrgLevel.UNKNOWN,
                                        category=spec["category"], description=(spec.get("why") or "")[:500])
            self.cite(unit, f"people[{i}].title_chain", "name")
        self.units.setdefault(self.key(name), unit)
        return unit

    def byline_people(self):
        """The reviewer may register a byline name (编辑, 记者) as a person, titled by the word the
        report prints before it; no unit (the outlet is not a party to the conference)."""
        byline = self.draft.get("byline", {})
        for spec in self.d.get("byline_people", []):
            name = byline.get(spec.get("field"))
            if not name or Person.objects.filter(name=name, unit=None).exists():
                continue
            person = registry.create_person(self.actor, name=name[:50], unit=None, title=(spec.get("title") or "")[:200])
            self.cite(person, f"byline.{spec['field']}", "name")
            if spec.get("title_quote"):
                self.cite_quote(person, spec["title_quote"], "title", "署名")
            self.people.setdefault(self.key(name), person)

    def memberships(self):
        """Units the reviewer records as members since an unknown date (e.g. one introduced as
        联席会议成员单位代表's unit)."""
        for spec in self.d.get("memberships", []):
            unit = self.units.get(self.key(spec["unit"])) or Unit.objects.filter(name=spec["unit"]).first()
            if unit is None or Membership.objects.filter(unit=unit, conference=self.imp.conference).exists():
                continue
            m = registry.admit_unit(self.actor, unit=unit, conference=self.imp.conference, start=None,
                                    note=(spec.get("note") or f"见于{self.citation}")[:200])
            if spec.get("path"):
                self.cite(m, spec["path"], "conference")

    def conference_for(self, name) -> Conference | None:
        if not name:
            return None
        if self.key(name) == self.key(self.draft["meeting"].get("conference")):
            return self.imp.conference
        return self.conferences.get(self.key(name))

    def conferences_step(self):
        """Matched conferences are used; new ones are created under the imported-into conference,
        except one founded by an accepted unveiling item (the unveiling creates it, dated)."""
        unveiled = {self.key(it["objects"][0]) for n, it in enumerate(self.draft.get("agenda", []))
                    if it["kind"] == "unveiling" and it.get("objects") and self.accepted("agenda", n)}
        for i, entry in enumerate(self.draft.get("conferences", [])):
            if not self.accepted("conferences", i):
                continue
            dec = self.decision("conferences", i)
            if dec.get("match"):
                conf = Conference.objects.filter(pk=int(dec["match"])).first()
                if conf is None:
                    raise ValidationError({"conferences": f"联席会议“{entry['name']}”：所选的已有联席会议不存在。"})
                self.conferences[self.key(entry["name"])] = conf
                continue
            if self.key(entry["name"]) in unveiled:
                continue
            kind = dec.get("kind") or entry.get("kind")
            if kind not in Conference.Kind.values:
                self.errors.append(f"联席会议“{entry['name']}”：新建须选择类型（报道未载明）。")
                continue
            conf = registry.create_conference(self.actor, name=entry["name"][:150],
                                              short_name=(entry.get("short_name") or "")[:60], kind=kind,
                                              parent=self.imp.conference, description=f"见于{self.citation}",
                                              parent_note=self.parent_note(dec, f"conferences[{i}].parent"))
            self.cite(conf, f"conferences[{i}].name", "name")
            self.conferences[self.key(entry["name"])] = conf

    def parent_note(self, dec: dict, path: str) -> str:
        """Placing a conference under the one the report is about is an inference; the note says so."""
        if dec.get("parent_note"):
            return dec["parent_note"][:300]
        src = self.sources.get(path) or {}
        return self.out(f"推断：{src['reason']}")[:300] if src.get("basis") == "inferred" and src.get("reason") else ""

    def participant_note(self, i, j, p) -> str:
        """"原文：…" for an attendance read from 出席…讲话; "推断：…" where the person's conference role
        on the day is an inference (a qualifier written before two names)."""
        if p["role"] == "attendee":
            src = self.sources.get(f"agenda[{i}].people[{j}]")
            return self.out(f"原文：“{src['quote']}”") if src else ""
        for n, person in enumerate(self.draft.get("people", [])):
            if self.key(person["name"]) != self.key(p["name"]):
                continue
            for r in range(len(person.get("roles", []))):
                src = self.sources.get(f"people[{n}].roles[{r}].role") or {}
                if src.get("basis") == "inferred" and src.get("reason"):
                    return self.out(f"推断：{src['reason']}")[:300]
        return ""

    # agenda
    def agenda(self, meeting):
        order = 0
        draft_lists = self.draft.get("lists", [])
        for i, item in enumerate(self.draft.get("agenda", [])):
            if not self.accepted("agenda", i) or item["kind"] not in KINDS:
                continue
            dec = self.decision("agenda", i)
            order += 1
            title = (dec.get("title") or self.title_of(item))[:300]
            concerns = None
            if item["kind"] == "unveiling" and item.get("objects"):
                concerns = self.conference_for(item["objects"][0])
            # the reviewer may widen the item's description to a longer passage of the report (a
            # quotation checked against it), e.g. the sentences that lead up to an award
            quote = dec.get("description_quote") or ""
            description = item["summary"]
            if quote:
                start, end = self.quoted(quote, "议程说明")
                description = self.imp.repaired_text[start:end]
                description = to_simplified(description) if self.d.get("script") == "simplified" else description
            obj = meetings.add_agenda_item(self.actor, meeting, kind=item["kind"], title=title, order=order,
                                           description=description, concerns_conference=concerns)
            if quote:
                self.cite_quote(obj, quote, "description", "议程说明")
            else:
                self.cite(obj, f"agenda[{i}]", "description")
            for j, p in enumerate(item.get("people", [])):
                person = self.people.get(self.key(p["name"]))
                if person is None or p["role"] not in PARTICIPANT_ROLES:
                    continue
                meetings.add_participant(self.actor, obj, person=person, role=p["role"],
                                         title=self.chain_of(p["name"]), unit=person.unit,
                                         note=self.participant_note(i, j, p))
            for u in item.get("units", []):
                unit = self.units.get(self.key(u["name"]))
                if unit is None:
                    continue
                label = self.label_of(u["name"])
                if item["kind"] == "exchange":
                    meetings.add_exchange(self.actor, obj, unit=unit, mode=item.get("mode") or Exchange.Mode.LIVE,
                                          speaker_label=label)
                else:
                    role = AgendaUnit.Role.ADMITTED if u["role"] == "admitted" else AgendaUnit.Role.CONCERNED
                    meetings.add_agenda_unit(self.actor, obj, unit=unit, role=role, label=label)
            self.resolve(obj, item, i, draft_lists)

    def title_of(self, item) -> str:
        labels = {"chairing": "主持会议", "speech": "讲话", "report": "介绍情况", "video": "观看视频",
                  "adjustment": "调整", "exchange": "交流"}
        if item["kind"] == "speech" and item["people"]:
            return f"{item['people'][0]['name']}讲话"
        if item["kind"] == "exchange":
            return "现场交流" if item.get("mode") == "live" else "书面交流"
        if item["kind"] == "admission" and item.get("units"):
            plaque = "并授牌" if "授牌" in self.key(item["summary"]) else ""
            return f"通过新加入的{len(item['units'])}家成员单位{plaque}"
        if item.get("objects"):
            verb = {"unveiling": "揭牌", "release": "发布", "award": "颁授", "naming": "命名", "video": "观看",
                    "adjustment": "调整"}.get(item["kind"], "")
            return f"{verb}{item['objects'][0]}"
        return labels.get(item["kind"], item["summary"][:40])

    def chain_of(self, name) -> str:
        for p in self.draft.get("people", []):
            if self.key(p["name"]) == self.key(name):
                return (p.get("title_chain") or "")[:300]
        return ""

    def label_of(self, name) -> str:
        for u in self.draft.get("units", []):
            if self.key(u["name"]) == self.key(name):
                return (u.get("party_organisation") or u["name"])[:200]
        return name[:200]

    def resolve(self, obj: AgendaItem, item: dict, i: int, draft_lists: list):
        dec = self.decision("agenda", i)
        if dec.get("apply") is False:
            return
        kind = item["kind"]
        if kind == "admission" and obj.units.filter(role=AgendaUnit.Role.ADMITTED).exists():
            memberships = meetings.apply_admission(self.actor, obj, plaque="授牌" in to_simplified(item["summary"]))
            for m in memberships:
                self.cite(m, f"agenda[{i}]", "start")
        elif kind == "unveiling" and item.get("objects"):
            name = item["objects"][0]
            short = re.sub(r"^“([^”]+)”.*$", r"\1", name)
            if obj.concerns_conference is None and self.key(name) in self.conferences:
                return
            upgraded = self.conference_for(item.get("upgraded_from"))
            kind = self.decision("agenda", i).get("conference_kind") or Conference.Kind.AREA
            conf = meetings.apply_unveiling(self.actor, obj, name=name[:150], short_name=short[:60] if short != name else "",
                                            kind=kind, upgraded_from=upgraded)
            if self.decision("agenda", i).get("parent_note"):
                registry.update_conference(self.actor, conf, parent_note=self.decision("agenda", i)["parent_note"][:300])
            self.conferences[self.key(name)] = conf
            self.cite(conf, f"agenda[{i}]", "founded_on")
        elif kind == "adjustment" and dec.get("end_posts"):
            self.adjustments.append((obj, item, i))  # after the posts the report attests are made
        elif kind == "naming":
            # the honour is recorded as the figures the report states (added with the other figures)
            meetings.apply_naming(self.actor, obj)
        elif kind in ("release", "award"):
            what = item["objects"][0] if item.get("objects") else None
            lst = next((x for n, x in enumerate(draft_lists) if what and x["what"] and
                        self.key(x["what"]) == self.key(what) and self.accepted("lists", n)), None)
            if lst is None:
                return
            n = draft_lists.index(lst)
            pkind = Project.Kind.KEY if "重点" in self.key(lst["what"]) else Project.Kind.BRAND
            year = self.meeting_obj.date.year
            # a list that prints its year (2024年…) dates its projects; otherwise the year is the
            # meeting's, and the project says that is an inference
            dated = re.search(r"(\d{4})年", self.key(lst["what"]))
            note = "" if dated and int(dated.group(1)) == year else (
                f"年度为推断：原文未为“{lst['what']}”注明年度，按{self.meeting_obj.date.isoformat()}会上"
                f"{'发布' if kind == 'release' else '颁授'}记为{year}年。")
            projects = []
            for k, title in enumerate(lst["items"], 1):
                project = create_project(self.actor, conference=self.imp.conference, kind=pkind,
                                         year=year, title=title[:200], order=k,
                                         status=Project.Status.UNKNOWN, description=note)
                self.cite(project, f"lists[{n}].items[{k - 1}]", "title")
                projects.append(project)
            if kind == "release":
                project_services.apply_release(self.actor, obj, projects=projects)
            else:
                project_services.apply_award(self.actor, obj, projects=projects)

    def end_adjusted_posts(self):
        """"调整了联席会议轮值召集人、副召集人" without naming who holds them afterwards: on the
        reviewer's word (``end_posts``), the posts of those roles attested at this meeting end on its
        date with no successor, and the note says who holds them afterwards is not stated."""
        for obj, item, i in self.adjustments:
            named = self.key(item["objects"][0] if item.get("objects") else item["summary"])
            roles = set()
            for word in sorted(ROLE_WORDS, key=len, reverse=True):
                if word in named:
                    roles.add(ROLE_WORDS[word])
                    named = named.replace(word, "")
            posts = [a for a in Appointment.objects.filter(conference=obj.meeting.conference, role__in=roles, end=None)
                     if a.attested_on == obj.meeting.date]
            if not posts:
                continue
            note = (f"{obj.meeting.date.isoformat()} 调整后未载明：会上{self.key(item['summary'])}，"
                    "调整后由谁担任（含本人是否留任）原文未载明")[:200]
            meetings.apply_adjustment(self.actor, obj, changes=[{"appointment": a, "note": note} for a in posts])
            self.cite(obj, f"agenda[{i}]", "applied_on")

    def figures(self, meeting):
        for n, f in enumerate(self.draft.get("figures", [])):
            if not self.accepted("figures", n):
                continue
            src = self.sources.get(f"figures[{n}].value") or {}
            quote = self.out((src.get("sentence") or {}).get("text", f["as_stated"]))
            # a reviewer may name what the figure counts (``member_units`` …); else its place in the report
            key = (self.decision("figures", n).get("key") or f"report-{n + 1}")[:60]
            fig = meetings.add_figure(self.actor, meeting, key=key, label=f["what"][:200],
                                      value=int(f["value"]), unit_label=(f.get("unit") or "")[:20], quote=quote[:300])
            self.cite(fig, f"figures[{n}].value", "value")

    def appointments(self, date):
        for i, p in enumerate(self.draft.get("people", [])):
            person = self.people.get(self.key(p["name"]))
            if person is None:
                continue
            for r, role in enumerate(p.get("roles", [])):
                conf = self.conference_for(role.get("conference"))
                if role["role"] not in APPOINTMENT_ROLES or conf is None:
                    continue
                if self.decision("roles", f"{i}.{r}").get("action") == "reject":
                    continue
                if Appointment.objects.filter(conference=conf, role=role["role"], person=person, end=None).exists():
                    continue
                appt = registry.appoint(self.actor, conference=conf, role=role["role"], person=person,
                                        unit=person.unit, attested_on=date, note=f"见于{self.citation}"[:200])
                self.cite(appt, f"people[{i}].roles[{r}].role", "role")


@transaction.atomic
def apply_import(actor, imp: Import, decisions: dict | None = None) -> Meeting:
    """Make the reviewed draft into records; all or nothing."""
    imp = Import.objects.select_for_update().get(pk=imp.pk)
    _require_review(imp)
    if decisions is not None:
        imp.decisions = decisions
    a = _Applier(actor, imp, imp.decisions or {})
    meeting = a.meeting()
    a.conferences_step()
    # the reviewed draft (in the script the reviewer chose), not the draft as extracted
    for i, entry in enumerate(a.draft.get("units", [])):
        a.unit_for(i, entry)
    if a.errors:
        raise ValidationError({"decisions": a.errors})
    for i, entry in enumerate(a.draft.get("people", [])):
        a.person_for(i, entry)
    a.figures(meeting)
    a.agenda(meeting)
    a.appointments(meeting.date)
    a.end_adjusted_posts()
    a.unit_posts(meeting.date)
    a.memberships()
    a.byline_people()
    SourceSpan.objects.bulk_create(a.spans)
    update_object(actor, imp, "ingest.import.apply", state=Import.State.APPLIED, meeting=meeting,
                  applied_at=timezone.now(), decisions=imp.decisions)
    record(actor, "ingest.meeting.from_report", meeting,
           {"import": [None, imp.pk], "report": [None, imp.citation], "sources": [None, len(a.spans)]})
    return meeting
