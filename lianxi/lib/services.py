"""The common shape of a write: validate the model, save, append one audit row, in one transaction.

Domain services call these and add their own rules; they never save a model without an audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lianxi.audit.services import created, diff, record, snapshot
from lianxi.lib.text import normalise_name

# Fields that name or title something, on any model: normalised and required to be visible text.
NAME_FIELDS = ("name", "title", "short_name", "party_org_name")


def clean_names(fields: dict, names=NAME_FIELDS) -> dict[str, str]:
    """Normalise the names in ``fields`` in place (:func:`lianxi.lib.text.normalise_name`);
    ``{field: message}`` for those refused. Every way in (page, API, Excel row, admin) reaches
    this through the services and the forms that check rows for them, so all get one verdict."""
    errors = {}
    for name in names:
        value = fields.get(name)
        if isinstance(value, str):
            try:
                fields[name] = normalise_name(value)
            except ValueError as exc:
                errors[name] = str(exc)
    return errors


def _require_clean_names(fields: dict):
    errors = clean_names(fields)
    if errors:
        raise ValidationError(errors)


def _concrete_field_names(obj, names):
    return [n for n in names if not n.startswith("_")]


@transaction.atomic
def create_object(actor, model, action: str, *, m2m: dict | None = None, **fields):
    """Build ``model(**fields)``, run ``full_clean`` (field rules and named constraints), save, audit."""
    _require_clean_names(fields)
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    changes = created(obj, _concrete_field_names(obj, fields))
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
        changes[name] = [None, sorted(str(v) for v in values)]
    record(actor, action, obj, changes)
    return obj


@transaction.atomic
def update_object(actor, obj, action: str, *, m2m: dict | None = None, **fields):
    """Set ``fields`` on ``obj``; save only what changed and audit ``{field: [old, new]}``.
    Returns the change set (empty when nothing changed, and then no row is written)."""
    _require_clean_names(fields)
    before = snapshot(obj, fields.keys())
    for name, value in fields.items():
        setattr(obj, name, value)
    changes = diff(before, obj)
    for name, values in (m2m or {}).items():
        old = sorted(str(v) for v in getattr(obj, name).all())
        new = sorted(str(v) for v in values)
        if old != new:
            getattr(obj, name).set(values)
            changes[name] = [old, new]
    if not changes:
        return changes
    obj.full_clean()
    changed_fields = [f for f in changes if f not in (m2m or {})]
    if changed_fields:
        # Derived columns (search text) are refreshed by save(); include them when present.
        extra = [f for f in ("search_text", "initials") if hasattr(obj, f)]
        obj.save(update_fields=changed_fields + extra)
    record(actor, action, obj, changes)
    return changes
