"""Pages of projects: the list (filtered and paginated in SQL), a project's page, and the form the
managers of its conference use. gate → form → service → redirect."""

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from lianxi.accounts.gates import history_for
from lianxi.lib.forms import run_service
from lianxi.lib.htmx import hx_location, render_page_or_partial
from lianxi.lib.pagination import paginate
from lianxi.lib.params import id_param, text_param, year_param
from lianxi.lib.queries import count_subquery
from lianxi.meetings.gates import meetings_visible_to
from lianxi.projects import services
from lianxi.projects.filters import ProjectFilterSet
from lianxi.projects.forms import ProjectForm
from lianxi.projects.gates import get_project_for, projects_visible_to
from lianxi.projects.models import Link, Project
from lianxi.registry.gates import (
    can_manage_any_conference,
    can_manage_conference,
    conferences_visible_to,
    require_manage_any_conference,
    units_visible_to,
)


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
        "conferences": conferences_visible_to(user).only("id", "name", "short_name"),
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
