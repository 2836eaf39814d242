"""Going live: the one-time activation of accounts the office creates in bulk."""

import secrets

from django.conf import settings
from django.db import models


def _nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """An account waiting for its holder to set a password. The link carries a signed
    ``(id, nonce)``; the database keeps no usable secret (a leaked backup gives no working link),
    and re-issuing changes the nonce, so an older link stops working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE,
                                related_name="invitation")
    nonce = models.CharField(max_length=40, default=_nonce, editable=False)
    unit = models.ForeignKey("registry.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="invitations")
    person = models.ForeignKey("registry.Person", verbose_name="人员", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="invitations")
    role_label = models.CharField("角色", max_length=40, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开通人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="issued_invitations")
    issued_at = models.DateTimeField("开通时间")
    expires_at = models.DateTimeField("激活截止")
    used_at = models.DateTimeField("激活时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号激活"
        verbose_name_plural = "账号激活"
        ordering = ["-issued_at", "id"]
        indexes = [
            # The list of accounts still waiting to be activated.
            models.Index(fields=["used_at", "expires_at"], name="invitation_pending"),
        ]

    def __str__(self):
        return f"{self.user} · {self.role_label}"
