"""Gates of the accounts room: which kind of work a signed-in user has (the page they land on
after signing in), the ``access`` object templates ask (``access.is_insider`` …) instead of
re-deriving roles, and who may read the change log: an object's 变更记录 in words for those
the gate of the object's room allows (``register_history_gate``); the raw entries (action codes,
field names, stored values) in the API for those who run a conference, scoped to their
conferences (``audit_entries_for``). Gates about role
grants live in ``lianxi.registry.gates``, beside the conferences and units a grant is scoped to."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from lianxi.accounts.access import access_for, people_of, units_of
from lianxi.accounts.models import ApiToken
from lianxi.audit.models import AuditEntry
from lianxi.audit.services import about
from lianxi.audit.services import history as _entries
from lianxi.audit.words import readable


def access(request):
    """Context processor: ``{{ access }}`` in every template."""
    return {"access": access_for(request.user)}


# Who reads an object's 变更记录 is the question of the room that owns the object: each room
# registers, in its ``AppConfig.ready``, a gate per model (``register_history_gate``), answered
# from the object itself (its conference, its owner unit …). Deny by default: an object whose model
# has no gate has no readable history, whoever asks.
_history_gates: dict[type, object] = {}


def register_history_gate(model, may_read) -> None:
    """``may_read(user, obj) -> bool`` decides who reads the history of ``model``'s objects."""
    _history_gates[model] = may_read


def may_read_history(user, obj) -> bool:
    if not access_for(user).is_insider:
        return False
    gate = _history_gates.get(type(obj)._meta.concrete_model)
    return gate is not None and bool(gate(user, obj))


def history_for(user, obj, limit: int = 50, also=(), mask: dict | None = None):
    """``obj``'s history (with that of the objects in ``also``) in words for a user the object's
    gate allows, else ``None`` (the page shows no 变更记录 section)."""
    if not may_read_history(user, obj):
        return None
    return readable(_entries(obj, limit, also=also, mask=mask))


def in_words_for(user, obj, entries):
    """Entries a page selected about ``obj`` (a meeting with its agenda items) in words, for a user
    ``obj``'s gate allows, else ``None``."""
    if not may_read_history(user, obj):
        return None
    return readable(entries)


def audit_entries_for(user):
    """The raw rows a user may read in the API: every row for a district administrator (and a
    superuser); for a secretariat the rows about objects of the conferences it runs (the
    conference recorded on the row) and about the units that belong or belonged to them and those
    units' people (a person's row records no conference: a person works for a unit, which may
    belong to several). Outsiders 404, insiders who run no conference 403 (``require_auditor``)."""
    require_auditor(user)
    access = access_for(user)
    if access.is_district_admin:
        return AuditEntry.objects.all()
    managed = access.managed_conferences
    return AuditEntry.objects.filter(
        Q(conference_id__in=managed) | about(units_of(managed)) | about(people_of(managed)))


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
