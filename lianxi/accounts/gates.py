"""Gates of the accounts room: which kind of work a signed-in user has (the page they land on
after signing in), the ``access`` object templates ask (``access.is_insider`` …) instead of
re-deriving roles, and who may read the change log: an object's 变更记录 in words for
insiders (anyone holding a grant, on the pages of objects they can see); the raw entries (action
codes, field names, stored values) in the API for those who run a conference. Gates about role
grants live in ``lianxi.registry.gates``, beside the conferences and units a grant is scoped to."""

from django.contrib.auth import get_user_model
from django.http import Http404

from lianxi.accounts.access import access_for
from lianxi.accounts.models import ApiToken
from lianxi.audit.services import history as _entries
from lianxi.audit.words import readable


def access(request):
    """Context processor: ``{{ access }}`` in every template."""
    return {"access": access_for(request.user)}


def can_read_history(user) -> bool:
    return access_for(user).is_insider


def history_for(user, obj, limit: int = 50, also=(), mask: dict | None = None):
    """``obj``'s history (with that of the objects in ``also``) in words for a user the gate
    allows, else ``None`` (the page shows none)."""
    if not can_read_history(user):
        return None
    return readable(_entries(obj, limit, also=also, mask=mask))


def in_words_for(user, entries):
    """Entries already selected by a page (a meeting with its agenda items) in words, or ``None``."""
    if not can_read_history(user):
        return None
    return readable(entries)


def can_read_raw_entries(user) -> bool:
    access = access_for(user)
    return access.can_manage_any_conference()


def require_auditor(user):
    """The raw log: outsiders 404, insiders who run no conference 403."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    access.require(access.can_manage_any_conference())


# In order of precedence: a person holding several roles lands on the most hands-on one.
STREET, LIAISON, SECRETARIAT, ADMIN, REVIEWER, SUPERUSER, NONE = (
    "street", "liaison", "secretariat", "admin", "reviewer", "superuser", "none")


def landing_role(user) -> str:
    """The role whose work this user lands on: a grassroots unit's confirmations before a liaison's
    inbox before a conference's overview; ``none`` for anonymous users and users without grants."""
    access = access_for(user)
    if not access.is_authenticated:
        return NONE
    if access.street_units:
        return STREET
    if access.liaison_units:
        return LIAISON
    if access.secretariat_conferences:
        return SECRETARIAT
    if access.admin_conferences:
        return ADMIN
    if access.reviewer_conferences:
        return REVIEWER
    if access.is_superuser:
        return SUPERUSER
    return NONE


# API tokens: a user manages their own; a district administrator manages everyone's and alone may
# make system tokens or tokens held by another account.
def tokens_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    access = access_for(user)
    rows = ApiToken.objects.select_related("user", "created_by")
    return rows if access.is_district_admin else rows.filter(user=user)


def get_token_for(user, pk: int) -> ApiToken:
    token = tokens_visible_to(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def can_manage_all_tokens(user) -> bool:
    return getattr(user, "is_authenticated", False) and access_for(user).is_district_admin


def token_holder_for(user, username: str | None):
    """The account a new token will belong to: the user, or for a district administrator the
    account they name. ``None`` when that account does not exist or may not be named."""
    if not username or username == user.get_username():
        return user
    if not can_manage_all_tokens(user):
        return None
    return get_user_model().objects.filter(username=username, is_active=True).first()
