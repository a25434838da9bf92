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


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class ReachOptOut(models.Model):
    """退订: one contact on file of an enterprise (its phone for text messages, its e-mail) asked
    for no more messages. Every sender of ReachMessage checks it before sending."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="reach_opt_outs")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField("退订时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业联系方式退订"
        verbose_name_plural = "企业联系方式退订"
        constraints = [models.UniqueConstraint(fields=["enterprise", "channel"], name="reach_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.get_channel_display()} 已退订"


class ReachMessage(models.Model):
    """A text message or e-mail to the contact on file of an enterprise — with or without an
    account — about a new eligible item or 免申即享 money coming (公示 started, payment made).
    Written by the event's own transaction, sent by the background worker. The unique constraint
    is the guarantee that the same enterprise never hears of the same item, period and event on
    the same channel twice, even when two producers or two workers race."""

    class Event(models.TextChoices):
        ELIGIBLE = "eligible", "新的符合政策"
        PUBLICITY = "publicity", "免申即享名单公示"
        PAID = "paid", "资金已拨付"

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        OPTED_OUT = "opted_out", "已退订，不发送"

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="reach_messages")
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("兑现期间", max_length=20, blank=True)
    event = models.CharField("事由", max_length=12, choices=Event.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    due_on = models.DateField("应拨付日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    error = models.CharField("最近一次失败原因", max_length=300, blank=True)
    gateway_id = models.CharField("网关消息编号", max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业触达消息"
        verbose_name_plural = "企业触达消息"
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "item", "period", "event", "channel"],
                                               name="reach_message_once")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.get_channel_display()} → {self.enterprise_id}"
