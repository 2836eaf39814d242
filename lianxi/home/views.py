"""The rooms' front pages, assembled where they may import every room whose parts they show: the
landing page and a conference's home page (members, posts, meetings, figures, projects). The
registry, meetings and projects sit below this room and never import it (docs/architecture.md)."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render

from lianxi.accounts.gates import history_for
from lianxi.audit.services import record_personal_data_view
from lianxi.lib.privacy import mask_email, mask_phone
from lianxi.meetings.gates import meetings_visible_to
from lianxi.meetings.models import AgendaItem, AgendaParticipant, Meeting, StatedFigure
from lianxi.onboarding.gates import first_run_pending
from lianxi.projects.gates import projects_visible_to
from lianxi.projects.models import Project
from lianxi.registry.adjustments import adjustments_of, split_current
from lianxi.registry.gates import (
    appointments_visible_to,
    can_edit_unit,
    can_manage_any_conference,
    can_manage_conference,
    can_write_person,
    conferences_visible_to,
    get_conference_for,
    get_person_for,
    get_unit_for,
    insiders_only,
    is_insider,
    manageable_conference_ids,
    may_see_person_contact,
    people_visible_to,
)
from lianxi.registry.models import Appointment, Conference, Membership, Person, Unit
from lianxi.registry.queries import ROLE_RANK, current_member_count

# Conference home lists this many member units per category, then links to the full list.
UNITS_PER_CATEGORY = 12


# Each role's first page after signing in (accounts.gates.landing_role decides the role). A 工作台
# per role (charts, counts) can replace any of these targets without touching the login.
LANDING = {
    "street": "lists:confirmations",  # what was delivered and waits for confirmation, with counts
    "liaison": "lists:inbox",  # invitations, deliveries due, needs that fit the unit's resources
    "secretariat": "dashboards:dashboard",  # 工作台: fulfilment, overdue, needs by month, burden, projects
    "admin": "dashboards:dashboard",
    "reviewer": "projects:project_list",
    "superuser": "home",
    "none": "home",
}


def start(request):
    """Where signing in leads (``LOGIN_REDIRECT_URL``): the user's own work, decided by role."""
    from lianxi.accounts.gates import landing_role

    return redirect(LANDING[landing_role(request.user)])


def landing(request):
    """The site's front door: the first public top-level conference's home page (the setup,
    for a superuser on an empty database)."""
    if first_run_pending(request.user):
        return redirect("onboarding:setup")
    first = Conference.objects.filter(parent__isnull=True, is_public=True).order_by("id").first()
    if first is None:
        return redirect("registry:conference_list")
    return redirect("registry:conference_detail", pk=first.pk)


def conference_home(request, pk):
    """A conference's home page: its members by category, its posts, its latest meetings and stated
    figures, its key and brand projects by year, and its history for insiders."""
    conference = get_conference_for(request.user, pk)
    conference = (
        Conference.objects.select_related("parent", "upgraded_from", "founded_at", "area").get(pk=conference.pk)
    )
    user = request.user
    insider = is_insider(user)
    visible = conferences_visible_to(user)

    members = Membership.objects.current().filter(conference=conference)
    counts = {row["unit__category"]: row["n"] for row in members.values("unit__category").annotate(n=Count("id"))}
    shown = (
        members.select_related("unit")
        .annotate(rank=Window(RowNumber(), partition_by=F("unit__category"), order_by=F("unit__name").asc()))
        .filter(rank__lte=UNITS_PER_CATEGORY)
        .order_by("unit__name")
    )
    by_category: dict[str, list] = {}
    for membership in shown:
        by_category.setdefault(membership.unit.category, []).append(membership)
    categories = [
        {"code": code, "label": label, "count": counts[code], "memberships": by_category.get(code, []),
         "more": counts[code] > len(by_category.get(code, []))}
        for code, label in Unit.Category.choices if counts.get(code)
    ]

    posts = []
    if insider:
        posts = list(
            Appointment.objects.current().filter(conference=conference).exclude(role=Appointment.Role.LIAISON)
            .select_related("person", "unit").annotate(rank=ROLE_RANK).order_by("rank", "start", "id")
        )

    meetings = list(meetings_visible_to(user).filter(conference=conference).order_by("-date", "-id")[:6])
    latest_plenary = (
        meetings_visible_to(user)
        .filter(conference=conference, kind=Meeting.Kind.PLENARY, figures__isnull=False)
        .order_by("-date", "-id").values("pk")[:1]
    )
    figures = list(StatedFigure.objects.filter(meeting_id__in=latest_plenary).select_related("meeting"))

    projects = list(
        projects_visible_to(user)
        .filter(conference=conference, kind__in=[Project.Kind.KEY, Project.Kind.BRAND])
        .select_related("lead_unit").order_by("-year", "kind", "order", "id")[:60]
    )
    project_years: dict[int, dict[str, list]] = {}
    for project in projects:
        project_years.setdefault(project.year, {}).setdefault(project.kind, []).append(project)

    return render(request, "home/conference_home.html", {
        "conference": conference,
        "categories": categories,
        "member_total": sum(counts.values()),
        "children": visible.filter(parent=conference).annotate(member_count=current_member_count()),
        "became": visible.filter(upgraded_from=conference),
        "committees": conference.committees.all(),
        "posts": posts,
        "meetings": meetings,
        "figures": figures,
        "figure_meeting": figures[0].meeting if figures else None,
        "project_years": [
            {"year": year, "key": kinds.get(Project.Kind.KEY, []), "brand": kinds.get(Project.Kind.BRAND, [])}
            for year, kinds in project_years.items()
        ],
        "project_count": len(projects),
        "can_manage": can_manage_conference(user, conference.pk),
        "history": history_for(user, conference),
    })


def unit_home(request, pk):
    """A unit's page: its memberships, posts, projects (led or joined), people and history."""
    unit = get_unit_for(request.user, pk)
    unit = Unit.objects.select_related("area").get(pk=unit.pk)
    user = request.user
    insider = is_insider(user)
    memberships = list(
        unit.memberships.filter(conference__in=conferences_visible_to(user))
        .select_related("conference", "admitted_at").order_by("-start", "-id")
    )
    today = datetime.date.today()
    manageable = manageable_conference_ids(user, [m.conference_id for m in memberships])
    for m in memberships:
        m.is_current = (m.start is None or m.start <= today) and (m.end is None or m.end > today)
        m.can_manage = m.conference_id in manageable
        m.can_end = m.end is None and m.can_manage
    posts = list(
        appointments_visible_to(user).filter(unit=unit)
        .select_related("conference", "person").annotate(rank=ROLE_RANK).order_by("-end", "rank", "-start")
    ) if insider else []
    for post in posts:
        post.is_current = (post.start is None or post.start <= today) and (post.end is None or post.end > today)
    # The unit's partner projects first (one indexed query on the M2M table), so the project query is
    # a plain OR on project columns: no join, no DISTINCT.
    partner_ids = list(
        Project.partner_units.through.objects.filter(unit_id=unit.pk).values_list("project_id", flat=True)
    )
    projects = list(
        projects_visible_to(user).filter(Q(lead_unit=unit) | Q(pk__in=partner_ids))
        .select_related("conference", "lead_unit")
    )
    people = list(people_visible_to(user).filter(unit=unit).order_by("name")[:100]) if insider else []
    return render(request, "home/unit_home.html", {
        "unit": unit,
        "memberships": memberships,
        "posts": posts,
        "projects": projects,
        "people": people,
        "can_edit": can_edit_unit(user, unit),
        "can_admit": can_manage_any_conference(user),
        "history": history_for(user, unit, also=memberships),
    })


@insiders_only
def person_home(request, pk):
    """A person's page: posts held and the agenda items they took part in."""
    person = get_person_for(request.user, pk)
    person = Person.objects.select_related("unit").get(pk=person.pk)
    today = datetime.date.today()
    posts = list(
        person.appointments.select_related("conference", "unit", "appointed_at", "ended_at")
        .annotate(rank=ROLE_RANK).order_by("-start", "rank")
    )
    for post in posts:
        post.is_current = (post.start is None or post.start <= today) and (post.end is None or post.end > today)
    agenda = list(
        AgendaParticipant.objects.filter(person=person)
        .select_related("item__meeting__conference", "unit").order_by("-item__meeting__date", "item__order")[:50]
    )
    can_edit = can_write_person(request.user, person)
    full = may_see_person_contact(request.user, person)
    contact = {"phone": person.phone if full else mask_phone(person.phone),
               "email": person.email if full else mask_email(person.email), "full": full}
    if full and (person.phone or person.email):
        record_personal_data_view(request.user, [person], [f for f in ("phone", "email") if getattr(person, f)])
    return render(request, "home/person_home.html", {
        "person": person, "posts": posts, "agenda": agenda, "can_edit": can_edit, "contact": contact,
        "history": history_for(request.user, person, mask=None if full else {"phone": mask_phone, "email": mask_email}),
    })


@insiders_only
def rotation(request, pk):
    """常任轮值: the rotating conveners as past, current and next terms, and the plenary items that
    adjusted them (noting when the new holder is not stated)."""
    conference = get_conference_for(request.user, pk)
    today = datetime.date.today()
    roster_roles = [Appointment.Role.ROTATING_CONVENER, Appointment.Role.DEPUTY_CONVENER]
    terms = Appointment.objects.filter(conference=conference, role__in=roster_roles).select_related(
        "person", "unit", "appointed_at", "ended_at"
    )
    sections = []
    # Holders a plenary adjusted without naming successors are not current (lianxi.registry.adjustments).
    adjustment_days = adjustments_of(conference, today)
    for role in roster_roles:
        of_role = terms.filter(role=role)
        current, adjusted = split_current(
            of_role.current(today).order_by(F("start").asc(nulls_first=True), "id"), adjustment_days, today)
        sections.append({
            "role": role.label,
            "code": role.value,
            "current": current,
            "adjusted": [appointment for appointment, _adj in adjusted],
            "future": list(of_role.future(today).order_by("start", "id")),
            "past": list(of_role.past(today).order_by(F("end").desc(), "-id")),
        })
    started_here = Appointment.objects.filter(
        conference=conference, role__in=roster_roles, appointed_at=OuterRef("meeting")
    )
    # The conference's meeting ids first: an OR across the meeting join would scan every agenda item.
    meeting_ids = list(Meeting.objects.filter(conference=conference).values_list("pk", flat=True))
    adjustments = list(
        AgendaItem.objects.filter(kind=AgendaItem.Kind.ADJUSTMENT)
        .filter(Q(meeting_id__in=meeting_ids) | Q(concerns_conference=conference))
        .filter(meeting__in=meetings_visible_to(request.user))
        .select_related("meeting")
        .annotate(has_successor=Exists(started_here))
        .prefetch_related(Prefetch(
            "meeting__appointments_ended",
            queryset=Appointment.objects.filter(conference=conference, role__in=roster_roles)
            .select_related("person", "unit"),
            to_attr="roster_ended",
        ))
        .order_by("-meeting__date", "order")
    )
    return render(request, "home/rotation.html", {
        "conference": conference, "sections": sections, "adjustments": adjustments, "today": today,
        "can_manage": can_manage_conference(request.user, conference.pk),
    })
