"""Pages of meetings: the list, a meeting with its agenda as a timeline, and the secretariat's forms
(meeting, agenda items with their people, units and exchanges, applying a resolution).

Each view: gate → form → service → redirect (or, for htmx, the re-rendered partial)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from lianxi.accounts.gates import in_words_for
from lianxi.audit.models import AuditEntry
from lianxi.lib.forms import refusal_as_message, run_service
from lianxi.lib.htmx import hx_location, is_htmx
from lianxi.lib.pagination import paginate
from lianxi.lib.params import choice_param, id_param, parse_int, year_param
from lianxi.lib.queries import count_subquery
from lianxi.meetings import services
from lianxi.meetings.filters import MeetingFilterSet
from lianxi.meetings.forms import (
    AgendaItemForm,
    AgendaUnitForm,
    ExchangeForm,
    FigureForm,
    MeetingForm,
    ParticipantForm,
    apply_form_for,
)
from lianxi.meetings.gates import get_agenda_item_for, get_meeting_for, meetings_visible_to
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting
from lianxi.meetings.resolutions import agenda_links
from lianxi.registry.gates import (
    can_manage_any_conference,
    can_manage_conference,
    filter_managed,
    get_conference_for,
    is_insider,
)
from lianxi.registry.models import Conference
from lianxi.registry.picks import chosen_conference

PART_FORMS = {"participant": ParticipantForm, "unit": AgendaUnitForm, "exchange": ExchangeForm}
PART_MODELS = {"participant": AgendaParticipant, "unit": AgendaUnit, "exchange": Exchange}
PART_HEADINGS = {"participant": "添加人员", "unit": "添加涉及单位", "exchange": "添加交流单位"}


# --- reading ---------------------------------------------------------------------------------------

def _years(meetings) -> list[int]:
    """The years offered by the year filter: from the newest to the oldest meeting (two index
    look-ups instead of grouping every meeting by year)."""
    span = meetings.aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def meeting_list(request):
    meetings = meetings_visible_to(request.user).select_related("conference").annotate(
        item_count=count_subquery(AgendaItem.objects.all(), "meeting")
    )
    meetings = MeetingFilterSet(request.GET, queryset=meetings).qs
    # The FilterSet ignores a malformed value; reading them here says so on the page.
    conference_id = str(id_param(request, "conference") or "")
    kind = choice_param(request, "kind", Meeting.Kind.values)
    year = str(year_param(request) or "")
    page = paginate(request, meetings.order_by("-date", "-id"))
    visible = meetings_visible_to(request.user)
    context = {
        "page": page,
        "chosen_conference": chosen_conference(request.user, id_param(request, "conference")),
        "years": _years(visible),
        "kinds": Meeting.Kind.choices,
        "selected": {"conference": conference_id, "kind": kind, "year": year},
        "can_create": can_manage_any_conference(request.user),
    }
    return render(request, "meetings/meeting_list.html", context)


def _agenda(meeting: Meeting, user):
    """The items with everything the timeline shows, in a fixed number of queries."""
    # Objects of higher rooms linked to items (released/awarded projects), as far as the user may see them.
    links = [Prefetch(link.related_name, queryset=link.visible_to(user).order_by("order", "id"))
             for link in agenda_links()]
    return meeting.agenda_items.order_by("order").select_related("concerns_conference").prefetch_related(
        Prefetch("participants", queryset=AgendaParticipant.objects.select_related("person", "unit")),
        Prefetch("units", queryset=AgendaUnit.objects.select_related("unit")),
        Prefetch("exchanges", queryset=Exchange.objects.select_related("unit")),
        *links,
    )


def _part_kinds(item: AgendaItem) -> list[str]:
    """What may be added to an item: people and units, and exchanges on an exchange item."""
    return [what for what in PART_FORMS if what != "exchange" or item.kind == AgendaItem.Kind.EXCHANGE]


def _attach_part_forms(item: AgendaItem, bound: tuple[str, object] | None = None):
    """``item.part_forms``: ``[(what, form or None)]``. None renders a link that fetches the blank
    form when it is opened (htmx GET of ``agenda_part_add``, or that page without JavaScript): a
    plenary's blank forms for every item cost ~100 ms of rendering (item 12 of docs/benchmarks.md).
    Only a form that failed comes back inline, bound, with its errors."""
    item.part_forms = [(what, bound[1] if bound is not None and bound[0] == what else None)
                       for what in _part_kinds(item)]


def _history(meeting: Meeting, item_ids):
    """The meeting's own rows and its agenda items' rows, newest first."""
    meeting_type = ContentType.objects.get_for_model(Meeting)
    item_type = ContentType.objects.get_for_model(AgendaItem)
    return AuditEntry.objects.filter(
        Q(target_type=meeting_type, target_id=str(meeting.pk))
        | Q(target_type=item_type, target_id__in=[str(pk) for pk in item_ids])
    ).select_related("actor")[:50]


def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk)
    insider = is_insider(request.user)
    can_manage = can_manage_conference(request.user, meeting.conference_id)
    items = list(_agenda(meeting, request.user))
    if can_manage:
        for item in items:
            _attach_part_forms(item)  # links only: each form is fetched when it is opened
    context = {
        "meeting": meeting,
        "items": items,
        "figures": list(meeting.figures.all()),
        "founded": list(meeting.founded_conferences.order_by("pk")),
        "admitted": list(meeting.admitted_memberships.select_related("unit", "conference").order_by("pk")),
        "can_manage": can_manage,
        "is_insider": insider,
        "resolution_kinds": services.RESOLUTION_KINDS,
    }
    if meeting.host_unit_id:
        context["host_unit"] = meeting.host_unit
    if insider:
        context["posts_started"] = list(meeting.appointments_started.select_related("person", "unit").order_by("pk"))
        context["posts_ended"] = list(meeting.appointments_ended.select_related("person", "unit").order_by("pk"))
        context["history"] = in_words_for(request.user, meeting, _history(meeting, [item.pk for item in items]))
        context["show_target"] = True
    if can_manage:
        context["agenda_form"] = AgendaItemForm(meeting=meeting)
    return render(request, "meetings/meeting_detail.html", context)


# --- the meeting -----------------------------------------------------------------------------------

@login_required
def meeting_create(request):
    if not can_manage_any_conference(request.user):
        raise PermissionDenied
    conference_id = request.GET.get("conference") or request.POST.get("conference")
    if not conference_id:
        managed = filter_managed(request.user, Conference.objects.order_by("pk"), "pk")
        return render(request, "meetings/meeting_form.html", {"choose": managed})
    conference_id = parse_int(conference_id)
    if conference_id is None:
        raise Http404
    conference = get_conference_for(request.user, conference_id, write=True)
    # 届次 is not prefilled: a number prefilled for one kind was kept when the kind was changed
    # ("第十一次工作会议"). Left blank, it becomes the next number of the kind chosen.
    next_numbers = {kind: services.suggest_next_number(conference, kind) for kind in Meeting.Kind.values}
    form = MeetingForm(request.POST or None, initial={"kind": Meeting.Kind.PLENARY}, next_numbers=next_numbers)
    if request.method == "POST" and form.is_valid():
        fields = form.values()
        if fields["number"] is None:
            fields["number"] = next_numbers[fields["kind"]]
        ok, meeting = run_service(form, services.create_meeting, request.user, conference=conference, **fields)
        if ok:
            messages.success(request, "会议已创建。")
            return hx_location(request, reverse("meetings:meeting_detail", args=[meeting.pk]))
    return render(request, "meetings/meeting_form.html", {"form": form, "conference": conference})


@login_required
def meeting_edit(request, pk):
    meeting = get_meeting_for(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        ok, _changes = run_service(form, services.update_meeting, request.user, meeting, **form.values())
        if ok:
            messages.success(request, "会议信息已保存。")
            return hx_location(request, reverse("meetings:meeting_detail", args=[meeting.pk]))
    return render(request, "meetings/meeting_form.html",
                  {"form": form, "conference": meeting.conference, "meeting": meeting})


@login_required
def figure_add(request, pk):
    meeting = get_meeting_for(request.user, pk, write=True)
    form = FigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _figure = run_service(form, services.add_figure, request.user, meeting, **form.values())
        if ok:
            return hx_location(request, reverse("meetings:meeting_detail", args=[meeting.pk]) + "#figures")
    return render(request, "meetings/simple_form.html",
                  {"form": form, "meeting": meeting, "heading": "记录会议所载数字"})


# --- the agenda ------------------------------------------------------------------------------------

@login_required
def agenda_add(request, pk):
    meeting = get_meeting_for(request.user, pk, write=True)
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        ok, item = run_service(form, services.add_agenda_item, request.user, meeting, **form.cleaned_data)
        if ok:
            messages.success(request, f"已添加第 {item.order} 项议程：{item.title}")
            return hx_location(request, reverse("meetings:meeting_detail", args=[meeting.pk]) + f"#item-{item.pk}")
    if is_htmx(request):
        return render(request, "meetings/_agenda_add.html", {"agenda_form": form, "meeting": meeting})
    return render(request, "meetings/simple_form.html", {"form": form, "meeting": meeting, "heading": "添加议程"})


def _render_item(request, item: AgendaItem, bound=None):
    item = _agenda(item.meeting, request.user).get(pk=item.pk)
    _attach_part_forms(item, bound)
    context = {"item": item, "meeting": item.meeting, "can_manage": True, "is_insider": True,
               "resolution_kinds": services.RESOLUTION_KINDS}
    return render(request, "meetings/_agenda_item.html", context)


@vary_on_headers("HX-Request")  # the same URL serves the form page or, for htmx, the form alone
@login_required
def agenda_part_add(request, pk, what):
    """Add a person, a unit or an exchange to an item. GET: the blank form, as a partial for htmx
    (the meeting page fetches it when the secretariat opens “添加…”) or as a page without
    JavaScript. POST: htmx gets the item back, re-rendered (with the form and its errors if it
    failed); a plain post is redirected to the item."""
    if what not in PART_FORMS:
        raise Http404
    item = get_agenda_item_for(request.user, pk, write=True)
    form = PART_FORMS[what](request.POST or None, auto_id=f"id_{item.pk}_{what}_%s")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if what == "participant":
            ok, _part = run_service(form, services.add_participant, request.user, item, person=data["person"],
                                    new_person_name=data["person_name"], role=data["role"], title=data["title"],
                                    unit=data["unit"])
        else:
            add = services.add_agenda_unit if what == "unit" else services.add_exchange
            ok, _part = run_service(form, add, request.user, item, **data)
        if ok:
            if is_htmx(request):
                return _render_item(request, item)
            return hx_location(request, reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}")
    if is_htmx(request):
        if request.method == "POST":
            return _render_item(request, item, bound=(what, form))
        first = next(iter(form.fields.values()))
        first.widget.attrs["autofocus"] = True  # htmx focuses it: the link that was clicked is gone
        return render(request, "meetings/_part_form.html", {"item": item, "what": what, "form": form})
    return render(request, "meetings/simple_form.html",
                  {"form": form, "meeting": item.meeting, "item": item,
                   "heading": f"{item.title} · {PART_HEADINGS[what]}"})


@login_required
@require_POST
def agenda_part_remove(request, pk, what, part_pk):
    if what not in PART_MODELS:
        raise Http404
    item = get_agenda_item_for(request.user, pk, write=True)
    part = get_object_or_404(PART_MODELS[what], pk=part_pk, item=item)
    with refusal_as_message(request):
        services.remove_agenda_detail(request.user, part)
    if is_htmx(request):
        return _render_item(request, item)
    return hx_location(request, reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}")


@login_required
@require_POST
def agenda_move(request, pk):
    item = get_agenda_item_for(request.user, pk, write=True)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.move_agenda_item(request.user, item, step)
    return hx_location(request, reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}")


@login_required
@require_POST
def agenda_remove(request, pk):
    item = get_agenda_item_for(request.user, pk, write=True)
    try:
        services.remove_agenda_item(request.user, item)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "议程已删除。")
    return hx_location(request, reverse("meetings:meeting_detail", args=[item.meeting_id]))


@login_required
def agenda_apply(request, pk):
    """Apply an item's resolution (admission, unveiling, adjustment, release, award, naming)."""
    item = get_agenda_item_for(request.user, pk, write=True)
    if item.kind not in services.RESOLUTION_KINDS:
        raise Http404
    form = None if item.applied_on else apply_form_for(item, request.POST or None)
    if request.method == "POST":
        if form is None:
            messages.error(request, "该议程的决议已执行，不能重复执行。")
            return hx_location(request, reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}")
        if form.is_valid():
            ok, _applied = run_service(form, services.apply_resolution, request.user, item, **form.options())
            if ok:
                messages.success(request, f"“{item.title}”的决议已执行。")
                return hx_location(request,
                                   reverse("meetings:meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}")
    context = {"item": item, "meeting": item.meeting, "form": form}
    if item.kind == AgendaItem.Kind.ADMISSION:
        context["admitted_units"] = list(item.units.filter(role=AgendaUnit.Role.ADMITTED).select_related("unit"))
    return render(request, "meetings/agenda_apply.html", context)
