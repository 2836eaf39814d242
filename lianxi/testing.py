"""Plain helpers that build the named personas and a small synthetic world for tests.

Personas (every page is tested as an outsider and as a read-only insider, through HTTP): ``admin`` (district administrator), ``secretariat`` (of the district
conference), ``liaison`` (of 示例单位A), ``street`` (示例街道 party working committee), ``reviewer``,
``outsider`` (logged in, no grant). All names are visibly synthetic."""

import datetime
import threading
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections

from lianxi.accounts.models import Grant
from lianxi.registry.models import Area, Conference, Unit
from lianxi.registry.services import admit_unit, create_area, create_conference, create_unit

PASSWORD = "test-password-123"


def make_user(username: str, *, superuser: bool = False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, password=PASSWORD)
    return User.objects.create_user(username=username, password=PASSWORD)


def grant(user, role: str, *, conference=None, unit=None) -> Grant:
    return Grant.objects.create(user=user, role=role, conference=conference, unit=unit)


@dataclass
class World:
    district: Conference
    sub: Conference
    street_area: Area
    unit_a: Unit
    unit_b: Unit
    street_unit: Unit
    outside_unit: Unit
    admin: object
    secretariat: object
    liaison: object
    liaison_b: object
    street: object
    reviewer: object
    outsider: object


def build_world() -> World:
    """A district conference with one sub-conference, three member units and one non-member."""
    district_area = create_area(None, name="示例区", kind=Area.Kind.DISTRICT)
    street_area = create_area(None, name="示例街道", kind=Area.Kind.STREET, parent=district_area)
    district = create_conference(None, name="示例区区域化党建联席会议", short_name="示例区", kind=Conference.Kind.DISTRICT,
                                 area=district_area)
    sub = create_conference(None, name="示例片区区域化党建联席会议", short_name="示例片区", kind=Conference.Kind.AREA,
                            parent=district)
    unit_a = create_unit(None, name="示例单位A", party_org_name="示例单位A党委", party_org_level=Unit.PartyOrgLevel.COMMITTEE,
                         category=Unit.Category.ENTERPRISE, area=street_area)
    unit_b = create_unit(None, name="示例单位B", party_org_name="示例单位B党总支",
                         party_org_level=Unit.PartyOrgLevel.GENERAL_BRANCH, category=Unit.Category.NEW_ECONOMIC,
                         area=street_area)
    street_unit = create_unit(None, name="示例街道", party_org_name="示例街道党工委",
                              party_org_level=Unit.PartyOrgLevel.WORKING_COMMITTEE, category=Unit.Category.STREET,
                              area=street_area)
    outside_unit = create_unit(None, name="示例单位Z", category=Unit.Category.NEW_SOCIAL,
                               party_org_level=Unit.PartyOrgLevel.NONE)
    start = datetime.date(2020, 1, 1)
    for unit in (unit_a, unit_b, street_unit):
        admit_unit(None, unit=unit, conference=district, start=start)

    personas = {}
    for name, role, scope in (
        ("admin", Grant.Role.ADMIN, {"conference": district}),
        ("secretariat", Grant.Role.SECRETARIAT, {"conference": district}),
        ("liaison", Grant.Role.LIAISON, {"unit": unit_a}),
        ("liaison_b", Grant.Role.LIAISON, {"unit": unit_b}),
        ("street", Grant.Role.STREET, {"unit": street_unit}),
        ("reviewer", Grant.Role.REVIEWER, {"conference": district}),
    ):
        personas[name] = make_user(name)
        grant(personas[name], role, **scope)
    return World(district, sub, street_area, unit_a, unit_b, street_unit, outside_unit, **personas,
                 outsider=make_user("outsider"))


def race(keys, load, act):
    """Concurrency harness: one thread (and so one database connection) per key. Each thread loads
    its objects with ``load(key)``, waits until every thread has, then calls ``act(loaded)`` at the
    same moment as the others. Returns ``(accepted keys, refused message dicts, other errors)``: a
    ``ValidationError`` is the service refusing, anything else is a finding."""
    barrier = threading.Barrier(len(keys))
    accepted, refused, errors = [], [], []

    def attempt(key):
        try:
            loaded = load(key)
            barrier.wait(timeout=30)
            act(loaded)
            accepted.append(key)
        except ValidationError as exc:
            refused.append(exc.message_dict)
        except Exception as exc:  # noqa: BLE001 - any other failure is a finding
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(key,)) for key in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return accepted, refused, errors
