import pytest

from lianxi.matching.tests.helpers import need, resource


@pytest.fixture(autouse=True)
def _burden_cap(settings):
    """Invitations go through the burden gate: the tests count on its default cap."""
    settings.BURDEN_MONTHLY_CAP = 8
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def lists_world(world):
    """The world plus three needs of 示例街道 and two resources: ra (示例单位A, 为老服务, 4) fits n1 and n2,
    rb (示例单位B, 文化, 5) fits n3."""
    w = world
    w.n1 = need(w, "为独居老人提供助餐服务", quantity=3)
    w.n2 = need(w, "老年人健康讲座", quantity=2)
    w.n3 = need(w, "社区读书会活动", code="culture", quantity=1)
    w.ra = resource(w, "独居老人助餐配送服务", capacity=4)
    w.rb = resource(w, "读书会场地与主持人", unit=w.unit_b, code="culture", capacity=5)
    return w
