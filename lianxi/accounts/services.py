"""Role grants: the one way a role is given or taken back. Each call writes one audit row, in the
same transaction as the change (docs/architecture.md, "the write path").

Who may grant what is a gate's question (``Access.can_grant``), asked before these are called;
these check the rules of the grant itself (its scope matches its role, no duplicate)."""

from django.db import transaction

from lianxi.accounts.models import Grant
from lianxi.audit.services import record, record_many


def _grant_changes(grant: Grant) -> dict:
    return {
        "user": str(grant.user),
        "role": grant.role,
        "conference": str(grant.conference) if grant.conference_id else None,
        "unit": str(grant.unit) if grant.unit_id else None,
    }


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
    return grant


@transaction.atomic
def revoke_role(actor, grant: Grant) -> None:
    """Take the grant back. The audit row keeps who held what, since the grant row is deleted."""
    changes = {k: [v, None] for k, v in _grant_changes(grant).items() if v is not None}
    record(actor, "accounts.grant.delete", grant, changes)
    grant.delete()


def unit_roles_held(unit_ids) -> set[tuple[str, int]]:
    """``(role, unit_id)`` of every grant already held over these units (one query)."""
    return set(Grant.objects.filter(unit_id__in=unit_ids).values_list("role", "unit_id"))


@transaction.atomic
def grant_unit_roles_bulk(actor, wanted: list[tuple]) -> list[Grant]:
    """Give many unit roles at once (``[(user, role, unit), …]``: opening the accounts of a whole
    conference), one audit row each, written together. The scope of each fits its role by
    construction (a unit role over a unit); the unique constraint refuses a duplicate."""
    grants = Grant.objects.bulk_create([Grant(user=user, role=role, unit=unit) for user, role, unit in wanted])
    record_many(actor, "accounts.grant.create", [
        (g, {"user": [None, g.user.get_username()], "role": [None, g.role], "unit": [None, str(g.unit)]})
        for g in grants
    ])
    return grants
