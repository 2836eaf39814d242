"""A small synthetic campaign for tests: the world's district conference, one nominating body per
unit group, a two-line rubric, reviewers from the world's units."""

import datetime

from lianxi.campaigns import services
from lianxi.campaigns.models import Campaign
from lianxi.testing import make_user

TODAY = datetime.date(2025, 3, 10)


def campaign(world, *, kind=Campaign.Kind.BRAND, places=2, k=2, normalise=False, **extra):
    fields = dict(conference=world.district, title="演示品牌项目评选", kind=kind, year=2025, places=places,
                  reviews_per_nomination=k, normalise=normalise, call_start=datetime.date(2025, 3, 1),
                  call_end=datetime.date(2025, 3, 31), notice_start=datetime.date(2025, 5, 1),
                  notice_end=datetime.date(2025, 5, 7),
                  fields=[{"key": "team", "label": "团队", "required": True}])
    fields.update(extra)
    return services.create_campaign(world.secretariat, **fields)


def body(world, c, quota=5, name="示例区推荐主体"):
    return services.add_body(world.secretariat, c, name=name, quota=quota, conference=world.district)


def rubric(world, c):
    return [services.add_criterion(world.secretariat, c, name="成效", weight=60, max_score=10),
            services.add_criterion(world.secretariat, c, name="示范性", weight=40, max_score=10)]


def reviewer(world, c, name, unit=None, expertise=()):
    user = make_user(f"rev_{name}")
    return services.add_reviewer(world.secretariat, c, user=user, name=name, unit=unit, expertise=expertise)
