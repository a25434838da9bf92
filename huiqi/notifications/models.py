from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message to one person in the in-app inbox (and, per channel, by e-mail or SMS).

    `dedupe_key` says what the message is about (e.g. `window-closing:7:qz-rd:ent-42`); the unique
    constraint makes sure the same person never gets the same message twice, even when two
    workers send it at once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    category = models.CharField("类别", max_length=30, db_index=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once")]

    def __str__(self) -> str:
        return self.title
