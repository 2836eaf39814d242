"""Small builders for meeting tests (synthetic names only)."""

import datetime

from lianxi.meetings import services
from lianxi.meetings.models import Meeting

DAY = datetime.date(2024, 6, 24)


def make_meeting(world, *, number=1, date=DAY, published=True, conference=None, actor=None, **fields) -> Meeting:
    return services.create_meeting(
        actor or world.secretariat, conference=conference or world.district, kind=Meeting.Kind.PLENARY,
        number=number, title=fields.pop("title", f"示例区联席会议第{number}次全体会议"), date=date,
        is_published=published, **fields,
    )
