"""Reaching every enterprise with a contact on file — account or not, subscription or not — by
text message and e-mail: new eligible items, 免申即享 公示 started, money paid.

Producers call ``reach_enqueue`` inside their own transaction (one ReachMessage row per contact
channel; the unique constraint drops a repeat). The worker's ``reach_send_queued`` claims each
queued row with a compare-and-set UPDATE (so two workers never send one message twice), checks
the opt-out again, sends through the SMS adapter (huiqi/notifications/sms.py) or Django's e-mail
backend, and records the result. Every message carries a one-click opt-out link."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cnstd.numbers import format_wan
from huiqi.audit.services import audit_record
from huiqi.core.masking import mask_phone

from .models import Channel, ReachMessage, ReachOptOut
from .sms import sms_backend

log = logging.getLogger(__name__)

OPT_OUT_SALT = "huiqi.notifications.reach.opt-out"
MAX_ATTEMPTS = 3
NEW_ITEM_DAYS = 7  # an item published within this many days is "new" to its eligible enterprises
E, S = ReachMessage.Event, ReachMessage.Status


def _contacts(enterprise: Any) -> list[tuple[str, str]]:
    return [(channel, value) for channel, value in ((Channel.SMS, enterprise.contact_phone or ""),
                                                     (Channel.EMAIL, enterprise.contact_email or ""))
            if value.strip()]


def opted_out(enterprise_id: int, channel: str) -> bool:
    return ReachOptOut.objects.filter(enterprise_id=enterprise_id, channel=channel).exists()


def reach_enqueue(*, enterprise: Any, item: Any, event: str, period: str = "", amount: Decimal | None = None,
                  due_on: date | None = None) -> int:
    """Queue the message on each contact channel the enterprise has and has not opted out of;
    a message already queued or sent for (enterprise, item, period, event, channel) is not
    queued again. Returns how many rows were made."""
    made = 0
    for channel, _value in _contacts(enterprise):
        if opted_out(enterprise.pk, channel):
            continue
        try:
            with transaction.atomic():
                _, created = ReachMessage.objects.get_or_create(
                    enterprise_id=enterprise.pk, item_id=item.pk, period=period, event=event, channel=channel,
                    defaults={"amount": amount, "due_on": due_on})
        except IntegrityError:  # a concurrent producer queued it first: the constraint held
            created = False
        made += int(created)
    return made


def reach_collect_new_eligible(*, today: date | None = None) -> int:
    """New eligible items: every 符合 match of an item published in the last NEW_ITEM_DAYS days,
    for every enterprise with a contact on file."""
    from huiqi.matching.models import MatchResult
    from huiqi.policies.models import PolicyItem

    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=NEW_ITEM_DAYS)
    results = (MatchResult.objects.filter(status=MatchResult.Status.ELIGIBLE, item__status=PolicyItem.Status.PUBLISHED,
                                          item__published_at__gte=since)
               .select_related("enterprise", "item"))
    made = 0
    for result in results.iterator(chunk_size=1000):
        exact = result.amount_max is not None and result.amount_min == result.amount_max and result.amount_min > 0
        made += reach_enqueue(enterprise=result.enterprise, item=result.item, event=E.ELIGIBLE,
                              amount=result.amount_min if exact else None)
    return made


# -- the words ------------------------------------------------------------------------------------


def yuan_words(amount: Decimal | None) -> str:
    """"100,000.00 元（10 万元）": the exact figure, and 万元 as people say it."""
    if amount is None:
        return ""
    text = f"{amount:,.2f} 元"
    return f"{text}（{format_wan(amount)}）" if amount >= 10000 else text


def opt_out_token(enterprise_id: int, channel: str) -> str:
    return signing.dumps({"e": enterprise_id, "c": channel}, salt=OPT_OUT_SALT)


def opt_out_url(enterprise_id: int, channel: str) -> str:
    base = str(getattr(settings, "HUIQI_BASE_URL", "")).rstrip("/")
    return base + reverse("notifications:opt_out", args=[opt_out_token(enterprise_id, channel)])


def message_text(message: ReachMessage) -> tuple[str, str]:
    """(title, body) in Chinese with the item's name and the amount; the opt-out link last."""
    item, name = message.item, message.enterprise.name
    money = yuan_words(message.amount)
    if message.event == E.ELIGIBLE:
        title = f"贵企业符合“{item.title}”"
        body = (f"{name}：根据平台掌握的数据，贵企业符合政策事项“{item.title}”" +
                (f"，预计可享 {money}" if money else "") + "。登录惠企直达“我的政策”查看条件与办理方式。")
    elif message.event == E.PUBLICITY:
        title = f"“{item.title}”免申即享名单公示中"
        body = (f"{name}：贵企业已列入“{item.title}”免申即享名单" + (f"，金额 {money}" if money else "") +
                "，正在公示，无需申请" + (f"，公示期满后将于 {message.due_on:%Y年%m月%d日} 前拨付" if message.due_on else "")
                + "。")
    else:
        title = f"“{item.title}”资金已拨付"
        body = f"{name}：“{item.title}”资金 {money} 已拨付至贵企业登记的收款账户，请注意查收。"
    return title, f"{body}退订请点击：{opt_out_url(message.enterprise_id, message.channel)}"


# -- sending (the worker) -------------------------------------------------------------------------


def _deliver(message: ReachMessage) -> None:
    enterprise = message.enterprise
    contact = dict(_contacts(enterprise)).get(message.channel, "")
    if not contact or opted_out(enterprise.pk, message.channel):
        ReachMessage.objects.filter(pk=message.pk, status=S.SENDING).update(status=S.OPTED_OUT)
        return
    title, body = message_text(message)
    try:
        if message.channel == Channel.SMS:
            gateway_id = sms_backend().send(phone=contact, text=f"【惠企直达】{body}")
        else:
            send_mail(subject=f"【惠企直达】{title}", message=body, from_email=None, recipient_list=[contact])
            gateway_id = ""
    except Exception as error:  # recorded on the row; retried by the next run up to MAX_ATTEMPTS
        shown = mask_phone(contact) if message.channel == Channel.SMS else "企业邮箱"
        log.warning("reach message %s to %s failed: %s", message.pk, shown, error)
        ReachMessage.objects.filter(pk=message.pk, status=S.SENDING).update(
            status=S.FAILED if message.attempts >= MAX_ATTEMPTS else S.QUEUED, error=str(error)[:300])
        return
    ReachMessage.objects.filter(pk=message.pk, status=S.SENDING).update(
        status=S.SENT, sent_at=timezone.now(), gateway_id=gateway_id[:80], error="")


def reach_send_queued(*, limit: int = 200) -> int:
    """Send up to ``limit`` queued messages; each is claimed by one compare-and-set UPDATE first."""
    sent = 0
    for pk in list(ReachMessage.objects.filter(status=S.QUEUED).values_list("pk", flat=True)[:limit]):
        if ReachMessage.objects.filter(pk=pk, status=S.QUEUED).update(
                status=S.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1) != 1:
            continue  # another worker has it
        message = ReachMessage.objects.select_related("enterprise", "item").get(pk=pk)
        _deliver(message)
        sent += int(ReachMessage.objects.filter(pk=pk, status=S.SENT).exists())
    return sent


# -- opting out -----------------------------------------------------------------------------------


def opt_out_target(token: str) -> tuple[Any, str]:
    """(enterprise, channel) of a link; a forged or altered token is refused. Reads only."""
    from huiqi.enterprises.models import Enterprise

    try:
        data = signing.loads(token, salt=OPT_OUT_SALT)
        channel = str(data["c"])
        if channel not in Channel.values:
            raise ValueError(channel)
        return Enterprise.objects.get(pk=int(data["e"])), channel
    except (signing.BadSignature, Enterprise.DoesNotExist, KeyError, TypeError, ValueError):
        raise ValidationError("退订链接无效或已损坏") from None


def reach_opt_out(*, token: str) -> tuple[Any, str]:
    """The POST behind the link: no login; the contact gets nothing more on that channel."""
    enterprise, channel = opt_out_target(token)
    with transaction.atomic():
        _, created = ReachOptOut.objects.get_or_create(enterprise=enterprise, channel=channel)
        if created:
            ReachMessage.objects.filter(enterprise=enterprise, channel=channel, status=S.QUEUED).update(
                status=S.OPTED_OUT)
            audit_record(actor="企业联系人", action="reach.opt_out", obj=enterprise, after={"channel": channel})
    return enterprise, channel
