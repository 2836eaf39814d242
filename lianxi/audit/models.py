"""The append-only change log: one row per write, made by the service that did the write."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))


class AuditEntry(models.Model):
    """Who did what to which object, when, with each changed field as ``{field: [old, new]}``.

    Rows are never updated or deleted: ``save`` refuses an existing row and ``delete`` refuses
    always, and database triggers (``lianxi.audit.triggers``) refuse UPDATE and DELETE from any
    other path (queryset ``update()``/``delete()``, admin bulk actions, raw SQL).

    The actor is kept for good: ``actor_label`` holds the actor's name at write time, and a user
    who has audit rows cannot be deleted (``PROTECT``; deactivate the account instead). ``SET_NULL``
    would have to UPDATE audit rows, which the triggers refuse.
    """

    time = models.DateTimeField("时间", auto_now_add=True, db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_label = models.CharField("操作人(记录时)", max_length=150, blank=True)
    action = models.CharField("动作", max_length=80)
    target_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="audit_entries"
    )
    target_id = models.CharField("对象编号", max_length=64)
    target_repr = models.CharField("对象", max_length=300)
    changes = models.JSONField("变更", default=dict, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    # The conference the object belongs to when the row was written, as a plain id (audit sits below
    # the registry and knows no Conference): whose secretariat may read the raw row in the API.
    # Set in one place, ``audit.services.conference_of``; empty for objects of no one conference
    # (units, people, accounts) and for rows written before the column existed.
    conference_id = models.PositiveBigIntegerField("所属联席会议编号", null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-time", "-id"]
        indexes = [
            # An object's history page: all rows for one target, newest first.
            models.Index(fields=["target_type", "target_id", "-time"], name="audit_target_time"),
            # The global log filtered by time.
            models.Index(fields=["-time"], name="audit_time"),
            # A secretariat's raw log: the rows of its conferences, newest first.
            models.Index(fields=["conference_id", "-time"], name="audit_conference_time"),
        ]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_label or '系统'} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")
