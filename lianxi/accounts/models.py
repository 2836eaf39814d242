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
