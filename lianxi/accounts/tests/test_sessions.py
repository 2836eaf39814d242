"""Sessions: idle timeout, absolute lifetime, and ending a user's other sessions."""

import time

import pytest
from django.conf import settings
from django.test import Client

from lianxi.accounts.models import UserSession
from lianxi.accounts.sessions import SEEN, STARTED, end_other_sessions
from lianxi.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
PAGE = "/accounts/tokens/"  # any page that needs a login


def logged_in(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def shift(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - ago
    session.save()


def test_login_records_the_session():
    user = make_user("示例账号")
    client = logged_in(user)
    assert UserSession.objects.get(user=user).session_key == client.session.session_key
    assert client.get(PAGE).status_code == 200


def test_idle_session_ends(settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = logged_in(make_user("示例账号"))
    shift(client, seen=599)
    assert client.get(PAGE).status_code == 200
    shift(client, seen=601)
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.exists()


def test_active_session_ends_at_its_absolute_lifetime():
    client = logged_in(make_user("示例账号"))
    shift(client, started=settings.SESSION_COOKIE_AGE + 1, seen=5)
    assert client.get(PAGE).status_code == 302


def test_last_seen_is_written_at_most_once_a_minute():
    client = logged_in(make_user("示例账号"))
    shift(client, seen=30)
    before = client.session[SEEN]
    client.get(PAGE)
    assert client.session[SEEN] == before
    shift(client, seen=90)
    client.get(PAGE)
    assert client.session[SEEN] >= int(time.time()) - 2


def test_end_other_sessions_keeps_the_callers_own_and_other_users():
    user, other = make_user("示例账号"), make_user("示例账号二")
    mine, elsewhere, theirs = logged_in(user), logged_in(user), logged_in(other)
    assert end_other_sessions(user, keep_session_key=mine.session.session_key) == 1
    assert mine.get(PAGE).status_code == 200
    assert elsewhere.get(PAGE).status_code == 302
    assert theirs.get(PAGE).status_code == 200
    assert end_other_sessions(user) == 1
    assert mine.get(PAGE).status_code == 302


def test_a_password_change_ends_the_other_sessions():
    user = make_user("示例账号")
    first, second = logged_in(user), logged_in(user)
    user.set_password("another-password-456")
    user.save()
    assert first.get(PAGE).status_code == 302
    assert second.get(PAGE).status_code == 302


def test_a_change_of_roles_ends_the_users_sessions(world):
    from lianxi.accounts.models import Grant
    from lianxi.accounts.services import grant_role, revoke_role

    user = make_user("示例账号")
    first = logged_in(user)
    assert first.get(PAGE).status_code == 200
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        grant = grant_role(world.admin, user=user, role=Grant.Role.REVIEWER, conference=world.district)
    assert first.get(PAGE).status_code == 302
    second = logged_in(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        revoke_role(world.admin, grant)
    assert second.get(PAGE).status_code == 302
