from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnly(models.Model):
    """A row of the audit log: written once, never changed or deleted through the ORM (the
    PostgreSQL triggers refuse it below the ORM too)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEvent(AppendOnly):
    """One thing somebody did to the platform's data: who, when, from where, what, before/after,
    result.

    Writers only INSERT (no lock, no chain work on the write path). A sealer later links committed
    events into a keyed hash chain (`AuditSeal`), so a row changed or deleted behind the
    application's back is detected by `huiqi audit verify`. The log is append-only: the model
    refuses updates and deletes, and on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE.
    """

    class Result(models.TextChoices):
        OK = "ok", "成功"
        DENIED = "denied", "拒绝"
        FAILED = "failed", "失败"

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=150)
    action = models.CharField("事件", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象标识", max_length=80, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.OK)
    detail = models.TextField("说明", blank=True)
    client_ip = models.CharField("客户端地址", max_length=45, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_label} {self.action} {self.object_repr}"


class AuditSeal(AppendOnly):
    """One link of the audit hash chain: event `event` is number `seq` of the chain, and `hash` is
    the HMAC (keyed with HUIQI_AUDIT_KEY) of every stored field of the event and `prev_hash`.

    Written only by the sealer, never on the write path; append-only like the events.
    """

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    seq = models.PositiveBigIntegerField("链序号", unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField("封存时间")

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计链环"
        verbose_name_plural = "审计链环"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditChainHead(models.Model):
    """The single row holding the newest sealed sequence number and hash of the audit chain.

    Only the sealer touches it, with a compare-and-set UPDATE, so two sealers never fork the chain;
    writers of events never lock it. Verification compares it with the last link, and the signed
    checkpoint files anchor it outside the database.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
