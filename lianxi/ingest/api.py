"""JSON API of the ingest app: a draft from pasted text (nothing saved), an import for review, and
the sources (report sentences) of a meeting and of what was created with it."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.security import django_auth

from lianxi.ingest import services
from lianxi.ingest.gates import can_import, conferences_importable_by, get_import_for
from lianxi.ingest.models import SourceSpan
from lianxi.ingest.pipeline import build_draft, public_draft
from lianxi.ingest.readers import InputError, read_paste
from lianxi.lib.schemas import READ_ERRORS, WRITE_ERRORS, Id, RefId
from lianxi.meetings.gates import get_meeting_for

router = Router(tags=["ingest"])


class TextIn(Schema):
    text: str


class ImportIn(Schema):
    conference: RefId
    text: str


class SourceOut(Schema):
    target: str
    target_id: int
    field: str
    path: str
    start: int
    end: int
    quote: str
    basis: str
    reason: str
    citation: str
    import_id: int

    @staticmethod
    def resolve_target(obj):
        return obj.target_type.model

    @staticmethod
    def resolve_citation(obj):
        return obj.source_import.citation

    @staticmethod
    def resolve_import_id(obj):
        return obj.source_import_id


@contextmanager
def _text_refused():
    """Text the reader cannot take is a 422 naming ``text``."""
    try:
        yield
    except InputError as exc:
        raise ValidationError({"text": str(exc)}) from exc


def _require_import(user):
    if not can_import(user):
        raise PermissionDenied("只有联席会议的秘书处或管理员可以导入会议报道。")


@router.post("/ingest/draft", response={200: dict, **WRITE_ERRORS}, auth=django_auth,
             summary="由报道全文生成草稿（不保存）")
def draft_from_text(request, payload: TextIn):
    _require_import(request.user)
    with _text_refused():
        return public_draft(build_draft(read_paste(payload.text).text))


@router.post("/ingest/imports", response={201: dict, **WRITE_ERRORS}, auth=django_auth,
             summary="导入一篇报道，待审核")
def create_import(request, payload: ImportIn):
    _require_import(request.user)
    conference = conferences_importable_by(request.user).filter(pk=payload.conference).first()
    if conference is None:
        raise ValidationError({"conference": "没有该联席会议，或你不能向它导入。"})
    with _text_refused():
        imp = services.create_import(request.user, conference=conference, decoded=read_paste(payload.text))
    return Status(201, {"id": imp.pk, "previous": imp.previous_id, "draft": public_draft(imp.draft)})


@router.get("/ingest/imports/{id}", response={200: dict, **READ_ERRORS}, summary="一次导入的草稿与状态")
def get_import(request, id: Id):
    imp = get_import_for(request.user, id)
    return {"id": imp.pk, "state": imp.state, "meeting": imp.meeting_id, "previous": imp.previous_id,
            "repaired_text": imp.repaired_text, "draft": imp.draft}


@router.get("/meetings/{id}/sources", response={200: list[SourceOut], **READ_ERRORS},
            summary="会议及其议程、数字的出处（报道原句）")
def meeting_sources(request, id: Id):
    meeting = get_meeting_for(request.user, id)
    from lianxi.meetings.models import AgendaItem, StatedFigure

    targets = [(ContentType.objects.get_for_model(meeting), [meeting.pk]),
               (ContentType.objects.get_for_model(AgendaItem), list(meeting.agenda_items.values_list("pk", flat=True))),
               (ContentType.objects.get_for_model(StatedFigure), list(meeting.figures.values_list("pk", flat=True)))]
    from django.db.models import Q

    query = Q(pk__in=[])
    for ct, ids in targets:
        query |= Q(target_type=ct, target_id__in=ids)
    return SourceSpan.objects.filter(query).select_related("target_type", "source_import").order_by("target_type", "target_id", "start")
