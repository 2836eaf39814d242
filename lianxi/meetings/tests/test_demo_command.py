from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from lianxi.accounts.models import Grant, Installation
from lianxi.demo import DEMO_STEPS
from lianxi.demo.accounts import DEMO_PASSWORD, NotADemoDatabase, create_demo_accounts
from lianxi.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_creates_data_and_one_account_per_role_and_is_idempotent():
    output = run_demo()
    User = get_user_model()
    assert list(Installation.objects.values_list("kind", flat=True)) == ["demo"]
    grants = sorted(Grant.objects.values_list("user__username", "role", "conference__short_name", "unit__name"))
    # The accounts that work on lists work in the fictitious demo conference, not in Huangpu's.
    assert grants == [
        ("demo-admin", "admin", "演示（虚构）", None),
        ("demo-admin", "admin", "黄浦区", None),
        ("demo-liaison", "liaison", None, "示例共建单位（演示）"),
        ("demo-reviewer", "reviewer", "黄浦区", None),
        ("demo-secretariat", "secretariat", "演示联席", None),  # the visits room's sample conference
        ("demo-secretariat", "secretariat", "演示（虚构）", None),
        ("demo-street", "street", None, "示例街道甲（演示）"),
    ]
    superuser = User.objects.get(username="demo-superuser")
    assert superuser.is_superuser and superuser.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output and "http://127.0.0.1:8000/" in output and "demo-street" in output
    # Each account says what the role does.
    lines = {line.split()[0]: line.split(None, 1)[1] for line in output.splitlines() if line.startswith("  demo-")}
    assert lines["demo-street"] == "基层单位：示例街道甲（演示）——发布需求、确认交付并评价"
    assert lines["demo-liaison"] == "联络员：示例共建单位（演示）——认领需求、登记交付、回应认领邀请"
    assert Meeting.objects.get().number == 10

    # The demo liaison has one claim invitation to accept, from the fictitious conference only.
    from lianxi.matching.models import Suggestion

    sent = Suggestion.objects.get(state="sent")
    assert (sent.unit.name, sent.need.title, sent.conference.name) == (
        "示例共建单位（演示）", "【示例】青少年暑期科普讲座", "演示联席会议（虚构）")

    users, grants_count = User.objects.count(), Grant.objects.count()
    run_demo()
    assert Suggestion.objects.filter(state="sent").count() == 1
    assert (User.objects.count(), Grant.objects.count(), Meeting.objects.count()) == (users, grants_count, 1)
    assert Installation.objects.count() == 1


def test_demo_steps_load_the_reference_data_then_the_demo_conference_then_accounts():
    assert DEMO_STEPS[:4] == ["lianxi.demo.huangpu.load_huangpu", "lianxi.lists.demo.load_samples",
                              "lianxi.matching.demo.send_sample_invitation", "lianxi.demo.accounts.create_demo_accounts"]


def test_demo_serves_without_the_access_log(monkeypatch):
    """The printed accounts are not buried under gunicorn's request lines."""
    from lianxi import cli

    seen = {}
    monkeypatch.setattr(cli, "_django", lambda args: None)
    monkeypatch.setattr(cli, "_use_sqlite_path", lambda path: "/tmp/lianxi-demo-test.sqlite3")
    monkeypatch.setattr(cli, "_ensure_secret_key", lambda path: None)
    monkeypatch.setattr(cli, "serve", lambda host, port, workers, access_log=True, **other: seen.update(access_log=access_log))
    cli.main(["demo"])
    assert seen == {"access_log": False}


def test_demo_refuses_a_database_with_users_but_no_installation():
    get_user_model().objects.create_user(username="someone", password="not-a-demo-password")
    with pytest.raises(CommandError) as err:
        run_demo()
    assert "已有用户账号" in str(err.value)
    assert not Installation.objects.exists()
    assert not Meeting.objects.exists()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["someone"]


def test_demo_refuses_a_production_database():
    Installation.objects.create(kind=Installation.Kind.PRODUCTION)
    with pytest.raises(CommandError) as err:
        run_demo()
    assert "正式环境" in str(err.value)
    assert not get_user_model().objects.exists()
    assert not Meeting.objects.exists()


def test_demo_accounts_are_never_created_outside_a_demo_database():
    with pytest.raises(NotADemoDatabase):
        create_demo_accounts()
    assert not get_user_model().objects.exists()
