"""The registry's answers to what ``lianxi.accounts.access`` needs to know (how conferences nest,
which units belong to which conference today), registered in ``RegistryConfig.ready`` so that
accounts, a lower room, never imports the registry."""

from lianxi.registry.models import Conference, Membership, Person, Unit


def with_descendants(root_ids: set[int]) -> set[int]:
    """The conferences ``root_ids`` and every conference below them (one query)."""
    children: dict[int | None, list[int]] = {}
    for cid, parent in Conference.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(cid)
    out, stack = set(), list(root_ids)
    while stack:
        cid = stack.pop()
        if cid in out:
            continue
        out.add(cid)
        stack.extend(children.get(cid, []))
    return out


def is_current_member(unit_id: int, conference_ids: set[int]) -> bool:
    """Whether the unit currently belongs to one of the conferences."""
    return Membership.objects.current().filter(unit_id=unit_id, conference_id__in=conference_ids).exists()


def has_membership(unit_id: int, conference_ids: set[int]) -> bool:
    """Whether the unit belongs, or once belonged, to one of the conferences."""
    return Membership.objects.filter(unit_id=unit_id, conference_id__in=conference_ids).exists()


def units_of(conference_ids: set[int]):
    """The units that belong, or once belonged, to one of the conferences (a queryset)."""
    return Unit.objects.filter(pk__in=Membership.objects.filter(conference_id__in=conference_ids).values("unit_id"))


def people_of(conference_ids: set[int]):
    """The people of those units (a queryset): whose audit rows a conference's secretariat reads."""
    return Person.objects.filter(unit__in=units_of(conference_ids))
