import datetime

import pytest
from django.core.exceptions import ValidationError

from lianxi.audit.models import AuditEntry
from lianxi.registry.models import Appointment, Membership, Unit
from lianxi.registry.services import (
    admit_unit,
    appoint,
    create_person,
    create_unit,
    end_membership,
    replace_appointment,
    update_unit,
)

pytestmark = pytest.mark.django_db


def test_create_unit_writes_audit_row(world):
    unit = create_unit(world.admin, name="示例单位C", category=Unit.Category.ORGAN)
    entry = AuditEntry.objects.for_object(unit).get()
    assert entry.action == "registry.unit.create"
    assert entry.actor == world.admin
    assert entry.changes["name"] == [None, "示例单位C"]
    assert entry.changes["category"] == [None, "organ"]


def test_update_unit_records_old_and_new(world):
    changes = update_unit(world.admin, world.unit_a, name="示例单位A改")
    assert changes == {"name": ["示例单位A", "示例单位A改"]}
    entry = AuditEntry.objects.for_object(world.unit_a).first()
    assert (entry.action, entry.changes) == ("registry.unit.update", {"name": ["示例单位A", "示例单位A改"]})
    world.unit_a.refresh_from_db()
    assert world.unit_a.initials == "sldwag"
    assert world.unit_a.search_text.startswith("示例单位a改")


def test_update_without_change_writes_nothing(world):
    before = AuditEntry.objects.count()
    assert update_unit(world.admin, world.unit_a, name="示例单位A") == {}
    assert AuditEntry.objects.count() == before


def test_duplicate_unit_name_names_the_field(world):
    with pytest.raises(ValidationError) as err:
        create_unit(world.admin, name="示例单位A", category=Unit.Category.ORGAN)
    assert "已有同名单位" in str(err.value)


def test_admit_twice_is_refused_and_rejoin_after_end_is_allowed(world):
    with pytest.raises(ValidationError) as err:
        admit_unit(world.admin, unit=world.unit_a, conference=world.district, start=datetime.date(2024, 1, 1))
    assert "unit" in err.value.error_dict
    membership = Membership.objects.get(unit=world.unit_a, conference=world.district)
    end_membership(world.admin, membership, end=datetime.date(2024, 1, 1))
    again = admit_unit(world.admin, unit=world.unit_a, conference=world.district, start=datetime.date(2024, 6, 1))
    assert Membership.objects.filter(unit=world.unit_a).count() == 2
    assert list(Membership.objects.current(datetime.date(2024, 3, 1)).filter(unit=world.unit_a)) == []
    assert list(Membership.objects.current(datetime.date(2024, 6, 1)).filter(unit=world.unit_a)) == [again]


def test_replace_appointment_ends_one_row_and_starts_another(world):
    p1 = create_person(world.admin, name="示例人员甲", unit=world.unit_a)
    p2 = create_person(world.admin, name="示例人员乙", unit=world.unit_b)
    first = appoint(world.admin, conference=world.district, role=Appointment.Role.ROTATING_CONVENER,
                    person=p1, unit=world.unit_a, start=datetime.date(2023, 1, 1))
    second = replace_appointment(world.admin, first, on=datetime.date(2024, 1, 1), person=p2, unit=world.unit_b)
    first.refresh_from_db()
    assert first.end == datetime.date(2024, 1, 1)
    assert second.start == datetime.date(2024, 1, 1) and second.person == p2
    current = Appointment.objects.filter(conference=world.district, role="rotating_convener").current(datetime.date(2024, 2, 1))
    assert list(current) == [second]
    actions = list(AuditEntry.objects.filter(action__startswith="registry.appointment").values_list("action", flat=True))
    assert sorted(actions) == ["registry.appointment.create", "registry.appointment.create", "registry.appointment.end"]


def test_unit_only_post_needs_unit(world):
    with pytest.raises(ValidationError) as err:
        appoint(world.admin, conference=world.district, role=Appointment.Role.SECRETARIAT)
    assert "unit" in err.value.error_dict


def test_search_by_initials_and_traditional(world):
    create_unit(world.admin, name="黄浦测试单位", category=Unit.Category.ORGAN)
    assert list(Unit.objects.search("hpcs").values_list("name", flat=True)) == ["黄浦测试单位"]
    assert list(Unit.objects.search("黃浦測試").values_list("name", flat=True)) == ["黄浦测试单位"]
