"""Each demo persona's first minutes on a 390 px phone: sign in, land on its own work, do its most
common action, and pass axe (no critical or serious violation) on every page on the way. The demo
data is what ``lianxi demo`` loads: the Huangpu reference data, the fictitious demo conference
with its samples, and the demo accounts."""

import pytest

from lianxi.lists.models import Delivery
from tests.browser.axe_check import assert_accessible
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(need_categories):
    from lianxi.demo.accounts import DEMO_PASSWORD, create_demo_accounts, ensure_demo_installation
    from lianxi.demo.huangpu import load_huangpu
    from lianxi.lists.demo import load_samples
    from lianxi.matching.demo import send_sample_invitation

    ensure_demo_installation()
    huangpu = load_huangpu()
    samples = load_samples()
    invitation = send_sample_invitation()
    create_demo_accounts()
    return {"password": DEMO_PASSWORD, "invitation": invitation, **huangpu, **samples}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desk(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def visit(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert_accessible(page, name)
    shot(page, name)


def test_street_worker_lands_on_confirmations_and_confirms_with_a_rating_in_two_taps(demo, phone, live_server):
    sign_in(phone, live_server, "demo-street", demo["password"])
    assert phone.url == f"{live_server.url}/lists/confirmations/"
    assert_accessible(phone, "street landing")
    shot(phone, "street-390-landing")
    assert phone.locator(".counts .stat").first.inner_text() == "1"
    delivery = Delivery.objects.get(state=Delivery.State.DELIVERED)
    row = phone.locator(f"#delivery-{delivery.pk}")
    row.locator(f"label[for=rate-{delivery.pk}-5]").click()  # tap 1: the fifth star
    row.get_by_role("button", name="确认已交付").click()  # tap 2
    phone.get_by_text("已确认。").wait_for()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.rating) == (Delivery.State.CONFIRMED, 5)
    assert_accessible(phone, "street after confirming")
    shot(phone, "street-390-confirmed")
    for path, name in (("/dashboard/", "street-390-workbench"), ("/lists/inbox/", "street-390-inbox"),
                       ("/lists/", "street-390-hall"),
                       ("/lists/needs/new/", "street-390-need-form"), ("/lists/excel/", "street-390-excel")):
        visit(phone, live_server.url + path, name)


def test_liaison_lands_on_its_inbox_and_accepts_an_invitation_in_two_taps(demo, phone, live_server):
    from lianxi.lists.models import Claim
    from lianxi.matching.models import Suggestion

    invitation = demo["invitation"]
    assert invitation is not None and invitation.state == Suggestion.State.SENT
    sign_in(phone, live_server, "demo-liaison", demo["password"])
    assert phone.url == f"{live_server.url}/lists/inbox/"
    assert_accessible(phone, "liaison landing")
    shot(phone, "liaison-390-landing")
    phone.locator("a", has_text="认领邀请：【示例】青少年暑期科普讲座").first.click()  # tap 1
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, "liaison invitation")
    phone.get_by_role("button", name="接受并认领").click()  # tap 2
    phone.get_by_role("link", name="查看认领").wait_for()
    invitation.refresh_from_db()
    assert invitation.state == Suggestion.State.ACCEPTED
    claim = Claim.objects.get(need=invitation.need, unit=invitation.unit)
    assert (claim.quantity, claim.resource) == (invitation.quantity, invitation.resource)
    assert_accessible(phone, "liaison after accepting")
    shot(phone, "liaison-390-accepted")
    for path, name in (("/dashboard/", "liaison-390-workbench"), ("/lists/", "liaison-390-hall"), ("/lists/resources/", "liaison-390-resources"),
                       ("/lists/resources/new/", "liaison-390-resource-form"), ("/lists/excel/", "liaison-390-excel"),
                       (f"/lists/needs/{invitation.need_id}/", "liaison-390-need"),
                       (f"/lists/claims/{claim.pk}/cancel/", "liaison-390-cancel-question")):
        visit(phone, live_server.url + path, name)


def test_secretariat_lands_on_the_workbench(demo, phone, live_server):
    sign_in(phone, live_server, "demo-secretariat", demo["password"])
    assert phone.url == f"{live_server.url}/dashboard/"
    phone.locator("[data-chart] canvas").first.wait_for()  # the charts drew
    assert_accessible(phone, "secretariat landing")
    shot(phone, "secretariat-390-landing")
    for path, name in (("/lists/overview/", "secretariat-390-overview"), ("/matching/", "secretariat-390-matching"), ("/meetings/", "secretariat-390-meetings"),
                       ("/lists/snapshots/", "secretariat-390-snapshots"), ("/lists/burden/", "secretariat-390-burden")):
        visit(phone, live_server.url + path, name)


def test_district_admin_lands_on_the_workbench_and_reads_the_tenth_plenary(demo, phone, live_server):
    sign_in(phone, live_server, "demo-admin", demo["password"])
    assert phone.url == f"{live_server.url}/dashboard/"
    assert_accessible(phone, "admin landing")
    for path, name in (("/", "admin-390-home"), (f"/conferences/{demo['district'].pk}/", "admin-390-conference"),
                       (f"/meetings/{demo['meeting'].pk}/", "admin-390-meeting"), ("/units/", "admin-390-units"),
                       ("/people/", "admin-390-people"),
                       # its tables scroll sideways at 390 px: the wrapper must be reachable by keyboard
                       (f"/visits/coverage/{demo['district'].pk}/", "admin-390-coverage")):
        visit(phone, live_server.url + path, name)


def test_reviewer_lands_on_projects(demo, phone, live_server):
    sign_in(phone, live_server, "demo-reviewer", demo["password"])
    assert phone.url == f"{live_server.url}/projects/"
    assert_accessible(phone, "reviewer landing")
    shot(phone, "reviewer-390-landing")


def test_public_pages_at_desk_width(demo, desk, live_server):
    for path, name in (("/", "public-1280-home"), (f"/meetings/{demo['meeting'].pk}/", "public-1280-meeting"),
                       ("/projects/", "public-1280-projects"), ("/lists/", "public-1280-hall"),
                       ("/no-such-page/", "public-1280-404")):
        visit(desk, live_server.url + path, name)


def test_axe_does_report_a_serious_violation(phone):
    """The check is live: a page with an unlabelled select and an image without text fails it."""
    from tests.browser.axe_check import axe_violations

    phone.set_content('<!doctype html><html lang="zh"><head><title>t</title></head><body><main>'
                      '<img src="data:,"><select><option>1</option></select></main></body></html>')
    assert {v["id"] for v in axe_violations(phone)} >= {"image-alt", "select-name"}


@pytest.mark.parametrize("username", ["demo-secretariat", "demo-liaison", "demo-street"])
def test_each_workbench_at_desk_width(demo, desk, live_server, username):
    sign_in(desk, live_server, username, demo["password"])
    visit(desk, f"{live_server.url}/dashboard/", f"{username}-1280-workbench")
    assert desk.get_by_role("heading", name="工作台", exact=False).count() >= 1
