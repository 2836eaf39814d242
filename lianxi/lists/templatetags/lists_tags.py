"""Small template helpers for the lists pages."""

from django import template
from django.utils.html import format_html

register = template.Library()

# The badge colour of each state, as lists/_state_badge.html draws it.
BADGE = {
    "published": "badge amber", "partly_claimed": "badge amber",
    "claimed": "badge", "in_delivery": "badge", "delivered": "badge", "active": "badge", "scheduled": "badge",
    "confirmed": "badge green", "closed": "badge green", "completed": "badge green", "offered": "badge green",
}


@register.filter
def state_badge(obj):
    """``<span class="badge …">状态</span>`` for an object with a ``state`` field: what
    ``{% include "lists/_state_badge.html" %}`` renders, without an include per row (the hall
    draws up to a hundred cards)."""
    return format_html('<span class="{}">{}</span>', BADGE.get(obj.state, "badge grey"), obj.get_state_display())
