import datetime

import pytest

from lianxi.registry.models import Person
from lianxi.testing import make_user
from lianxi.visits import services
from lianxi.visits.models import Visitor


@pytest.fixture
def plan(world):
    """A plan for the world's district conference over a past quarter, with one visitor who has an
    account of their own (no grant: they see only the plans they visit for)."""
    user = make_user("visitor")
    person = Person.objects.create(name="示例走访人", unit=world.unit_a, user=user)
    plan = services.create_plan(world.secretariat, conference=world.district, start=datetime.date(2025, 1, 1))
    services.add_visitor(world.secretariat, plan, person=person, role=Visitor.Role.SECRETARIAT, capacity=5)
    plan.visitor_user = user
    return plan


@pytest.fixture
def current_plan(world):
    """A plan for the quarter we are in (what the pages compute from today on)."""
    person = Person.objects.create(name="示例本季走访人", unit=world.unit_b)
    plan = services.create_plan(world.secretariat, conference=world.district)
    services.add_visitor(world.secretariat, plan, person=person, role=Visitor.Role.CONVENER, capacity=5)
    return plan
