"""Pages of projects: the list (filtered and paginated in SQL), a project's page, and the form the
managers of its conference use. gate → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from lianxi.accounts.gates import history_for
from lianxi.lib.forms import refusal_as_message, run_service
from lianxi.lib.htmx import hx_location, render_page_or_partial
from lianxi.lib.pagination import paginate
from lianxi.lib.params import id_param, text_param, year_param
from lianxi.lib.queries import count_subquery
from lianxi.meetings.gates import meetings_visible_to
from lianxi.projects import services
from lianxi.projects.filters import ProjectFilterSet
from lianxi.projects.forms import MilestoneForm, ProjectForm, ReportForm, TrackingForm
from lianxi.projects.gates import (
    get_attachment_for,
    get_project_for,
    get_report_project_for,
    projects_visible_to,
    showcase_projects,
)
from lianxi.projects.models import Attachment, Link, Project, TrackingStatus
from lianxi.registry.gates import (
    can_manage_any_conference,
    can_manage_conference,
    require_manage_any_conference,
    units_visible_to,
)
from lianxi.registry.models import Unit
from lianxi.registry.picks import chosen_conference


@vary_on_headers("HX-Request")  # the same URL serves a page or its htmx partial
def project_list(request):
    user = request.user
    visible = projects_visible_to(user)
    projects = (
        visible.select_related("conference", "lead_unit")
        .annotate(partner_count=count_subquery(Project.partner_units.through.objects.all(), "project"))
        .order_by("-year", "kind", "order", "id")
    )
    projects = ProjectFilterSet(request.GET, queryset=projects).qs
    conference_id = id_param(request, "conference")
    kind = request.GET.get("kind", "")
    year = year_param(request)
    link = request.GET.get("link", "")
    q = text_param(request, "q")
    page = paginate(request, projects)
    # The year filter offers the span of years, from two index lookups (MIN/MAX on the ordering
    # index) rather than a DISTINCT over every visible project (~25 ms at city scale).
    span = visible.aggregate(first=Min("year"), last=Max("year"))
    years = range(span["last"], span["first"] - 1, -1) if span["first"] is not None else range(0)
    context = {
        "page": page, "q": q, "conference_id": conference_id, "kind": kind, "year": year, "link": link,
        "kinds": Project.Kind.choices, "links": Link.choices,
        "years": years,
        "chosen_conference": chosen_conference(user, conference_id),
        "can_create": can_manage_any_conference(user),
    }
    return render_page_or_partial(request, "projects/project_list.html", "projects/_project_results.html", context)


def project_detail(request, pk):
    user = request.user
    project = get_project_for(user, pk)
    project = Project.objects.select_related(
        "conference", "lead_unit", "released_at__meeting__conference", "awarded_at__meeting__conference"
    ).get(pk=project.pk)
    visible_units = units_visible_to(user)
    # The project's few partners first, then which of them the user may see: filtering the partners
    # by a subquery of every visible unit made SQLite build that list (~92,000 units for a visitor
    # at city scale, item 15 of docs/benchmarks.md).
    partner_ids = list(project.partner_units.values_list("pk", flat=True))
    partners = list(visible_units.filter(pk__in=partner_ids).order_by("name")) if partner_ids else []
    visible_meetings = set(
        meetings_visible_to(user)
        .filter(pk__in=[i.meeting_id for i in (project.released_at, project.awarded_at) if i is not None])
        .values_list("pk", flat=True)
    )
    return render(request, "projects/project_detail.html", {
        "project": project,
        "partners": partners,
        "lead_visible": project.lead_unit_id is not None and visible_units.filter(pk=project.lead_unit_id).exists(),
        "events": [
            {"code": code, "item": item, "meeting_visible": item.meeting_id in visible_meetings}
            for code, item in (("released", project.released_at), ("awarded", project.awarded_at)) if item is not None
        ],
        "can_edit": can_manage_conference(user, project.conference_id),
        "history": history_for(user, project),
        **_tracking_context(user, project),
    })


@login_required
def project_create(request):
    require_manage_any_conference(request.user)
    initial = {"conference": id_param(request, "conference"), "kind": request.GET.get("kind") or Project.Kind.KEY}
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        partners = values.pop("partner_units", [])
        ok, project = run_service(form, services.create_project, request.user, partner_units=partners, **values)
        if ok:
            return hx_location(request, reverse("projects:project_detail", args=[project.pk]))
    return render(request, "projects/project_form.html", {
        "form": form, "title": _("新建项目"), "back_url": reverse("projects:project_list"),
    }, status=400 if form.errors else 200)


@login_required
def project_edit(request, pk):
    project = get_project_for(request.user, pk, write=True)
    form = ProjectForm(request.POST or None, user=request.user, instance=project)
    if request.method == "POST" and form.is_valid():
        ok, _changes = run_service(form, services.update_project, request.user, project, **form.values())
        if ok:
            return hx_location(request, reverse("projects:project_detail", args=[project.pk]))
    return render(request, "projects/project_form.html", {
        "form": form, "title": _("编辑 %(name)s") % {"name": project.title}, "project": project,
        "back_url": reverse("projects:project_detail", args=[project.pk]),
    }, status=400 if form.errors else 200)


# --- tracking (常抓项目) -----------------------------------------------------------------------------

def _tracking_context(user, project):
    from lianxi.projects.gates import can_manage_project, can_read_reports, can_report, claimable_units
    from lianxi.projects.models import PartnerClaim
    from lianxi.projects.tracking import progress_percent, status_of

    today = timezone.localdate()
    milestones = list(project.milestones.all())
    done = sum(1 for m in milestones if m.done_on)
    reports = (project.reports.select_related("unit").prefetch_related("attachments")[:20]
               if can_read_reports(user) else [])
    photos = Attachment.objects.filter(report__project=project, kind=Attachment.Kind.PHOTO).order_by("-pk")[:12]
    manage = can_manage_project(user, project)
    unit_ids = claimable_units(user, project)
    return {
        "tracking_status": dict(TrackingStatus.choices)[status_of(project, today)],
        "tracking_code": status_of(project, today),
        "progress": progress_percent(len(milestones), done),
        "milestones": milestones, "milestones_done": done, "today": today,
        "reports": reports, "photos": photos,
        "can_report": can_report(user, project),
        "can_manage": manage,
        "claim_units": Unit.objects.filter(pk__in=unit_ids).order_by("name") if unit_ids else [],
        "pending_claims": (project.partner_claims.filter(state=PartnerClaim.State.PENDING).select_related("unit")
                           if manage else []),
        "milestone_form": MilestoneForm() if manage else None,
    }


@require_POST
@login_required
def milestone_add(request, pk):
    project = get_project_for(request.user, pk, write=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        ok, _m = run_service(form, services.add_milestone, request.user, project, **form.cleaned_data)
        if ok:
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {
        "form": form, "title": _("添加节点"), "project": project,
        "back_url": reverse("projects:project_detail", args=[project.pk])}, status=400)


@require_POST
@login_required
def milestone_done(request, pk, milestone_pk):
    project = get_project_for(request.user, pk, write=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    services.update_milestone(request.user, milestone, done_on=timezone.localdate())
    return redirect("projects:project_detail", pk=project.pk)


@login_required
def report_create(request, pk):
    project = get_report_project_for(request.user, pk)
    form = ReportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _report = run_service(form, services.file_report, request.user, project, unit=project.lead_unit,
                                  text=data["text"], figures=data["figures"], attachments=data["attachments"],
                                  milestones_done=data["milestones_done"])
        if ok:
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/report_form.html", {
        "form": form, "project": project, "title": _("填报进展"),
        "back_url": reverse("projects:project_detail", args=[project.pk]),
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def report_request(request, pk):
    project = get_project_for(request.user, pk, write=True)
    kind = request.POST.get("kind", "report")
    with refusal_as_message(request):
        req = services.request_report(request.user, project, kind=kind)
        messages.info(request, _("本周期进展已填报，无需再请求。") if req is None
                      else _("已通过减负闸门发出：%(state)s") % {"state": req.get_state_display()})
    return redirect("projects:project_detail", pk=project.pk)


@require_POST
@login_required
def claim_create(request, pk):
    project = get_project_for(request.user, pk)
    from lianxi.projects.gates import claimable_units

    unit_id = id_param(request, "unit", source=request.POST)
    if unit_id not in claimable_units(request.user, project):
        raise PermissionDenied
    with refusal_as_message(request):
        services.claim_partnership(request.user, project, unit=Unit.objects.get(pk=unit_id),
                                   note=request.POST.get("note", ""))
        messages.info(request, _("已提交认领，等待确认。"))
    return redirect("projects:project_detail", pk=project.pk)


@require_POST
@login_required
def claim_decide(request, pk, claim_pk):
    project = get_project_for(request.user, pk, write=True)
    claim = get_object_or_404(project.partner_claims, pk=claim_pk)
    with refusal_as_message(request):
        services.decide_claim(request.user, claim, accept=request.POST.get("accept") == "1")
    return redirect("projects:project_detail", pk=project.pk)


@require_POST
@login_required
def tracking_edit(request, pk):
    project = get_project_for(request.user, pk, write=True)
    form = TrackingForm(request.POST)
    if form.is_valid():
        run_service(form, services.update_tracking, request.user, project, **form.cleaned_data)
    return redirect("projects:project_detail", pk=project.pk)


def attachment(request, pk):
    att = get_attachment_for(request.user, pk)
    response = FileResponse(att.file.open("rb"), content_type=att.content_type,
                            as_attachment=att.kind != Attachment.Kind.PHOTO, filename=att.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def showcase(request):
    """Anyone: published key and brand projects with their story, partners, progress and photos."""
    from lianxi.projects.tracking import with_tracking

    today = timezone.localdate()
    # The page is cut from the plain list first; only its rows get the tracking status (five
    # subqueries a row), which computed over every published project made the page slow at scale.
    page = paginate(request, showcase_projects().order_by("-year", "kind", "order", "id").values_list("pk", flat=True))
    ids = list(page.object_list)
    shown = with_tracking(Project.objects.filter(pk__in=ids).select_related("conference", "lead_unit"), today)
    by_id = {p.pk: p for p in shown}
    page.object_list = [by_id[i] for i in ids]
    partners: dict[int, list[str]] = {}
    for pid, name in Project.partner_units.through.objects.filter(project_id__in=ids).values_list(
            "project_id", "unit__name").order_by("unit__name"):
        partners.setdefault(pid, []).append(name)
    photos: dict[int, list[int]] = {}
    for pid, aid in Attachment.objects.filter(report__project_id__in=ids, kind=Attachment.Kind.PHOTO).values_list(
            "report__project_id", "pk").order_by("-pk"):
        if len(photos.setdefault(pid, [])) < 3:
            photos[pid].append(aid)
    labels = dict(TrackingStatus.choices)
    for p in page.object_list:
        p.partner_names = partners.get(p.pk, [])
        p.photo_ids = photos.get(p.pk, [])
        p.tracking_label = labels[p.tracking]
        p.progress = round(100 * p.ms_done / p.ms_total) if p.ms_total else 0
    return render(request, "projects/showcase.html", {"page": page})


def rollup_view(request):
    """Per conference and year: tracked key projects by derived status (aggregate queries)."""
    from lianxi.projects.tracking import rollup

    qs = projects_visible_to(request.user).filter(kind=Project.Kind.KEY)
    year = year_param(request)
    if year:
        qs = qs.filter(year=year)
    conference_id = id_param(request, "conference")
    if conference_id:
        qs = qs.filter(conference_id=conference_id)
    rows = rollup(qs, timezone.localdate())
    return render(request, "projects/rollup.html", {"rows": rows, "statuses": TrackingStatus.choices, "year": year})
