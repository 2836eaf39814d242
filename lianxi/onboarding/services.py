"""Going live: the first-run setup, accounts for every member unit in one step, activation.

Accounts are created without a usable password and with an activation link (see
:class:`~lianxi.onboarding.models.Invitation`); no password is hashed until its holder sets one,
which is why creating thousands of accounts takes seconds. Every step writes one audit row."""

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pypinyin import lazy_pinyin

from lianxi.accounts.models import Grant
from lianxi.accounts.services import grant_role, grant_unit_roles_bulk, unit_roles_held
from lianxi.audit.services import record
from lianxi.lib.db import insert_prepared
from lianxi.lib.strokes import sort_names
from lianxi.onboarding.models import Invitation, _nonce
from lianxi.registry import services as registry
from lianxi.registry.models import Appointment, Area, Conference, Membership, Unit

SALT = "lianxi.onboarding.activation"
User = get_user_model()


# --- usernames -----------------------------------------------------------------------------------

def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())


class _Usernames:
    """Readable, unique user names: the person's name in pinyin (zhangsan, zhangsan2 …)."""

    def __init__(self):
        self.taken = set(User.objects.values_list("username", flat=True))

    def make(self, base: str) -> str:
        base = (base or "user")[:24]
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}{n}"
        self.taken.add(name)
        return name


# --- grants and invitations ------------------------------------------------------------------------

def _invite(actor, user, *, unit=None, person=None, role_label="") -> Invitation:
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user, unit=unit, person=person, role_label=role_label, issued_by=actor if actor and actor.is_authenticated else None,
        issued_at=now, expires_at=now + datetime.timedelta(days=settings.ACTIVATION_DAYS),
    )
    record(actor, "onboarding.invitation.issue", user, {"role": [None, role_label]})
    return invitation


def activation_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT, compress=True)


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link stands for, or ``ValidationError`` saying why it cannot be used."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError("激活链接无效，请向区域化党建办索取新的链接。") from None
    invitation = Invitation.objects.select_related("user").filter(pk=pk).first()
    if invitation is None or invitation.nonce != nonce:
        raise ValidationError("激活链接已失效（可能已重新开通），请使用最新的链接。")
    if invitation.used_at is not None:
        raise ValidationError("该账号已经激活，请直接登录。")
    if invitation.expires_at <= timezone.now():
        raise ValidationError("激活链接已过期，请向区域化党建办索取新的链接。")
    if not invitation.user.is_active:
        raise ValidationError("该账号已停用。")
    return invitation


@transaction.atomic
def activate(token: str, password: str):
    """Set the password, mark the link used (it works once), audit both."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise ValidationError("该账号已经激活，请直接登录。")
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(user, "onboarding.invitation.activate", user, {"activated": [None, True]})
    return user


@transaction.atomic
def reissue(actor, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) with a new expiry."""
    if invitation.used_at is not None:
        raise ValidationError("该账号已经激活。")
    invitation.nonce = _nonce()
    invitation.expires_at = timezone.now() + datetime.timedelta(days=settings.ACTIVATION_DAYS)
    invitation.save(update_fields=["nonce", "expires_at"])
    record(actor, "onboarding.invitation.reissue", invitation.user, {"expires_at": [None, invitation.expires_at.isoformat()]})
    return invitation


@transaction.atomic
def disable(actor, invitation: Invitation) -> None:
    user = invitation.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actor, "onboarding.account.disable", user, {"is_active": [True, False]})


# --- first run -------------------------------------------------------------------------------------

def needs_setup() -> bool:
    return not Conference.objects.exists()


@transaction.atomic
def set_up_district(actor, *, district: str, conference: str, short_name: str = "",
                    founded_on: datetime.date | None = None, admin_name: str, secretariat_name: str) -> dict:
    """The district (an area), its top conference, and the first two accounts with their links."""
    if not needs_setup():
        raise ValidationError("平台已完成初始设置。")
    names = _Usernames()
    for label, name in (("区级管理员账号", admin_name), ("秘书处账号", secretariat_name)):
        if not re.fullmatch(r"[A-Za-z0-9_.@+-]{3,40}", name or ""):
            raise ValidationError({label: f"{label}只能包含字母、数字和 _.@+-，3–40 位。"})
        if name in names.taken:
            raise ValidationError({label: f"账号“{name}”已存在。"})
    if admin_name == secretariat_name:
        raise ValidationError({"秘书处账号": "两个账号不能同名。"})
    area = registry.create_area(actor, name=district, kind=Area.Kind.DISTRICT)
    conf = registry.create_conference(actor, name=conference, short_name=short_name, kind=Conference.Kind.DISTRICT,
                                      area=area, founded_on=founded_on)
    invitations = []
    for username, role, label in ((admin_name, Grant.Role.ADMIN, "区级管理员"),
                                  (secretariat_name, Grant.Role.SECRETARIAT, "秘书处")):
        user = User.objects.create_user(username=username)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # A new account: nothing to skip, so straight through the one grant service (one audit row).
        grant_role(actor, user=user, role=role, conference=conf)
        invitations.append(_invite(actor, user, role_label=label))
    return {"conference": conf, "invitations": invitations}


def checklist(conference: Conference) -> list[dict]:
    """What is left to do before the conference runs on lianxi; each item computed, not ticked."""
    from lianxi.meetings.models import Meeting

    scope = Conference.objects.filter(pk=conference.pk) | Conference.objects.filter(parent=conference)
    members = Membership.objects.current().filter(conference__in=scope).count()
    posts = Appointment.objects.filter(conference__in=scope).count()
    invited = Invitation.objects.filter(unit__memberships__conference__in=scope).distinct().count()
    meetings = Meeting.objects.filter(conference__in=scope).count()
    return [
        {"key": "members", "label": "导入成员单位", "done": members > 0, "figure": f"{members} 家"},
        {"key": "posts", "label": "导入人员与职务", "done": posts > 0, "figure": f"{posts} 条任职"},
        {"key": "accounts", "label": "为成员单位开通联络员和基层账号", "done": invited > 0, "figure": f"{invited} 个账号"},
        {"key": "meeting", "label": "记录第一次会议", "done": meetings > 0, "figure": f"{meetings} 次会议"},
    ]


# --- accounts at scale -----------------------------------------------------------------------------

@transaction.atomic
def issue_unit_accounts(actor, conference: Conference) -> dict:
    """One liaison account per current liaison post of the conference's member units (from the
    imported posts), and one account per street member unit; units and people that already have
    such an account are skipped. Inserted in bulk (users, grants, invitations, audit rows): no
    password is hashed here. Returns counts; the list to hand out is :func:`pending_invitations`."""
    from django.contrib.auth.hashers import make_password

    from lianxi.audit.services import record_many

    members = list(Membership.objects.current().filter(conference=conference).select_related("unit"))
    unit_ids = {m.unit_id for m in members}
    liaison_posts = (Appointment.objects.current().filter(conference=conference, role=Appointment.Role.LIAISON,
                                                          person__isnull=False, unit_id__in=unit_ids)
                     .select_related("person", "unit"))
    granted = unit_roles_held(unit_ids)
    has_account = set(Invitation.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    names = _Usernames()
    wanted = []  # (username, role, unit, person, label)
    skipped, seen_people = 0, set()
    for post in liaison_posts:
        person = post.person
        if person.user_id or person.pk in has_account or person.pk in seen_people:
            skipped += 1
            continue
        seen_people.add(person.pk)
        wanted.append((names.make(_ascii(person.name)), Grant.Role.LIAISON, post.unit, person, "联络员"))
    for m in members:
        unit = m.unit
        if unit.category != Unit.Category.STREET:
            continue
        if (Grant.Role.STREET, unit.pk) in granted:
            skipped += 1
            continue
        granted.add((Grant.Role.STREET, unit.pk))
        wanted.append((names.make(_ascii(unit.name)[:20] + "-jc"), Grant.Role.STREET, unit, None, "基层单位"))
    if not wanted:
        return {"liaison": 0, "street": 0, "skipped": skipped}
    unusable = make_password(None)
    # Prepared tuples (lib.db.insert_prepared), not bulk_create: the same rows and ids, less per value.
    users = [User(username=w[0], password=unusable) for w in wanted]
    insert_prepared(users)
    grant_unit_roles_bulk(actor, [(u, w[1], w[2]) for u, w in zip(users, wanted, strict=True)])
    registry.link_accounts_bulk(actor, [(w[3], u) for u, w in zip(users, wanted, strict=True) if w[3] is not None])
    now = timezone.now()
    issuer = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    invitations = [
        Invitation(user=u, unit=w[2], person=w[3], role_label=w[4], issued_by=issuer, issued_at=now,
                   expires_at=now + datetime.timedelta(days=settings.ACTIVATION_DAYS))
        for u, w in zip(users, wanted, strict=True)
    ]
    insert_prepared(invitations)
    record_many(actor, "onboarding.invitation.issue", [(inv.user, {"role": [None, inv.role_label]}) for inv in invitations])
    return {"liaison": sum(1 for w in wanted if w[1] == Grant.Role.LIAISON),
            "street": sum(1 for w in wanted if w[1] == Grant.Role.STREET), "skipped": skipped}


def pending_invitations(conference: Conference | None = None):
    """Accounts not yet activated (any expiry), unit names in 姓氏笔画 order."""
    qs = Invitation.objects.filter(used_at__isnull=True).select_related("user", "unit", "person")
    if conference is not None:
        qs = qs.filter(Q(unit__memberships__conference=conference) | Q(unit__isnull=True)).distinct()
    return sort_names(qs, name=lambda inv: (inv.unit.name if inv.unit_id else "") + (inv.person.name if inv.person_id else ""))
