"""Imports of meeting reports and the provenance rows that tie records to the report's sentences."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from lianxi.registry.models import Conference


class Import(models.Model):
    """One report brought in for review: the text as received, the repaired text, the repairs the
    reviewer rejected, the extracted draft, the reviewer's decisions, and — once applied — the
    meeting it became. Nothing reaches the records before a reviewer applies it."""

    class State(models.TextChoices):
        REVIEW = "review", "待审核"
        APPLIED = "applied", "已导入"
        DISCARDED = "discarded", "已放弃"

    conference = models.ForeignKey(Conference, verbose_name="导入到联席会议", on_delete=models.PROTECT,
                                   related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    input_kind = models.CharField("来源形式", max_length=10)
    encoding = models.CharField("编码", max_length=20, blank=True)
    source_text = models.TextField("原文")
    repaired_text = models.TextField("修复后文本")
    rejected_repairs = models.JSONField("已否决的修复", default=list, blank=True)
    draft = models.JSONField("草稿")
    decisions = models.JSONField("审核决定", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.REVIEW)
    content_hash = models.CharField("内容指纹", max_length=64)
    previous = models.ForeignKey("self", verbose_name="此前导入的同一报道", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="reimports")
    meeting = models.ForeignKey("meetings.Meeting", verbose_name="导入的会议", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="imports")
    applied_at = models.DateTimeField("导入完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "报道导入"
        verbose_name_plural = "报道导入"
        ordering = ["-created_at", "-id"]
        indexes = [
            # re-import detection: is this report (by content) already here?
            models.Index(fields=["content_hash"], name="ingest_import_hash"),
            # the conference's import list, newest first
            models.Index(fields=["conference", "-created_at"], name="ingest_import_conf_time"),
        ]

    def __str__(self):
        title = (self.draft or {}).get("meeting", {}).get("title") or self.file_name or "粘贴文本"
        return f"导入 #{self.pk}：{title}"

    @property
    def citation(self) -> str:
        """How a record cites this report: 2024-06-24 中新網上海新聞报道."""
        meeting = (self.draft or {}).get("meeting", {})
        byline = (self.draft or {}).get("byline", {})
        date = meeting.get("date") or ""
        source = byline.get("source") or self.file_name or "会议报道"
        return f"{date} {source}报道".strip()


class SourceSpan(models.Model):
    """Where in an imported report a record's fact is stated (or from what it was inferred)."""

    class Basis(models.TextChoices):
        STATED = "stated", "原文载明"
        INFERRED = "inferred", "推断"

    source_import = models.ForeignKey(Import, verbose_name="导入", on_delete=models.CASCADE, related_name="spans")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    field = models.CharField("字段", max_length=60, blank=True)
    path = models.CharField("草稿路径", max_length=120)
    start = models.PositiveIntegerField("起")
    end = models.PositiveIntegerField("止")
    quote = models.TextField("原文")
    basis = models.CharField("依据", max_length=10, choices=Basis.choices, default=Basis.STATED)
    reason = models.CharField("推断理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "出处"
        verbose_name_plural = "出处"
        ordering = ["start", "id"]
        indexes = [
            # a record page asks for its sources: one look-up by (type, id)
            models.Index(fields=["target_type", "target_id"], name="ingest_span_target"),
        ]

    def __str__(self):
        return f"{self.path}: {self.quote[:40]}"
