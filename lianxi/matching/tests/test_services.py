"""Services of matching against the database: a run reads the lists and stores the best
suggestions with one audit row; sending goes through the burden gate; accepting makes the claim."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lianxi.audit.models import AuditEntry
from lianxi.burden.models import BurdenRequest
from lianxi.lists import services as lists
from lianxi.lists.models import Claim, Need
from lianxi.matching import services
from lianxi.matching.models import AreaNeighbour, MatchRun, Suggestion
from lianxi.matching.tests.helpers import audit, category, need, resource
from lianxi.registry.models import Area, Unit
from lianxi.registry.services import admit_unit, create_area, create_unit


def _pairs(run):
    return {(s.need_id, s.resource_id): s.quantity for s in run.suggestions.all()}


def test_run_stores_the_best_assignment_with_one_audit_row(lists_world):
    w = lists_world
    run = services.run_matching(w.secretariat, w.district)
    assert run.status == MatchRun.Status.FINISHED
    # ra has 4 to give: all 3 to the need whose text matches it, the last one to the other.
    assert _pairs(run) == {(w.n1.pk, w.ra.pk): 3, (w.n2.pk, w.ra.pk): 1, (w.n3.pk, w.rb.pk): 1}
    assert (run.needs_count, run.resources_count, run.candidates_count, run.suggestions_count) == (3, 2, 3, 3)
    assert run.total_score == sum(s.score * s.quantity for s in run.suggestions.all())
    assert run.total_quantity == 5

    best = run.suggestions.get(need=w.n1)
    assert best.unit == w.unit_a
    assert best.state == Suggestion.State.PROPOSED
    assert best.reasons["fit"] == "exact"
    assert best.reasons["proximity"] == "same"
    assert best.reasons["area"] == "示例街道"
    assert best.reasons["similarity"] > 0
    assert best.reason_text.startswith("同属“为老服务”；都在示例街道")
    assert best.score > run.suggestions.get(need=w.n2).score

    rows = audit(run, "matching.run")
    assert len(rows) == 1
    assert rows[0].actor == w.secretariat
    assert rows[0].changes["suggestions_count"] == [None, 3]
    assert rows[0].changes["expired_suggestions"] == [None, 0]
    assert AuditEntry.objects.filter(action__startswith="matching.suggestion").count() == 0


def test_a_new_run_expires_what_the_last_one_proposed(lists_world):
    w = lists_world
    first = services.run_matching(w.secretariat, w.district)
    second = services.run_matching(w.secretariat, w.district)
    assert set(first.suggestions.values_list("state", flat=True)) == {Suggestion.State.EXPIRED}
    assert set(second.suggestions.values_list("state", flat=True)) == {Suggestion.State.PROPOSED}
    assert audit(second, "matching.run")[0].changes["expired_suggestions"] == [None, 3]
    assert services.latest_run(w.district.pk) == second


def test_send_goes_through_the_burden_gate(lists_world):
    w = lists_world
    run = services.run_matching(w.secretariat, w.district)
    s = run.suggestions.get(need=w.n1)
    [req] = services.send_invitations(w.secretariat, [s])
    s.refresh_from_db()
    assert s.state == Suggestion.State.SENT
    assert s.invitation == req
    assert (req.unit, req.kind, req.state) == (w.unit_a, BurdenRequest.Kind.INVITATION, BurdenRequest.State.SENT)
    assert req.link == s.get_absolute_url()
    assert len(audit(s, "matching.suggestion.send")) == 1
    assert len(audit(req, "lists.burden.request")) == 1
    with pytest.raises(ValidationError):
        services.send_invitations(w.secretariat, [s])


def test_past_the_cap_an_invitation_waits_for_approval(lists_world, settings):
    settings.BURDEN_MONTHLY_CAP = 0
    w = lists_world
    s = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n1)
    [req] = services.send_invitations(w.secretariat, [s])
    assert req.state == BurdenRequest.State.AWAITING_APPROVAL
    assert req.asked_at is None


def test_accept_makes_the_claim_and_answers_the_invitation(lists_world):
    w = lists_world
    s = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n1)
    [req] = services.send_invitations(w.secretariat, [s])
    claim = services.accept_suggestion(w.liaison, s)
    assert (claim.need, claim.unit, claim.quantity, claim.resource, claim.via_request) == (w.n1, w.unit_a, 3, w.ra, req)
    assert claim.state == Claim.State.ACTIVE
    s.refresh_from_db()
    req.refresh_from_db()
    assert (s.state, s.claim, s.decided_by) == (Suggestion.State.ACCEPTED, claim, w.liaison)
    assert req.state == BurdenRequest.State.ANSWERED
    w.n1.refresh_from_db()
    assert (w.n1.claimed_quantity, w.n1.state) == (3, Need.State.CLAIMED)
    assert len(audit(s, "matching.suggestion.accept")) == 1
    assert len(audit(claim, "lists.claim.create")) == 1
    with pytest.raises(ValidationError):
        services.accept_suggestion(w.liaison, s)


def test_accept_takes_only_what_is_still_open(lists_world):
    w = lists_world
    s = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n1)
    services.send_invitations(w.secretariat, [s])
    lists.claim_need(w.liaison_b, w.n1, unit=w.unit_b, quantity=2)
    claim = services.accept_suggestion(w.liaison, s)
    assert claim.quantity == 1
    s2 = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n2)
    services.send_invitations(w.secretariat, [s2])
    lists.claim_need(w.liaison_b, w.n2, unit=w.unit_b, quantity=2)
    with pytest.raises(ValidationError) as err:
        services.accept_suggestion(w.liaison, s2)
    assert err.value.message_dict == {"quantity": ["该需求已被认领完，无需再认领。"]}


def test_accept_refused_before_it_was_sent(lists_world):
    w = lists_world
    s = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n1)
    with pytest.raises(ValidationError):
        services.accept_suggestion(w.liaison, s)
    assert Claim.objects.count() == 0


def test_decline(lists_world):
    w = lists_world
    s = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n1)
    [req] = services.send_invitations(w.secretariat, [s])
    services.decline_suggestion(w.liaison, s)
    s.refresh_from_db()
    req.refresh_from_db()
    assert (s.state, s.decided_by) == (Suggestion.State.DECLINED, w.liaison)
    assert req.state == BurdenRequest.State.ANSWERED
    assert Claim.objects.count() == 0
    assert len(audit(s, "matching.suggestion.decline")) == 1


def test_rerun_counts_invitations_still_out(lists_world):
    w = lists_world
    s = services.run_matching(w.secretariat, w.district).suggestions.get(need=w.n1)
    services.send_invitations(w.secretariat, [s])
    run = services.run_matching(w.secretariat, w.district)
    # ra has promised 3 of its 4 to n1, which has nothing left once the invitation is counted.
    assert _pairs(run) == {(w.n2.pk, w.ra.pk): 1, (w.n3.pk, w.rb.pk): 1}
    s.refresh_from_db()
    assert s.state == Suggestion.State.SENT


def test_active_claims_use_capacity_block_the_pair_and_count_as_load(lists_world):
    w = lists_world
    lists.claim_need(w.liaison, w.n2, unit=w.unit_a, quantity=1, resource=w.ra)
    run = services.run_matching(w.secretariat, w.district)
    # ra has 3 left; unit_a already holds n2, so n2's last unit is not offered to it again.
    assert _pairs(run) == {(w.n1.pk, w.ra.pk): 3, (w.n3.pk, w.rb.pk): 1}
    best = run.suggestions.get(need=w.n1)
    assert best.reasons["load"] == 1
    assert best.reason_text.endswith("；该单位手头已有1项认领")


def test_unit_cap(lists_world, settings):
    settings.MATCHING_UNIT_CAP = 2
    w = lists_world
    run = services.run_matching(w.secretariat, w.district)
    assert _pairs(run) == {(w.n1.pk, w.ra.pk): 2, (w.n3.pk, w.rb.pk): 1}


def test_streets_served_and_the_neighbour_map(lists_world):
    w = lists_world
    district_area = w.street_area.parent
    other = create_area(None, name="示例街道乙", kind=Area.Kind.STREET, parent=district_area)
    far = create_area(None, name="示例街道丙", kind=Area.Kind.STREET, parent=district_area)
    unit_c = create_unit(None, name="示例单位C", category=Unit.Category.ENTERPRISE, area=other)
    admit_unit(None, unit=unit_c, conference=w.district, start=datetime.date(2020, 1, 1))
    changes = services.set_neighbours(w.secretariat, w.street_area, [other])
    assert changes == {"neighbours": [[], [other.pk]]}
    assert AreaNeighbour.objects.filter(area=min(w.street_area, other, key=lambda a: a.pk)).count() == 1
    assert len(audit(w.street_area, "matching.neighbours.set")) == 1
    resource(w, "示例资源：送餐", unit=unit_c, code="culture", capacity=1, areas=[district_area])
    resource(w, "示例资源：别处", unit=unit_c, code="culture", capacity=1, areas=[far])
    run = services.run_matching(w.secretariat, w.district)
    # Serving the whole district reaches 示例街道; serving only 示例街道丙 does not.
    assert run.candidates_count == 4
    assert run.suggestions.get(need=w.n3).reasons["proximity"] in ("same", "neighbour")


def test_neighbour_reason(world):
    w = world
    district_area = w.street_area.parent
    other = create_area(None, name="示例街道乙", kind=Area.Kind.STREET, parent=district_area)
    unit_c = create_unit(None, name="示例单位C", category=Unit.Category.ENTERPRISE, area=other)
    admit_unit(None, unit=unit_c, conference=w.district, start=datetime.date(2020, 1, 1))
    services.set_neighbours(None, other, [w.street_area])
    n = need(w, "社区读书会", code="culture", quantity=1)
    resource(w, "读书会主持", unit=unit_c, code="culture", capacity=1)
    [s] = services.run_matching(None, w.district).suggestions.all()
    assert (s.need, s.unit, s.reasons["proximity"]) == (n, unit_c, "neighbour")
    assert s.reason_text.startswith("同属“文化”；提供单位在相邻的示例街道乙")


def test_related_category_fits_less(world):
    w = world
    n = need(w, "独居老人陪伴", quantity=2)
    r = resource(w, "志愿者陪伴独居老人", code="volunteering", capacity=2)
    [s] = services.run_matching(None, w.district).suggestions.all()
    assert (s.need, s.resource, s.quantity) == (n, r, 2)
    assert s.reason_text.startswith("“志愿服务”类资源也可用于“为老服务”类需求；")


def test_text_vectors_are_cached(lists_world):
    w = lists_world
    first = services.run_matching(None, w.district)
    assert first.timings["texts_segmented"] == 5
    second = services.run_matching(None, w.district)
    assert second.timings["texts_segmented"] == 0
    lists.update_need(w.street, w.n1, description="每周三次")
    third = services.run_matching(None, w.district)
    assert third.timings["texts_segmented"] == 1


def test_nothing_to_match(world):
    run = services.run_matching(None, world.district)
    assert (run.status, run.suggestions_count, run.total_score) == (MatchRun.Status.FINISHED, 0, 0)


def test_match_command(lists_world):
    out, err = StringIO(), StringIO()
    call_command("match", "--conference", str(lists_world.district.pk), stdout=out, stderr=err)
    assert "推荐 3（总数量 5）" in out.getvalue()
    assert MatchRun.objects.filter(conference=lists_world.district, started_by=None).count() == 1


def test_neighbour_map_of_residents_areas_counts_for_their_streets(world):
    w = world
    other = create_area(None, name="示例街道乙", kind=Area.Kind.STREET, parent=w.street_area.parent)
    estate = create_area(None, name="示例居民区甲", kind=Area.Kind.NEIGHBOURHOOD, parent=w.street_area)
    unit_c = create_unit(None, name="示例单位C", category=Unit.Category.ENTERPRISE, area=other)
    admit_unit(None, unit=unit_c, conference=w.district, start=datetime.date(2020, 1, 1))
    services.set_neighbours(None, estate, [other])
    n = lists.post_need(w.street, publish=True, conference=w.district, owner=w.street_unit, title="社区读书会",
                        category=category("culture"), area=estate, quantity=1)
    resource(w, "读书会主持", unit=unit_c, code="culture", capacity=1)
    [s] = services.run_matching(None, w.district).suggestions.all()
    assert (s.need, s.reasons["proximity"], s.reasons["area"]) == (n, "neighbour", "示例街道")


def test_the_run_as_a_job_reports_its_phases_and_leaves_the_suggestions(lists_world):
    """The job kind the 重新计算 button queues: run through the jobs service (the tests'
    ImmediateBackend runs it at once), it ends with the run's summary and its suggestions saved;
    a failing run fails the job with its reason and the MatchRun says failed."""
    from unittest import mock

    from lianxi.jobs import services as jobs
    from lianxi.jobs.models import Job
    from lianxi.matching import jobs as matching_jobs

    w = lists_world
    job = jobs.enqueue(w.secretariat, "matching.run", params={"conference": w.district.pk},
                       key=matching_jobs.job_key(w.district.pk))
    job.refresh_from_db()
    run = MatchRun.objects.get()
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total) == (len(services.PHASES), len(services.PHASES))
    assert job.result["suggestions"] == run.suggestions_count == run.suggestions.count() == 3
    assert job.result["next_url"].endswith(f"run={run.pk}")
    with mock.patch("lianxi.matching.services.solver.solve", side_effect=RuntimeError("求解失败")):
        failed = jobs.enqueue(w.secretariat, "matching.run", params={"conference": w.district.pk},
                              key=matching_jobs.job_key(w.district.pk))
    failed.refresh_from_db()
    assert (failed.state, failed.error) == (Job.State.FAILED, "RuntimeError: 求解失败")
    assert MatchRun.objects.order_by("-pk").first().status == MatchRun.Status.FAILED
    assert run.suggestions.filter(state=Suggestion.State.PROPOSED).count() == 3  # the failed run replaced nothing
