"""Pages of matching: the secretariat reviews the latest run's suggestions and sends the chosen ones
as invitations, and keeps the neighbour map of its streets; a liaison sees the invitations to their
unit and accepts or declines with one click."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxi.jobs import services as jobs
from lianxi.lib.forms import run_service
from lianxi.lib.htmx import hx_location, is_htmx, next_url
from lianxi.lib.pagination import paginate
from lianxi.lib.params import id_param, parse_int
from lianxi.lists.models import Need, Resource
from lianxi.matching import jobs as matching_jobs
from lianxi.matching import services
from lianxi.matching.forms import NeighboursForm, RunForm, SuggestionFilter
from lianxi.matching.gates import (
    can_decide,
    conference_streets,
    get_conference_to_map,
    get_street_to_map,
    get_suggestion_for,
    invitations_of,
    require_manager,
    require_unit_account,
)
from lianxi.matching.models import AreaNeighbour, MatchRun, Suggestion
from lianxi.registry.gates import managed_conferences
from lianxi.registry.models import Area, Conference, Unit


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
def suggestions(request):
    """推荐匹配: the suggestions of the latest (or a chosen) run of one conference, filtered in SQL."""
    require_manager(request.user)
    conferences = managed_conferences(request.user).order_by("id")
    form = SuggestionFilter(request.GET or None, conferences=conferences)
    filters = form.cleaned_data if form.is_valid() else {}
    conference = filters.get("conference") or conferences.first()
    runs = list(MatchRun.objects.filter(conference=conference).order_by("-started_at", "-id")[:10]) if conference else []
    run = None
    run_id = id_param(request, "run")
    if run_id:
        run = next((r for r in runs if r.pk == run_id), None) or (
            MatchRun.objects.filter(pk=run_id, conference=conference).first())
    if run is None:
        run = next((r for r in runs if r.status == MatchRun.Status.FINISHED), None)

    qs = Suggestion.objects.none()
    if run is not None:
        qs = run.suggestions.all()
        if filters.get("state"):
            qs = qs.filter(state=filters["state"])
        if filters.get("category"):
            qs = qs.filter(need__category=filters["category"])
        if filters.get("area"):
            qs = qs.filter(Q(need__area=filters["area"]) | Q(need__area__parent=filters["area"]))
        if filters.get("q"):
            # The names are matched once each among the needs, resources and units of this run
            # (three small subqueries), then the run's suggestions are kept by id; not a LIKE through
            # three joins on every one of a city run's ~35,000 suggestions.
            q, mine = filters["q"], run.suggestions.all()
            needs = Need.objects.filter(pk__in=mine.values("need_id"), title__icontains=q).values("pk")
            resources = Resource.objects.filter(pk__in=mine.values("resource_id"), title__icontains=q).values("pk")
            units = Unit.objects.filter(
                Q(pk__in=mine.values("unit_id")) | Q(pk__in=mine.values("need__owner_id")), name__icontains=q
            ).values("pk")
            owned = Need.objects.filter(pk__in=mine.values("need_id"), owner_id__in=units).values("pk")
            qs = qs.filter(Q(need_id__in=needs) | Q(resource_id__in=resources) | Q(unit_id__in=units)
                           | Q(need_id__in=owned))
        qs = qs.order_by("-score", "id")
    page = paginate(request, qs.paged())
    # Invitations already sent stay in view whichever run is shown: a new run replaces proposals,
    # not what the units were asked.
    sent = []
    if conference is not None:
        sent = list(Suggestion.objects.filter(
            conference=conference, state__in=[Suggestion.State.SENT, Suggestion.State.ACCEPTED, Suggestion.State.DECLINED],
        ).select_related("need", "resource", "unit", "invitation").order_by("-id")[:SENT_SHOWN])
    filtered = any(filters.get(k) for k in ("state", "category", "area", "q"))
    running = jobs.active_job(matching_jobs.job_key(conference.pk)) if conference is not None else None
    return render(request, "matching/suggestions.html", {
        "form": form, "conference": conference, "run": run, "runs": runs, "page": page, "sent": sent,
        "filtered": filtered, "running": running,
    })


SENT_SHOWN = 50


@login_required
@require_POST
def run(request):
    """Start a run for one conference (the secretariat) as a background job and show its progress;
    while one runs for the conference, a second click shows that one instead of starting another."""
    require_manager(request.user)
    form = RunForm(request.POST, conferences=managed_conferences(request.user).order_by("id"))
    if not form.is_valid():
        messages.error(request, _("请选择要计算的联席会议。"))
        return hx_location(request, reverse("matching:suggestions"))
    conference = form.cleaned_data["conference"]
    require_manager(request.user, conference.pk)
    job = matching_jobs.start(request.user, conference)
    if not job.created_now:
        if job.owner_id != request.user.pk:
            # Someone else's job: its page is theirs; the suggestions page says a run is under way.
            messages.info(request, _("该联席会议的匹配计算已由他人发起，正在进行中；完成后本页显示新的推荐。"))
            return hx_location(request, f"{reverse('matching:suggestions')}?conference={conference.pk}")
        messages.info(request, _("该联席会议的匹配计算已在进行中，以下是它的进度。"))
    return hx_location(request, reverse("jobs:job_detail", args=[job.pk]))


@login_required
@require_POST
def send(request):
    """Send the selected suggestions as invitations (through the burden gate)."""
    require_manager(request.user)
    ids = [n for n in (parse_int(v) for v in request.POST.getlist("ids")) if n]
    back = next_url(request, reverse("matching:suggestions"))
    if not ids:
        messages.error(request, _("请至少选择一条推荐。"))
        return hx_location(request, back)
    chosen = [get_suggestion_for(request.user, pk, action="send") for pk in sorted(set(ids))]
    try:
        sent = services.send_invitations(request.user, chosen)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return hx_location(request, back)
    waiting = sum(1 for r in sent if r.asked_at is None)
    messages.success(request, _("已发出 %(n)d 条认领邀请。") % {"n": len(sent)}
                     + (_("其中 %(w)d 条因对方本月事项已达上限，进入减负闸门等待。") % {"w": waiting} if waiting else ""))
    return hx_location(request, back)


@login_required
def suggestion(request, pk):
    """One suggestion: what is proposed and why; the unit's liaison accepts or declines here."""
    s = get_suggestion_for(request.user, pk)
    return render(request, "matching/suggestion.html", {"s": s, "can_decide": can_decide(request.user, s)})


def _decided(request, s: Suggestion, error: str = ""):
    if is_htmx(request):
        s = get_suggestion_for(request.user, s.pk)
        return render(request, "matching/_decision.html", {"s": s, "can_decide": True, "error": error})
    if error:
        messages.error(request, error)
    return hx_location(request, s.get_absolute_url())


def _decide(request, pk, service, done: str):
    """The unit's liaison accepts or declines a suggestion (``service``); ``done`` is said after a
    plain form post (an htmx request gets the decision panel redrawn instead)."""
    s = get_suggestion_for(request.user, pk, action="decide")
    try:
        service(request.user, s)
    except ValidationError as exc:
        return _decided(request, s, _errors(exc))
    if not is_htmx(request):
        messages.success(request, done)
    return _decided(request, s)


@login_required
@require_POST
def accept(request, pk):
    return _decide(request, pk, services.accept_suggestion, _("已接受，认领已生成。"))


@login_required
@require_POST
def decline(request, pk):
    return _decide(request, pk, services.decline_suggestion, _("已婉拒该邀请。"))


@login_required
def invitations(request):
    """认领邀请: the suggestions sent to my units, open ones first."""
    require_unit_account(request.user)
    open_first = Case(When(state=Suggestion.State.SENT, then=Value(0)), default=Value(1))
    qs = invitations_of(request.user).order_by(open_first, "-id")
    return render(request, "matching/invitations.html", {"page": paginate(request, qs.paged())})


# ------------------------------------------------------------------------------------- neighbours

def _recorded_neighbours(street_ids: list[int]) -> dict[int, dict[int, str]]:
    """``{street id: {neighbour id: name}}`` for the given streets, in one query (pairs are
    stored once, ``area < neighbour``, so each is read from both ends)."""
    out: dict[int, dict[int, str]] = defaultdict(dict)
    rows = (AreaNeighbour.objects.filter(Q(area_id__in=street_ids) | Q(neighbour_id__in=street_ids))
            .values_list("area_id", "neighbour_id", "area__name", "neighbour__name"))
    wanted = set(street_ids)
    for a, b, a_name, b_name in rows:
        if a in wanted:
            out[a][b] = b_name
        if b in wanted:
            out[b][a] = a_name
    return out


def _street_choices(streets: list[Area]) -> dict[int | None, list[Area]]:
    """The streets of each district the given streets lie in, by district, in one query."""
    parents = {s.parent_id for s in streets if s.parent_id is not None}
    by_parent: dict[int | None, list[Area]] = defaultdict(list)
    if parents:
        for area in Area.objects.filter(kind=Area.Kind.STREET, parent_id__in=parents).order_by("name", "id"):
            by_parent[area.parent_id].append(area)
    return by_parent


def _neighbours_page(request, conference: Conference | None, bound: NeighboursForm | None = None):
    streets = list(conference_streets(conference).order_by("name", "id")) if conference else []
    siblings = _street_choices(streets)
    recorded = _recorded_neighbours([s.pk for s in streets])
    rows = []
    for street in streets:
        current = recorded.get(street.pk, {})
        if bound is not None and bound.street.pk == street.pk:
            form = bound
        else:
            others = [a for a in siblings.get(street.parent_id, []) if a.pk != street.pk]
            form = NeighboursForm(street=street, others=others, initial={"neighbours": sorted(current)})
        rows.append({"street": street, "neighbours": sorted(current.values()), "form": form})
    conferences = managed_conferences(request.user).order_by("id")
    return render(request, "matching/neighbours.html", {
        "conference": conference, "conferences": conferences, "rows": rows,
    })


@login_required
def neighbours(request):
    """相邻街道: the neighbour map of a conference's streets, one form per street. Empty until the
    secretariat records it; without it the matcher simply gives no neighbouring-street bonus."""
    require_manager(request.user)
    picked = id_param(request, "conference")
    if picked:
        conference = get_conference_to_map(request.user, picked)
    else:
        managed = managed_conferences(request.user).order_by("id").select_related("area")
        conference = managed.filter(area__isnull=False).first() or managed.first()
    return _neighbours_page(request, conference)


@login_required
@require_POST
def neighbours_set(request, conference, pk):
    """Record the neighbours ticked for one street (replacing what was recorded for it)."""
    conference, street = get_street_to_map(request.user, conference, pk)
    others = (list(Area.objects.filter(kind=Area.Kind.STREET, parent_id=street.parent_id).exclude(pk=street.pk)
                   .order_by("name", "id")) if street.parent_id is not None else [])
    form = NeighboursForm(request.POST, street=street, others=others)
    if form.is_valid():
        current = set(_recorded_neighbours([street.pk]).get(street.pk, {}))
        chosen = Area.objects.filter(pk__in=form.to_save(current))
        ok, changes = run_service(form, services.set_neighbours, request.user, street, chosen)
        if ok:
            if changes:
                messages.success(request, _("已保存%(street)s的相邻街道。") % {"street": street.name})
            else:
                messages.info(request, _("%(street)s的相邻街道没有变化。") % {"street": street.name})
            return hx_location(request, f"{reverse('matching:neighbours')}?conference={conference.pk}#street-{street.pk}")
    return _neighbours_page(request, conference, bound=form)
