"""Demo accounts with a published password, one per role. They exist only in a database that
``lianxi demo`` made: the installation row says so, and a database that is (or may be) a real one
is refused before anything is written."""

from django.contrib.auth import get_user_model
from django.db import transaction

from lianxi.accounts.models import Grant, Installation
from lianxi.accounts.services import grant_role, user_holds
from lianxi.audit.services import record
from lianxi.lib.services import create_object
from lianxi.registry.models import Conference, Unit

DEMO_PASSWORD = "lianxi-demo-2024"
DISTRICT = "黄浦区区域化党建联席会议"
DEMO_CONFERENCE = "演示联席会议（虚构）"

# (username, what the account is for, grant role or None for the superuser, scope kind, scope names).
# The Huangpu conference holds only the seed article, so the accounts that work on lists (the street,
# the liaison, the secretariat) work in the fictitious demo conference, where the samples are.
DEMO_ACCOUNTS = [
    ("demo-admin", "区级管理员：管理黄浦区（参考数据）和演示联席会议的会议、成员单位和清单",
     Grant.Role.ADMIN, "conference", (DISTRICT, DEMO_CONFERENCE)),
    ("demo-secretariat", "秘书处：运行演示联席会议——发布清单、推荐匹配、登记会议",
     Grant.Role.SECRETARIAT, "conference", (DEMO_CONFERENCE,)),
    ("demo-liaison", "联络员：示例共建单位（演示）——认领需求、登记交付、回应认领邀请",
     Grant.Role.LIAISON, "unit", ("示例共建单位（演示）",)),
    ("demo-street", "基层单位：示例街道甲（演示）——发布需求、确认交付并评价",
     Grant.Role.STREET, "unit", ("示例街道甲（演示）",)),
    ("demo-reviewer", "评审：黄浦区区域化党建联席会议（查看会议、项目和成员单位）",
     Grant.Role.REVIEWER, "conference", (DISTRICT,)),
    ("demo-superuser", "超级用户：全部权限，含 Django 管理后台", None, "", ()),
]


class NotADemoDatabase(Exception):
    """The database is, or may be, a real installation: demo accounts must not be created in it."""


def ensure_demo_installation() -> Installation:
    """Return this database's demo installation row, creating it on a fresh database; refuse a
    production database and one that already has users but was not made by ``lianxi demo``."""
    if Installation.objects.filter(kind=Installation.Kind.PRODUCTION).exists():
        raise NotADemoDatabase("该数据库已标记为正式环境（Installation=production），拒绝写入演示数据和演示账号。")
    demo = Installation.objects.filter(kind=Installation.Kind.DEMO).order_by("pk").first()
    if demo is not None:
        return demo
    if get_user_model().objects.exists():
        raise NotADemoDatabase(
            "该数据库已有用户账号，但不是由 lianxi demo 创建的（没有安装信息记录），"
            "拒绝写入演示账号。请用 --db 指定一个新的数据库文件。"
        )
    return create_object(None, Installation, "accounts.installation.create", kind=Installation.Kind.DEMO)


def require_demo_installation():
    if Installation.objects.filter(kind=Installation.Kind.PRODUCTION).exists() or not Installation.objects.filter(
        kind=Installation.Kind.DEMO
    ).exists():
        raise NotADemoDatabase("只有 lianxi demo 创建的演示数据库才能建立演示账号。")


@transaction.atomic
def create_demo_accounts() -> list[dict]:
    """Create (or keep) one account per role; returns what to print: username, password, role."""
    require_demo_installation()
    User = get_user_model()
    scopes = {
        "conference": lambda name: Conference.objects.get(name=name),
        "unit": lambda name: Unit.objects.get(name=name),
    }
    out = []
    for username, description, role, scope_kind, scope_names in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            if role is None:
                user = User.objects.create_superuser(username=username, password=DEMO_PASSWORD)
            else:
                user = User.objects.create_user(username=username, password=DEMO_PASSWORD)
            record(None, "accounts.user.create", user,
                   {"username": [None, username], "is_superuser": [None, role is None]})
        elif not user.check_password(DEMO_PASSWORD):
            # The printed password must work: a demo account whose password was changed is reset.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            record(None, "accounts.user.password_reset", user, {"password": ["***", "***"]})
        for scope_name in scope_names if role is not None else ():
            scope = {scope_kind: scopes[scope_kind](scope_name)}
            if not user_holds(user, role, **scope):
                grant_role(None, user=user, role=role, **scope)
        out.append({"username": username, "password": DEMO_PASSWORD, "description": description})
    return out
