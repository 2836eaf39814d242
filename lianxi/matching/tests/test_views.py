"""Pages of matching through HTTP with the named personas: who sees what, who may do what, and
query counts that do not grow with the rows on a page."""

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.burden.models import BurdenRequest
from lianxi.jobs.models import Job
from lianxi.lists.models import Claim
from lianxi.matching import services
from lianxi.matching.models import MatchRun, Suggestion
from lianxi.matching.tests.helpers import audit, need

SUGGESTIONS = reverse("matching:suggestions")


@pytest.fixture
def run(lists_world):
    return services.run_matching(lists_world.secretariat, lists_world.district)


@pytest.fixture
def sent(lists_world, run):
    s = run.suggestions.get(need=lists_world.n1)
    services.send_invitations(lists_world.secretariat, [s])
    s.refresh_from_db()
    return s


# ------------------------------------------------------------------------------ the review page

def test_suggestions_page_for_the_secretariat(client_for, lists_world, run):
    w = lists_world
    response = client_for(w.secretariat).get(SUGGESTIONS)
    assert response.status_code == 200
    page = response.context["page"]
    assert {s.need for s in page.object_list} == {w.n1, w.n2, w.n3}
    assert response.context["run"] == run
    html = response.content.decode()
    assert "同属“为老服务”；都在示例街道" in html
    assert "将所选推荐作为认领邀请发出" in html


def test_suggestions_page_filters(client_for, lists_world, run):
    w = lists_world
    culture = w.n3.category_id
    response = client_for(w.secretariat).get(SUGGESTIONS, {"conference": w.district.pk, "category": culture})
    assert [s.need for s in response.context["page"].object_list] == [w.n3]
    response = client_for(w.secretariat).get(SUGGESTIONS, {"conference": w.district.pk, "q": "示例单位B"})
    assert [s.unit for s in response.context["page"].object_list] == [w.unit_b]
    response = client_for(w.secretariat).get(SUGGESTIONS, {"conference": w.district.pk, "state": "sent"})
    assert list(response.context["page"].object_list) == []


def test_suggestions_free_text_matches_need_resource_unit_and_owner_names(client_for, lists_world, run):
    w = lists_world
    rows = list(run.suggestions.select_related("need__owner", "resource", "unit"))
    names = lambda s: (s.need.title, s.resource.title, s.unit.name, s.need.owner.name)  # noqa: E731
    queries = {name for s in rows for name in names(s)} | {"示例", "不存在的名称"}
    assert len(queries) > 4
    for q in sorted(queries):
        expected = {s.pk for s in rows if any(q.lower() in n.lower() for n in names(s))}
        page = client_for(w.secretariat).get(SUGGESTIONS, {"conference": w.district.pk, "q": q}).context["page"]
        assert {s.pk for s in page.object_list} == expected, q


def test_suggestions_page_is_ordered_best_first(client_for, lists_world, run):
    scores = [s.score for s in client_for(lists_world.secretariat).get(SUGGESTIONS).context["page"].object_list]
    assert scores == sorted(scores, reverse=True)


def test_suggestions_page_without_a_run(client_for, world):
    response = client_for(world.secretariat).get(SUGGESTIONS)
    assert response.status_code == 200
    assert response.context["run"] is None
    assert "还没有完成的匹配计算" in response.content.decode()


def test_suggestions_page_outsider_404_anonymous_login(client_for, lists_world, run):
    assert client_for(lists_world.outsider).get(SUGGESTIONS).status_code == 404
    response = client_for(None).get(SUGGESTIONS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["liaison", "street", "reviewer"])
def test_suggestions_page_read_only_insiders_403(client_for, lists_world, run, persona):
    assert client_for(getattr(lists_world, persona)).get(SUGGESTIONS).status_code == 403


def test_suggestions_page_query_count_does_not_grow(client_for, count_queries, lists_world, run):
    w = lists_world
    client = client_for(w.secretariat)
    client.get(SUGGESTIONS)  # warm caches (content types, sessions)
    with count_queries() as few:
        assert client.get(SUGGESTIONS).status_code == 200
    s = run.suggestions.first()
    more_needs = [need(w, f"示例需求{i:03d}", quantity=1) for i in range(25)]
    Suggestion.objects.bulk_create([
        Suggestion(run=run, conference=w.district, need=n, resource=s.resource, unit=s.unit, quantity=1, score=100,
                   reasons=s.reasons) for n in more_needs
    ])
    services.send_invitations(w.secretariat, list(run.suggestions.filter(need__in=more_needs[:5])))
    with count_queries() as many:
        response = client.get(SUGGESTIONS)
    assert len(response.context["page"].object_list) == 28
    assert len(many.captured_queries) == len(few.captured_queries)


# ------------------------------------------------------------------------------ running

def test_secretariat_starts_a_run_as_a_job(client_for, lists_world):
    """The post enqueues a job and shows its page; the tests' ImmediateBackend runs it at once,
    so the job has finished, the run's suggestions exist and the job page links to them."""
    w = lists_world
    client = client_for(w.secretariat)
    response = client.post(reverse("matching:run"), {"conference": w.district.pk})
    job = Job.objects.get(kind="matching.run")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.owner, job.state, job.key) == (w.secretariat, Job.State.SUCCEEDED, f"matching.run:{w.district.pk}")
    run = MatchRun.objects.get()
    assert (run.started_by, run.suggestions_count) == (w.secretariat, 3)
    assert run.suggestions.count() == 3
    assert len(audit(run, "matching.run")) == 1
    assert (job.done, job.total, job.result["run"], job.result["suggestions"]) == (6, 6, run.pk, 3)
    page = client.get(response["Location"]).content.decode()
    assert "得到 3 条推荐" in page
    assert f'href="{SUGGESTIONS}?conference={w.district.pk}&amp;run={run.pk}"' in page


def test_htmx_run_goes_to_the_job_page(client_for, lists_world):
    w = lists_world
    response = client_for(w.secretariat).post(reverse("matching:run"), {"conference": w.district.pk},
                                              HTTP_HX_REQUEST="true")
    job = Job.objects.get(kind="matching.run")
    assert response.status_code == 204
    assert reverse("jobs:job_detail", args=[job.pk]) in response["HX-Location"]


def test_a_second_click_while_a_run_is_under_way_starts_no_second_job(client_for, lists_world):
    """A job for the conference is still running (the worker has it): clicking again shows that
    job, queues nothing, and computes nothing; another manager is told a run is under way."""
    from lianxi.accounts.models import Grant
    from lianxi.testing import grant, make_user

    w = lists_world
    running = Job.objects.create(kind="matching.run", key=f"matching.run:{w.district.pk}", title="计算推荐匹配",
                                 owner=w.secretariat, params={"conference": w.district.pk}, state=Job.State.RUNNING)
    response = client_for(w.secretariat).post(reverse("matching:run"), {"conference": w.district.pk})
    assert response["Location"] == reverse("jobs:job_detail", args=[running.pk])
    other = make_user("second_secretariat")
    grant(other, Grant.Role.SECRETARIAT, conference=w.district)
    response = client_for(other).post(reverse("matching:run"), {"conference": w.district.pk})
    assert response["Location"] == f"{SUGGESTIONS}?conference={w.district.pk}"
    assert Job.objects.count() == 1
    assert MatchRun.objects.count() == 0
    assert AuditEntry.objects.filter(action="jobs.job.enqueue").count() == 0
    page = client_for(w.secretariat).get(SUGGESTIONS).content.decode()
    assert "正在计算新的推荐" in page and reverse("jobs:job_detail", args=[running.pk]) in page
    # Once it has ended, the next click starts a new run.
    Job.objects.filter(pk=running.pk).update(state=Job.State.SUCCEEDED)
    client_for(w.secretariat).post(reverse("matching:run"), {"conference": w.district.pk})
    assert Job.objects.count() == 2
    assert MatchRun.objects.count() == 1


def test_run_refused(client_for, lists_world):
    w = lists_world
    url = reverse("matching:run")
    assert client_for(w.outsider).post(url, {"conference": w.district.pk}).status_code == 404
    assert client_for(w.liaison).post(url, {"conference": w.district.pk}).status_code == 403
    assert client_for(w.secretariat).get(url).status_code == 405
    assert MatchRun.objects.count() == 0
    assert Job.objects.count() == 0


def test_secretariat_of_another_conference_cannot_run_this_one(client_for, lists_world):
    from lianxi.accounts.models import Grant
    from lianxi.testing import grant, make_user

    w = lists_world
    other = make_user("sub_secretariat")
    grant(other, Grant.Role.SECRETARIAT, conference=w.sub)
    response = client_for(other).post(reverse("matching:run"), {"conference": w.district.pk})
    assert response.status_code == 302  # the form offers only its own conferences
    assert MatchRun.objects.count() == 0


# ------------------------------------------------------------------------------ sending

def test_secretariat_sends_selected(client_for, lists_world, run):
    w = lists_world
    chosen = list(run.suggestions.filter(need__in=[w.n1, w.n3]))
    response = client_for(w.secretariat).post(reverse("matching:send"), {"ids": [s.pk for s in chosen]})
    assert response.status_code == 302
    assert set(run.suggestions.values_list("need_id", "state")) == {
        (w.n1.pk, "sent"), (w.n3.pk, "sent"), (w.n2.pk, "proposed")}
    assert BurdenRequest.objects.filter(kind=BurdenRequest.Kind.INVITATION).count() == 2


def test_liaison_cannot_send(client_for, lists_world, run):
    w = lists_world
    s = run.suggestions.get(need=w.n1)
    assert client_for(w.liaison).post(reverse("matching:send"), {"ids": [s.pk]}).status_code == 403
    assert client_for(w.outsider).post(reverse("matching:send"), {"ids": [s.pk]}).status_code == 404
    s.refresh_from_db()
    assert s.state == Suggestion.State.PROPOSED


def test_send_nothing_selected(client_for, lists_world, run):
    response = client_for(lists_world.secretariat).post(reverse("matching:send"), {}, follow=True)
    assert "请至少选择一条推荐。" in response.content.decode()


# ------------------------------------------------------------------------------ the liaison

def test_liaison_sees_only_what_was_sent(client_for, lists_world, run):
    w = lists_world
    s = run.suggestions.get(need=w.n1)
    url = reverse("matching:suggestion", args=[s.pk])
    assert client_for(w.liaison).get(url).status_code == 404
    services.send_invitations(w.secretariat, [s])
    response = client_for(w.liaison).get(url)
    assert response.status_code == 200
    assert "接受并认领" in response.content.decode()
    assert client_for(w.liaison_b).get(url).status_code == 404
    assert client_for(w.outsider).get(url).status_code == 404
    assert client_for(w.secretariat).get(url).status_code == 200
    assert "接受并认领" not in client_for(w.secretariat).get(url).content.decode()


def test_liaison_accepts_with_one_click(client_for, lists_world, sent):
    w = lists_world
    response = client_for(w.liaison).post(reverse("matching:accept", args=[sent.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "已接受" in response.content.decode()
    assert "查看认领" in response.content.decode()
    claim = Claim.objects.get()
    assert (claim.unit, claim.need, claim.quantity) == (w.unit_a, w.n1, 3)
    sent.refresh_from_db()
    assert sent.state == Suggestion.State.ACCEPTED


def test_accept_without_htmx_redirects(client_for, lists_world, sent):
    response = client_for(lists_world.liaison).post(reverse("matching:accept", args=[sent.pk]))
    assert response.status_code == 302
    assert response["Location"] == sent.get_absolute_url()


def test_accept_refusal_shows_the_reason(client_for, lists_world, sent):
    w = lists_world
    services.decline_suggestion(w.liaison, sent)
    response = client_for(w.liaison).post(reverse("matching:accept", args=[sent.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "不能变为" in response.content.decode()
    assert Claim.objects.count() == 0


def test_decline_with_one_click(client_for, lists_world, sent):
    response = client_for(lists_world.liaison).post(reverse("matching:decline", args=[sent.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.state == Suggestion.State.DECLINED


@pytest.mark.parametrize("action", ["matching:accept", "matching:decline"])
def test_decide_refused_for_others(client_for, lists_world, sent, action):
    w = lists_world
    url = reverse(action, args=[sent.pk])
    assert client_for(w.outsider).post(url).status_code == 404
    assert client_for(w.liaison_b).post(url).status_code == 404
    assert client_for(w.secretariat).post(url).status_code == 403
    assert client_for(w.liaison).get(url).status_code == 405
    sent.refresh_from_db()
    assert sent.state == Suggestion.State.SENT


def test_invitations_page(client_for, lists_world, sent):
    w = lists_world
    url = reverse("matching:invitations")
    response = client_for(w.liaison).get(url)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [sent]
    assert list(client_for(w.liaison_b).get(url).context["page"].object_list) == []
    assert client_for(w.outsider).get(url).status_code == 404
    assert client_for(w.secretariat).get(url).status_code == 403


def test_invitations_page_query_count_does_not_grow(client_for, count_queries, lists_world, sent, settings):
    settings.BURDEN_MONTHLY_CAP = 100  # past the cap invitations wait for approval and are not shown yet
    w = lists_world
    client = client_for(w.liaison)
    client.get(reverse("matching:invitations"))
    with count_queries() as few:
        client.get(reverse("matching:invitations"))
    more = [need(w, f"示例需求{i:03d}", quantity=1) for i in range(12)]
    rows = Suggestion.objects.bulk_create([
        Suggestion(run=sent.run, conference=w.district, need=n, resource=sent.resource, unit=w.unit_a, quantity=1,
                   score=100, reasons=sent.reasons) for n in more
    ])
    services.send_invitations(w.secretariat, rows)
    with count_queries() as many:
        response = client.get(reverse("matching:invitations"))
    assert len(response.context["page"].object_list) == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_nav_link_for_managers(client_for, lists_world):
    html = client_for(lists_world.secretariat).get(SUGGESTIONS).content.decode()
    assert f'href="{SUGGESTIONS}"' in html


def test_an_invitation_held_at_the_burden_gate_is_not_shown_yet(client_for, lists_world, run, settings):
    settings.BURDEN_MONTHLY_CAP = 0
    w = lists_world
    s = run.suggestions.get(need=w.n1)
    [req] = services.send_invitations(w.secretariat, [s])
    assert req.state == BurdenRequest.State.AWAITING_APPROVAL
    assert client_for(w.liaison).get(reverse("matching:suggestion", args=[s.pk])).status_code == 404
    assert list(client_for(w.liaison).get(reverse("matching:invitations")).context["page"].object_list) == []
    from lianxi.burden import services as burden

    burden.approve(w.admin, req)
    assert client_for(w.liaison).get(reverse("matching:suggestion", args=[s.pk])).status_code == 200


# ------------------------------------------------------------------------------ plain words

def test_the_page_speaks_to_a_liaison_not_a_solver(client_for, lists_world, run):
    import re

    html = client_for(lists_world.secretariat).get(SUGGESTIONS).content.decode()
    for solver in ("最小费用流", "分值", "文本相似度", "类别相近", "精确求解"):
        assert solver not in html, solver
    # One conference select, labelled (the run button uses the conference shown).
    assert len(re.findall(r'<select name="conference"', html)) == 1
    assert f'<input type="hidden" name="conference" value="{lists_world.district.pk}">' in html
    assert "onclick=" not in html and 'data-select-all="ids"' in html


def test_invitations_already_sent_stay_visible_after_a_new_run(client_for, lists_world, sent):
    services.run_matching(lists_world.secretariat, lists_world.district)
    html = client_for(lists_world.secretariat).get(SUGGESTIONS).content.decode()
    section = html[html.index('id="sent-invitations"'):]
    assert sent.need.title in section and sent.unit.name in section and "已发出邀请" in section


def test_no_suggestion_says_why(client_for, lists_world, run):
    html = client_for(lists_world.secretariat).get(SUGGESTIONS, {"q": "没有这样的需求"}).content.decode()
    assert "当前筛选条件下没有推荐。" in html and "清除筛选，查看全部" in html
