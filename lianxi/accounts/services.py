"""Role grants: the one way a role is given or taken back. Each call writes one audit row, in the
same transaction as the change (docs/architecture.md, "the write path").

Who may grant what is a gate's question (``Access.can_grant``), asked before these are called;
these check the rules of the grant itself (its scope matches its role, no duplicate)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lianxi.accounts import tokens
from lianxi.accounts.models import ApiToken, Grant
from lianxi.accounts.sessions import end_other_sessions, end_sessions_of
from lianxi.audit.services import created, record, record_many
from lianxi.lib.db import insert_prepared


def _grant_changes(grant: Grant) -> dict:
    return {
        "user": str(grant.user),
        "role": grant.role,
        "conference": str(grant.conference) if grant.conference_id else None,
        "unit": str(grant.unit) if grant.unit_id else None,
    }


def record_account_created(actor, user, *, how: str) -> None:
    """The audit row of a new account (``how``: the way in, e.g. ``createsuperuser``). The
    password is never recorded, not even as a hash."""
    record(actor, "accounts.user.create", user, {
        "username": [None, user.get_username()], "is_superuser": [None, user.is_superuser],
        "how": [None, how],
    })


def user_holds(user, role: str, *, conference=None, unit=None) -> bool:
    """Whether ``user`` already holds exactly this grant (so a repeated setup step skips it)."""
    return Grant.objects.filter(user=user, role=role, conference=conference, unit=unit).exists()


@transaction.atomic
def grant_role(actor, *, user, role: str, conference=None, unit=None) -> Grant:
    """Give ``user`` the ``role`` over ``conference`` (admin, secretariat, reviewer) or ``unit``
    (liaison, grassroots). Raises ``ValidationError`` naming the field when the scope does not fit
    the role or the user already holds this grant."""
    grant = Grant(user=user, role=role, conference=conference, unit=unit)
    grant.full_clean()
    grant.save()
    record(actor, "accounts.grant.create", grant,
           {k: [None, v] for k, v in _grant_changes(grant).items() if v is not None})
    # A change of roles ends the user's sessions: they sign in again under the new roles.
    transaction.on_commit(lambda: end_other_sessions(user))
    return grant


@transaction.atomic
def revoke_role(actor, grant: Grant) -> None:
    """Take the grant back. The audit row keeps who held what, since the grant row is deleted."""
    changes = {k: [v, None] for k, v in _grant_changes(grant).items() if v is not None}
    record(actor, "accounts.grant.delete", grant, changes)
    user = grant.user
    grant.delete()
    transaction.on_commit(lambda: end_other_sessions(user))


def unit_roles_held(unit_ids) -> set[tuple[str, int]]:
    """``(role, unit_id)`` of every grant already held over these units (one query)."""
    return set(Grant.objects.filter(unit_id__in=unit_ids).values_list("role", "unit_id"))


@transaction.atomic
def grant_unit_roles_bulk(actor, wanted: list[tuple]) -> list[Grant]:
    """Give many unit roles at once (``[(user, role, unit), …]``: opening the accounts of a whole
    conference), one audit row each, written together. The scope of each fits its role by
    construction (a unit role over a unit); the unique constraint refuses a duplicate."""
    grants = [Grant(user=user, role=role, unit=unit) for user, role, unit in wanted]
    insert_prepared(grants)  # prepared tuples: bulk_create's rows and ids, without compiling each value
    record_many(actor, "accounts.grant.create", [
        (g, {"user": [None, g.user.get_username()], "role": [None, g.role], "unit": [None, str(g.unit)]})
        for g in grants
    ])
    transaction.on_commit(lambda: end_sessions_of({g.user_id for g in grants}))
    return grants


# API tokens

TOKEN_FIELDS = ["user", "kind", "name", "prefix", "read_only", "expires"]


@transaction.atomic
def create_token(actor, *, holder, name: str, read_only: bool, days: int,
                 kind: str = ApiToken.Kind.PERSONAL) -> tuple[ApiToken, str]:
    """A new token for ``holder``; returns it with its secret, which is stored only as a digest and
    so can be shown this once. Who may make a token for whom is the gate's business."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写令牌用途（例如：区OA系统对接）。"
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors["days"] = f"有效期须在 1 至 {settings.API_TOKEN_MAX_DAYS} 天之间。"
    if kind not in ApiToken.Kind.values:
        errors["kind"] = "令牌类型不正确。"
    if not holder.is_active:
        errors["user"] = "该账号已停用，不能持有令牌。"
    if errors:
        raise ValidationError(errors)
    secret = tokens.new_secret()
    token = ApiToken.objects.create(
        user=holder, kind=kind, name=name[:100], prefix=secret[:10], digest=tokens.digest(secret),
        read_only=read_only, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires=timezone.now() + datetime.timedelta(days=days),
    )
    record(actor, "accounts.token.create", token, created(token, TOKEN_FIELDS))
    return token, secret


@transaction.atomic
def revoke_token(actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked is not None:
        raise ValidationError("该令牌已撤销。")
    before = token.revoked
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    record(actor, "accounts.token.revoke", token, {"revoked": [before, token.revoked.isoformat()]})
    return token
