"""Role grants: what a user may do, scoped to a conference or a unit. Deny by default."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Grant(models.Model):
    """One role held by a user. District administrators and the secretariat are scoped to a
    conference (and, for administrators, everything under it); liaisons and grassroots units to a
    unit; reviewers to a conference (campaign scoping comes with campaigns)."""

    class Role(models.TextChoices):
        ADMIN = "admin", "区级管理员"
        SECRETARIAT = "secretariat", "秘书处"
        LIAISON = "liaison", "联络员"
        STREET = "street", "基层单位"
        REVIEWER = "reviewer", "评审"

    CONFERENCE_ROLES = {Role.ADMIN, Role.SECRETARIAT, Role.REVIEWER}
    UNIT_ROLES = {Role.LIAISON, Role.STREET}

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    conference = models.ForeignKey(
        "registry.Conference", verbose_name="联席会议", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    created = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=["admin", "secretariat", "reviewer"], conference__isnull=False, unit__isnull=True))
                | (Q(role__in=["liaison", "street"], unit__isnull=False, conference__isnull=True)),
                name="grant_scope_matches_role",
                violation_error_message="管理员、秘书处、评审须指定联席会议；联络员、基层单位须指定单位。",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "conference", "unit"],
                name="grant_unique",
                violation_error_message="该账号已有此授权。",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.conference or self.unit}"


class Installation(models.Model):
    """What this database is. ``lianxi demo`` marks the database it creates as a demo, and creates
    accounts with published passwords only in such a database; it refuses any other."""

    class Kind(models.TextChoices):
        DEMO = "demo", "演示"
        PRODUCTION = "production", "正式"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "安装信息"
        verbose_name_plural = "安装信息"

    def __str__(self):
        return self.get_kind_display()


class UserSession(models.Model):
    """A login session of a user, recorded when the session starts, so that all of a user's
    sessions can be ended at once (a change of password or of roles) without decoding every
    session in the store."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE,
                             related_name="login_sessions")
    session_key = models.CharField("会话", max_length=40, unique=True)
    created = models.DateTimeField("登录时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    def __str__(self):
        return f"{self.user} · {self.created:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token another system (or a person's script) uses to call /api/v1/ as its holder:
    it sees and may do what the holder's grants allow, read-only or read-write. Only the SHA-256
    digest of the secret is stored; the secret is shown once, when the token is made."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "个人令牌"
        SYSTEM = "system", "系统令牌"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="持有账号", on_delete=models.CASCADE,
                             related_name="api_tokens")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=16)
    digest = models.CharField("摘要(SHA-256)", max_length=64, unique=True)
    read_only = models.BooleanField("只读", default=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    expires = models.DateTimeField("过期时间")
    revoked = models.DateTimeField("撤销时间", null=True, blank=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)
    last_used_ip = models.CharField("最近使用地址", max_length=45, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created", "-id"]
        indexes = [
            # A holder's token page: their tokens, newest first.
            models.Index(fields=["user", "-created"], name="apitoken_user_created"),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    def is_usable(self, now) -> bool:
        return self.revoked is None and self.expires > now and self.user.is_active
