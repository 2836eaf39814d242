"""A campaign from the call to the award on a meeting's agenda, through the services, and the bad
inputs each phase refuses."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from lianxi.audit.models import AuditEntry
from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Campaign, Honour, Nomination, Phase
from lianxi.campaigns.tests.helpers import TODAY, body, campaign, reviewer, rubric
from lianxi.meetings.services import apply_resolution
from lianxi.projects.models import Project
from lianxi.registry.tests.helpers import agenda, plenary

pytestmark = pytest.mark.django_db


def run_to_review(world, kind=Campaign.Kind.BRAND, normalise=False):
    c = campaign(world, kind=kind, normalise=normalise)
    b = body(world, c, quota=2)
    crit = rubric(world, c)
    services.advance(world.secretariat, c)
    noms = [services.create_nomination(world.liaison, c, unit=u, body=b, title=f"示例项目{i}", links=["brand"],
                                       values={"team": "示例团队"}, submit=True, today=TODAY, party_org_name=f"示例党支部{i}")
            for i, u in enumerate([world.unit_a, world.unit_b, world.street_unit])]
    services.advance(world.secretariat, c)
    services.recommend(world.secretariat, noms[0])
    services.recommend(world.secretariat, noms[1])
    with pytest.raises(ValidationError) as err:
        services.recommend(world.secretariat, noms[2])
    assert "名额（2）已用完" in err.value.message_dict["quota"][0]
    r1 = reviewer(world, c, "评审甲", unit=world.unit_a, expertise=["brand"])
    r2 = reviewer(world, c, "评审乙", expertise=["brand"])
    r3 = reviewer(world, c, "评审丙")
    services.advance(world.secretariat, c)
    return c, noms, crit, (r1, r2, r3)


def test_campaign_from_call_to_award(world):
    c, noms, crit, (r1, r2, r3) = run_to_review(world)
    result = services.assign_reviewers(world.secretariat, c)
    assert result.shortfall == 0
    pairs = set(Assignment.objects.values_list("reviewer__name", "nomination__title"))
    # 评审甲 works at 示例单位A: never on its nomination (same unit) — nor on B's (same nominating body).
    assert not any(r == "评审甲" for r, _ in pairs)
    assert {t for _, t in pairs} == {"示例项目0", "示例项目1"}
    why = {row["reviewer"].name: row for row in services.explain(c, noms[0])}
    assert why["评审甲"]["why"].startswith("利益冲突") and not why["评审甲"]["assigned"]
    assert why["评审乙"]["assigned"] and "专长匹配" in why["评审乙"]["why"]
    for a in Assignment.objects.select_related("nomination"):
        high = a.nomination.title == "示例项目1"
        services.submit_scores(a.reviewer.user, a, {crit[0].pk: 9 if high else 6, crit[1].pk: 8})
    with pytest.raises(ValidationError):
        services.add_criterion(world.secretariat, c, name="新增", weight=0)
    services.advance(world.secretariat, c)
    ranking = services.stored_ranking(c)
    assert ranking == services.compute_ranking(c)
    assert [r["nomination"] for r in ranking] == [noms[1].pk, noms[0].pk]
    with pytest.raises(ValidationError):
        services.decide(world.secretariat, c, selected=noms)  # the third was never ranked
    services.decide(world.secretariat, c, selected=noms[:2], note="联席会议审议通过")
    c.refresh_from_db()
    assert c.decided_by == world.secretariat and c.decided_at is not None
    services.advance(world.secretariat, c)
    assert Campaign.objects.get(pk=c.pk).phase == Phase.NOTICE
    with pytest.raises(ValidationError) as err:
        services.file_objection(None, c, filer_name="群众", contact="x", text="异议", today=datetime.date(2025, 5, 8))
    assert "不在公示期内" in err.value.message_dict["phase"][0]
    obj = services.file_objection(None, c, filer_name="群众", contact="电话", text="请核实", nomination=noms[0],
                                  today=datetime.date(2025, 5, 3))
    with pytest.raises(ValidationError):
        services.advance(world.secretariat, c, today=datetime.date(2025, 5, 6))  # window still open
    with pytest.raises(ValidationError):
        services.advance(world.secretariat, c, today=datetime.date(2025, 5, 8))  # objection pending
    services.handle_objection(world.secretariat, obj, upheld=False, handling="经核实，材料属实")
    services.advance(world.secretariat, c, today=datetime.date(2025, 5, 8))
    with pytest.raises(ValidationError):
        services.advance(world.secretariat, c)  # only an agenda item awards
    item = agenda(plenary(world.district), "award")
    apply_resolution(world.secretariat, item, campaign=c)
    c.refresh_from_db()
    assert c.phase == Phase.AWARDED and c.awarded_at == item
    brand = Project.objects.filter(kind="brand", awarded_at=item).order_by("order")
    assert [p.title for p in brand] == ["示例项目1", "示例项目0"]
    with pytest.raises(ValidationError):
        apply_resolution(world.secretariat, item, campaign=c)


def test_honour_named_with_representatives(world, client_for):
    c, noms, crit, _ = run_to_review(world, kind=Campaign.Kind.HONOUR)
    services.update_campaign(world.secretariat, c, honour_name="示例百优支部")
    services.assign_reviewers(world.secretariat, c)
    for a in Assignment.objects.all():
        services.submit_scores(None, a, {crit[0].pk: 5, crit[1].pk: 5})
    services.advance(world.secretariat, c)
    n0 = Nomination.objects.get(pk=noms[0].pk)
    assert n0.tied and n0.rank == 1  # equal scores: both rank 1, flagged
    services.decide(world.secretariat, c, selected=noms[:2])
    services.advance(world.secretariat, c)
    services.advance(world.secretariat, c, today=datetime.date(2025, 6, 1))
    item = agenda(plenary(world.district), "naming")
    apply_resolution(world.secretariat, item, campaign=c, representatives=[noms[1]])
    honour = Honour.objects.get(campaign=c)
    assert honour.name == "示例百优支部" and honour.named_at == item
    assert [(e.party_org_name, e.is_representative) for e in honour.entries.all()] == [
        ("示例党支部0", False), ("示例党支部1", True)]
    url = reverse("campaigns:honour_detail", args=[honour.pk])
    anon = client_for(None)
    assert "示例党支部1" in anon.get(url).content.decode()
    sheet = load_workbook(io.BytesIO(anon.get(url + "?format=xlsx").content)).worksheets[0]
    assert [row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("示例党支部0", "示例单位A", None), ("示例党支部1", "示例单位B", "是")]
    client_for(world.secretariat).post(reverse("campaigns:honour_publish", args=[honour.pk]), {"published": "0"})
    assert client_for(None).get(url).status_code == 404


def test_nomination_after_the_call_closes_and_missing_fields(world):
    c = campaign(world)
    b = body(world, c)
    services.advance(world.secretariat, c)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        services.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title="迟到", values={"team": "x"},
                                   today=datetime.date(2025, 4, 1))
    assert "已于2025-03-31截止" in err.value.message_dict["phase"][0]
    with pytest.raises(ValidationError) as err:
        services.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title="缺项", submit=True, today=TODAY)
    assert err.value.message_dict["values"] == ["请填写：团队。"]
    with pytest.raises(ValidationError):
        services.create_nomination(world.liaison, c, unit=world.outside_unit, body=b, title="非成员", today=TODAY)
    assert AuditEntry.objects.count() == before
    draft = services.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title="草稿", today=TODAY)
    assert draft.state == Nomination.State.DRAFT
    services.update_nomination(world.liaison, draft, values={"team": "示例"}, today=TODAY)
    services.submit_nomination(world.liaison, draft, today=TODAY)
    with pytest.raises(ValidationError):
        services.update_nomination(world.liaison, draft, title="截止后修改", today=datetime.date(2025, 4, 2))


def test_score_outside_the_rubric_is_refused(world):
    c, noms, crit, _ = run_to_review(world)
    services.assign_reviewers(world.secretariat, c)
    a = Assignment.objects.first()
    for bad in ({crit[0].pk: 11, crit[1].pk: 1}, {crit[0].pk: -1, crit[1].pk: 1}, {crit[0].pk: 5}):
        with pytest.raises(ValidationError):
            services.submit_scores(None, a, bad)
    assert not a.scores.exists()
    c.refresh_from_db()
    assert c.rubric_locked_at is None


@pytest.mark.parametrize("normalise", [False, True])
def test_recomputed_ranking_equals_the_stored_one(world, normalise):
    c, noms, crit, _ = run_to_review(world, normalise=normalise)
    services.assign_reviewers(world.secretariat, c)
    for i, a in enumerate(Assignment.objects.order_by("pk")):
        services.submit_scores(None, a, {crit[0].pk: 3 + i, crit[1].pk: 7 - i})
    services.advance(world.secretariat, c)
    stored = services.stored_ranking(c)
    assert stored and stored == services.compute_ranking(c)


@pytest.mark.django_db(transaction=True)
def test_award_applies_in_its_own_transaction(world, monkeypatch):
    """Outside a test's wrapping transaction (as under a real server), the award takes its row lock
    (PostgreSQL refuses select_for_update in autocommit) and a failure half-way leaves no project."""
    c, noms, crit, _ = run_to_review(world)
    services.assign_reviewers(world.secretariat, c)
    for a in Assignment.objects.all():
        services.submit_scores(None, a, {crit[0].pk: 7, crit[1].pk: 7})
    services.advance(world.secretariat, c)
    services.decide(world.secretariat, c, selected=noms[:2])
    services.advance(world.secretariat, c)
    services.advance(world.secretariat, c, today=datetime.date(2025, 6, 1))
    item = agenda(plenary(world.district), "award")

    from lianxi.meetings import services as meetings_services

    def broken(*args, **kwargs):
        raise RuntimeError("写入中断")

    monkeypatch.setattr(meetings_services, "mark_applied", broken)
    with pytest.raises(RuntimeError):
        apply_resolution(world.secretariat, item, campaign=c)
    assert not Project.objects.filter(awarded_at=item).exists()
    assert Campaign.objects.get(pk=c.pk).phase == Phase.FINAL
    monkeypatch.undo()
    apply_resolution(world.secretariat, item, campaign=c)
    assert Project.objects.filter(awarded_at=item).count() == 2
    assert Campaign.objects.get(pk=c.pk).phase == Phase.AWARDED
