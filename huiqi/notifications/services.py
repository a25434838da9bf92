"""Sending messages: the inbox always, e-mail and SMS when asked. Never the same message twice."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from huiqi.audit.services import audit_record

from .models import Notification
from .sms import sms_backend

log = logging.getLogger(__name__)
CHANNELS = frozenset({"inbox", "email", "sms"})


def notify(*, recipients: Iterable[Any], category: str, title: str, body: str = "", link: str = "",
           dedupe_key: str, channels: Sequence[str] = ("inbox", "email")) -> list[Notification]:
    """Send one message to each recipient who has not had this `dedupe_key` yet.

    Returns the notifications created now (an already-sent message is skipped silently)."""
    unknown = set(channels) - CHANNELS
    if unknown:
        raise ValueError(f"unknown channels: {sorted(unknown)}")
    created: list[Notification] = []
    for user in recipients:
        try:
            with transaction.atomic():
                note = Notification.objects.create(recipient=user, category=category, title=title, body=body,
                                                   link=link, dedupe_key=dedupe_key)
                audit_record(actor=None, action="notification.send", obj=note,
                             after={"recipient": user.pk, "category": category, "key": dedupe_key})
        except IntegrityError:
            continue  # already sent: the unique constraint is the guarantee
        created.append(note)
        if "email" in channels and user.email:
            transaction.on_commit(partial(_email, note, user.email))
        if "sms" in channels:
            phone = getattr(getattr(user, "enterprise", None), "contact_phone", "")
            if phone:
                transaction.on_commit(partial(_sms, note, phone))
    return created


def _email(note: Notification, address: str) -> None:
    try:
        send_mail(subject=f"【惠企直达】{note.title}", message=f"{note.body}\n\n{note.link}".strip(),
                  from_email=None, recipient_list=[address])
    except Exception:  # a mail outage must not lose the inbox message
        log.exception("e-mail for notification %s failed", note.pk)
        return
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def _sms(note: Notification, phone: str) -> None:
    try:
        sms_backend().send(phone=phone, text=f"【惠企直达】{note.title}")
    except Exception:
        log.exception("SMS for notification %s failed", note.pk)
        return
    Notification.objects.filter(pk=note.pk).update(sms_sent_at=timezone.now())


def notification_mark_read(*, actor: Any, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionError("只能标记自己的消息")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
