"""Login throttling (django-axes): an account and an address are each locked after repeated
failures, on the login page and at /admin/login/, with a Chinese message; attempts are logged."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import Client, override_settings

from lianxi.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


def attempt(path, username, password, address="10.1.0.1"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


@pytest.mark.parametrize("path", [LOGIN, ADMIN_LOGIN])
def test_account_is_locked_after_repeated_failures_even_with_the_right_password(path):
    user = make_user("示例账号", superuser=True)
    assert settings.AXES_FAILURE_LIMIT == 5
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(path, user.username, "wrong-password", address=f"10.2.0.{i}").status_code == 200
    # The limit is reached from yet another address: the account itself is locked.
    locked = attempt(path, user.username, "wrong-password", address="10.2.0.99")
    assert locked.status_code == 429
    right = attempt(path, user.username, PASSWORD, address="10.3.0.1")
    assert right.status_code == 429
    html = right.content.decode()
    assert "登录已暂时锁定" in html and "请在 15 分钟后再试" in html
    assert "_auth_user_id" not in right.client.session
    assert AccessFailureLog.objects.filter(username=user.username).count() >= settings.AXES_FAILURE_LIMIT


def test_an_address_is_locked_after_failures_on_many_accounts():
    make_user("示例账号")
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(LOGIN, f"猜测{i}", "wrong-password", address="10.9.9.9")
    assert attempt(LOGIN, "示例账号", PASSWORD, address="10.9.9.9").status_code == 429
    # The account itself is not locked: from another address it logs in.
    response = attempt(LOGIN, "示例账号", PASSWORD, address="10.9.9.10")
    assert response.status_code == 302


def test_a_success_before_the_limit_resets_the_count():
    make_user("示例账号")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(LOGIN, "示例账号", "wrong-password")
    assert attempt(LOGIN, "示例账号", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(LOGIN, "示例账号", "wrong-password")
    assert attempt(LOGIN, "示例账号", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_time():
    make_user("示例账号")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(LOGIN, "示例账号", "wrong-password")
    assert attempt(LOGIN, "示例账号", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16))
    assert attempt(LOGIN, "示例账号", PASSWORD).status_code == 302


@override_settings(LIANXI_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_locked_not_the_proxy():
    make_user("示例账号")
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.5.5.5").post(
            LOGIN, {"username": f"猜测{i}", "password": "x"})
    assert AccessAttempt.objects.filter(ip_address="10.5.5.5").count() == settings.AXES_FAILURE_LIMIT
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.5.5.6")
    assert other.post(LOGIN, {"username": "示例账号", "password": PASSWORD}).status_code == 302


def test_lockout_message_in_english(rf):
    """The lockout page in English (the catalogue has its strings)."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from lianxi.accounts.lockout import locked_out

    request = rf.post(LOGIN)
    request.user = AnonymousUser()
    with translation.override("en"):
        html = locked_out(request).content.decode()
    assert "Sign-in temporarily locked" in html and "Please try again in 15 minutes." in html


def test_logins_without_a_request_still_work(client):
    """The test client's login() and management commands call authenticate() with no request:
    nothing to throttle, so Django's own backend answers."""
    make_user("示例账号")
    assert client.login(username="示例账号", password=PASSWORD)
    assert not client.login(username="示例账号", password="wrong-password")
