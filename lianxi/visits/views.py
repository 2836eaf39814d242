"""Pages of the visits room: plans (compute, visitors, availability, coverage, unplanned units and
why), a visit (propose, confirm, record on a phone, follow-ups), the visitor's own list,
organisation coverage, venues, secondment batches and rotation planning. gate → form → service →
redirect."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxi.lib.forms import refusal_as_message, run_service
from lianxi.lib.htmx import hx_location
from lianxi.lib.pagination import paginate
from lianxi.lib.params import id_param
from lianxi.registry import services as registry_services
from lianxi.registry.gates import get_conference_for
from lianxi.registry.models import Conference, Membership, Unit
from lianxi.visits import coverage, gates, rotation, services
from lianxi.visits.forms import (
    BatchForm,
    CompleteForm,
    FollowUpCloseForm,
    FollowUpForm,
    HandoverForm,
    OfferVenueForm,
    PlanForm,
    RecordForm,
    RotationRuleForm,
    SecondmentForm,
    UnitUnavailableForm,
    VenueForm,
    VisitorForm,
)
from lianxi.visits.models import FollowUp, RotationRule, Secondment, Visit, VisitPlan
from lianxi.visits.planner import REASON_LABELS


def _managed_conferences(user):
    ids = gates.managed_conference_ids(user)
    qs = Conference.objects.filter(status=Conference.Status.ACTIVE)
    return qs if ids is None else qs.filter(pk__in=ids)


def _errors(form) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


def _save_posted(request, form, call, *, back, success=None, done=None):
    """A small form posted from a plan, visit, venue or batch page. Valid: ``call()`` runs the
    service, ``success`` (text, or a function of what the service returned) is said, and the browser
    goes to ``done`` (a function of the result), else ``back``. Refused: its errors are said and the
    browser goes ``back``."""
    if form.is_valid():
        ok, result = run_service(form, call)
        if ok:
            if success:
                messages.success(request, success(result) if callable(success) else success)
            return redirect(done(result) if done else back)
    messages.error(request, _errors(form))
    return redirect(back)


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------


@login_required
def index(request):
    """The plans the user may see, newest first, with their coverage in one grouped query."""
    user = request.user
    plans = gates.plans_visible_to(user).select_related("conference").annotate(
        n_visits=Count("visits", filter=~Q(visits__state=Visit.State.CANCELLED)),
        n_done=Count("visits", filter=Q(visits__state=Visit.State.DONE)),
    ).order_by("-start", "-id")
    page = paginate(request, plans)
    managed = _managed_conferences(user)
    form = PlanForm(conferences=managed) if gates.is_insider(user) and managed.exists() else None
    mine = gates.my_visitor_ids(user)
    return render(request, "visits/index.html", {"page": page, "form": form, "has_own_visits": bool(mine)})


@login_required
@require_POST
def plan_create(request):
    form = PlanForm(request.POST, conferences=_managed_conferences(request.user))
    if form.is_valid():
        conference = form.cleaned_data["conference"]
        gates.require_manage(request.user, conference)
        ok, plan = run_service(form, services.create_plan, request.user, conference=conference,
                               start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        if ok:
            return hx_location(request, plan.get_absolute_url())
    messages.error(request, _errors(form))
    return redirect("visits:index")


def _plan_context(request, plan: VisitPlan) -> dict:
    user = request.user
    can_manage = gates.can_manage_conference(user, plan.conference_id)
    visits = (Visit.objects.filter(plan=plan).exclude(state=Visit.State.CANCELLED)
              .select_related("unit", "visitor__person").order_by("planned_on", "unit__name"))
    state = request.GET.get("state", "")
    if state in Visit.State.values:
        visits = visits.filter(state=state)
    page = paginate(request, visits)
    unplanned_ids = {int(k): v for k, v in (plan.stats or {}).get("unplanned_units", {}).items()}
    unplanned = [{"unit": u, "reason": REASON_LABELS.get(unplanned_ids[u.pk], unplanned_ids[u.pk])}
                 for u in Unit.objects.filter(pk__in=list(unplanned_ids)[:200]).order_by("name")]
    open_follow_ups = (FollowUp.objects.filter(visit__plan=plan, closed_on__isnull=True)
                       .select_related("visit__unit", "need").order_by("due_on", "id"))
    return {
        "follow_ups": list(open_follow_ups[:50]), "follow_ups_total": open_follow_ups.count(),
        "plan": plan, "page": page, "state": state, "states": Visit.State.choices,
        "visitors": plan.visitors.select_related("person", "user").order_by("role", "id"),
        "coverage": coverage.plan_coverage(plan), "stats": plan.stats or {}, "unplanned": unplanned,
        "unplanned_total": len(unplanned_ids), "can_manage": can_manage,
        "visitor_form": VisitorForm(plan=plan) if can_manage else None,
        "unit_form": UnitUnavailableForm(plan=plan) if can_manage else None,
        "blocked": sorted(d for d in services.blocked_days(plan) if plan.start <= d <= plan.end and d.weekday() == 0),
        "today": timezone.localdate(),
    }


@login_required
def plan_detail(request, pk):
    plan = gates.get_plan_for(request.user, pk)
    return render(request, "visits/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_compute(request, pk):
    plan = gates.get_plan_for(request.user, pk, write=True)
    try:
        result = services.compute_plan(request.user, plan)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已计算：覆盖 %(c)s / %(n)s 家单位，%(t)s 趟出行。") % {
            "c": result.covered, "n": result.covered + len(result.unplanned), "t": result.trips})
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def visitor_add(request, pk):
    plan = gates.get_plan_for(request.user, pk, write=True)
    form = VisitorForm(request.POST, plan=plan)

    def add():
        d = form.cleaned_data
        return services.add_visitor(request.user, plan, person=d["person"], role=d["role"], capacity=d["capacity"],
                                    unavailable=d["unavailable"], user=d["person"].user)

    return _save_posted(request, form, add, back=plan.get_absolute_url(),
                        success=lambda visitor: _("已添加走访人 %(p)s。") % {"p": visitor.person})


@login_required
@require_POST
def unit_unavailable(request, pk):
    plan = gates.get_plan_for(request.user, pk, write=True)
    form = UnitUnavailableForm(request.POST, plan=plan)
    return _save_posted(
        request, form,
        lambda: services.set_unit_unavailable(request.user, plan, unit=form.cleaned_data["unit"],
                                              dates=form.cleaned_data["dates"]),
        back=plan.get_absolute_url(), success=_("已登记单位不便日期。"),
    )


# --------------------------------------------------------------------------------------------
# Visits
# --------------------------------------------------------------------------------------------


@login_required
def my_visits(request):
    """The visitor's own visits, upcoming first: the page a visitor opens on a phone."""
    ids = gates.my_visitor_ids(request.user)
    visits = (Visit.objects.filter(visitor_id__in=ids).exclude(state=Visit.State.CANCELLED)
              .select_related("unit", "unit__area", "plan").order_by("planned_on", "id"))
    today = timezone.localdate()
    open_visits = [v for v in visits if v.state != Visit.State.DONE]
    done = [v for v in visits if v.state == Visit.State.DONE][-20:]
    return render(request, "visits/my_visits.html", {"open_visits": open_visits, "done": done, "today": today})


@login_required
def visit_detail(request, pk):
    user = request.user
    visit = gates.get_visit_for(user, pk)
    raised = list(visit.raised.select_related("need", "need__category").order_by("id"))
    follow_ups = list(visit.follow_ups.select_related("need").order_by("closed_on", "id"))
    return render(request, "visits/visit_detail.html", {
        "visit": visit, "raised": raised, "follow_ups": follow_ups,
        "can_record": gates.can_record_visit(user, visit),
        "can_manage": gates.can_manage_conference(user, visit.conference_id),
        "can_confirm": gates.can_confirm_visit(user, visit),
        "transitions": Visit.TRANSITIONS.get(visit.state, set()),
        "follow_up_form": FollowUpForm() if gates.can_record_visit(user, visit) else None,
    })


def _visit_action(request, pk, fn, gate, done_message):
    visit = gate(request.user, pk)
    try:
        fn(request.user, visit)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect(visit.get_absolute_url())


def _manager_visit(user, pk):
    visit = gates.get_visit_for(user, pk)
    gates.require_manage(user, visit.conference)
    return visit


@login_required
@require_POST
def visit_propose(request, pk):
    return _visit_action(request, pk, services.propose_visit, _manager_visit, _("已通过减负闸门向单位发出走访预约。"))


@login_required
@require_POST
def visit_confirm(request, pk):
    return _visit_action(request, pk, services.confirm_visit, gates.get_visit_to_confirm, _("已确认走访日期。"))


@login_required
@require_POST
def visit_cancel(request, pk):
    return _visit_action(request, pk, services.cancel_visit, _manager_visit, _("已取消走访。"))


@login_required
def visit_record(request, pk):
    visit = gates.get_visit_for(request.user, pk, write=True)
    initial = {"done_on": min(visit.planned_on, timezone.localdate()),
               "participants": str(visit.visitor.person) if visit.visitor_id else ""}
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, needs = run_service(form, services.record_visit, request.user, visit, done_on=d["done_on"],
                                participants=d["participants"], met_with=d["met_with"], notes=d["notes"],
                                needs=form.needs(), follow_ups=form.follow_ups(),
                                field_map={"needs": "need_title", "title": "need_title", "category": "need_category",
                                           "quantity": "need_quantity", "area": "need_title"})
        if ok:
            messages.success(request, _("走访已登记。") + (_("收集需求 %(n)s 条，已进入认领大厅。") % {"n": len(needs)}
                                                         if needs else ""))
            return hx_location(request, visit.get_absolute_url())
    return render(request, "visits/visit_record.html", {"visit": visit, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def follow_up_add(request, pk):
    visit = gates.get_visit_for(request.user, pk, write=True)
    form = FollowUpForm(request.POST)
    return _save_posted(request, form, lambda: services.add_follow_up(request.user, visit, **form.cleaned_data),
                        back=visit.get_absolute_url())


@login_required
@require_POST
def follow_up_close(request, pk):
    follow_up = gates.get_follow_up_for(request.user, pk, write=True)
    form = FollowUpCloseForm(request.POST)
    if form.is_valid():
        ok, _c = run_service(form, services.close_follow_up, request.user, follow_up, note=form.cleaned_data["note"])
        if not ok:
            messages.error(request, _errors(form))
    return redirect(follow_up.visit.get_absolute_url())


# --------------------------------------------------------------------------------------------
# Organisation coverage
# --------------------------------------------------------------------------------------------


@login_required
def org_coverage(request, pk):
    conference = get_conference_for(request.user, pk)
    if not gates.is_insider(request.user):
        raise Http404
    data = coverage.org_coverage(conference)
    without = paginate(request, coverage.units_without_party_org(conference))
    return render(request, "visits/coverage.html", {"conference": conference, "data": data, "without": without,
                                                    "max_rate": 100})


# --------------------------------------------------------------------------------------------
# Venues
# --------------------------------------------------------------------------------------------


@login_required
def venue_list(request):
    venues = gates.venues_visible_to(request.user).select_related("owner", "area").order_by("name", "id")
    area = id_param(request, "area")
    if area:
        venues = venues.filter(Q(area_id=area) | Q(area__parent_id=area))
    page = paginate(request, venues)
    owners = _venue_owners(request.user)
    return render(request, "visits/venue_list.html", {"page": page, "can_add": owners.exists()})


def _venue_owners(user):
    """Units the user may register venues for: their own, or members of conferences they manage."""
    ids = gates.managed_conference_ids(user)
    if ids is None:
        return Unit.objects.all().order_by("name")
    member_ids = Membership.objects.current().filter(conference_id__in=ids).values("unit_id")
    return Unit.objects.filter(Q(pk__in=member_ids) | Q(pk__in=gates.own_unit_ids(user))).order_by("name")


@login_required
def venue_create(request):
    owners = _venue_owners(request.user)
    if not owners.exists():
        raise Http404
    form = VenueForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        gates.require(request.user, gates.can_add_venue_for(request.user, form.cleaned_data["owner"]))
        ok, venue = run_service(form, registry_services.create_venue, request.user, **form.values())
        if ok:
            return hx_location(request, reverse("visits:venue_detail", args=[venue.pk]))
    return render(request, "visits/form.html", {"form": form, "title": _("登记阵地"),
                                                "back_url": reverse("visits:venue_list")},
                  status=400 if form.errors else 200)


@login_required
def venue_detail(request, pk):
    venue = gates.get_venue_for(request.user, pk)
    can_edit = gates.can_edit_venue(request.user, venue)
    offer_form = OfferVenueForm(venue=venue) if can_edit else None
    resources = list(venue.resources.select_related("conference").order_by("-created_at"))
    return render(request, "visits/venue_detail.html", {"venue": venue, "can_edit": can_edit,
                                                        "offer_form": offer_form, "resources": resources})


@login_required
def venue_edit(request, pk):
    """Correct a venue's particulars. Its owner stays (the service refuses a change): a venue that
    passes to another unit is retired and registered again by the new owner."""
    venue = gates.get_venue_for(request.user, pk, write=True)
    title = _("修改阵地：%(n)s") % {"n": venue.name}
    form = VenueForm(request.POST or None, instance=venue, owners=Unit.objects.filter(pk=venue.owner_id))
    form.fields["owner"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("owner", None)
        ok, _changes = run_service(form, registry_services.update_venue, request.user, venue, **values)
        if ok:
            messages.success(request, _("阵地信息已保存。"))
            return hx_location(request, reverse("visits:venue_detail", args=[venue.pk]))
    return render(request, "visits/form.html", {
        "form": form, "title": title,
        "back_url": reverse("visits:venue_detail", args=[venue.pk])}, status=400 if form.errors else 200)


@login_required
@require_POST
def venue_retire(request, pk):
    venue = gates.get_venue_for(request.user, pk, write=True)
    try:
        registry_services.retire_venue(request.user, venue)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("阵地已停用，不再作为资源提供。"))
    return redirect(reverse("visits:venue_detail", args=[venue.pk]))


@login_required
@require_POST
def venue_offer(request, pk):
    venue = gates.get_venue_for(request.user, pk, write=True)
    form = OfferVenueForm(request.POST, venue=venue)

    def offer():
        d = form.cleaned_data
        return services.offer_venue(request.user, venue, conference=d["conference"], category=d["category"],
                                    capacity=d["capacity"])

    return _save_posted(request, form, offer, back=reverse("visits:venue_detail", args=[venue.pk]),
                        success=_("已作为资源发布到资源清单。"), done=lambda resource: resource.get_absolute_url())


# --------------------------------------------------------------------------------------------
# Secondments
# --------------------------------------------------------------------------------------------


@login_required
def batch_list(request):
    if not gates.is_insider(request.user):
        raise Http404
    batches = gates.batches_visible_to(request.user).select_related("conference", "project").annotate(
        n=Count("secondments"), n_active=Count("secondments", filter=Q(secondments__state=Secondment.State.ACTIVE)),
    ).order_by("-year", "name")
    managed = _managed_conferences(request.user)
    counts = (Secondment.objects.filter(batch__in=gates.batches_visible_to(request.user))
              .values("home_unit__name").annotate(n=Count("id")).order_by("-n", "home_unit__name")[:20])
    hosted = (Secondment.objects.filter(batch__in=gates.batches_visible_to(request.user))
              .values("host_unit__name").annotate(n=Count("id")).order_by("-n", "host_unit__name")[:20])
    return render(request, "visits/batch_list.html", {"page": paginate(request, batches), "counts": counts,
                                                      "hosted": hosted, "can_add": managed.exists()})


@login_required
def batch_create(request):
    managed = _managed_conferences(request.user)
    if not managed.exists():
        raise Http404
    form = BatchForm(request.POST or None, conferences=managed)
    if request.method == "POST" and form.is_valid():
        ok, batch = run_service(form, services.create_batch, request.user, **form.values())
        if ok:
            return hx_location(request, batch.get_absolute_url())
    return render(request, "visits/form.html", {"form": form, "title": _("新建双向交流批次"),
                                                "back_url": reverse("visits:batch_list")},
                  status=400 if form.errors else 200)


@login_required
def batch_detail(request, pk):
    batch = gates.get_batch_for(request.user, pk)
    can_manage = gates.can_manage_conference(request.user, batch.conference_id)
    secondments = batch.secondments.select_related("person", "home_unit", "host_unit").order_by("start", "id")
    form = SecondmentForm(batch=batch) if can_manage else None
    return render(request, "visits/batch_detail.html", {
        "batch": batch, "page": paginate(request, secondments), "can_manage": can_manage, "form": form,
        "complete_form": CompleteForm() if can_manage else None,
    })


@login_required
@require_POST
def secondment_add(request, pk):
    batch = gates.get_batch_for(request.user, pk, write=True)
    form = SecondmentForm(request.POST, batch=batch)
    return _save_posted(request, form, lambda: services.add_secondment(request.user, batch=batch, **form.values()),
                        back=batch.get_absolute_url(), success=_("已登记。"))


@login_required
def secondment_edit(request, pk):
    """One secondment: correct it while it is planned or running, and end it (期满评价 or 终止)."""
    secondment = gates.get_secondment_for(request.user, pk, write=True)
    batch = secondment.batch
    editable = secondment.state in (Secondment.State.PLANNED, Secondment.State.ACTIVE)
    form = SecondmentForm(request.POST or None, batch=batch, instance=secondment) if editable else None
    if form is not None and request.method == "POST" and form.is_valid():
        ok, _changes = run_service(form, services.update_secondment, request.user, secondment, **form.values())
        if ok:
            messages.success(request, _("已保存。"))
            return hx_location(request, batch.get_absolute_url())
    if request.method == "POST" and form is None:
        messages.error(request, _("该双向交流已%(s)s，不能再修改。") % {"s": secondment.get_state_display()})
    return render(request, "visits/secondment_edit.html", {
        "secondment": secondment, "batch": batch, "form": form,
        "complete_form": CompleteForm() if secondment.state == Secondment.State.ACTIVE else None,
    }, status=400 if (form is not None and form.errors) or (request.method == "POST" and form is None) else 200)


@login_required
@require_POST
def secondment_action(request, pk, action):
    secondment = gates.get_secondment_for(request.user, pk, write=True)
    with refusal_as_message(request):
        if action == "start":
            services.start_secondment(request.user, secondment)
        elif action == "withdraw":
            services.withdraw_secondment(request.user, secondment)
        elif action == "complete":
            form = CompleteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_errors(form))
            services.complete_secondment(request.user, secondment, **form.cleaned_data)
        else:
            raise Http404
    return redirect(secondment.batch.get_absolute_url())


# --------------------------------------------------------------------------------------------
# Rotation planning
# --------------------------------------------------------------------------------------------


@login_required
def rotation_plan(request, pk):
    conference = get_conference_for(request.user, pk)
    if not gates.is_insider(request.user):
        raise Http404
    can_manage = gates.can_manage_conference(request.user, conference.pk)
    if request.method == "POST":
        gates.require_manage(request.user, conference)
    rule = RotationRule.objects.filter(conference=conference).first()
    rule_form = None
    if can_manage:
        initial = {}
        if rule:
            names = dict(Unit.objects.filter(pk__in=rule.order).values_list("pk", "name"))
            initial = {"order": "\n".join(names[i] for i in rule.order if i in names), "term_months": rule.term_months,
                       "seats": rule.seats, "note": rule.note}
        rule_form = RotationRuleForm(request.POST or None, conference=conference, initial=initial)
        if request.method == "POST" and request.POST.get("form") == "rule" and rule_form.is_valid():
            d = rule_form.cleaned_data
            ok, _r = run_service(rule_form, services.set_rotation_rule, request.user, conference, order=d["order"],
                                 term_months=d["term_months"], seats=d["seats"], note=d["note"])
            if ok:
                messages.success(request, _("轮值规则已保存。"))
                return redirect(reverse("visits:rotation", args=[conference.pk]))
    state = rotation.roster(conference)
    proposal = rotation.propose(conference)
    handover_form = None
    if can_manage and proposal.terms:
        handover_form = HandoverForm(request.POST if request.POST.get("form") == "handover" else None,
                                     conference=conference, units=proposal.terms[0].units)
        if request.method == "POST" and request.POST.get("form") == "handover" and handover_form.is_valid():
            ok, _started = run_service(handover_form, rotation.carry_out_handover, request.user,
                                       handover_form.cleaned_data["item"], successors=handover_form.successors(),
                                       field_map={"units": "item", "changes": "item", "successors": "item",
                                                  "applied_on": "item", "person": "item"})
            if ok:
                messages.success(request, _("已在全体会议“调整”议程中完成轮值交接。"))
                return redirect(reverse("visits:rotation", args=[conference.pk]))
    return render(request, "visits/rotation.html", {
        "conference": conference, "roster": state, "proposal": proposal, "rule": rule, "rule_form": rule_form,
        "handover_form": handover_form, "can_manage": can_manage, "today": datetime.date.today(),
    }, status=400 if (rule_form and rule_form.errors) or (handover_form and handover_form.errors) else 200)

