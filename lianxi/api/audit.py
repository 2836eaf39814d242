"""The raw change log for auditors: each entry as stored (action code, target, ``{field: [old,
new]}``), read-only. District administrators and the secretariat only (``accounts.gates``); the pages
show the same history in words. A secretariat reads only the rows of the conferences it runs
(``accounts.gates.audit_entries_for``). There is no route that changes or deletes an entry."""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from lianxi.accounts import gates
from lianxi.lib.schemas import INSIDER_READ_ERRORS, Id, Pages, text

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    time: datetime.datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_repr: str
    changes: dict[str, Any]
    request_id: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_label

    @staticmethod
    def resolve_target_type(obj):
        ct = ContentType.objects.get_for_id(obj.target_type_id)
        return f"{ct.app_label}.{ct.model}"


class AuditFilters(Schema):
    target_type: text(100) | None = None  # "registry.unit"
    target_id: text(64) | None = None
    action: text(80) | None = None


@router.get("/audit/entries", response={200: list[AuditEntryOut], **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="审计记录（原始）")
@paginate(Pages)
def list_entries(request, filters: Query[AuditFilters]):
    qs = gates.audit_entries_for(request.user)
    if filters.target_type:
        app_label, _dot, model = filters.target_type.partition(".")
        ct = ContentType.objects.filter(app_label=app_label, model=model).first()
        qs = qs.filter(target_type=ct) if ct else qs.none()
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    return qs.order_by("-time", "-id")


@router.get("/audit/entries/{id}", response={200: AuditEntryOut, **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="一条审计记录（原始）")
def get_entry(request, id: Id):
    return get_object_or_404(gates.audit_entries_for(request.user), pk=id)
