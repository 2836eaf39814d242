"""Model constraints as the user meets them."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import UniqueConstraint


def unique_errors_by_field(model, error_dict: dict) -> dict:
    """Put the violation of a single-field ``UniqueConstraint`` back on its field.

    Django reports such a violation under the field only when the constraint keeps Django's own
    message; ours carry Chinese ones (已有同名单位), so they arrive form-wide (``__all__``). Used by
    the forms (``lianxi.lib.forms``) and the API (``lianxi.lib.schemas``) alike."""
    errors = {name: list(errs) for name, errs in error_dict.items()}
    if model is None or NON_FIELD_ERRORS not in errors:
        return errors
    single = {
        str(c.violation_error_message): c.fields[0]
        for c in model._meta.constraints
        if isinstance(c, UniqueConstraint) and len(c.fields) == 1 and c.condition is None
    }
    remaining = []
    for error in errors.pop(NON_FIELD_ERRORS):
        field = single.get(error.messages[0])
        (errors.setdefault(field, []) if field else remaining).append(error)
    if remaining:
        errors[NON_FIELD_ERRORS] = remaining
    return errors
