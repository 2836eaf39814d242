"""What applying an agenda item's resolution does, and what else hangs off an agenda item, as
registries the rooms above meetings fill in their ``AppConfig.ready``.

meetings sits below projects and lists (docs/architecture.md): it may not import them, yet a
release item (发布) releases projects and an award item (颁授) awards them. So the room that owns
the effect registers it here:

- :func:`register_resolution` — the apply action for one kind of agenda item: the service that
  carries it out (``apply(actor, item, **options)``) and the form that collects its options on the
  meeting's apply page (``form(data, item=item)`` with an ``options()`` method). The projects room
  registers release and award; meetings registers its own kinds (admission, unveiling …) the
  same way, in ``meetings.services``.
- :func:`register_agenda_link` — objects of a higher room linked to agenda items (a project's
  ``released_at``): the related name and the gate that says which of them a user may see, so the
  meeting page and the API show them without a query per item.

The lists' snapshot of a release (``lianxi.lists.services.freeze_lists``) stays with the lists: it
freezes the lists as released by a release item, asked for on the lists' snapshot page, and only
reads the agenda item, so meetings need not know it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Resolution:
    apply: Callable  # (actor, item, **options) -> what was made or changed
    form: type | None  # form(data, item=item) whose options() are apply's options


@dataclass(frozen=True)
class AgendaLink:
    related_name: str  # the reverse relation on AgendaItem (released_projects …)
    visible_to: Callable  # (user) -> queryset of the linked objects the user may see


_resolutions: dict[str, Resolution] = {}
_links: dict[str, AgendaLink] = {}


def register_resolution(kind: str, apply: Callable, form: type | None = None) -> None:
    _resolutions[kind] = Resolution(apply=apply, form=form)


def resolution_for(kind: str, label: str = "") -> Resolution:
    resolution = _resolutions.get(kind)
    if resolution is None:
        raise ValidationError({"kind": f"“{label or kind}”类议程没有需要执行的决议。"})
    return resolution


def register_agenda_link(related_name: str, visible_to: Callable) -> None:
    _links[related_name] = AgendaLink(related_name=related_name, visible_to=visible_to)


def agenda_links() -> list[AgendaLink]:
    return list(_links.values())
