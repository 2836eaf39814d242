"""工作台: figures equal direct counts, constant query counts, each role its own board."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lianxi.dashboards import queries
from lianxi.lists import services
from lianxi.lists.models import Delivery, Need
from lianxi.lists.tests.helpers import extra_members, make_need
from lianxi.registry.models import Area, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(world):
    """Three needs: one claimed and delivered and confirmed, one claimed, one open."""
    done = make_need(world, title="示例需求：助餐")
    claimed = make_need(world, title="示例需求：理发")
    make_need(world, title="示例需求：陪诊")
    claim = services.claim_need(world.liaison, done, unit=world.unit_a, quantity=done.quantity)
    delivery = claim.deliveries.get()
    services.record_delivery(world.liaison, delivery, delivered_on=timezone.localdate())
    services.confirm_delivery(world.street, Delivery.objects.get(pk=delivery.pk), rating=5)
    services.claim_need(world.liaison_b, claimed, unit=world.unit_b, quantity=1)
    return world


def test_lists_by_month_equals_a_direct_count(activity):
    world = activity
    period = queries.Period.last_months(12)
    chart = queries.lists_by_month([world.district.pk], period)
    this_month = timezone.localdate().strftime("%Y-%m")
    row = next(r for r in chart.rows if r[0] == this_month)
    assert chart.columns == ["月份", "发布需求", "认领", "交付", "确认"]
    assert row[1:] == [
        Need.objects.filter(conference=world.district, published_at__isnull=False).count(),
        2, 1, 1,
    ]
    assert len(chart.rows) == 12 and chart.rows[-1][0] == this_month


def test_fulfilment_and_members(activity):
    world = activity
    assert queries.fulfilment([world.district.pk]) == {"total": 3, "fulfilled": 1, "rate": 33}
    chart = queries.members_by_category([world.district.pk])
    labels = dict(Unit.Category.choices)
    assert sorted(chart.rows) == sorted([[labels[Unit.Category.ENTERPRISE], 1], [labels[Unit.Category.NEW_ECONOMIC], 1],
                                         [labels[Unit.Category.STREET], 1]])
    street = queries.members_by_street([world.district.pk])
    assert street.rows == [["示例街道", 3]]


def test_manager_board_query_count_does_not_grow_with_members(activity, client_for, count_queries):
    world = activity
    client = client_for(world.secretariat)
    with count_queries() as before:
        assert client.get("/dashboard/").status_code == 200
    extra_members(world, 25)
    for i in range(5):
        make_need(world, title=f"示例需求：更多{i}")
    with count_queries() as after:
        page = client.get("/dashboard/")
    assert len(after.captured_queries) == len(before.captured_queries)
    html = page.content.decode()
    assert "需求满足率" in html and 'id="dashboard-data"' in html and "<script>" not in html


def test_each_role_gets_its_own_board(activity, client_for):
    world = activity
    street = client_for(world.street).get("/dashboard/").content.decode()
    assert "待我确认的交付" in street and "需求满足率" not in street
    liaison = client_for(world.liaison).get("/dashboard/").content.decode()
    assert "待答复的认领邀请" in liaison and "进行中的认领" in liaison
    assert client_for(world.outsider).get("/dashboard/").status_code == 403
    assert client_for(None).get("/dashboard/").status_code == 302


def test_a_conference_the_user_does_not_run_is_not_shown(activity, client_for):
    world = activity
    other = world.sub  # the secretariat runs the district conference only
    assert client_for(world.secretariat).get(f"/dashboard/?conference={other.pk}").status_code == 404
    assert client_for(world.secretariat).get("/dashboard/?conference=99999999999999999999").status_code == 200


def test_chart_download_is_an_excel_file_with_text_kept_as_text(activity, client_for):
    world = activity
    evil = '=HYPERLINK("http://evil.example","x")'
    Area.objects.filter(pk=world.street_area.pk).update(name=evil)
    response = client_for(world.secretariat).get("/dashboard/?download=members_street")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["街道", "单位数"]
    assert (sheet["A3"].value, sheet["A3"].data_type, sheet["B3"].value) == (evil, "s", 3)
    response = client_for(world.secretariat).get("/dashboard/?download=nonsense")
    assert response.status_code == 404


def test_bad_periods_fall_back_to_the_last_twelve_months(activity, client_for):
    for query in ("from=0000-00&to=abc", "from=2024-13", "from=1900-01&to=2200-01", "from=2030-01&to=2020-01"):
        response = client_for(activity.secretariat).get(f"/dashboard/?{query}")
        assert response.status_code == 200
    assert queries.Period.parse("2024-01", "2024-03").months()[0].isoformat() == "2024-01-01"
    assert len(queries.Period.parse("2024-01", "2024-03").months()) == 3
