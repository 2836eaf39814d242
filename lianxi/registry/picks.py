"""Search-as-you-type pickers for list filters with hundreds of choices (327 conferences, 231
streets at city scale). A filter form no longer renders every choice as an ``<option>``: it renders
the chosen one (a hidden input keeping the ``?conference=<id>`` contract) and a text box that asks
:func:`lianxi.registry.views.conference_pick` for at most :data:`LIMIT` matches as the user types.

The pages of higher rooms (projects, meetings) use the same pieces: the template
``_pick.html`` and :func:`chosen_conference` / :func:`chosen_area` for the chosen row's name."""

from django.db.models import Q

from lianxi.lib.text import looks_like_initials, normalise_query
from lianxi.registry.gates import conferences_visible_to
from lianxi.registry.models import Area, Conference

LIMIT = 15


def chosen_conference(user, pk: int | None) -> Conference | None:
    """The chosen conference if the user may see it (one query; none without a choice)."""
    if not pk:
        return None
    return conferences_visible_to(user).filter(pk=pk).only("id", "name", "short_name").first()


def chosen_area(pk: int | None) -> Area | None:
    if not pk:
        return None
    return Area.objects.exclude(kind=Area.Kind.NEIGHBOURHOOD).filter(pk=pk).only("id", "name").first()


def matching_conferences(user, term: str) -> list[tuple[int, str]]:
    """Up to :data:`LIMIT` visible conferences matching ``term`` (name, short name or initials), as
    ``(id, display name)``; the first ones by id when ``term`` is empty."""
    qs = conferences_visible_to(user)
    term = (term or "").strip()
    if term:
        key = term.lower() if looks_like_initials(term) else normalise_query(term)
        qs = qs.filter(search_text__contains=key)
    return [(pk, short or name) for pk, name, short in qs.order_by("id").values_list("id", "name", "short_name")[:LIMIT]]


def matching_areas(term: str) -> list[tuple[int, str]]:
    """Up to :data:`LIMIT` districts and streets whose name contains ``term``."""
    qs = Area.objects.exclude(kind=Area.Kind.NEIGHBOURHOOD)
    term = (term or "").strip()
    if term:
        qs = qs.filter(Q(name__contains=term) | Q(name__contains=normalise_query(term)))
    return list(qs.order_by("kind", "name", "id").values_list("id", "name")[:LIMIT])
