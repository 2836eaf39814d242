"""The demo loader: a visibly synthetic conference, nothing added to Huangpu, idempotent."""

import pytest

from lianxi.demo.huangpu import load_huangpu
from lianxi.registry.models import Conference, Venue
from lianxi.visits import demo
from lianxi.visits.models import Secondment, Visit, VisitPlan

pytestmark = pytest.mark.django_db


def test_demo_samples_are_synthetic_and_loaded_once():
    load_huangpu()
    huangpu = Conference.objects.get(name="黄浦区区域化党建联席会议")
    result = demo.load_samples()
    conference = result["conference"]
    assert "示例" in conference.name and not conference.is_public
    assert Visit.objects.filter(conference=conference).count() == 24
    assert Visit.objects.filter(conference=conference, state=Visit.State.DONE).count() == 1
    assert not Visit.objects.filter(conference=huangpu).exists()
    assert not VisitPlan.objects.filter(conference=huangpu).exists()
    assert all("演示" in v.name for v in Venue.objects.all())
    assert all("示例" in s.batch.name for s in Secondment.objects.select_related("batch"))
    assert demo.load_samples() == {}
    assert Visit.objects.filter(conference=conference).count() == 24
