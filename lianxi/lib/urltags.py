"""``{% pk_url 'registry:unit_detail' u.pk %}``: the URL of an object's page without a ``reverse()``
per row.

A list page links every row to its detail page (and often to its conference's): fifty ``{% url %}``
tags a page, each resolving the pattern anew, were a third of the unit list's rendering time. The
URL of a name that takes one integer is the same text around the number, so it is reversed once
(per script prefix and URL conf) with a marker number and the two halves are kept. Loaded in every
template as a builtin (settings ``TEMPLATES`` ``builtins``)."""

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_MARK = "8642097531"
_halves: dict[tuple, tuple[str, str]] = {}


def pk_url(name: str, pk) -> str:
    """``reverse(name, args=[pk])`` for a URL name taking one integer, from a cached pattern."""
    key = (name, get_script_prefix(), get_urlconf())
    halves = _halves.get(key)
    if halves is None:
        head, found, tail = reverse(name, args=[int(_MARK)]).partition(_MARK)
        if not found or _MARK in tail:  # not a plain "…/<int>/…" pattern: reverse every time
            return reverse(name, args=[pk])
        halves = _halves[key] = (head, tail)
    return f"{halves[0]}{int(pk)}{halves[1]}"


@register.simple_tag(name="pk_url")
def pk_url_tag(name: str, pk) -> str:
    return pk_url(name, pk)
