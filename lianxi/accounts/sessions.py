"""Login sessions: idle timeout and absolute lifetime, and ending a user's other sessions.

A change of password already ends every other session at its next request (Django keeps a hash of
the password in the session and refuses a session whose hash no longer matches). A change of roles
calls :func:`end_other_sessions`, which the role-grant service does after granting or revoking."""

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lianxi.accounts.models import UserSession

STARTED = "_lianxi_started"
SEEN = "_lianxi_seen"
# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION = 60


def _store():
    return import_string(settings.SESSION_ENGINE + ".SessionStore")


def end_other_sessions(user, keep_session_key: str | None = None) -> int:
    """End every login session of ``user`` except ``keep_session_key`` (the caller's own, if the
    user changes their own account). Returns how many were ended. Plain function, no signal: the
    services that change passwords or roles call it."""
    store = _store()
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


def session_started(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: stamp the new session and remember it under its user. (Session
    bookkeeping, not business logic: it must follow every login, the admin's included.)"""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[STARTED] = session[SEEN] = now
    if not session.session_key:
        session.save()
    # Sessions past their absolute lifetime are over whatever the store says: forget them here,
    # so the table holds about one row per live login.
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(user=user, created__lt=cutoff).delete()
    UserSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})


def end_sessions_of(user_ids) -> int:
    """End every login session of these users (a bulk change of roles), in one query for the rows."""
    store = _store()
    rows = UserSession.objects.filter(user_id__in=list(user_ids))
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


class SessionLimitsMiddleware:
    """Ends a browser login after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and after
    ``SESSION_COOKIE_AGE`` seconds in all, whatever the activity; records each new login session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "api_token", None) is None and request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = int(time.time())
        started = session.get(STARTED)
        if started is None:  # a session from before these limits: they count from now
            session[STARTED] = session[SEEN] = now
            return
        seen = session.get(SEEN, started)
        if now - started > settings.SESSION_COOKIE_AGE or now - seen > settings.SESSION_IDLE_TIMEOUT:
            key = session.session_key
            logout(request)
            UserSession.objects.filter(session_key=key).delete()
            messages.info(request, _("登录已超时，请重新登录。"))
        elif now - seen >= SEEN_RESOLUTION:
            session[SEEN] = now
