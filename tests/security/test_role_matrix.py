"""The role matrix: every URL pattern of the site (resolved from the URLconf, ids filled from a
world holding one object of each kind) requested as every persona.

- GET: never a 500, for anyone. An anonymous visitor gets a page only on the public ones
  (:data:`PUBLIC`); everywhere else a redirect to the login page, 403 or 404. So does an outsider
  (logged in, no grant) on every page of one object: none of the world's objects is theirs.
- POST by anonymous visitors, outsiders (logged in, no grant) and reviewers (no write rights on
  these pages): never a 500 and never a write — the audit log has as many rows after as before.
- POST without a CSRF token, even as the district administrator: 403 and no write."""

import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lianxi.api.tests.conftest import build_api_world
from lianxi.audit.models import AuditEntry
from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lists import services
from lianxi.lists.tests.helpers import make_need, make_resource
from lianxi.registry.models import Membership
from lianxi.registry.services import create_committee

PERSONAS = ["anonymous", "outsider", "street", "liaison", "reviewer", "secretariat", "admin"]
NO_WRITE = ["anonymous", "outsider", "reviewer"]
# Pages a visitor who is not logged in may read (what the conference publishes).
PUBLIC = {
    "home", "registry:conference_list", "registry:conference_detail", "registry:unit_list", "registry:unit_detail",
    "registry:unit_suggest", "registry:conference_pick", "registry:area_pick", "registry:rotation", "registry:posts", "meetings:meeting_list",
    "meetings:meeting_detail", "projects:project_list", "projects:project_detail", "lists:hall",
    "lists:need_detail", "lists:resource_list", "lists:resource_detail", "login",
    "start", "projects:showcase", "projects:rollup", "campaigns:campaign_list", "campaigns:campaign_detail", "campaigns:honour_detail",  # sends each visitor to their landing page (a visitor: the public home)
    "onboarding:activate",  # a new account's one-time activation link (410 when unknown or used)
}
# Answered to anyone, but empty for a visitor: the people search box's suggestions.
EMPTY_FOR_ANONYMOUS = {"registry:person_suggest"}
# Patterns with an id kwarg that answer 404 to every persona, and why that is right (none so far).
ALL_404: dict[str, str] = {}
# The id a pattern gets when build_objects names nothing for it: one no database hands out, so such a
# page answers 404 on SQLite and PostgreSQL alike (a fallback of 1 found an object only where the
# sequences had been reset, and the guard passed on one database and failed on the other).
NO_SUCH_ID = 2_000_000_000
SKIP = ("admin/", "api/", "i18n/", "accounts/logout/")
STRING_ARGS = {"action": "withdraw", "decision": "approve", "which": "needs", "what": "participant", "sheet": "units",
               "kind": "notice", "token": "x"}


def patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIP):
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route


def build_objects(world):
    from lianxi.campaigns.models import Honour, HonourEntry
    from lianxi.meetings.models import AgendaItem, Meeting

    api = build_api_world(world)
    need = make_need(world, quantity=2)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    req = burden.request(world.secretariat, unit=world.street_unit, kind=BurdenRequest.Kind.FORM, summary="填报")
    burden.set_cap(world.admin, world.street_unit, monthly_cap=0)
    batched = burden.request(None, unit=world.street_unit, kind=BurdenRequest.Kind.CONFIRM, summary="确认")
    meeting = Meeting.objects.create(conference=world.district, title="示例全体会议", date=timezone.localdate())
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.RELEASE, title="发布")
    snapshot = services.freeze_lists(world.secretariat, item)
    committee = create_committee(None, conference=world.district, name="示例专委会")
    venue, batch, secondment = _visits_objects(world)
    honour = Honour.objects.create(conference=world.district, name="示例百优支部", year=2024, is_published=False)
    HonourEntry.objects.create(honour=honour, unit=world.unit_a, party_org_name="示例单位A党支部")
    campaign, nomination, assignment, objection = _campaign_objects(world)
    milestone, claim_on_project, attachment = _project_objects(world, api.key_project)
    resource = make_resource(world)
    return {**_work_objects(world), "matching/suggestions": _sent_suggestion(world).pk, "resources": resource.pk,
        "venues": venue.pk, "secondments": batch.pk, "secondment": secondment.pk,
        "needs": need.pk, "claims": claim.pk, "deliveries": claim.deliveries.get().pk,
        "burden/units": world.street_unit.pk, "burden/requests": req.pk,
        "burden/digests": batched.digest_id, "snapshots": snapshot.pk, "meetings/agenda": api.items["exchange"].pk,
        "meetings": api.plenary.pk, "projects": api.key_project.pk, "conferences": world.district.pk,
        "committees": committee.pk, "posts": api.convener.pk, "units": world.unit_a.pk,
        "memberships": Membership.objects.filter(unit=world.unit_b).first().pk, "people": api.person_a.pk,
        "matching/neighbours": world.district.pk, "part": NO_SUCH_ID,
        "visits/coverage": world.district.pk, "visits/rotation": world.district.pk,
        "area": world.street_area.pk, "documents/meetings": api.plenary.pk, "documents/honours": honour.pk,
        "campaigns": campaign.pk, "campaigns/objections": objection.pk, "campaigns/nominations": nomination.pk,
        "campaigns/reviews": assignment.pk, "campaigns/honours": honour.pk, "projects/milestones": milestone.pk,
        "projects/claims": claim_on_project.pk, "projects/attachments": attachment.pk,
    }


def _campaign_objects(world):
    """A published campaign walked to 公示 (the phase where most of its pages render, for the public
    too): a nomination of 示例单位A recommended, scored by the world's reviewer and selected, one
    objection pending. Its nomination pages are checked on a second campaign still in 征集, with a
    submitted nomination of 示例单位A (not public: a selected one in 公示 may be read by anyone)."""
    from lianxi.campaigns import services as campaigns
    from lianxi.campaigns.models import Assignment
    from lianxi.campaigns.tests.helpers import body, campaign, rubric

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    dates = dict(call_start=today - day, call_end=today + 5 * day, notice_start=today, notice_end=today + 3 * day)
    c = campaign(world, k=1, **dates)
    b = body(world, c, quota=3)
    criteria = rubric(world, c)
    campaigns.advance(world.secretariat, c)
    selected = campaigns.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title="示例品牌项目甲",
                                           values={"team": "示例团队"}, submit=True)
    campaigns.advance(world.secretariat, c)
    campaigns.recommend(world.secretariat, selected)
    reviewer = campaigns.add_reviewer(world.secretariat, c, user=world.reviewer, name="示例评审")
    campaigns.advance(world.secretariat, c)
    campaigns.assign_reviewers(world.secretariat, c)
    assignment = Assignment.objects.get(reviewer=reviewer, nomination=selected)
    campaigns.submit_scores(world.reviewer, assignment, {criterion.pk: 8 for criterion in criteria})
    campaigns.advance(world.secretariat, c)
    campaigns.decide(world.secretariat, c, selected=[selected])
    campaigns.advance(world.secretariat, c)
    objection = campaigns.file_objection(None, c, filer_name="群众", contact="电话", text="请核实", nomination=selected)
    calling = campaign(world, title="征集中的评选", **dates)
    b2 = body(world, calling, quota=3)
    campaigns.advance(world.secretariat, calling)
    submitted = campaigns.create_nomination(world.liaison, calling, unit=world.unit_a, body=b2, title="示例品牌项目乙",
                                            values={"team": "示例团队"}, submit=True)
    return c, submitted, assignment, objection


def _project_objects(world, project):
    """A milestone of the key project, a progress report of its lead unit with a document attached
    (served to insiders only; a photo of a published project is public by design), and a partner
    claim by a unit outside it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianxi.projects import services as projects

    milestone = projects.add_milestone(world.secretariat, project, title="示例节点",
                                       due=timezone.localdate() + datetime.timedelta(days=30))
    report = projects.file_report(world.liaison, project, unit=world.unit_a, text="示例进展",
                                  attachments=[SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n" + b"\x00" * 64)])
    claim = projects.claim_partnership(world.liaison, project, unit=world.outside_unit, note="愿意参与")
    return milestone, claim, report.attachments.get()


def _visits_objects(world):
    """A venue of 示例单位A, a secondment batch and one secondment in it (their edit pages)."""
    from lianxi.registry.models import Person, Venue
    from lianxi.registry.services import create_venue
    from lianxi.visits import services as visits

    venue = create_venue(None, name="示例党员活动室", kind=Venue.Kind.ACTIVITY_ROOM, owner=world.unit_a,
                         area=world.street_area)
    batch = visits.create_batch(None, conference=world.district, name="示例批次", year=2025)
    person = Person.objects.create(name="示例交流干部", unit=world.unit_a)
    secondment = visits.add_secondment(None, batch=batch, person=person, home_unit=world.unit_a,
                                       host_unit=world.street_unit, host_post="岗位", kind="training",
                                       start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 1))
    return venue, batch, secondment


def _sent_suggestion(world):
    """A matching run of the district over a need of 示例街道 and a resource of 示例单位A that fit each
    other (为老服务, the same words), and its suggestion sent to 示例单位A as an invitation: the
    managers and the unit's liaison see it; the liaison accepts or declines it."""
    from lianxi.matching import services as matching
    from lianxi.matching.models import Suggestion
    from lianxi.matching.tests.helpers import need, resource

    need(world, "示例：为独居老人提供助餐服务", quantity=3)
    resource(world, "示例：独居老人助餐配送服务", capacity=4)
    run = matching.run_matching(world.secretariat, world.district)
    suggestion = Suggestion.objects.filter(run=run, unit=world.unit_a).order_by("pk").first()
    assert suggestion is not None, "the matching run made no suggestion for 示例单位A"
    matching.send_invitations(world.secretariat, [suggestion])
    return suggestion


def _work_objects(world):
    """What the secretariat and a liaison work on beside the registry, each made through its room's
    services: a visit plan of the district with a visitor, one planned visit of 示例单位A and an open
    follow-up of it; a finished plenary export job with its file (the secretariat's); an onboarding
    registry sheet checked and waiting to be applied (the secretariat's job); a report import awaiting
    review; the liaison's API token."""
    from pathlib import Path

    from lianxi.accounts import services as accounts
    from lianxi.ingest import services as ingest
    from lianxi.ingest.readers import read_path
    from lianxi.jobs import services as jobs
    from lianxi.jobs.models import Job
    from lianxi.lib import excel
    from lianxi.lists.jobs import export_key
    from lianxi.onboarding import registry_sheets as sheets
    from lianxi.onboarding.gates import managed_conferences
    from lianxi.registry.services import create_person
    from lianxi.visits import services as visits
    from lianxi.visits.models import Visitor

    plan = visits.create_plan(world.secretariat, conference=world.district)
    person = create_person(None, name="示例走访人", unit=world.street_unit)
    visitor = visits.add_visitor(world.secretariat, plan, person=person, role=Visitor.Role.SECRETARIAT)
    blocked = visits.blocked_days(plan)
    day = next(plan.start + datetime.timedelta(days=i) for i in range((plan.end - plan.start).days + 1)
               if plan.start + datetime.timedelta(days=i) not in blocked)
    visit = visits.add_visit(world.secretariat, plan, unit=world.unit_a, planned_on=day, visitor=visitor)
    follow_up = visits.add_follow_up(world.secretariat, visit, summary="示例跟进事项")

    export = jobs.enqueue(world.secretariat, "lists.export_plenary", params={"conference": world.district.pk},
                          key=export_key(world.district.pk, world.secretariat.pk))
    conferences = managed_conferences(world.secretariat)
    sheet = jobs.enqueue(world.secretariat, "onboarding.registry_plan",
                         params={"sheet": "units", "conferences": list(conferences.values_list("pk", flat=True))},
                         payload=excel.to_bytes(sheets.EXPORTS["units"](conferences)), payload_name="成员单位.xlsx")
    for job in (export, sheet):
        job.refresh_from_db()
        assert (job.state, job.error) == (Job.State.SUCCEEDED, ""), job.kind
    assert export.output_name

    report = Path(__file__).resolve().parents[2] / "lianxi/ingest/tests/data/synthetic_district.txt"
    imported = ingest.create_import(world.secretariat, conference=world.district, decoded=read_path(report),
                                    file_name=report.name)
    token, _secret = accounts.create_token(world.liaison, holder=world.liaison, name="示例对接", read_only=True, days=30)
    return {
        "visits/plans": plan.pk, "visits": visit.pk, "visits/follow-ups": follow_up.pk, "jobs": export.pk,
        "registry/plan": sheet.pk, "ingest": imported.pk, "accounts/tokens": token.pk,
    }


def fill(route: str, ids: dict) -> str:
    """The route with each ``<converter:name>`` replaced: an int by the object its path names
    (the one or two path segments before it), a str by a value the view knows."""

    def value(match):
        kind, name = match.group(1), match.group(2)
        if kind == "str":
            return STRING_ARGS.get(name, "x")
        if name == "part_pk":
            return str(ids["part"])
        if name == "pk" and route.startswith("matching/neighbours/"):
            return str(ids["area"])
        segments = [p for p in route[: match.start()].split("/") if p and not p.startswith("<")]
        pair = "/".join(segments[-2:])
        return str(ids.get(pair, ids.get(segments[-1] if segments else "", NO_SUCH_ID)))

    return "/" + re.sub(r"<(\w+):(\w+)>", value, route)


def test_every_pattern_with_an_id_finds_its_object(world, site):
    """Guards the matrix itself: a pattern whose id names no object answers 404 to everyone, and then
    proves nothing. So every pattern with an ``<int:…>`` kwarg gets an answer other than 404 or the
    login redirect from at least one persona — on GET, or for a POST-only view (405) on a POST that is
    rolled back — unless listed in :data:`ALL_404` with its reason."""
    int_patterns = {name for name, route in patterns() if "<int:" in route}
    with_id = {(name, url) for name, url in site if name in int_patterns}
    answered, errors = set(), []
    for persona in PERSONAS:
        client = client_as(world, persona)
        for name, url in sorted(with_id - answered):
            response = client.get(url)
            if response.status_code == 405:
                with transaction.atomic():
                    response = client.post(url, {})
                    transaction.set_rollback(True)
            if response.status_code >= 500:
                errors.append((persona, url, response.status_code))
            login = response.status_code == 302 and "/accounts/login/" in response["Location"]
            if response.status_code != 404 and not login:
                answered.add((name, url))
    unanswered = {name for name, _url in with_id - answered}
    assert errors == []
    allowed = set(ALL_404)
    assert unanswered - allowed == set(), "ids missing from build_objects (or a page lost to everyone)"
    assert allowed - unanswered == set(), "stale ALL_404 entries: these pages are reached now"


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the progress report's attachment
    ids = build_objects(world)
    urls = sorted({(name, fill(route, ids)) for name, route in patterns()})
    assert len(urls) > 60
    return urls


def client_as(world, persona, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_for_every_persona(world, site, persona):
    client = client_as(world, persona)
    id_patterns = {name for name, route in patterns() if "<int:" in route}
    errors, leaks = [], []
    for name, url in site:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        if persona == "anonymous" and name in EMPTY_FOR_ANONYMOUS:
            found = client.get(url, {"q": "示例人员"}).content.decode()
            if "示例人员" in found:
                leaks.append((url, "names people"))
        elif name not in PUBLIC and (persona == "anonymous" or (persona == "outsider" and name in id_patterns)):
            login_redirect = response.status_code == 302 and "/accounts/login/" in response["Location"]
            if not (login_redirect or response.status_code in (403, 404, 405)):
                leaks.append((url, response.status_code))
    assert errors == []
    assert leaks == []


@pytest.mark.parametrize("persona", NO_WRITE)
def test_posts_by_personas_without_rights_never_write(world, site, persona):
    client = client_as(world, persona)
    before = AuditEntry.objects.count()
    errors = []
    for _name, url in site:
        response = client.post(url, {"next": "/", "title": "示例", "name": "示例", "conference": world.district.pk,
                                     "date": datetime.date(2024, 6, 24).isoformat()})
        if response.status_code >= 500:
            errors.append((url, response.status_code))
    assert errors == []
    assert AuditEntry.objects.count() == before


def test_posts_without_a_csrf_token_are_refused(world, site):
    client = client_as(world, "admin", enforce_csrf_checks=True)
    before = AuditEntry.objects.count()
    statuses = {url: client.post(url, {"title": "示例"}).status_code for name, url in site if name != "login"}
    assert {url: s for url, s in statuses.items() if s != 403} == {}
    assert AuditEntry.objects.count() == before
