"""Plain helpers for the matching tests: needs and resources built through the lists services."""

from lianxi.audit.models import AuditEntry
from lianxi.lists import services as lists
from lianxi.lists.models import Need, NeedCategory, Resource


def category(code: str) -> NeedCategory:
    return NeedCategory.objects.get(code=code)


def need(world, title: str, *, code: str = "elderly", quantity: int = 2, **fields) -> Need:
    return lists.post_need(world.street, publish=True, conference=world.district, owner=world.street_unit,
                           title=title, category=category(code), area=world.street_area, quantity=quantity,
                           quantity_unit="场", **fields)


def resource(world, title: str, *, unit=None, code: str = "elderly", capacity: int = 4, areas=None,
             **fields) -> Resource:
    return lists.offer_resource(world.secretariat, areas=[world.street_area] if areas is None else areas,
                                conference=world.district, unit=unit or world.unit_a, title=title,
                                category=category(code), kind=Resource.Kind.SERVICE, capacity=capacity, **fields)


def audit(obj, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.for_object(obj).filter(action=action).order_by("id"))
