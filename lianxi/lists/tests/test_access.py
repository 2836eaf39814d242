"""Every page of the lists, as an outsider (logged in, no grant) and as a read-only insider (the
reviewer): deny by default — 404 where the object is not theirs to see, 403 where it is visible but
not theirs to change. Anonymous users are sent to log in, except on the public pages."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lists import services
from lianxi.lists.tests.helpers import make_need, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    from lianxi.meetings.models import AgendaItem, Meeting

    need = make_need(world, quantity=2)
    draft = make_need(world, title="草稿", publish=False)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    delivery = claim.deliveries.get()
    resource = make_resource(world)
    req = burden.request(world.secretariat, unit=world.street_unit, kind=BurdenRequest.Kind.FORM, summary="填报")
    burden.set_cap(world.admin, world.street_unit, monthly_cap=0)
    batched = burden.request(None, unit=world.street_unit, kind=BurdenRequest.Kind.CONFIRM, summary="确认")
    meeting = Meeting.objects.create(conference=world.district, title="示例全体会议", date=timezone.localdate())
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.RELEASE, title="发布")
    snapshot = services.freeze_lists(world.secretariat, item)
    return {"need": need.pk, "draft": draft.pk, "claim": claim.pk, "delivery": delivery.pk, "resource": resource.pk,
            "request": req.pk, "digest": batched.digest_id, "unit": world.street_unit.pk, "snapshot": snapshot.pk,
            "conference": world.district.pk, "item": AgendaItem.objects.create(
                meeting=meeting, order=2, kind=AgendaItem.Kind.RELEASE, title="再次发布").pk}


# (method, url name, args from objects, query, outsider status, reviewer status, anonymous status)
PAGES = [
    ("get", "hall", [], {}, 200, 200, 200),
    ("get", "need_detail", ["need"], {}, 200, 200, 200),
    ("get", "need_detail", ["draft"], {}, 404, 404, 404),
    ("get", "need_create", [], {}, 404, 403, 302),
    ("get", "need_edit", ["need"], {}, 403, 403, 302),
    ("get", "need_edit", ["draft"], {}, 404, 404, 302),
    ("post", "need_publish", ["draft"], {}, 404, 404, 302),
    ("post", "need_withdraw", ["need"], {}, 403, 403, 302),
    ("post", "need_close", ["need"], {}, 403, 403, 302),
    ("get", "need_pair", ["need"], {}, 403, 403, 302),
    ("get", "need_claim", ["need"], {}, 403, 403, 302),
    ("post", "need_claim", ["need"], {}, 403, 403, 302),
    ("post", "claim_cancel", ["claim"], {}, 403, 403, 302),
    ("post", "claim_end", ["claim"], {}, 403, 403, 302),
    ("post", "delivery_record", ["delivery"], {}, 403, 403, 302),
    ("post", "delivery_confirm", ["delivery"], {}, 403, 403, 302),
    ("post", "delivery_rate", ["delivery"], {}, 403, 403, 302),
    ("get", "resource_list", [], {}, 200, 200, 200),
    ("get", "resource_detail", ["resource"], {}, 200, 200, 200),
    ("get", "resource_create", [], {}, 404, 403, 302),
    ("get", "resource_edit", ["resource"], {}, 403, 403, 302),
    ("post", "resource_state", ["resource", "withdraw"], {}, 403, 403, 302),
    ("get", "inbox", [], {}, 404, 403, 302),
    ("get", "overview", [], {}, 404, 403, 302),
    ("get", "burden:burden", [], {}, 404, 403, 302),
    ("get", "burden:burden_unit", ["unit"], {}, 404, 403, 302),
    ("post", "burden:burden_cap", ["unit"], {}, 404, 403, 302),
    ("post", "burden:burden_answer", ["request"], {}, 404, 403, 302),
    ("post", "burden:burden_decide", ["request", "approve"], {}, 404, 403, 302),
    ("post", "burden:digest_send", ["digest"], {}, 404, 403, 302),
    ("get", "excel", [], {}, 404, 403, 302),
    ("get", "excel_template", ["needs"], {"conference": "conference"}, 404, 403, 302),
    ("get", "excel_export", [], {"conference": "conference"}, 404, 403, 302),
    ("get", "snapshot_list", [], {}, 404, 200, 302),
    ("get", "snapshot_detail", ["snapshot"], {}, 404, 200, 302),
    ("get", "snapshot_export", ["snapshot"], {}, 404, 200, 302),
    ("post", "snapshot_freeze", [], {"agenda_item": "item"}, 404, 403, 302),
]


def _request(client, objects, method, name, args, query):
    path = reverse(name if ":" in name else f"lists:{name}", args=[objects.get(a, a) for a in args])
    params = {k: objects[v] for k, v in query.items()}
    return getattr(client, method)(path, params)


@pytest.mark.parametrize(("method", "name", "args", "query", "outsider", "reviewer", "anonymous"), PAGES,
                         ids=[f"{p[0]}-{p[1].replace(':', '-')}-{'-'.join(p[2])}" for p in PAGES])
def test_outsider_reviewer_and_anonymous(world, objects, client_for, method, name, args, query, outsider, reviewer,
                                         anonymous):
    assert _request(client_for(world.outsider), objects, method, name, args, query).status_code == outsider
    assert _request(client_for(world.reviewer), objects, method, name, args, query).status_code == reviewer
    assert _request(client_for(None), objects, method, name, args, query).status_code == anonymous


def test_nothing_changed_by_the_refused_requests(world, objects, client_for):
    from lianxi.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    for method, name, args, query, *_ in PAGES:
        if method == "post":
            for user in (world.outsider, world.reviewer, None):
                _request(client_for(user), objects, method, name, args, query)
    assert AuditEntry.objects.count() == before


def test_daily_command(world):
    out = io.StringIO()
    call_command("lists_daily", stdout=out)
    assert out.getvalue().startswith("新排交付 0 期；过期需求 0 条；发送汇总 0 份；当前逾期交付 0 期。")
