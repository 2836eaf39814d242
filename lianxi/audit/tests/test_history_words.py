"""An object's 变更记录 reads as words: who, when to the minute, what was done, each field by its
label with the values a page shows. Action codes and field names stay in the stored row."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from lianxi.audit.models import AuditEntry
from lianxi.audit.words import action_words, readable
from lianxi.registry.models import Unit
from lianxi.registry.services import update_unit

pytestmark = pytest.mark.django_db

RAW = re.compile(r"\b(registry|lists|meetings|projects|accounts|matching|burden)\.[a-z_]+|party_org_level|"
                 r"category\b|\bunknown\b|committee\b|enterprise\b|\d{2}:\d{2}:\d{2}\.\d+")


def _history_text(html: str) -> str:
    section = html[html.index("变更记录"):]
    return re.sub(r"<[^>]+>", " ", section[:section.index("</section>")])


def test_street_account_reads_its_units_history_in_words(world, client_for):
    unit = world.street_unit
    update_unit(world.admin, unit, party_org_level=Unit.PartyOrgLevel.GENERAL_BRANCH, category=Unit.Category.ORGAN)
    response = client_for(world.street).get(f"/units/{unit.pk}/")
    assert response.status_code == 200
    text = _history_text(response.content.decode())
    assert "新建单位" in text and "修改单位信息" in text
    assert "党组织层级：" in text and "成员类别：" in text
    assert f"{Unit.PartyOrgLevel.WORKING_COMMITTEE.label} → 党总支" in text
    assert f"{Unit.Category.STREET.label} → {Unit.Category.ORGAN.label}" in text
    assert RAW.search(text) is None, RAW.search(text)
    # when, to the minute, in local time
    entry = AuditEntry.objects.for_object(unit).first()
    assert timezone.localtime(entry.time).strftime("%Y-%m-%d %H:%M") in text


def test_history_of_a_unit_outside_the_street_accounts_reach_is_refused(world, client_for):
    """The street account sees 示例单位A's public page, but not its 变更记录: that belongs to the
    unit's own accounts and to those who run or review its conferences (registry.gates)."""
    update_unit(world.admin, world.unit_a, category=Unit.Category.ORGAN)
    html = client_for(world.street).get(f"/units/{world.unit_a.pk}/").content.decode()
    assert "示例单位A" in html and "变更记录" not in html and "修改单位信息" not in html
    # …while the unit's liaison and the conference's secretariat read it.
    for reader in (world.liaison, world.secretariat):
        assert "修改单位信息" in _history_text(client_for(reader).get(f"/units/{world.unit_a.pk}/").content.decode())


def test_a_need_outside_the_street_accounts_reach(world, client_for):
    """Another unit's published need: the street account may see the need (it is in the hall) but
    not its history; the owner's liaison reads it."""
    from lianxi.lists.tests.helpers import make_need

    need = make_need(world, owner=world.unit_b, actor=world.secretariat)
    html = client_for(world.street).get(f"/lists/needs/{need.pk}/").content.decode()
    assert need.title in html and "变更记录" not in html
    assert "新建需求" in _history_text(client_for(world.liaison_b).get(f"/lists/needs/{need.pk}/").content.decode())


def test_the_history_gate_is_the_rooms_and_denies_a_model_without_one(world):
    from lianxi.accounts import gates
    from lianxi.lists.models import NeedCategory

    assert gates.may_read_history(world.street, world.street_unit)
    assert not gates.may_read_history(world.street, world.unit_a)
    assert gates.may_read_history(world.admin, world.unit_a)
    # A model whose room registered no history gate: no one reads it, not even a superuser.
    superuser = get_user_model().objects.create_superuser("root", password="x")
    assert gates.history_for(superuser, NeedCategory.objects.first()) is None


def test_history_is_not_shown_to_visitors(world, client_for):
    for user in (None, world.outsider):
        html = client_for(user).get(f"/units/{world.unit_a.pk}/").content.decode()
        assert "变更记录" not in html


def test_values_as_a_page_shows_them(world):
    from lianxi.audit.services import record

    when = datetime.datetime(2024, 6, 24, 1, 30, 15, 123456, tzinfo=datetime.UTC)
    record(world.admin, "registry.unit.update", world.unit_a, {
        "area": [None, world.street_area.pk],  # a linked object stored by id
        "party_org_level": ["unknown", "committee"],
        "not_a_field": [1, 2],
    })
    entry = readable(AuditEntry.objects.for_object(world.unit_a)[:1])[0]
    shown = {c.label: (c.old, c.new) for c in entry.changes}
    area_label = str(Unit._meta.get_field("area").verbose_name)
    assert shown[area_label] == ("—", "示例街道")
    assert shown["党组织层级"] == ("未载明", "党委")
    assert shown["其他"] == ("1", "2")
    assert entry.action == "修改单位信息"

    # A timestamp (stored with microseconds) reads in local time to the minute.
    grant = world.admin.grants.get()
    record(None, "accounts.grant.update", grant, {"created": [None, when.isoformat()]})
    entry = readable(AuditEntry.objects.for_object(grant)[:1])[0]
    local = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("授予时间", "—", local)]
    assert (entry.actor, entry.action) == ("系统", "修改角色授权")


def test_unknown_codes_still_read_as_words(world):
    assert action_words("registry.unit.merge", Unit) == "变更单位"
    assert action_words("registry.unit.delete", Unit) == "删除单位"
    assert action_words("lists.delivery.confirm") == "确认交付"
    assert action_words("burden.cap.update") == action_words("lists.burden.cap.update") == "修改减负上限"


def test_street_account_reads_its_need_history_in_words(world, client_for):
    from lianxi.lists import services
    from lianxi.lists.models import Need
    from lianxi.lists.tests.helpers import make_need

    need = make_need(world, quantity=4)
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=4)
    response = client_for(world.street).get(f"/lists/needs/{need.pk}/")
    html = response.content.decode()
    section = html[html.index("变更记录"):]
    text = re.sub(r"<[^>]+>", " ", section[:section.index("</section>")])
    assert "新建需求" in text and "认领" in text
    published, claimed = Need.State.PUBLISHED.label, Need.State.CLAIMED.label
    assert f"{published} → {claimed}" in text
    assert RAW.search(text) is None, RAW.search(text)
    assert "claimed_quantity" not in text and "state" not in text
