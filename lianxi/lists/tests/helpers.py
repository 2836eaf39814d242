"""Plain helpers for the lists tests: a need, a resource, a claim, built through the services."""

import datetime

from django.utils import timezone

from lianxi.audit.models import AuditEntry
from lianxi.lists import services
from lianxi.lists.models import Need, NeedCategory, Resource
from lianxi.registry.models import Unit
from lianxi.registry.services import admit_unit, create_unit


def category(code: str = "elderly") -> NeedCategory:
    return NeedCategory.objects.get(code=code)


def make_need(world, *, quantity: int = 4, publish: bool = True, owner=None, title: str = "示例需求：助餐",
              code: str = "elderly", actor=None, **fields) -> Need:
    return services.post_need(
        actor if actor is not None else world.street, publish=publish, conference=world.district,
        owner=owner or world.street_unit, title=title, category=category(code), area=world.street_area,
        quantity=quantity, quantity_unit="人", **fields,
    )


def make_resource(world, *, unit=None, code: str = "elderly", actor=None, **fields) -> Resource:
    return services.offer_resource(
        actor if actor is not None else world.liaison, areas=[world.street_area], conference=world.district,
        unit=unit or world.unit_a, title=fields.pop("title", "示例资源：志愿者"), category=category(code),
        kind=Resource.Kind.VOLUNTEERS, capacity=fields.pop("capacity", 5), **fields,
    )


def extra_members(world, n: int, prefix: str = "示例成员") -> list[Unit]:
    units = []
    for i in range(n):
        unit = create_unit(None, name=f"{prefix}{i:03d}", category=Unit.Category.ENTERPRISE)
        admit_unit(None, unit=unit, conference=world.district, start=datetime.date(2020, 1, 1))
        units.append(unit)
    return units


def audit_rows(obj, action: str | None = None):
    rows = AuditEntry.objects.for_object(obj)
    if action:
        rows = rows.filter(action=action)
    return list(rows.order_by("id"))


def later(days: int = 0, hours: int = 0):
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


def export_plenary_file(client, conference):
    """The plenary export as a person gets it: the button's POST queues a job (the tests'
    ImmediateBackend runs it at once), whose page offers the file. Returns the download response."""
    from django.urls import reverse

    from lianxi.jobs.models import Job

    response = client.post(reverse("lists:excel_export"), {"conference": conference.pk})
    job = Job.objects.filter(kind="lists.export_plenary").latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    return client.get(reverse("jobs:job_output", args=[job.pk]))
