"""Random sequences of campaign actions (hypothesis, bounded): an action outside its phase never
succeeds, and every action that succeeds leaves exactly one audit row; one that fails leaves none."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianxi.audit.models import AuditEntry
from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Phase
from lianxi.campaigns.tests.helpers import TODAY, body, campaign, reviewer, rubric

pytestmark = pytest.mark.django_db

LATE = datetime.date(2025, 6, 1)
IN_NOTICE = datetime.date(2025, 5, 3)
ALLOWED = {
    "advance": set(Phase.values) - {Phase.AWARDED, Phase.FINAL},
    "nominate": {Phase.CALL},
    "recommend": {Phase.RECOMMEND},
    "criterion": {Phase.DRAFT, Phase.CALL, Phase.RECOMMEND, Phase.REVIEW},
    "assign": {Phase.REVIEW},
    "score": {Phase.REVIEW},
    "decide": {Phase.DECIDE},
    "object": {Phase.NOTICE},
}
ACTIONS = sorted(ALLOWED)
# A path through every phase, interleaved at random positions with random actions, so sequences
# get through the phases rather than stay in the call.
HAPPY = ["advance", "nominate", "advance", "recommend", "advance", "assign", "score", "advance", "decide",
         "advance", "object", "advance"]
REACHED: set[str] = set()


@st.composite
def sequences(draw):
    noise = draw(st.lists(st.sampled_from(ACTIONS), max_size=15))
    keys = draw(st.lists(st.floats(0, 1), min_size=len(HAPPY) + len(noise), max_size=len(HAPPY) + len(noise)))
    happy_keys = sorted(keys[:len(HAPPY)])
    merged = list(zip(happy_keys, HAPPY, strict=True)) + list(zip(keys[len(HAPPY):], noise, strict=True))
    return [name for _key, name in sorted(merged, key=lambda x: x[0])]


def act(world, c, b, name, counter):
    c.refresh_from_db()
    if name == "advance":
        services.advance(world.secretariat, c, today=LATE)
    elif name == "nominate":
        counter[0] += 1
        services.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title=f"示例{counter[0]}",
                                   values={"team": "t"}, submit=True, today=TODAY)
    elif name == "recommend":
        nom = c.nominations.filter(state="submitted").first() or c.nominations.first()
        if nom is None:
            raise ValidationError({"nominations": "none"})
        services.recommend(world.secretariat, nom)
    elif name == "criterion":
        counter[0] += 1
        services.add_criterion(world.secretariat, c, name=f"项{counter[0]}", weight=0)
    elif name == "assign":
        services.assign_reviewers(world.secretariat, c)
    elif name == "score":
        a = Assignment.objects.filter(reviewer__campaign=c).first()
        if a is None:
            raise ValidationError({"assignments": "none"})
        services.submit_scores(None, a, {cr.pk: 1 for cr in c.criteria.all()})
    elif name == "decide":
        services.decide(world.secretariat, c, selected=list(c.nominations.filter(rank__isnull=False)[:1]))
    elif name == "object":
        services.file_objection(None, c, filer_name="示例", contact="示例", text="示例异议", today=IN_NOTICE)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(sequences())
def test_no_action_outside_its_phase_and_one_audit_row_per_change(world, actions):
    c = campaign(world, k=1)
    b = body(world, c, quota=3)
    reviewer(world, c, f"示例评审{c.pk}")
    rubric(world, c)
    counter = [0]
    for name in actions:
        c.refresh_from_db()
        phase = c.phase
        before = AuditEntry.objects.count()
        try:
            act(world, c, b, name, counter)
        except ValidationError:
            assert AuditEntry.objects.count() == before, name
            continue
        assert phase in ALLOWED[name], f"{name} succeeded in {phase}"
        assert AuditEntry.objects.count() == before + 1, name
        REACHED.add(phase)


def test_sequences_reach_the_later_phases():
    """Runs after the property above (same module): the examples did get past the call."""
    assert {Phase.CALL, Phase.RECOMMEND, Phase.REVIEW, Phase.DECIDE, Phase.NOTICE} <= REACHED, REACHED
