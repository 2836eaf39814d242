"""Pages of the lists: the open hall, a need and a resource, the liaison's inbox, the
secretariat's overview, Excel in and out, and snapshots released at plenaries.
Short function views: gate → form → service → redirect (or the htmx partial)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    Q,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from lianxi.accounts.gates import history_for
from lianxi.audit.services import record_personal_data_view
from lianxi.burden.models import BurdenRequest
from lianxi.jobs import services as jobs
from lianxi.lib import excel as xl
from lianxi.lib.forms import refusal_as_message, run_service
from lianxi.lib.htmx import hx_location, is_htmx
from lianxi.lib.pagination import paginate
from lianxi.lib.params import id_param
from lianxi.lib.privacy import mask_phone
from lianxi.lists import excel as lists_excel
from lianxi.lists import jobs as lists_jobs
from lianxi.lists import services, tables
from lianxi.lists.filters import NeedFilterSet, ResourceFilterSet, bound_values
from lianxi.lists.forms import (
    ClaimForm,
    ConfirmForm,
    DeliveryForm,
    ImportForm,
    NeedFilterForm,
    NeedForm,
    PairForm,
    RateForm,
    ReasonForm,
    ResourceFilterForm,
    ResourceForm,
)
from lianxi.lists.gates import (
    attach_claim_rights,
    attach_delivery_rights,
    can_edit_need,
    can_edit_resource,
    can_offer_resources,
    can_post,
    claimant_units_for,
    get_claim_for,
    get_delivery_for,
    get_need_for,
    get_resource_for,
    is_liaison,
    may_claim_on_behalf,
    may_see_need_contact,
    may_see_snapshot_contacts,
    needs_visible_to,
    offering_conferences,
    open_needs_visible_to,
    posting_conferences,
    require_manager,
    require_offer_for,
    require_post_need_for,
    require_posting_rights,
    require_unit_account,
    resources_visible_to,
    resources_with_full_contact,
    units_acted_for,
)
from lianxi.lists.models import (
    Claim,
    ClaimShare,
    Delivery,
    ListSnapshot,
    Need,
    NeedCategory,
    NeedPairing,
    Resource,
)
from lianxi.registry.gates import (
    can_manage_any_conference,
    conferences_visible_to,
    filter_managed,
    is_insider,
    managed_conferences,
    require,
    require_insider,
)
from lianxi.registry.models import Area, Membership, Unit

# --------------------------------------------------------------------------------------------
# Who may claim what, for a page of needs, in a fixed number of queries
# --------------------------------------------------------------------------------------------


def _attach_claim_options(user, needs: list[Need], now=None) -> None:
    """``need.claim_units``: the user's own member units that may claim the need right now (the
    window respected, units already claiming it and the owner left out)."""
    now = now or timezone.now()
    for need in needs:
        need.claim_units = []
        need.window_is_open = need.window_open(now)
    own = units_acted_for(user)
    if not own or not needs:
        return
    by_conference: dict[int, list[Unit]] = {}
    members = Membership.objects.current().filter(
        unit_id__in=own, conference_id__in={n.conference_id for n in needs}
    ).select_related("unit")
    for membership in members:
        by_conference.setdefault(membership.conference_id, []).append(membership.unit)
    ids = [n.pk for n in needs]
    paired = set(NeedPairing.objects.filter(need_id__in=ids, unit_id__in=own).values_list("need_id", "unit_id"))
    claiming = set(Claim.objects.filter(need_id__in=ids, unit_id__in=own, state=Claim.State.ACTIVE)
                   .values_list("need_id", "unit_id"))
    for need in needs:
        if need.remaining < 1 or need.state not in (Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED,
                                                     Need.State.IN_DELIVERY):
            continue
        window = need.window_is_open
        need.claim_units = [
            u for u in by_conference.get(need.conference_id, [])
            if u.pk != need.owner_id and (need.pk, u.pk) not in claiming and (not window or (need.pk, u.pk) in paired)
        ]


def _need_card(request, need: Need, *, message: str = "", error: str = ""):
    need = Need.objects.select_related("conference", "owner", "category", "area").get(pk=need.pk)
    _attach_claim_options(request.user, [need])
    return render(request, "lists/_need_card.html", {
        "need": need, "card_message": message, "card_error": error, "show_contact": is_insider(request.user),
    })


# --------------------------------------------------------------------------------------------
# The open hall and needs
# --------------------------------------------------------------------------------------------


def hall(request):
    """认领大厅: open needs with filters; liaisons claim with one click."""
    form = NeedFilterForm(request.GET or None, conferences=conferences_visible_to(request.user))
    scope = (form.cleaned_data.get("scope") if form.is_valid() else None) or "open"
    needs = needs_visible_to(request.user) if scope == "all" else open_needs_visible_to(request.user)
    values = bound_values(form.cleaned_data, ("q", "conference", "category", "area", "urgency")) \
        if form.is_valid() else {}
    if scope == "hall":
        values["in_hall"] = True
    needs = NeedFilterSet(values, queryset=needs).qs
    # Urgency codes sort most urgent last, so "-urgency" is the urgency order, read from an index.
    page = _page_of_needs(request, needs.order_by("-urgency", "-published_at", "-id"))
    _attach_claim_options(request.user, page.object_list)
    return render(request, "lists/hall.html", {
        "form": form, "page": page, "scope": scope, "now": timezone.now(),
        "show_contact": is_insider(request.user),
        "can_post": can_post(request.user),
    })


def _page_of_needs(request, needs, per_page: int = 20):
    """Count and page on the needs table alone (an index scan), then load that page's rows with
    their joins: a joined, sorted query is otherwise planned from the small tables outward."""
    page = paginate(request, needs.values_list("pk", flat=True), per_page=per_page)
    ids = list(page.object_list)
    rows = Need.objects.select_related("conference", "owner", "category", "area").order_by().in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    return page


def _decorate_claims(user, claims: list[Claim], need: Need):
    """Per claim and delivery: may this user record (claimant) or confirm (owner) it — one gate
    call for the page — and whether it is overdue."""
    attach_claim_rights(user, need, claims)
    today = timezone.localdate()
    for claim in claims:
        for delivery in claim.deliveries.all():
            delivery.overdue = delivery.is_overdue(today)


def need_detail(request, pk):
    need = get_need_for(request.user, pk)
    claims = list(
        need.claims.select_related("unit", "resource").prefetch_related("shares__unit", "deliveries")
        .order_by("created_at", "pk")
    )
    _decorate_claims(request.user, claims, need)
    _attach_claim_options(request.user, [need])
    can_edit = can_edit_need(request.user, need)
    claim_form = None
    units = claimant_units_for(request.user, need.conference_id).exclude(pk=need.owner_id)
    if need.remaining and need.state in (Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED, Need.State.IN_DELIVERY) \
            and (need.claim_units or may_claim_on_behalf(request.user, need)):
        claim_form = ClaimForm(need=need, units=units)
    full = may_see_need_contact(request.user, need)
    if full and need.contact_phone:
        record_personal_data_view(request.user, [need], ["contact_phone"])
    return render(request, "lists/need_detail.html", {
        "need": need, "claims": claims, "can_edit": can_edit, "claim_form": claim_form,
        "pairings": need.pairings.select_related("unit").order_by("unit__name"),
        "show_contact": is_insider(request.user),
        "contact_phone": need.contact_phone if full else mask_phone(need.contact_phone), "contact_full": full,
        "history": history_for(request.user, need, mask=None if full else {"contact_phone": mask_phone}),
        "transitions": {s: s in Need.TRANSITIONS[need.state] for s in ("published", "withdrawn", "closed")},
    })


@login_required
def need_create(request):
    require_posting_rights(request.user)
    publish = "publish" in request.POST
    form = NeedForm(request.POST or None, user=request.user, publishing=publish)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        require_post_need_for(request.user, fields["conference"], fields["owner"])
        ok, need = run_service(form, services.post_need, request.user, publish=publish, **fields)
        if ok:
            messages.success(request, "需求已发布。" if publish else "需求已保存为草稿。")
            return hx_location(request, need.get_absolute_url())
    return render(request, "lists/need_form.html", {"form": form, "need": None})


@login_required
def need_edit(request, pk):
    need = get_need_for(request.user, pk, write=True)
    if need.state not in (Need.State.DRAFT, Need.State.PUBLISHED):
        messages.error(request, f"需求已{need.get_state_display()}，不能再修改。")
        return redirect(need)
    form = NeedForm(request.POST or None, instance=need, user=request.user,
                    publishing=need.state == Need.State.PUBLISHED)
    if need.state == Need.State.PUBLISHED:
        for name in ("conference", "owner", "source"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if not form.fields[name].disabled}
        ok, _changes = run_service(form, services.update_need, request.user, need, **changed)
        if ok:
            messages.success(request, "需求已更新。")
            return hx_location(request, need.get_absolute_url())
    return render(request, "lists/need_form.html", {"form": form, "need": need})


def _need_action(request, pk, action):
    need = get_need_for(request.user, pk, write=True)
    with refusal_as_message(request):
        action(need)
    return hx_location(request, need.get_absolute_url())


@require_POST
@login_required
def need_publish(request, pk):
    def act(need):
        services.publish_need(request.user, need)
        messages.success(request, "需求已发布。")
    return _need_action(request, pk, act)


@require_POST
@login_required
def need_withdraw(request, pk):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def act(need):
        services.withdraw_need(request.user, need, reason=reason)
        messages.success(request, "需求已撤回。")
    return _need_action(request, pk, act)


def _confirm(request, *, heading, subject, consequence, confirm_label, back, ask_reason=False):
    """The question asked before an action that cannot be undone: a page of its own (GET), so it
    works without JavaScript; the form on it posts to the same URL, which does it."""
    return render(request, "lists/confirm_action.html", {
        "heading": heading, "subject": subject, "consequence": consequence, "confirm_label": confirm_label,
        "back": back, "action": request.path, "ask_reason": ask_reason,
    })


@require_http_methods(["GET", "POST"])
@login_required
def need_close(request, pk):
    if request.method == "GET":
        need = get_need_for(request.user, pk, write=True)
        return _confirm(request, heading="关闭需求？", subject=need.title, back=need.get_absolute_url(),
                        consequence="关闭后不能再认领、不能重新打开；已登记的认领和交付记录会保留。", confirm_label="确定关闭")

    def act(need):
        services.close_need(request.user, need)
        messages.success(request, "需求已关闭。")
    return _need_action(request, pk, act)


@login_required
def need_pair(request, pk):
    need = get_need_for(request.user, pk, write=True)
    form = PairForm(request.POST or None, need=need)
    if request.method == "POST" and form.is_valid():
        ok, _pairs = run_service(form, services.pair_need, request.user, need, units=form.cleaned_data["units"],
                                 until=form.cleaned_data["until"])
        if ok:
            messages.success(request, "结对优先认领已设置。")
            return hx_location(request, need.get_absolute_url())
    return render(request, "lists/pair_form.html", {"form": form, "need": need})


@login_required
def need_claim(request, pk):
    """One click from the hall (htmx, returns the card) or the full claim form on its own page."""
    need = get_need_for(request.user, pk)
    units = claimant_units_for(request.user, need.conference_id).exclude(pk=need.owner_id)
    require(request.user, units.exists())
    card = request.POST.get("partial") == "card" and is_htmx(request)
    form = ClaimForm(request.POST or None, need=need, units=units)
    if request.method == "POST":
        if form.is_valid():
            ok, claim = run_service(form, services.claim_need, request.user, need, **form.service_kwargs())
            if ok:
                message = f"{claim.unit}已认领 {claim.quantity}{need.quantity_unit}。"
                if card:
                    return _need_card(request, need, message=message)
                messages.success(request, message)
                return hx_location(request, need.get_absolute_url())
        if card:
            errors = [e for errs in form.errors.values() for e in errs]
            return _need_card(request, need, error="；".join(errors))
    return render(request, "lists/claim_form.html", {"form": form, "need": need})


@require_http_methods(["GET", "POST"])
@login_required
def claim_cancel(request, pk):
    claim = get_claim_for(request.user, pk, write=True)
    if request.method == "GET":
        return _confirm(request, heading="撤回认领？", subject=f"{claim.unit.name} · {claim.need.title}",
                        back=reverse("lists:need_detail", args=[claim.need_id]), ask_reason=True,
                        consequence="撤回后这份认领不能恢复，需求方会收到通知，认领的数量退回需求；如需再做，请重新认领。",
                        confirm_label="确定撤回认领")
    form = ReasonForm(request.POST)
    with refusal_as_message(request):
        services.cancel_claim(request.user, claim, reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, "认领已撤回。")
    return hx_location(request, reverse("lists:need_detail", args=[claim.need_id]))


@require_http_methods(["GET", "POST"])
@login_required
def claim_end(request, pk):
    claim = get_claim_for(request.user, pk, write=True)
    if request.method == "GET":
        return _confirm(request, heading="结束长效认领？", subject=f"{claim.unit.name} · {claim.need.title}",
                        back=reverse("lists:need_detail", args=[claim.need_id]),
                        consequence="结束后不再排新的交付期次，已交付的记录保留；结束后不能恢复，如需继续请重新认领。",
                        confirm_label="确定结束")
    with refusal_as_message(request):
        services.end_claim(request.user, claim)
        messages.success(request, "长效认领已结束。")
    return hx_location(request, reverse("lists:need_detail", args=[claim.need_id]))


# --------------------------------------------------------------------------------------------
# Deliveries (one click each, htmx returns the delivery's own line)
# --------------------------------------------------------------------------------------------


def _delivery_response(request, delivery: Delivery, *, error: str = "", message: str = ""):
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        elif message:
            messages.success(request, message)
        return redirect(delivery.get_absolute_url())
    delivery = Delivery.objects.select_related("claim__need", "claim__unit").get(pk=delivery.pk)
    attach_delivery_rights(request.user, delivery)
    delivery.overdue = delivery.is_overdue()
    response = render(request, "lists/_delivery.html", {
        "delivery": delivery, "row_error": error, "row_message": message, "show_need": request.POST.get("show_need"),
    })
    if message:
        response["HX-Trigger"] = "deliveries-changed"  # the page's counts fetch themselves again
    return response


@require_POST
@login_required
def delivery_record(request, pk):
    delivery = get_delivery_for(request.user, pk, action="record")
    form = DeliveryForm(request.POST)
    if form.is_valid():
        ok, _changes = run_service(form, services.record_delivery, request.user, delivery, **form.values())
        if ok:
            return _delivery_response(request, delivery, message="已登记交付，等待需求方确认。")
    return _delivery_response(request, delivery, error="；".join(e for errs in form.errors.values() for e in errs))


@require_POST
@login_required
def delivery_confirm(request, pk):
    delivery = get_delivery_for(request.user, pk, action="confirm")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _delivery_response(request, delivery, error="；".join(e for errs in form.errors.values() for e in errs))
    try:
        services.confirm_delivery(request.user, delivery, rating=form.cleaned_data["rating"],
                                  comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        return _delivery_response(request, delivery, error="；".join(exc.messages))
    return _delivery_response(request, delivery, message="已确认。")


@require_POST
@login_required
def delivery_rate(request, pk):
    delivery = get_delivery_for(request.user, pk, action="confirm")
    form = RateForm(request.POST)
    if not form.is_valid():
        return _delivery_response(request, delivery, error="请选择 1 到 5 分。")
    try:
        services.rate_delivery(request.user, delivery, rating=form.cleaned_data["rating"],
                               comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        return _delivery_response(request, delivery, error="；".join(exc.messages))
    return _delivery_response(request, delivery, message="感谢评价。")


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------


def resource_list(request):
    form = ResourceFilterForm(request.GET or None, conferences=conferences_visible_to(request.user))
    resources = resources_visible_to(request.user).filter(state=Resource.State.OFFERED)
    if form.is_valid():
        values = bound_values(form.cleaned_data, ("q", "conference", "category", "kind", "area"))
        resources = ResourceFilterSet(values, queryset=resources).qs
    resources = resources.select_related("conference", "unit", "category").prefetch_related("areas").order_by("-created_at", "-id")
    page = paginate(request, resources, per_page=20)
    if is_insider(request.user):
        full = resources_with_full_contact(request.user, page.object_list)
        for r in page.object_list:
            r.contact_phone_shown = r.contact_phone if r.pk in full else mask_phone(r.contact_phone)
        record_personal_data_view(request.user, [r for r in page.object_list if r.pk in full and r.contact_phone],
                                  ["contact_phone"])
    return render(request, "lists/resource_list.html", {
        "form": form, "page": page, "show_contact": is_insider(request.user),
        "can_offer": can_offer_resources(request.user),
    })


def resource_detail(request, pk):
    resource = get_resource_for(request.user, pk)
    insider = is_insider(request.user)
    claims = (resource.claims.exclude(state=Claim.State.CANCELLED).select_related("need", "unit").order_by("-created_at")[:20]
              if insider else [])
    full = bool(resources_with_full_contact(request.user, [resource]))
    if full and resource.contact_phone:
        record_personal_data_view(request.user, [resource], ["contact_phone"])
    return render(request, "lists/resource_detail.html", {
        "resource": resource, "areas": resource.areas.all(), "claims": claims, "show_contact": insider,
        "contact_phone": resource.contact_phone if full else mask_phone(resource.contact_phone), "contact_full": full,
        "can_edit": can_edit_resource(request.user, resource),
        "history": history_for(request.user, resource, mask=None if full else {"contact_phone": mask_phone}),
    })


@login_required
def resource_create(request):
    require_posting_rights(request.user)
    if not can_offer_resources(request.user):
        # No unit to offer from: explain instead of showing a form that cannot be saved.
        units = Unit.objects.filter(pk__in=units_acted_for(request.user)).order_by("name")
        return render(request, "lists/resource_unavailable.html", {"units": units})
    form = ResourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        require_offer_for(request.user, fields["unit"], fields["conference"])
        ok, resource = run_service(form, services.offer_resource, request.user, areas=form.cleaned_data["areas"],
                                   **fields)
        if ok:
            messages.success(request, "资源已发布。")
            return hx_location(request, resource.get_absolute_url())
    return render(request, "lists/resource_form.html", {"form": form, "resource": None})


@login_required
def resource_edit(request, pk):
    resource = get_resource_for(request.user, pk, write=True)
    form = ResourceForm(request.POST or None, instance=resource, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = {n: form.cleaned_data[n] for n in form.changed_data if n not in ("areas", "unit", "conference")}
        areas = form.cleaned_data["areas"] if "areas" in form.changed_data else None
        ok, _changes = run_service(form, services.update_resource, request.user, resource, areas=areas, **changed)
        if ok:
            messages.success(request, "资源已更新。")
            return hx_location(request, resource.get_absolute_url())
    return render(request, "lists/resource_form.html", {"form": form, "resource": resource})


@require_http_methods(["GET", "POST"])
@login_required
def resource_state(request, pk, action):
    resource = get_resource_for(request.user, pk, write=True)
    service = {"withdraw": services.withdraw_resource, "reoffer": services.reoffer_resource}.get(action)
    if service is None or (request.method == "GET" and action != "withdraw"):
        raise Http404
    if request.method == "GET":
        return _confirm(request, heading="撤回资源？", subject=resource.title, back=resource.get_absolute_url(),
                        consequence="撤回后这项资源不再出现在资源清单和推荐匹配中；以后可以在资源页点“重新发布”恢复。",
                        confirm_label="确定撤回")
    with refusal_as_message(request):
        service(request.user, resource)
        messages.success(request, "资源已撤回。要恢复，点“重新发布”。" if action == "withdraw" else "资源已重新发布。")
    return hx_location(request, resource.get_absolute_url())


# --------------------------------------------------------------------------------------------
# The liaison's inbox
# --------------------------------------------------------------------------------------------

INBOX_LIMIT = 20


def _fitting_needs(own: set[int], claimed: set[int]) -> list[Need]:
    """Open needs my units' offered resources fit (category, and the street or a neighbourhood of
    it that a resource serves) in the conferences my units belong to; not my own needs, nor the
    ``claimed`` ones my units already hold an active claim on. The categories, areas and
    conferences are read first as short lists, so the needs query is one index range per
    conference (``need_conf_open_order``) with no subquery to re-check per row; a unit that offers
    nothing costs one query."""
    offered = Resource.objects.filter(unit_id__in=own, state=Resource.State.OFFERED).order_by()
    categories = set(offered.values_list("category_id", flat=True))
    if not categories:
        return []
    served = Resource.areas.through.objects.filter(resource__in=offered).values("area_id")
    areas = list(Area.objects.filter(Q(pk__in=served) | Q(parent_id__in=served)).values_list("pk", flat=True))
    conferences = set(Membership.objects.current().filter(unit_id__in=own).values_list("conference_id", flat=True))
    if not areas or not conferences:
        return []
    return list(
        Need.objects.open().filter(conference_id__in=conferences, category_id__in=categories, area_id__in=areas)
        .exclude(owner_id__in=own).exclude(pk__in=claimed)
        .select_related("conference", "owner", "category", "area")
        .order_by("-urgency", "deadline", "-published_at")[:INBOX_LIMIT]
    )


@login_required
def inbox(request):
    """我的待办: needs my resources fit, invitations and requests to my unit, my claims, deliveries
    due or overdue, deliveries waiting for my confirmation, my open needs."""
    require_unit_account(request.user)
    own = units_acted_for(request.user)
    today = timezone.localdate()
    # The active claims my units lead or share in, as two short id lists read from their indexes
    # (claim_unit_state_created, claimshare_unit_claim): a unit holds a handful. An OR of the two
    # as a subquery made PostgreSQL walk every scheduled delivery due within 14 days (and every
    # active claim for the count) checking each against it: 20–25 ms each at city scale.
    led = list(Claim.objects.filter(unit_id__in=own, state=Claim.State.ACTIVE).order_by().values_list("pk", "need_id"))
    shared = (ClaimShare.objects.filter(unit_id__in=own, claim__state=Claim.State.ACTIVE).order_by()
              .values_list("claim_id", flat=True))
    active_ids = {pk for pk, _ in led} | set(shared)
    my_claims = (Claim.objects.filter(pk__in=active_ids)
                 .select_related("need", "need__owner", "unit").order_by("-created_at", "-id"))
    page = paginate(request, my_claims, per_page=INBOX_LIMIT)

    due = (Delivery.objects.filter(claim_id__in=active_ids, state=Delivery.State.SCHEDULED,
                                   due_on__lte=today + datetime.timedelta(days=14))
           .select_related("claim__need", "claim__unit").order_by("due_on", "id"))
    due_list = list(due[:INBOX_LIMIT])
    to_confirm = list(Delivery.objects.filter(state=Delivery.State.DELIVERED, claim__need__owner_id__in=own)
                      .select_related("claim__need", "claim__unit").order_by("delivered_on", "id")[:INBOX_LIMIT])
    for d in due_list:
        d.can_record, d.can_confirm, d.overdue = True, False, d.due_on < today
    for d in to_confirm:
        d.can_record, d.can_confirm, d.overdue = False, True, False

    asked = (BurdenRequest.objects.filter(unit_id__in=own, state__in=[BurdenRequest.State.SENT, BurdenRequest.State.BATCHED],
                                          asked_at__isnull=False)
             .select_related("unit", "digest").order_by("-asked_at", "-id"))
    invitations = list(asked.filter(kind=BurdenRequest.Kind.INVITATION)[:INBOX_LIMIT])
    requests = list(asked.exclude(kind=BurdenRequest.Kind.INVITATION)[:INBOX_LIMIT])

    fitting = _fitting_needs(own, claimed={need_id for _, need_id in led})
    _attach_claim_options(request.user, fitting)
    my_needs = list(Need.objects.filter(owner_id__in=own).exclude(
        state__in=[Need.State.CLOSED, Need.State.WITHDRAWN, Need.State.EXPIRED, Need.State.CONFIRMED])
        .select_related("category", "area").order_by("-created_at")[:INBOX_LIMIT])
    return render(request, "lists/inbox.html", {
        "page": page, "due": due_list, "to_confirm": to_confirm, "invitations": invitations, "requests": requests,
        "fitting": fitting, "my_needs": my_needs, "today": today, "show_contact": True,
        "is_liaison": is_liaison(request.user),
        "units": Unit.objects.filter(pk__in=own).order_by("name"),
    })


@login_required
def confirmations(request):
    """待确认的交付: a grassroots unit's first page — what was delivered and waits for its
    confirmation (confirm and rate in two taps), with counts of what is waiting."""
    require_unit_account(request.user)
    own = units_acted_for(request.user)
    waiting, unrated, counts = _confirmation_counts(own)
    rows = list(waiting.select_related("claim__need", "claim__unit").order_by("delivered_on", "id")[:INBOX_LIMIT])
    rows += list(unrated.select_related("claim__need", "claim__unit").order_by("-confirmed_on", "-id")[:INBOX_LIMIT])
    for d in rows:
        d.can_record, d.can_confirm, d.overdue = False, True, False
    return render(request, "lists/confirmations.html", {
        "rows": rows, "counts": counts, "units": Unit.objects.filter(pk__in=own).order_by("name"),
    })


def _confirmation_counts(own):
    waiting = Delivery.objects.filter(state=Delivery.State.DELIVERED, claim__need__owner_id__in=own)
    unrated = Delivery.objects.filter(state=Delivery.State.CONFIRMED, rating__isnull=True,
                                      claim__need__owner_id__in=own)
    counts = {
        "to_confirm": waiting.count(),
        "to_rate": unrated.count(),
        "open_needs": Need.objects.filter(owner_id__in=own).exclude(state__in=[
            Need.State.CLOSED, Need.State.WITHDRAWN, Need.State.EXPIRED, Need.State.CONFIRMED]).count(),
    }
    return waiting, unrated, counts


@login_required
def confirmation_counts(request):
    """The counts at the top of 待确认的交付, fetched again after a confirmation or a rating made
    in place (htmx), so the page never shows a stale figure."""
    require_unit_account(request.user)
    _waiting, _unrated, counts = _confirmation_counts(units_acted_for(request.user))
    return render(request, "lists/_confirmation_counts.html", {"counts": counts})


# --------------------------------------------------------------------------------------------
# The secretariat's overview
# --------------------------------------------------------------------------------------------

STREET_NAME = Case(
    When(area__kind="neighbourhood", then=F("area__parent__name")), default=F("area__name"),
)


def _rate(fulfilled, total):
    return round(100 * fulfilled / total, 1) if total else None


OVERVIEW_OPEN = {Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED}
OVERVIEW_CLAIMED = {Need.State.CLAIMED, Need.State.IN_DELIVERY}


def _state_counts(pairs) -> dict:
    """``{total, open, claimed, fulfilled, expired}`` from ``(state, n)`` pairs."""
    counts = {"total": 0, "open": 0, "claimed": 0, "fulfilled": 0, "expired": 0}
    for state, n in pairs:
        counts["total"] += n
        if state in OVERVIEW_OPEN:
            counts["open"] += n
        elif state in OVERVIEW_CLAIMED:
            counts["claimed"] += n
        elif state in Need.FULFILLED_STATES:
            counts["fulfilled"] += n
        elif state == Need.State.EXPIRED:
            counts["expired"] += n
    return counts


def _state_rows(rows, key: str, label) -> list[dict]:
    """Rows ``(group, state, n)`` → one dict per group with its counts and rate, largest first
    (then by name), as the overview's tables list them."""
    groups: dict = {}
    for group, state, n in rows:
        groups.setdefault(group, []).append((state, n))
    out = []
    for group, pairs in groups.items():
        row = {key: label(group), **_state_counts(pairs)}
        row["rate"] = _rate(row["fulfilled"], row["total"])
        out.append(row)
    out.sort(key=lambda r: (-r["total"], r[key] is None, r[key] or ""))
    return out


@login_required
def overview(request):
    """清单总览: open, claimed, overdue and the fulfilment rate by category and street — all
    aggregate queries over the conferences this user runs."""
    require_manager(request.user)
    conferences = managed_conferences(request.user).order_by("id")
    # One conference at a time by default (the first one this user runs); "all" on request.
    wanted = request.GET.get("conference") or ""
    conference = None
    if wanted != "all":
        wanted_id = id_param(request, "conference")
        conference = get_object_or_404(conferences, pk=wanted_id) if wanted_id else conferences.first()
    scope = [conference.pk] if conference else conferences.values("pk")
    needs = Need.objects.filter(conference_id__in=scope).exclude(state__in=[Need.State.DRAFT, Need.State.WITHDRAWN])
    # Two GROUP BY passes over the needs instead of four (states, totals, categories, streets):
    # counts per (category, state) give the states, the totals and the categories; counts per
    # (street, state) the streets. Grouping by the category id, not its joined name, also keeps
    # SQLite from re-reading the conference's needs once per category.
    per_category = list(needs.values_list("category_id", "state").annotate(n=Count("id")).order_by())
    per_street = list(needs.annotate(street=STREET_NAME).values_list("street", "state").annotate(n=Count("id"))
                      .order_by())
    names = dict(NeedCategory.objects.values_list("pk", "name"))
    states: dict[str, int] = {}
    for _category, state, n in per_category:
        states[state] = states.get(state, 0) + n
    by_category = _state_rows(per_category, "category__name", names.get)
    by_street = _state_rows(per_street, "street", lambda street: street)
    totals = _state_counts(states.items())
    totals["rate"] = _rate(totals["fulfilled"], totals["total"])
    deliveries = Delivery.objects.filter(conference_id__in=scope)
    today = timezone.localdate()
    overdue = (deliveries.overdue(today).select_related("claim__need", "claim__unit", "claim__need__owner")
               .order_by("due_on", "id"))
    # Exact: the total is the "逾期交付" figure (an index range on delivery_conf_state_due, small).
    page = paginate(request, overdue, per_page=20, exact=True)
    ratings = deliveries.aggregate(mean=Avg("rating"), n=Count("rating"))
    return render(request, "lists/overview.html", {
        "conferences": conferences, "conference": conference, "states": [
            (label, states.get(value, 0)) for value, label in Need.State.choices if value != Need.State.DRAFT
        ],
        "totals": totals, "by_category": by_category, "by_street": by_street, "page": page,
        "overdue_count": page.paginator.count, "ratings": ratings,
        "awaiting": BurdenRequest.objects.filter(state=BurdenRequest.State.AWAITING_APPROVAL,
                                                 unit__memberships__conference_id__in=scope).distinct().count(),
    })


# --------------------------------------------------------------------------------------------
# Excel in and out
# --------------------------------------------------------------------------------------------


@login_required
def excel_page(request):
    """Templates to download, imports (all or nothing, every bad row reported) and exports."""
    require_posting_rights(request.user)
    need_confs = posting_conferences(request.user, services.NeedRules()).order_by("id")
    resource_confs = offering_conferences(request.user).order_by("id")
    need_form = ImportForm(conferences=need_confs, prefix="needs")
    resource_form = ImportForm(conferences=resource_confs, prefix="resources")
    if request.method == "POST":
        which = request.POST.get("which")
        if which == "needs":
            need_form = ImportForm(request.POST, request.FILES, conferences=need_confs, prefix="needs")
            form = need_form
        elif which == "resources":
            resource_form = ImportForm(request.POST, request.FILES, conferences=resource_confs, prefix="resources")
            form = resource_form
        else:
            raise Http404
        if form.is_valid():
            upload, conference = form.cleaned_data["file"], form.cleaned_data["conference"]
            job = jobs.enqueue(request.user, f"lists.import_{which}", params={"conference": conference.pk},
                               payload=upload.read(), payload_name=upload.name,
                               title=f"导入{'需求' if which == 'needs' else '资源'}清单：{upload.name}")
            return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "lists/excel.html", {
        "need_form": need_form, "resource_form": resource_form,
        "need_conferences": need_confs, "resource_conferences": resource_confs,
        "export_conferences": managed_conferences(request.user).order_by("id"),
        "unit_export": bool(units_acted_for(request.user)),
    })


@login_required
def excel_template(request, which):
    require_posting_rights(request.user)
    if which == "needs":
        conference = get_object_or_404(posting_conferences(request.user, services.NeedRules()), pk=id_param(request, "conference") or 0)
        return xl.download(lists_excel.need_template(conference, request.user), f"{conference.display_name}需求清单模板.xlsx")
    if which == "resources":
        conference = get_object_or_404(offering_conferences(request.user), pk=id_param(request, "conference") or 0)
        return xl.download(lists_excel.resource_template(conference, request.user),
                           f"{conference.display_name}资源清单模板.xlsx")
    raise Http404


@login_required
def excel_export(request):
    """The three lists of one conference in the plenary layout (its managers, as a background job
    whose page offers the file); for a unit account without ``conference``, its own needs, resources
    and claims (a unit's few rows, made in the request)."""
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("conference"):
        require_unit_account(request.user)
        own = units_acted_for(request.user)
        today = timezone.localdate()
        wb = tables.tables_workbook(tables.unit_tables(own), caption=f"本单位（{today:%Y-%m-%d}）")
        return xl.download(wb, f"本单位需求资源认领{today:%Y%m%d}.xlsx")
    conference = get_object_or_404(conferences_visible_to(request.user), pk=id_param(request, "conference", source=source) or 0)
    require_manager(request.user, conference.pk)
    if request.method != "POST":
        # A conference's lists can run to hundreds of thousands of rows: the file is made by a
        # background job, started from the export buttons (a POST); a bare link lands there.
        return redirect("lists:excel")
    job = jobs.enqueue(request.user, "lists.export_plenary", params={"conference": conference.pk},
                       key=lists_jobs.export_key(conference.pk, request.user.pk),
                       title=f"导出三张清单：{conference.display_name}")
    return redirect("jobs:job_detail", pk=job.pk)


# --------------------------------------------------------------------------------------------
# Snapshots released at plenaries
# --------------------------------------------------------------------------------------------


def _snapshots_visible_to(user):
    require_insider(user)
    return ListSnapshot.objects.filter(conference__in=conferences_visible_to(user))


def _snapshot_data_for(user, snapshot) -> dict:
    """The frozen tables as this reader may see them: contact phones in full (and the view
    audited) for the conference's managers, masked for everyone else."""
    if not may_see_snapshot_contacts(user, snapshot):
        return tables.mask_contacts(snapshot.data)
    if tables.contact_phones_count(snapshot.data):
        record_personal_data_view(user, [snapshot], ["contact_phone"])
    return snapshot.data


@login_required
def snapshot_list(request):
    snapshots = _snapshots_visible_to(request.user).select_related("conference", "agenda_item__meeting").order_by("-taken_at")
    page = paginate(request, snapshots, per_page=20)
    releasable = []
    if can_manage_any_conference(request.user):
        from lianxi.meetings.models import AgendaItem

        items = AgendaItem.objects.filter(kind=AgendaItem.Kind.RELEASE, list_snapshots__isnull=True).select_related("meeting")
        items = filter_managed(request.user, items, "meeting__conference_id")
        releasable = list(items.order_by("-meeting__date", "order")[:50])
    return render(request, "lists/snapshot_list.html", {
        "page": page, "releasable": releasable, "can_release": can_manage_any_conference(request.user)})


@login_required
def snapshot_detail(request, pk):
    snapshot = get_object_or_404(_snapshots_visible_to(request.user).select_related("conference", "agenda_item__meeting"), pk=pk)
    data = _snapshot_data_for(request.user, snapshot)
    shown = [data.get(k) for k in ("needs", "resources", "projects") if data.get(k)]
    return render(request, "lists/snapshot_detail.html", {"snapshot": snapshot, "tables": shown})


@login_required
def snapshot_export(request, pk):
    snapshot = get_object_or_404(_snapshots_visible_to(request.user), pk=pk)
    wb = tables.tables_workbook(_snapshot_data_for(request.user, snapshot), caption=snapshot.title)
    return xl.download(wb, f"{snapshot.title}.xlsx")


@require_POST
@login_required
def snapshot_freeze(request):
    from lianxi.meetings.models import AgendaItem

    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=id_param(request, "agenda_item", source=request.POST) or 0)
    require_insider(request.user)
    require_manager(request.user, (item.concerns_conference_id or item.meeting.conference_id))
    try:
        snapshot = services.freeze_lists(request.user, item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return hx_location(request, reverse("lists:snapshot_list"))
    messages.success(request, "清单已定稿。")
    return hx_location(request, snapshot.get_absolute_url())

