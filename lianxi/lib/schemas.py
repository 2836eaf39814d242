"""Shapes shared by every app's API: references, coded choices, error bodies, bounded text and
filter types, and the page-number pagination every list uses."""

import datetime
import re
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.schema import Resolver, ResolverMetaclass
from pydantic import AfterValidator, BeforeValidator, StrictInt, StringConstraints

from lianxi.lib.constraints import unique_errors_by_field
from lianxi.lib.pagination import bounded_count, count_bound
from lianxi.lib.params import MAX_ID, MAX_PAGE

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Ref(Schema):
    """Another object, by id and name."""

    id: int
    name: str


class Choice(Schema):
    """A coded value with its Chinese label, e.g. ``{"code": "plenary", "label": "全体会议"}``."""

    code: str
    label: str


def _blank_is_null(value):
    return None if value == "" else value


# A value the source may not state. Unknown is written one way per type in every response (see
# docs/api.md): a single value (text, date, number, reference) is ``null``, never ``""``; a coded choice
# is ``{"code": "unknown", "label": "未载明"}``; a list is ``[]`` (none recorded).
Stated = Annotated[str | None, BeforeValidator(_blank_is_null)]


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


def _choice_of(name: str):
    def resolve(obj):
        return choice(obj, name)

    return staticmethod(resolve)


class _OutMeta(ResolverMetaclass):
    def __new__(mcs, name, bases, namespace, **kwargs):
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        for field_name, field in cls.model_fields.items():
            if field.annotation is Choice and field_name not in cls._ninja_resolvers:
                cls._ninja_resolvers[field_name] = Resolver(_choice_of(field_name))
        return cls


class Out(Schema, metaclass=_OutMeta):
    """A response read from a model instance.

    A field typed ``Choice`` reads the model field of the same name as ``{"code", "label"}``, and a
    field typed ``Ref`` (or ``Ref | None``) reads the linked object by its ``id`` and ``name``, so a
    schema writes a resolver only where it reads something else."""


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

# Payload (JSON body) types are strict: ``true`` is not the id 1, ``0`` is not 1970-01-01 and
# "3" is not a quantity. Path and query parameters arrive as text and keep the lax ``Id``.
RefId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("日期须为 YYYY-MM-DD 格式的字符串。")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]
SearchText = text(100)


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class PageOutput(Schema):
    items: list[Any]
    count: int = Field(
        description="匹配的条目数。count_capped 为 false 时是精确数；为 true 时表示条目多于 count"
        "（计数在 1000 条处停止，或在所请求页之后一页处停止，取较远者），请继续翻页直到某页不满。"
    )
    count_capped: bool = Field(description="为 true 时 count 是计数上限而非总数：列表比 count 更长。")


class Pages(PageNumberPagination):
    """``?page=&page_size=``; 50 a page by default, at most 200.

    The body is ``{"items": [...], "count": n, "count_capped": bool}``. The count is bounded as on
    the web pages (:mod:`lianxi.lib.pagination`): exact up to 1,000 items; past that (and past one
    page after the requested one) counting stops, ``count`` is where it stopped and ``count_capped``
    is true — there are more items than ``count``; page on until a page comes back short."""

    Input = PageInput
    Output = PageOutput

    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)

    def paginate_queryset(self, queryset, pagination: PageInput, request, **params):
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count, capped = bounded_count(queryset, count_bound(pagination.page, page_size))
        return {self.items_attribute: queryset[offset: offset + page_size], "count": count, "count_capped": capped}

    async def apaginate_queryset(self, queryset, pagination: PageInput, request, **params):
        from asgiref.sync import sync_to_async

        page = await sync_to_async(self.paginate_queryset)(queryset, pagination, request, **params)
        page[self.items_attribute] = await sync_to_async(list)(page[self.items_attribute])
        return page


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
        errors = unique_errors_by_field(model, exc.error_dict)
        raise ValidationError(errors) from exc


# Every answer the API may give besides success is declared: 400 a body that is not JSON, 401 not
# logged in, 403 not allowed (or a missing CSRF token), 404 not there or not visible, 409 a write
# that conflicts with data saved meanwhile, 422 a payload or parameter that breaks a rule.
READ_ERRORS = {400: Message, 404: Message, 422: Invalid}
INSIDER_READ_ERRORS = {400: Message, 401: Message, 404: Message, 422: Invalid}
WRITE_ERRORS = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Invalid}
