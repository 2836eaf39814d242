"""Shapes shared by every app's API: references, coded choices, error bodies, bounded text and
filter types, and the page-number pagination every list uses."""

from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import UniqueConstraint
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, StringConstraints

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Far beyond any real list; keeps OFFSET inside a 64-bit integer whatever the client sends.
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1


class Ref(Schema):
    """Another object, by id and name."""

    id: int
    name: str


class Choice(Schema):
    """A coded value with its Chinese label, e.g. ``{"code": "plenary", "label": "全体会议"}``."""

    code: str
    label: str


class Message(Schema):
    detail: str


class Invalid(Schema):
    """422: ``detail`` lists the offending fields (``field``/``messages`` from our rules,
    ``loc``/``msg`` from schema validation)."""

    detail: list[dict[str, Any]]


def ref(obj, label: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, label)}


def choice(obj, field: str) -> dict:
    return {"code": getattr(obj, field), "label": getattr(obj, f"get_{field}_display")()}


def choices(text_choices) -> Any:
    """``Literal`` of the codes of a ``TextChoices``, so an unknown code is a 422, not a 500."""
    return Literal[tuple(text_choices.values)]


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; refuse it here so it is a 422 on every database.
    if "\x00" in value:
        raise ValueError("不能包含空字符。")
    return value


def text(max_length: int, min_length: int = 0):
    """A stripped string with the model column's length, as a payload or filter field type."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_nul),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1, le=9999)]
SearchText = text(100)


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class Pages(PageNumberPagination):
    """``?page=&page_size=``; 50 a page by default, at most 200."""

    Input = PageInput

    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)


def lookup(queryset, pk, field: str, message: str):
    """The object ``pk`` names in a payload, or a 422 naming ``field``."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: message})
    return obj


@contextmanager
def unique_errors_named(model):
    """Report a single-field unique constraint's violation under that field, not ``__all__``.

    Django does so only for constraints that keep its default message; ours carry Chinese ones."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") or NON_FIELD_ERRORS not in exc.error_dict:
            raise
        errors = {field: list(errs) for field, errs in exc.error_dict.items()}
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
        raise ValidationError(errors) from exc


READ_ERRORS = {404: Message, 422: Invalid}
INSIDER_READ_ERRORS = {401: Message, 404: Message, 422: Invalid}
WRITE_ERRORS = {401: Message, 403: Message, 404: Message, 422: Invalid}
