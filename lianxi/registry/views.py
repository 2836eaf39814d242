"""Pages of the registry: conference home and tree, units, people and posts, the rotation roster.

Each view is gate → form → service → redirect. Lists are filtered and paginated in SQL, and
related rows come in with select_related/prefetch so no page issues a query per row."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Value,
    When,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from lianxi.accounts import services as account_services
from lianxi.audit.words import readable
from lianxi.lib.forms import run_service, save_or_show
from lianxi.lib.htmx import hx_location, is_htmx, next_url, render_page_or_partial
from lianxi.lib.pagination import paginate
from lianxi.lib.params import id_param, text_param
from lianxi.registry import picks, services
from lianxi.registry.filters import UnitFilterSet
from lianxi.registry.forms import (
    AppointmentEndForm,
    AppointmentForm,
    AppointmentReplaceForm,
    CommitteeForm,
    ConferenceForm,
    DeleteForm,
    GrantForm,
    MembershipEndForm,
    MembershipForm,
    PersonForm,
    PlaqueForm,
    UnitForm,
    person_labels,
)
from lianxi.registry.gates import (
    can_create_person,
    can_manage_any_conference,
    can_manage_conference,
    conferences_visible_to,
    get_appointment_for,
    get_committee_for,
    get_conference_for,
    get_grant_for,
    get_membership_for,
    get_person_for,
    get_unit_for,
    grant_history,
    grants_visible_to,
    insiders_only,
    people_visible_to,
    require,
    require_grant,
    require_grant_admin,
    require_manage_any_conference,
    units_visible_to,
)
from lianxi.registry.models import Appointment, Conference, Membership, Unit
from lianxi.registry.queries import ROLE_RANK, current_member_count


def _form_page(request, form, *, title, back_url, breadcrumbs=(), intro="", status=200, submit=None):
    return render(request, "registry/form.html", {
        "form": form, "title": title, "back_url": back_url, "breadcrumbs": breadcrumbs, "intro": intro,
        "submit": submit,
    }, status=status)


def _form_view(request, form, call, *, done, field_map=None, **page):
    """A registry form page that writes through a service (``save_or_show`` drawn by ``_form_page``)."""
    return save_or_show(request, form, call, done=done, field_map=field_map,
                        show=lambda status: _form_page(request, form, status=status, **page))


# ---------------------------------------------------------------------------------------------
# Conferences


def url_for_pk(name: str):
    """``pk → URL`` of a view taking one ``pk``, with ``reverse()`` run once instead of once per row."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def conference_rows(conferences: list[Conference]) -> list[dict]:
    """The conference tree as one list in display order (depth first, children by id), each row
    with its depth and the markup that follows it: ``<ul>`` when the next row is its child, else
    ``</li>`` and one ``</ul></li>`` per level the next row climbs. A template renders the nested
    lists with one loop (item 19 of docs/benchmarks.md: one include per node cost 60–75 ms at city
    scale). A conference whose parent this user may not see is shown at the top level."""
    by_id = {c.pk: c for c in conferences}
    children: dict[int | None, list] = {}
    became: dict[int, list] = {}
    for c in sorted(conferences, key=lambda c: c.pk):
        if c.upgraded_from_id:
            became.setdefault(c.upgraded_from_id, []).append(c)
        children.setdefault(c.parent_id if c.parent_id in by_id else None, []).append(c)

    ordered: list[tuple[Conference, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    seen = set()
    while stack:
        c, depth = stack.pop()
        if c.pk in seen:  # a cycle would be a data error; never loop on it
            continue
        seen.add(c.pk)
        ordered.append((c, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(c.pk, [])))

    detail_url = url_for_pk("registry:conference_detail")
    kinds = {value: str(label) for value, label in Conference.Kind.choices}
    statuses = {value: str(label) for value, label in Conference.Status.choices}
    members_text = _("成员单位 %(n)s 家")
    founded_text = _("%(d)s 成立")
    rows = []
    for i, (c, depth) in enumerate(ordered):
        next_depth = ordered[i + 1][1] if i + 1 < len(ordered) else 0
        if next_depth > depth:
            after = mark_safe("<ul>")
        else:
            after = mark_safe("</li>" + "</ul></li>" * (depth - next_depth))
        rows.append({
            "conference": c,
            "depth": depth,
            "url": detail_url(c.pk),
            "kind": kinds.get(c.kind, c.kind),
            "status": statuses.get(c.status, c.status),
            "became": [(detail_url(b.pk), b.display_name) for b in became.get(c.pk, [])]
            if c.status == Conference.Status.SUPERSEDED else [],
            "members": members_text % {"n": c.member_count},
            # isoformat() is the date filter's "Y-m-d", at a tenth of the cost.
            "founded": founded_text % {"d": c.founded_on.isoformat()} if c.founded_on else "",
            "after": after,
        })
    return rows


def conference_list(request):
    conferences = list(
        conferences_visible_to(request.user)
        .only("name", "short_name", "kind", "status", "is_public", "founded_on", "parent_id", "upgraded_from_id")
        .annotate(member_count=current_member_count())
        .order_by("id")
    )
    return render(request, "registry/conference_list.html", {
        "rows": conference_rows(conferences), "count": len(conferences),
        "can_create": can_manage_any_conference(request.user),
    })


@login_required
def conference_create(request):
    require_manage_any_conference(request.user)
    form = ConferenceForm(request.POST or None, user=request.user,
                          initial={"parent": request.GET.get("parent"), "kind": Conference.Kind.AREA})
    return _form_view(request, form, lambda: services.create_conference(request.user, **form.values()),
                      done=lambda conference: reverse("registry:conference_detail", args=[conference.pk]),
                      title=_("新建联席会议"), back_url=reverse("registry:conference_list"))


@login_required
def conference_edit(request, pk):
    conference = get_conference_for(request.user, pk, write=True)
    form = ConferenceForm(request.POST or None, user=request.user, instance=conference)
    back = reverse("registry:conference_detail", args=[conference.pk])
    return _form_view(request, form, lambda: services.update_conference(request.user, conference, **form.values()),
                      done=back, title=_("编辑 %(name)s") % {"name": conference.display_name}, back_url=back,
                      breadcrumbs=[(conference.display_name, back)])


@login_required
def committee_add(request, pk):
    conference = get_conference_for(request.user, pk, write=True)
    form = CommitteeForm(request.POST or None)
    back = reverse("registry:conference_detail", args=[conference.pk])
    return _form_view(request, form,
                      lambda: services.create_committee(request.user, conference=conference, **form.values()),
                      done=back, title=_("%(name)s · 新建专委会") % {"name": conference.display_name}, back_url=back,
                      breadcrumbs=[(conference.display_name, back)])


@login_required
def committee_edit(request, pk):
    committee = get_committee_for(request.user, pk, write=True)
    conference, name = committee.conference, committee.name
    form = CommitteeForm(request.POST or None, instance=committee)
    back = reverse("registry:conference_detail", args=[conference.pk])
    return _form_view(request, form, lambda: services.update_committee(request.user, committee, **form.values()),
                      done=back, title=_("编辑专委会：%(name)s") % {"name": name}, back_url=back,
                      breadcrumbs=[(conference.display_name, back)])


def _delete_page(request, form, *, title, back_url, breadcrumbs, intro, reasons=(), status=200):
    """Confirm a deletion, or say why it may not be done (then no button is offered)."""
    return render(request, "registry/confirm_delete.html", {
        "form": form, "title": title, "back_url": back_url, "breadcrumbs": breadcrumbs, "intro": intro,
        "reasons": list(reasons),
    }, status=status)


@login_required
def committee_delete(request, pk):
    committee = get_committee_for(request.user, pk, write=True)
    conference = committee.conference
    back = reverse("registry:conference_detail", args=[conference.pk])
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, _changes = run_service(form, services.delete_committee, request.user, committee)
        if ok:
            return hx_location(request, back)
    return _delete_page(request, form, title=_("删除专委会：%(name)s") % {"name": committee.name}, back_url=back,
                        breadcrumbs=[(conference.display_name, back)],
                        intro=_("删除后该专委会不再显示，删除操作记入审计日志。"),
                        status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Units


def _unit_filters(request):
    # The chosen conference and area only: the rest are found by typing (registry.picks), not
    # rendered as hundreds of <option>s on every request.
    return {
        "categories": Unit.Category.choices,
        "chosen_conference": picks.chosen_conference(request.user, id_param(request, "conference")),
        "chosen_area": picks.chosen_area(id_param(request, "area")),
    }


@vary_on_headers("HX-Request")  # the same URL serves a page or its htmx partial
def unit_list(request):
    user = request.user
    visible_conferences = conferences_visible_to(user)
    units = UnitFilterSet(request.GET, queryset=units_visible_to(user).select_related("area"), request=request).qs
    q = text_param(request, "q")
    category = request.GET.get("category", "")
    conference_id = id_param(request, "conference")
    area_id = id_param(request, "area")
    party = request.GET.get("party", "")
    units = units.prefetch_related(Prefetch(
        "memberships",
        queryset=Membership.objects.current().filter(conference__in=visible_conferences)
        .select_related("conference").order_by("conference_id"),
        to_attr="current_memberships",
    ))
    page = paginate(request, units)
    context = {
        "page": page, "q": q, "category": category, "conference_id": conference_id, "area_id": area_id,
        "party": party, "can_create": can_manage_any_conference(user), **_unit_filters(request),
    }
    return render_page_or_partial(request, "registry/unit_list.html", "registry/_unit_results.html", context)


@login_required
def unit_create(request):
    require_manage_any_conference(request.user)
    form = UnitForm(request.POST or None, user=request.user, initial={"conference": request.GET.get("conference")})
    if request.method == "POST" and form.is_valid():
        ok, unit = run_service(form, _create_and_admit, request.user, form)
        if ok:
            conference = form.cleaned_data.get("conference")
            messages.success(request, _("已新建单位 %(unit)s，并加入 %(conference)s。") % {
                "unit": unit.name, "conference": conference.name} if conference else _("已新建单位 %(unit)s。") % {
                "unit": unit.name})
            return hx_location(request, reverse("registry:unit_detail", args=[unit.pk]))
    return _form_page(request, form, title=_("新建单位"), back_url=reverse("registry:unit_list"),
                      status=400 if form.errors else 200)


@transaction.atomic
def _create_and_admit(actor, form):
    """Create the unit and admit it in one transaction: a refused admission saves no unit."""
    unit = services.create_unit(actor, **form.values())
    conference = form.cleaned_data.get("conference")
    if conference is not None:
        try:
            services.admit_unit(actor, unit=unit, conference=conference, start=form.cleaned_data.get("start"))
        except ValidationError as error:
            # The admission's "unit" error is about the conference chosen on this form.
            raise ValidationError({"conference": error.messages}) from error
    return unit


@login_required
def unit_edit(request, pk):
    unit = get_unit_for(request.user, pk, write=True)
    form = UnitForm(request.POST or None, user=request.user, instance=unit)
    back = reverse("registry:unit_detail", args=[unit.pk])
    return _form_view(request, form, lambda: services.update_unit(request.user, unit, **form.values()),
                      done=back, title=_("编辑 %(name)s") % {"name": unit.name}, back_url=back,
                      breadcrumbs=[(unit.name, back)])


@login_required
def membership_add(request, pk):
    unit = get_unit_for(request.user, pk)
    require_manage_any_conference(request.user)
    form = MembershipForm(request.POST or None, user=request.user,
                          initial={"conference": request.GET.get("conference")})
    if request.method == "POST" and form.is_valid():
        ok, membership = run_service(form, services.admit_unit, request.user, unit=unit, **form.values(),
                                     field_map={"unit": "conference"})
        if ok:
            messages.success(request, _("%(unit)s 已加入 %(conference)s。") % {
                "unit": unit.name, "conference": membership.conference.name})
            return hx_location(request, reverse("registry:unit_detail", args=[unit.pk]))
    back = reverse("registry:unit_detail", args=[unit.pk])
    return _form_page(request, form, title=_("%(name)s 加入联席会议") % {"name": unit.name}, back_url=back,
                      breadcrumbs=[(unit.name, back)], status=400 if form.errors else 200)


@login_required
def membership_end(request, pk):
    membership = get_membership_for(request.user, pk, write=True)
    form = MembershipEndForm(request.POST or None)
    back = reverse("registry:unit_detail", args=[membership.unit_id])
    return _form_view(
        request, form, lambda: services.end_membership(request.user, membership, **form.cleaned_data),
        done=back, back_url=back,
        title=_("%(unit)s 退出 %(conference)s") % {
            "unit": membership.unit.name, "conference": membership.conference.display_name},
        breadcrumbs=[(membership.unit.name, back)], submit=_("确认退出"),
    )


@login_required
def membership_plaque(request, pk):
    """Record or correct the day a member unit was given its plaque, any time after admission."""
    membership = get_membership_for(request.user, pk, write=True)
    form = PlaqueForm(request.POST or None, initial={"plaque_awarded_on": membership.plaque_awarded_on})
    back = reverse("registry:unit_detail", args=[membership.unit_id])
    return _form_view(
        request, form,
        lambda: services.award_plaque(request.user, membership, form.cleaned_data["plaque_awarded_on"]),
        done=back, back_url=back,
        title=_("%(unit)s · %(conference)s 授牌日期") % {
            "unit": membership.unit.name, "conference": membership.conference.display_name},
        breadcrumbs=[(membership.unit.name, back)],
    )


@require_GET
def unit_suggest(request):
    """``<option>``s for a unit lookup box (htmx fills the box's ``<datalist>``)."""
    q = text_param(request, request.GET.get("field", "q"))
    units = units_visible_to(request.user).search(q).only("id", "name")[:15] if q else []
    return render(request, "registry/_options.html", {"options": [u.name for u in units]})


def _pick(request, *, param: str, title: str, options: list[tuple[int, str]], back: str):
    """A picker's answer: for htmx the matches as buttons (lianxi.js puts the chosen id into the
    filter's hidden input); without JavaScript a page whose links go back to ``next`` with
    ``?<param>=<id>`` (the list's own query contract, the page number dropped)."""
    if is_htmx(request):
        return render(request, "registry/_pick_options.html", {"options": options})
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    nxt = next_url(request, back)
    parts = urlsplit(nxt)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (param, "page")]

    def link(value):
        query = urlencode(kept + ([(param, value)] if value else []))
        return urlunsplit(("", "", parts.path, query, ""))

    return render(request, "registry/pick_page.html", {
        "title": title, "term": text_param(request, "term"), "next": nxt, "all_url": link(""),
        "links": [(link(str(pk)), label) for pk, label in options],
    })


@require_GET
def conference_pick(request):
    """Conferences matching what the user typed, among those they may see."""
    options = picks.matching_conferences(request.user, text_param(request, "term"))
    return _pick(request, param="conference", title=_("选择联席会议"), options=options,
                 back=reverse("registry:unit_list"))


@require_GET
def area_pick(request):
    """Districts and streets matching what the user typed (area names are public)."""
    options = picks.matching_areas(text_param(request, "term"))
    return _pick(request, param="area", title=_("选择区域"), options=options, back=reverse("registry:unit_list"))


@require_GET
def person_suggest(request):
    q = text_param(request, request.GET.get("field", "q"))
    people = people_visible_to(request.user).search(q).select_related("unit")[:15] if q else []
    return render(request, "registry/_options.html", {"options": person_labels(list(people))})


# ---------------------------------------------------------------------------------------------
# People and posts


@vary_on_headers("HX-Request")  # the same URL serves a page or its htmx partial
@insiders_only
def person_list(request):
    user = request.user
    people = people_visible_to(user).select_related("unit").search(text_param(request, "q"))
    conference_id = id_param(request, "conference")
    role = request.GET.get("role", "")
    if conference_id or role in Appointment.Role.values:
        held = Appointment.objects.current().filter(person=OuterRef("pk"))
        if conference_id:
            held = held.filter(conference_id=conference_id)
        if role in Appointment.Role.values:
            held = held.filter(role=role)
        people = people.filter(Exists(held))
    people = people.prefetch_related(Prefetch(
        "appointments",
        queryset=Appointment.objects.current().select_related("conference").annotate(rank=ROLE_RANK)
        .order_by("rank", "conference_id"),
        to_attr="current_posts",
    ))
    page = paginate(request, people)
    context = {
        "page": page, "q": text_param(request, "q"), "conference_id": conference_id, "role": role,
        "roles": Appointment.Role.choices, "chosen_conference": picks.chosen_conference(user, conference_id),
        "can_create": can_create_person(user),
    }
    return render_page_or_partial(request, "registry/person_list.html", "registry/_person_results.html", context)




@insiders_only
def person_create(request):
    require(request.user, can_create_person(request.user))
    form = PersonForm(request.POST or None, user=request.user, initial={"unit": id_param(request, "unit")})
    return _form_view(request, form, lambda: services.create_person(request.user, **form.values()),
                      done=lambda person: reverse("registry:person_detail", args=[person.pk]),
                      title=_("新建人员"), back_url=reverse("registry:person_list"))


@insiders_only
def person_edit(request, pk):
    person = get_person_for(request.user, pk, write=True)
    form = PersonForm(request.POST or None, user=request.user, instance=person)
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_view(request, form, lambda: services.update_person(request.user, person, **form.values()),
                      done=back, title=_("编辑 %(name)s") % {"name": person.name}, back_url=back,
                      breadcrumbs=[(person.name, back)])


@insiders_only
def person_delete(request, pk):
    person = get_person_for(request.user, pk, write=True)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, _changes = run_service(form, services.delete_person, request.user, person)
        if ok:
            return hx_location(request, reverse("registry:person_list"))
    back = reverse("registry:person_detail", args=[person.pk])
    reasons = form.non_field_errors() if form.errors else services.person_deletion_blockers(person)
    return _delete_page(request, form, title=_("删除人员：%(name)s") % {"name": person.name}, back_url=back,
                        breadcrumbs=[(person.name, back)],
                        intro=_("仅用于删除误录入的人员。删除后不可恢复，删除操作记入审计日志。"),
                        reasons=reasons, status=400 if form.errors else 200)


@vary_on_headers("HX-Request")  # the same URL serves a page or its htmx partial
@insiders_only
def posts(request, pk):
    conference = get_conference_for(request.user, pk)
    appointments = Appointment.objects.filter(conference=conference).select_related(
        "person", "unit", "appointed_at", "ended_at"
    )
    role = request.GET.get("role", "")
    if role in Appointment.Role.values:
        appointments = appointments.filter(role=role)
    state = request.GET.get("state", "")
    if state == "current":
        appointments = appointments.current()
    elif state == "past":
        appointments = appointments.past()
    elif state == "future":
        appointments = appointments.future()
    today = datetime.date.today()
    # Current and future posts first within each role, then past ones, latest first.
    appointments = appointments.annotate(
        rank=ROLE_RANK,
        ended=Case(When(end__isnull=False, end__lte=today, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("rank", "ended", F("start").desc(nulls_last=True), "-id")
    page = paginate(request, appointments, per_page=100)
    for post in page.object_list:
        post.is_current = (post.start is None or post.start <= today) and (post.end is None or post.end > today)
        post.is_future = post.start is not None and post.start > today
    context = {
        "conference": conference, "page": page, "role": role, "state": state, "roles": Appointment.Role.choices,
        "can_manage": can_manage_conference(request.user, conference.pk),
    }
    return render_page_or_partial(request, "registry/posts.html", "registry/_post_results.html", context)


@insiders_only
def appointment_add(request, pk):
    conference = get_conference_for(request.user, pk, write=True)
    initial = {"role": request.GET.get("role")}
    form = AppointmentForm(request.POST or None, user=request.user, conference=conference, initial=initial)
    back = reverse("registry:posts", args=[conference.pk])
    return _form_view(
        request, form, lambda: services.appoint(request.user, conference=conference, **form.values()),
        done=back, title=_("%(name)s · 任命") % {"name": conference.display_name}, back_url=back,
        breadcrumbs=[(conference.display_name, reverse("registry:conference_detail", args=[conference.pk])),
                     (_("职务"), back)],
    )


@insiders_only
def appointment_end(request, pk):
    appointment = get_appointment_for(request.user, pk, write=True)
    conference = appointment.conference
    form = AppointmentEndForm(request.POST or None, conference=conference)
    back = reverse("registry:posts", args=[conference.pk])
    return _form_view(
        request, form, lambda: services.end_appointment(request.user, appointment, **form.cleaned_data),
        done=back, title=_("结束任职：%(post)s") % {"post": f"{appointment.get_role_display()} {appointment.holder_label}"}, back_url=back,
        breadcrumbs=[(conference.display_name, reverse("registry:conference_detail", args=[conference.pk])),
                     (_("职务"), back)],
        submit=_("确认结束"),
    )


@insiders_only
def appointment_replace(request, pk):
    appointment = get_appointment_for(request.user, pk, write=True)
    conference = appointment.conference
    unit_only = appointment.role in Appointment.UNIT_ONLY_ROLES
    form = AppointmentReplaceForm(request.POST or None, user=request.user, conference=conference, unit_only=unit_only)

    def replace():
        data = form.cleaned_data
        return services.replace_appointment(request.user, appointment, on=data["on"], person=data.get("person"),
                                            unit=data.get("unit"), at_meeting=data.get("at_meeting"))

    back = reverse("registry:posts", args=[conference.pk])
    return _form_view(
        request, form, replace, done=back, field_map={"end": "on", "start": "on"}, title=_("交接：%(post)s") % {"post": f"{appointment.get_role_display()} {appointment.holder_label}"}, back_url=back,
        breadcrumbs=[(conference.display_name, reverse("registry:conference_detail", args=[conference.pk])),
                     (_("职务"), back)],
        submit=_("确认交接"),
    )
# ---------------------------------------------------------------------------------------------
# Role grants


@login_required
def grant_list(request):
    """角色授权: the district administrator gives and takes back roles, and reads who did what."""
    user = request.user
    require_grant_admin(user)
    form = GrantForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            require_grant(user, data["role"], data.get("conference"), data.get("unit"))
            ok, _grant = run_service(form, account_services.grant_role, user, user=data["username"],
                                     role=data["role"], conference=data.get("conference"), unit=data.get("unit"),
                                     field_map={"user": "username"})
            if ok:
                return hx_location(request, reverse("registry:grant_list"))
        status = 400
    grants = grants_visible_to(user).select_related("user", "conference", "unit").order_by("role", "user__username", "id")
    q = text_param(request, "q")
    if q:
        grants = grants.filter(user__username__icontains=q)
    page = paginate(request, grants, per_page=50)
    return render(request, "registry/grants.html", {
        "form": form, "page": page, "q": q, "history": readable(grant_history(user)), "show_target": True,
    }, status=status)


@login_required
@require_POST
def grant_revoke(request, pk):
    require_grant_admin(request.user)
    grant = get_grant_for(request.user, pk, write=True)
    account_services.revoke_role(request.user, grant)
    return hx_location(request, reverse("registry:grant_list"))
