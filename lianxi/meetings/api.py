"""JSON API for meetings: the list, and one meeting with its ordered agenda — the people on each
item in the post they held that day, the units it concerns, the exchanges, the projects released
or awarded — and the figures stated at it. Callers who are not insiders see published meetings."""

import datetime

from django.db.models import Prefetch
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from lianxi.lib.schemas import READ_ERRORS, Choice, Id, Out, Pages, Ref, Stated, Year, choices, ref
from lianxi.meetings.filters import MeetingFilterSet
from lianxi.meetings.gates import get_meeting_for, meetings_visible_to
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting
from lianxi.meetings.resolutions import agenda_links
from lianxi.registry.gates import is_insider

router = Router(tags=["meetings"])

MeetingKind = choices(Meeting.Kind)


class MeetingOut(Out):
    id: int
    conference: Ref
    kind: Choice
    number: int | None
    number_label: str  # 第十次全体会议
    title: str
    date: datetime.date
    venue: Stated  # null when the source does not say
    host_unit: Ref | None


class StatedFigureOut(Schema):
    key: str
    label: str
    value: int
    unit_label: Stated
    quote: Stated


class AgendaParticipantOut(Out):
    person: Ref
    role: Choice
    title: Stated  # as introduced that day
    unit: Ref | None
    note: Stated  # a qualifier shared with another name, or an inference and its reason ("推断：…")


class AgendaUnitOut(Out):
    unit: Ref
    role: Choice
    label: Stated


class ExchangeOut(Out):
    unit: Ref
    label: Stated
    mode: Choice
    topic: Stated

    @staticmethod
    def resolve_label(obj):
        return obj.speaker_label


class AgendaProjectOut(Out):
    id: int
    title: str
    kind: Choice
    year: int


class AgendaItemOut(Out):
    id: int
    order: int
    kind: Choice
    title: str
    description: Stated
    concerns_conference: Ref | None
    participants: list[AgendaParticipantOut]
    units: list[AgendaUnitOut]
    exchanges: list[ExchangeOut]
    projects_released: list[AgendaProjectOut]
    projects_awarded: list[AgendaProjectOut]

    @staticmethod
    def resolve_concerns_conference(obj, context):
        conference = obj.concerns_conference
        if conference is None or not (conference.is_public or is_insider(context["request"].user)):
            return None
        return ref(conference)

    @staticmethod
    def resolve_projects_released(obj):
        return getattr(obj, "visible_released_projects", [])

    @staticmethod
    def resolve_projects_awarded(obj):
        return getattr(obj, "visible_awarded_projects", [])


class MeetingDetailOut(MeetingOut):
    summary: Stated
    source: Stated
    agenda_note: Stated  # why the items are in this order when the source gives no running order
    figures: list[StatedFigureOut]
    agenda_items: list[AgendaItemOut]

    @staticmethod
    def resolve_agenda_items(obj):
        return obj.ordered_items


class MeetingFilters(Schema):
    conference: Id | None = None
    kind: MeetingKind | None = None
    year: Year | None = None


@router.get("/meetings", response={200: list[MeetingOut], **READ_ERRORS}, summary="会议列表")
@paginate(Pages)
def list_meetings(request, filters: Query[MeetingFilters]):
    qs = MeetingFilterSet(filters.model_dump(exclude_none=True),
                          queryset=meetings_visible_to(request.user).select_related("conference", "host_unit")).qs
    return qs.order_by("-date", "-id")


@router.get("/meetings/{id}", response={200: MeetingDetailOut, **READ_ERRORS}, summary="会议详情及议程")
def get_meeting(request, id: Id):
    # Objects of higher rooms linked to items (released/awarded projects), as far as the user may see them.
    links = [Prefetch(link.related_name, queryset=link.visible_to(request.user).order_by("kind", "order", "id"),
                      to_attr=f"visible_{link.related_name}") for link in agenda_links()]
    items = AgendaItem.objects.select_related("concerns_conference").order_by("order").prefetch_related(
        Prefetch("participants", queryset=AgendaParticipant.objects.select_related("person", "unit").order_by("order", "id")),
        Prefetch("units", queryset=AgendaUnit.objects.select_related("unit").order_by("order", "id")),
        Prefetch("exchanges", queryset=Exchange.objects.select_related("unit").order_by("order", "id")),
        *links,
    )
    meeting = get_meeting_for(request.user, id)
    return (
        Meeting.objects.select_related("conference", "host_unit")
        .prefetch_related("figures", Prefetch("agenda_items", queryset=items, to_attr="ordered_items"))
        .get(pk=meeting.pk)
    )
