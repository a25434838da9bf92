from __future__ import annotations

from django.conf import settings
from django.db import models


class Subscription(models.Model):
    """订阅: what an enterprise user wants to hear about — all its matches, or matches carrying a
    tag or coming from one department. Unsubscribing (one click, signed link) only deactivates,
    so the audit trail keeps who subscribed when."""

    class Kind(models.TextChoices):
        ALL = "all", "我的全部匹配政策"
        TAG = "tag", "政策标签"
        DEPARTMENT = "department", "主管部门"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField("订阅范围", max_length=12, choices=Kind.choices)
    value = models.CharField("标签或部门", max_length=100, blank=True)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "政策订阅"
        verbose_name_plural = "政策订阅"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "value"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}".strip()
