"""Campaign pages, the showcase and the roll-up hold a constant number of queries as rows grow: two
campaigns run side by side through every phase, one with 2 nominations and 2 reviewers, the other
with 20 of each, and each page costs the same for both (a query per row would differ by 18)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Campaign, Honour, HonourEntry, Phase
from lianxi.campaigns.tests.helpers import TODAY, body, campaign, rubric
from lianxi.projects.models import Project
from lianxi.testing import make_user

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def build(world, n, tag):
    today = datetime.date.today()
    c = campaign(world, title=f"演示评选{tag}", places=n, k=2, notice_start=today - datetime.timedelta(days=1),
                 notice_end=today + datetime.timedelta(days=1))
    b = body(world, c, quota=n)
    crit = rubric(world, c)
    services.advance(world.secretariat, c)
    noms = [services.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title=f"示例申报{tag}{i}",
                                       links=["brand"], values={"team": "示例团队"}, submit=True, today=TODAY)
            for i in range(n)]
    reviewers = [services.add_reviewer(world.secretariat, c, user=make_user(f"qc_{tag}_{i}"), name=f"评审{tag}{i}",
                                       expertise=["brand"]) for i in range(n)]
    return c, noms, crit, reviewers


def test_campaign_pages_constant_in_rows(world, client_for):
    small, large = build(world, 2, "小"), build(world, 20, "大")
    seen = {}

    def both(label, url_for, persona=lambda c, n, r: world.secretariat):
        counts = []
        for c, noms, _crit, reviewers in (small, large):
            # client_for logs the one test client in as the persona
            counts.append(count(client_for(persona(c, noms, reviewers)), url_for(c, noms, reviewers)))
        seen[label] = counts
        assert counts[0] == counts[1], (label, counts)

    def detail(c, noms, reviewers):
        return reverse("campaigns:campaign_detail", args=[c.pk])

    both("list", lambda c, n, r: reverse("campaigns:campaign_list"))
    both("detail 征集", detail)
    page = client_for(world.secretariat).get(detail(*large[:2], large[3])).content.decode()
    assert len({n.pk for n in large[1] if f"/campaigns/nominations/{n.pk}/" in page}) == 20  # the rows are there
    both("nomination list (liaison)", detail, persona=lambda c, n, r: world.liaison)
    for c, noms, _crit, _r in (small, large):
        services.advance(world.secretariat, c)
        for nom in noms:
            services.recommend(world.secretariat, nom)
    both("detail 推荐", detail)
    for c, _noms, _crit, _r in (small, large):
        services.advance(world.secretariat, c)
        services.assign_reviewers(world.secretariat, c)
    both("detail 遴选", detail)
    both("detail 遴选 (reviewer)", detail, persona=lambda c, n, r: r[0].user)
    both("nomination detail (why assigned)",
         lambda c, n, r: reverse("campaigns:nomination_detail", args=[n[0].pk]))
    both("review page",
         lambda c, n, r: reverse("campaigns:review", args=[Assignment.objects.filter(reviewer=r[0]).first().pk]),
         persona=lambda c, n, r: r[0].user)
    for c, _noms, crit, _r in (small, large):
        for a in Assignment.objects.filter(reviewer__campaign=c).select_related("reviewer__user"):
            services.submit_scores(a.reviewer.user, a, {crit[0].pk: a.pk % 10, crit[1].pk: 5})
        services.advance(world.secretariat, c)
    both("ranking (评选)", detail)
    for c, noms, _crit, _r in (small, large):
        services.decide(world.secretariat, c, selected=noms)
        services.advance(world.secretariat, c)
        for i in range(len(noms)):
            services.file_objection(None, c, filer_name=f"群众{i}", contact="电话", text="请核实", nomination=noms[i])
    both("detail 公示 (secretariat, objections)", detail)
    both("detail 公示 (anonymous)", detail, persona=lambda c, n, r: None)
    assert Campaign.objects.filter(phase=Phase.NOTICE).count() == 2

    # The honour page: 2 vs 20 entries, some awarded on stage.
    honours = []
    for c, noms, _crit, _r in (small, large):
        h = Honour.objects.create(conference=world.district, name=f"示例百优支部{c.pk}", year=2025, campaign=c)
        HonourEntry.objects.bulk_create([HonourEntry(honour=h, unit=world.unit_a, party_org_name=f"示例党支部{i}",
                                                     nomination=nom, order=i, is_representative=i % 2 == 0)
                                         for i, nom in enumerate(noms)])
        honours.append(h)
    counts = [count(client_for(None), reverse("campaigns:honour_detail", args=[h.pk])) for h in honours]
    assert counts[0] == counts[1], counts


def test_showcase_and_rollup_constant_in_rows(world, client_for):
    from lianxi.projects.services import create_project

    def grow(n, start):
        for i in range(start, n):
            # A year each: the roll-up's rows (conference × year) grow with the projects.
            p = create_project(world.secretariat, conference=world.district, title=f"示例重点项目{i}",
                               kind=Project.Kind.KEY, year=2000 + i, lead_unit=world.unit_a)
            p.partner_units.add(world.unit_b)

    anon = client_for(None)
    grow(2, 0)
    few = {name: count(anon, reverse(name)) for name in ("projects:showcase", "projects:rollup")}
    assert anon.get(reverse("projects:showcase")).content.decode().count('data-testid="showcase-project"') == 2
    grow(20, 2)
    many = {name: count(anon, reverse(name)) for name in ("projects:showcase", "projects:rollup")}
    assert anon.get(reverse("projects:showcase")).content.decode().count('data-testid="showcase-project"') == 20
    assert anon.get(reverse("projects:rollup")).content.decode().count('data-testid="rollup-row"') == 20
    assert few == many
