"""The burden pages: the district overview and approval queue, one unit's month, the cap form and
the digest button, with who may see and do what."""

import pytest
from django.urls import reverse

from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"burden:{name}", args=args)


def test_old_lists_paths_still_work():
    """The pages moved out of the lists app without moving: bookmarks to /lists/burden/ still land."""
    assert url("burden") == "/lists/burden/"
    assert url("burden_unit", 3) == "/lists/burden/units/3/"


def test_burden_pages(world, client_for):
    for i in range(9):
        burden.request(world.secretariat, unit=world.street_unit, kind=BurdenRequest.Kind.FORM, summary=f"填报{i}")
    response = client_for(world.admin).get(url("burden"))
    assert response.status_code == 200
    [row] = response.context["page"].object_list
    assert (row["unit__name"], row["total"], row["counted"], row["awaiting"], row["cap"]) == ("示例街道", 9, 8, 1, 8)
    waiting = BurdenRequest.objects.get(state=BurdenRequest.State.AWAITING_APPROVAL)
    assert client_for(world.secretariat).post(url("burden_decide", waiting.pk, "approve")).status_code == 403
    assert client_for(world.admin).post(url("burden_decide", waiting.pk, "approve")).status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == BurdenRequest.State.SENT
    # The street lands on its own page and may mark a form done.
    response = client_for(world.street).get(url("burden"))
    assert response.status_code == 302 and response["Location"] == url("burden_unit", world.street_unit.pk)
    page = client_for(world.street).get(url("burden_unit", world.street_unit.pk)).content.decode()
    assert "填报8" in page and "标记已完成" in page
    assert client_for(world.street).post(url("burden_answer", waiting.pk)).status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == BurdenRequest.State.ANSWERED


def test_burden_cap_form_and_access(world, client_for):
    assert client_for(world.outsider).get(url("burden")).status_code == 404
    assert client_for(world.reviewer).get(url("burden")).status_code == 403
    assert client_for(world.outsider).get(url("burden_unit", world.street_unit.pk)).status_code == 404
    assert client_for(world.liaison).get(url("burden_unit", world.street_unit.pk)).status_code == 403
    assert client_for(world.secretariat).post(url("burden_cap", world.street_unit.pk), {"monthly_cap": 3}).status_code == 403
    assert client_for(world.admin).post(url("burden_cap", world.street_unit.pk), {"monthly_cap": 3}).status_code == 302
    assert burden.cap_for(world.street_unit) == 3


def test_digest_send_button(world, client_for):
    burden.set_cap(world.admin, world.street_unit, monthly_cap=0)
    burden.request(None, unit=world.street_unit, kind=BurdenRequest.Kind.CONFIRM, summary="确认")
    page = client_for(world.admin).get(url("burden")).content.decode()
    assert "未发送的月度汇总" in page
    digest = BurdenRequest.objects.get().digest
    assert client_for(world.admin).post(url("digest_send", digest.pk)).status_code == 302
    digest.refresh_from_db()
    assert digest.sent_at is not None
