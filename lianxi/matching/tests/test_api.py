"""The matching API: the secretariat lists and starts runs and sends suggestions; a liaison sees the
invitations to their unit and accepts or declines; everyone else gets nothing."""

import json

import pytest

from lianxi.jobs.models import Job
from lianxi.lists.models import Claim
from lianxi.matching import services
from lianxi.matching.jobs import job_key
from lianxi.matching.models import MatchRun, Suggestion

API = "/api/v1/matching"


@pytest.fixture
def run(lists_world):
    return services.run_matching(lists_world.secretariat, lists_world.district)


def post(client, url, payload=None):
    return client.post(url, json.dumps(payload or {}), content_type="application/json")


def test_secretariat_lists_runs_and_suggestions(client_for, lists_world, run):
    client = client_for(lists_world.secretariat)
    body = client.get(f"{API}/runs").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["conference"]["id"], item["status"]["code"], item["suggestions_count"]) == (
        run.pk, lists_world.district.pk, "finished", 3)
    assert client.get(f"{API}/runs/{run.pk}").json()["total_quantity"] == 5
    body = client.get(f"{API}/suggestions", {"run": run.pk}).json()
    assert body["count"] == 3
    scores = [s["score"] for s in body["items"]]
    assert scores == sorted(scores, reverse=True)
    first = body["items"][0]
    assert first["state"] == {"code": "proposed", "label": "待审核"}
    assert first["reason_text"].startswith("同属“")
    assert first["invitation_state"] is None


def test_outsiders_and_liaisons_see_no_runs(client_for, lists_world, run):
    assert client_for(lists_world.outsider).get(f"{API}/runs").json()["count"] == 0
    assert client_for(lists_world.liaison).get(f"{API}/runs").json()["count"] == 0
    assert client_for(lists_world.outsider).get(f"{API}/runs/{run.pk}").status_code == 404
    assert client_for(lists_world.liaison).get(f"{API}/runs/{run.pk}").status_code == 403
    assert client_for(None).get(f"{API}/runs").status_code == 401
    assert client_for(lists_world.liaison).get(f"{API}/suggestions").json()["count"] == 0


def test_start_run_queues_a_job_and_answers_202(client_for, lists_world):
    """The run is not computed inside the request: the answer is the queued job (the tests'
    ImmediateBackend has already run it), which names the new run in its result."""
    w = lists_world
    client = client_for(w.secretariat)
    response = post(client, f"{API}/runs", {"conference": w.district.pk})
    assert response.status_code == 202
    body = response.json()
    job = Job.objects.get(pk=body["id"])
    assert (job.kind, job.owner, job.key) == ("matching.run", w.secretariat, job_key(w.district.pk))
    assert body["url"] == f"/jobs/{job.pk}/" and body["api_url"] == f"/api/v1/jobs/{job.pk}"
    assert body["state"]["code"] == "succeeded"
    run = MatchRun.objects.get()
    assert body["result"]["run"] == run.pk and run.suggestions_count == 3
    followed = client.get(body["api_url"])
    assert followed.status_code == 200 and followed.json()["result"]["suggestions"] == 3
    assert client.get(f"{API}/runs/{body['result']['run']}").json()["status"]["code"] == "finished"
    # The job is its submitter's: anyone else is told nothing about it.
    assert client_for(w.admin).get(body["api_url"]).status_code == 404
    assert client_for(None).get(body["api_url"]).status_code == 401
    assert post(client_for(w.liaison), f"{API}/runs", {"conference": w.district.pk}).status_code == 403
    assert post(client_for(w.outsider), f"{API}/runs", {"conference": w.district.pk}).status_code == 403
    assert MatchRun.objects.count() == 1 and Job.objects.count() == 1


def test_start_run_while_one_is_active_gives_that_job_or_409(client_for, lists_world):
    w = lists_world
    mine = Job.objects.create(kind="matching.run", key=job_key(w.district.pk), title="t", owner=w.secretariat,
                              state=Job.State.RUNNING)
    response = post(client_for(w.secretariat), f"{API}/runs", {"conference": w.district.pk})
    assert (response.status_code, response.json()["id"], response.json()["state"]["code"]) == (202, mine.pk, "running")
    Job.objects.filter(pk=mine.pk).update(owner=w.admin)
    response = post(client_for(w.secretariat), f"{API}/runs", {"conference": w.district.pk})
    assert response.status_code == 409 and "他人" in response.json()["detail"]
    assert Job.objects.count() == 1 and not MatchRun.objects.exists()


def test_send_accept_decline(client_for, lists_world, run):
    w = lists_world
    s1 = run.suggestions.get(need=w.n1)
    s3 = run.suggestions.get(need=w.n3)
    assert post(client_for(w.liaison), f"{API}/invitations", {"ids": [s1.pk]}).status_code == 403
    response = post(client_for(w.secretariat), f"{API}/invitations", {"ids": [s1.pk, s3.pk]})
    assert response.status_code == 200
    assert [s["state"]["code"] for s in response.json()] == ["sent", "sent"]
    assert response.json()[0]["invitation_state"]["code"] == "sent"

    mine = client_for(w.liaison).get(f"{API}/suggestions").json()
    assert [s["id"] for s in mine["items"]] == [s1.pk]
    assert post(client_for(w.liaison), f"{API}/suggestions/{s3.pk}/accept").status_code == 404
    assert post(client_for(w.secretariat), f"{API}/suggestions/{s1.pk}/accept").status_code == 403

    accepted = post(client_for(w.liaison), f"{API}/suggestions/{s1.pk}/accept")
    assert accepted.status_code == 200
    claim = Claim.objects.get()
    assert (accepted.json()["state"]["code"], accepted.json()["claim"]) == ("accepted", claim.pk)
    again = post(client_for(w.liaison), f"{API}/suggestions/{s1.pk}/decline")
    assert again.status_code == 422
    assert again.json()["detail"][0]["field"] == "state"

    declined = post(client_for(w.liaison_b), f"{API}/suggestions/{s3.pk}/decline")
    assert declined.status_code == 200
    assert Suggestion.objects.get(pk=s3.pk).state == Suggestion.State.DECLINED


def test_send_validates_payload(client_for, lists_world, run):
    response = post(client_for(lists_world.secretariat), f"{API}/invitations", {"ids": []})
    assert response.status_code == 422


def test_suggestion_list_query_count_does_not_grow(client_for, count_queries, lists_world, run):
    from lianxi.matching.tests.helpers import need

    w = lists_world
    client = client_for(w.secretariat)
    client.get(f"{API}/suggestions")
    with count_queries() as few:
        assert client.get(f"{API}/suggestions").json()["count"] == 3
    s = run.suggestions.first()
    more = [need(w, f"示例需求{i:03d}", quantity=1) for i in range(20)]
    Suggestion.objects.bulk_create([
        Suggestion(run=run, conference=w.district, need=n, resource=s.resource, unit=s.unit, quantity=1, score=100,
                   reasons=s.reasons) for n in more
    ])
    with count_queries() as many:
        assert client.get(f"{API}/suggestions").json()["count"] == 23
    assert len(many.captured_queries) == len(few.captured_queries)


def test_openapi_documents_the_queued_run(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    responses = paths["/api/v1/matching/runs"]["post"]["responses"]
    assert "202" in responses and "201" not in responses and "409" in responses
    assert "202" in paths["/api/v1/matching/runs"]["post"]["description"]
    assert set(paths["/api/v1/jobs/{id}"]) == {"get"}
