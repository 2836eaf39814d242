"""Write audit rows. Every service calls :func:`record` inside its own transaction."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from lianxi.audit.middleware import current_request_id
from lianxi.audit.models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields) -> dict:
    """The values of ``fields`` on ``obj``, for a later :func:`diff`."""
    return {f: getattr(obj, f) for f in fields}


def diff(before: dict, obj) -> dict:
    """``{field: [old, new]}`` for each field of ``before`` whose value on ``obj`` changed."""
    changes = {}
    for field, old in before.items():
        new = getattr(obj, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def created(obj, fields) -> dict:
    """The change set of a new object: ``{field: [None, value]}`` for the non-empty fields."""
    out = {}
    for f in fields:
        value = getattr(obj, f)
        if value not in (None, "", [], {}):
            out[f] = [None, _plain(value)]
    return out


def conference_of(target) -> int | None:
    """The conference ``target`` belongs to, for its audit row: ``target.audit_conference_id`` when
    the model says (a conference itself, an agenda item through its meeting …), else its own
    ``conference_id`` column, else none."""
    value = getattr(target, "audit_conference_id", None)
    if value is None:
        value = getattr(target, "conference_id", None)
    return value if isinstance(value, int) else None


def record(actor, action: str, target, changes: dict | None = None) -> AuditEntry:
    """Append one row. ``actor`` is a user or ``None`` for the system (migrations, commands)."""
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor.get_username()
    else:
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes={k: _plain(v) if not isinstance(v, list) else v for k, v in (changes or {}).items()},
        request_id=current_request_id.get(),
        conference_id=conference_of(target),
    )


def record_many(actor, action: str, objects_changes) -> int:
    """Append one row per ``(obj, changes)``: what a bulk write (an Excel import of thousands of rows)
    records, in the same shape :func:`record` writes one row (the rows of one call share one time).
    Returns the count.

    Written as prepared tuples with ``executemany`` in the caller's transaction, not as model
    instances through ``bulk_create``: audit rows need no ids back, and building an instance and
    compiling each of its ten values into SQL was most of the cost of an import's audit rows. Only
    the time and the change set go through their fields' preparation (per backend: text on SQLite,
    ``Jsonb`` on PostgreSQL); the rest are plain text and ids."""
    connection = connections[router.db_for_write(AuditEntry)]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    actor_id = actor.pk if authenticated else None
    label = actor.get_username() if authenticated else ""
    request_id = current_request_id.get()
    meta = AuditEntry._meta
    columns = ["time", "actor", "actor_label", "action", "target_type", "target_id", "target_repr", "changes",
               "request_id", "conference_id"]
    changes_field = meta.get_field("changes")
    now = meta.get_field("time").get_db_prep_save(timezone.now(), connection)
    types: dict[type, int] = {}
    params = []
    for obj, changes in objects_changes:
        kind = type(obj)
        if kind not in types:
            types[kind] = ContentType.objects.get_for_model(obj).pk
        plain = {k: _plain(v) if not isinstance(v, list) else v for k, v in (changes or {}).items()}
        params.append((now, actor_id, label, action, types[kind], str(obj.pk), str(obj)[:300],
                       changes_field.get_db_prep_save(plain, connection), request_id, conference_of(obj)))
    if not params:
        return 0
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(meta.get_field(c).column) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(params), _MANY_BATCH):
            cursor.executemany(sql, params[start:start + _MANY_BATCH])
    return len(params)


_MANY_BATCH = 5000


# 查看个人信息: a page or API answer that showed personal contact data in full.
VIEW_PERSONAL_DATA = "privacy.personal_data.view"


def record_personal_data_view(actor, objects, fields) -> AuditEntry | None:
    """One row for one page view (or API answer) that showed ``fields`` of ``objects`` (one model)
    in full: which records, not one row per record. Nothing is written for an empty list."""
    objects = [o for o in objects if o is not None]
    if not objects:
        return None
    first = objects[0]
    label = f"查看个人信息：{first}" if len(objects) == 1 else f"查看个人信息：{first._meta.verbose_name} {len(objects)} 条"
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor.get_username() if getattr(actor, "is_authenticated", False) else "",
        action=VIEW_PERSONAL_DATA,
        target_type=ContentType.objects.get_for_model(first),
        target_id=str(first.pk),
        target_repr=label[:300],
        changes={"records": [o.pk for o in objects], "fields": list(fields)},
        request_id=current_request_id.get(),
        conference_id=conference_of(first),
    )


def history(obj, limit: int = 50, also=(), mask: dict | None = None):
    """The audit rows of ``obj``, newest first, with those of the objects in ``also`` (a unit's page
    shows its memberships' rows too: admitting a unit writes the membership's row). Views of
    personal data are in the audit log, not here. ``mask`` maps a field to a function that masks
    its values, for a reader who may not see that field in full (a phone number in the history is
    as personal as on the page)."""
    rows = AuditEntry.objects.for_object(obj)
    for other in also:
        rows = rows | AuditEntry.objects.for_object(other)
    entries = rows.exclude(action=VIEW_PERSONAL_DATA).select_related("actor").order_by("-time", "-id")[:limit]
    if not mask:
        return entries
    entries = list(entries)
    for entry in entries:
        hidden = {field: fn for field, fn in mask.items() if field in (entry.changes or {})}
        if hidden:
            # A copy for display only: the row itself is never changed (nor could it be saved).
            entry.changes = {
                field: [hidden[field](v) if isinstance(v, str) else v for v in pair]
                if field in hidden and isinstance(pair, list)
                else pair
                for field, pair in entry.changes.items()
            }
    return entries


def about(objects) -> Q:
    """The condition "the row is about one of ``objects``" (a queryset of one model), for a filter."""
    return Q(target_type=ContentType.objects.get_for_model(objects.model),
             target_id__in=objects.annotate(_pk_text=Cast("pk", models.CharField())).values("_pk_text"))


def entries_for_model(model, *, target_ids=None, or_actor=None, limit: int = 50):
    """Rows about objects of ``model``, newest first: all of them, or those of ``target_ids`` (a
    list or a queryset of pks) plus, with ``or_actor``, those that user wrote."""
    qs = AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(model))
    if target_ids is not None:
        if isinstance(target_ids, models.QuerySet):
            target_ids = target_ids.annotate(_pk_text=Cast("pk", models.CharField())).values("_pk_text")
        else:
            target_ids = [str(i) for i in target_ids]
        condition = Q(target_id__in=target_ids)
        if or_actor is not None:
            condition |= Q(actor=or_actor)
        qs = qs.filter(condition)
    return qs.select_related("actor")[:limit]
