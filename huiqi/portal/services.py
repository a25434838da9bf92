"""Writes of the enterprise portal: 补充数据, subscriptions, and the reminders sent through the
inbox (notify() with dedupe keys: the same message never reaches a person twice)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huiqi.accounts.models import Role, User
from huiqi.audit.services import audit_record
from huiqi.enterprises.models import CorrectionRequest, Enterprise
from huiqi.enterprises.services import correction_request_create
from huiqi.matching.models import MatchResult
from huiqi.notifications.models import Notification
from huiqi.notifications.services import notify
from huiqi.policies.models import PolicyItem

from .explaining import amount_text
from .models import Subscription
from .selectors import missed_entitlements

UNSUBSCRIBE_SALT = "huiqi.portal.unsubscribe"
WINDOW_REMINDER_DAYS = (7, 1)


# -- 补充数据 ------------------------------------------------------------------------------------


def supplement_submit(*, actor: Any, enterprise: Enterprise, field_path: str, value: str,
                      reason: str = "") -> CorrectionRequest:
    """The enterprise fills in a figure the matching lacks (or disputes one). The enterprises app
    stores a missing yearly figure at once as "企业自报，待核实" and announces the change, which
    queues the recomputation of this enterprise's matches."""
    if not value.strip():
        raise ValidationError("请填写数值")
    return correction_request_create(actor=actor, enterprise=enterprise, field_path=field_path,
                                     proposed_value=value.strip(), reason=reason or "补充匹配所需数据")


# -- subscriptions -------------------------------------------------------------------------------


def _require_enterprise_user(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.role == Role.ENTERPRISE and actor.enterprise_id):
        raise PermissionDenied("只有企业用户可以订阅政策提醒")


def subscription_create(*, actor: Any, kind: str, value: str = "") -> Subscription:
    _require_enterprise_user(actor)
    if kind not in Subscription.Kind.values:
        raise ValidationError({"kind": "订阅范围须为 全部匹配、标签 或 主管部门"})
    value = value.strip()
    if kind == Subscription.Kind.ALL:
        value = ""
    elif not value:
        raise ValidationError({"value": "请填写要订阅的标签或选择主管部门"})
    with transaction.atomic():
        sub, created = Subscription.objects.get_or_create(user=actor, kind=kind, value=value)
        if not created and sub.active:
            return sub
        Subscription.objects.filter(pk=sub.pk).update(active=True, cancelled_at=None)
        sub.refresh_from_db()
        audit_record(actor=actor, action="portal.subscribe", obj=sub, after={"kind": kind, "value": value})
    return sub


def subscription_cancel(*, actor: Any, subscription: Subscription) -> Subscription:
    if subscription.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("只能退订自己的订阅")
    with transaction.atomic():
        changed = Subscription.objects.filter(pk=subscription.pk, active=True).update(
            active=False, cancelled_at=timezone.now())
        if changed:
            audit_record(actor=actor, action="portal.unsubscribe", obj=subscription,
                         before={"active": True}, after={"active": False})
    subscription.refresh_from_db()
    return subscription


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "u": subscription.user_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription: Subscription) -> str:
    base = str(getattr(settings, "HUIQI_BASE_URL", "")).rstrip("/")
    return base + reverse("portal:unsubscribe", args=[unsubscribe_token(subscription)])


def subscription_of_token(token: str) -> Subscription:
    """The subscription a reminder's link names; a forged or altered token is refused
    (ValidationError). Reads only: opening the link (GET) must not unsubscribe."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return Subscription.objects.select_related("user").get(pk=int(data["s"]), user_id=int(data["u"]))
    except (signing.BadSignature, Subscription.DoesNotExist, KeyError, TypeError, ValueError):
        raise ValidationError("退订链接无效或已损坏，请登录后在“我的订阅”中退订") from None


def unsubscribe_by_token(*, token: str) -> Subscription:
    """The confirmation (POST) behind the link in every reminder: works without login."""
    sub = subscription_of_token(token)
    return subscription_cancel(actor=sub.user, subscription=sub)


# -- reminders -----------------------------------------------------------------------------------


def _covers(sub: Subscription, item: PolicyItem) -> bool:
    if sub.kind == Subscription.Kind.ALL:
        return True
    if sub.kind == Subscription.Kind.TAG:
        return sub.value in (item.tags or [])
    return sub.value == str(item.department_id or "")


def _active_subscriptions() -> dict[int, list[Subscription]]:
    """Active subscriptions of active enterprise users, by enterprise."""
    out: dict[int, list[Subscription]] = {}
    subs = Subscription.objects.filter(active=True, user__is_active=True, user__role=Role.ENTERPRISE,
                                       user__enterprise__isnull=False).select_related("user")
    for sub in subs:
        if sub.user.enterprise_id is not None:
            out.setdefault(sub.user.enterprise_id, []).append(sub)
    return out


def _covering(subs: Iterable[Subscription], item: PolicyItem) -> dict[int, Subscription]:
    """One covering subscription per user (the most general), whose link unsubscribes."""
    chosen: dict[int, Subscription] = {}
    for sub in sorted(subs, key=lambda s: s.kind != Subscription.Kind.ALL):
        if _covers(sub, item) and sub.user_id not in chosen:
            chosen[sub.user_id] = sub
    return chosen


def _send(sub: Subscription, *, category: str, title: str, body: str, link: str, key: str,
          channels: tuple[str, ...] = ("inbox", "email")) -> int:
    text = f"{body}\n\n不想再收到此类提醒？一键退订：{unsubscribe_url(sub)}"
    return len(notify(recipients=[sub.user], category=category, title=title, body=text, link=link, dedupe_key=key,
                      channels=channels))


EMAIL_EACH_UP_TO = 5


def reminders_send_matches(*, on: date | None = None) -> int:
    """New or changed matches of subscribed enterprises. The key holds status, amount and rules
    version, so a change is a new message and an unchanged match is never sent again. When one
    run finds more than a handful for a person (a first subscription), each goes to the inbox
    only and one e-mail sums them up, instead of a flood of e-mails."""
    del on
    subs_by_enterprise = _active_subscriptions()
    pending: dict[int, list[tuple[Subscription, MatchResult, str]]] = {}
    results = MatchResult.objects.filter(enterprise_id__in=list(subs_by_enterprise),
                                         item__status=PolicyItem.Status.PUBLISHED).select_related("item")
    for result in results.iterator(chunk_size=2000):
        key = (f"match:{result.item.code}:{result.status}:{result.amount_min}:{result.amount_max}:"
               f"{result.rules_version}")
        for sub in _covering(subs_by_enterprise[result.enterprise_id], result.item).values():
            pending.setdefault(sub.user_id, []).append((sub, result, key))
    sent = 0
    for user_id, entries in pending.items():
        known = set(Notification.objects.filter(recipient_id=user_id, dedupe_key__in=[k for _s, _r, k in entries])
                    .values_list("dedupe_key", flat=True))
        fresh = [(sub, result, key) for sub, result, key in entries if key not in known]
        channels = ("inbox", "email") if len(fresh) <= EMAIL_EACH_UP_TO else ("inbox",)
        for sub, result, key in fresh:
            item = result.item
            label = "符合" if result.status == MatchResult.Status.ELIGIBLE else "可能符合"
            amount = amount_text(result.amount_min, result.amount_max)
            sent += _send(sub, category="portal.match", title=f"您的企业{label}“{item.title}”",
                          body=f"{item.title}（{item.mode}）：{label}，金额{amount}。", link=f"/my/#item-{item.code}",
                          key=key, channels=channels)
        if len(fresh) > EMAIL_EACH_UP_TO:
            sub = fresh[0][0]
            titles = "、".join(f"“{r.item.title}”" for _s, r, _k in fresh[:10])
            digest = "match-digest:" + hashlib.sha256("|".join(sorted(k for _s, _r, k in fresh)).encode()).hexdigest()[:32]
            _send(sub, category="portal.match_digest", title=f"您有 {len(fresh)} 项新的或有变化的匹配政策",
                  body=f"{titles}{' 等' if len(fresh) > 10 else ''}，详见“我的政策”。", link="/my/", key=digest)
    return sent


def reminders_send_windows(*, on: date | None = None) -> int:
    """申报窗口 closing in 7 days and in 1 day, for matched items that need an application."""
    on = on or timezone.localdate()
    subs_by_enterprise = _active_subscriptions()
    sent = 0
    for days in WINDOW_REMINDER_DAYS:
        closing = on + timedelta(days=days)
        results = MatchResult.objects.filter(
            enterprise_id__in=list(subs_by_enterprise), item__status=PolicyItem.Status.PUBLISHED,
            item__window_end=closing).exclude(item__mode="免申即享").select_related("item")
        for result in results:
            item = result.item
            for sub in _covering(subs_by_enterprise[result.enterprise_id], item).values():
                sent += _send(sub, category="portal.window", title=f"“{item.title}”申报还剩 {days} 天",
                              body=f"“{item.title}”将于 {closing.isoformat()} 截止申报，请尽快提交。",
                              link=f"/my/#item-{item.code}", key=f"window:{days}:{item.code}:{closing.isoformat()}")
    return sent


def reminders_send_missed(*, on: date | None = None) -> int:
    """应享未享: eligible, not applied, window closing soon. Sent to every active user of the
    enterprise (a duty of the government, not a subscription), once per item and window."""
    on = on or timezone.localdate()
    sent = 0
    for missed in missed_entitlements(on=on):
        item = missed.item
        users = User.objects.filter(role=Role.ENTERPRISE, enterprise=missed.enterprise, is_active=True)
        assert item.window_end is not None
        sent += len(notify(
            recipients=users, category="portal.missed", title=f"应享未享提醒：“{item.title}”",
            body=(f"贵企业符合“{item.title}”的条件（金额{missed.amount}），尚未申报；申报将于 "
                  f"{item.window_end.isoformat()} 截止（还有 {missed.workdays_left} 个工作日）。"),
            link=f"/my/#item-{item.code}", dedupe_key=f"missed:{item.code}:{item.window_end.isoformat()}"))
    return sent


def reminders_run_daily(*, on: date | None = None) -> dict[str, int]:
    on = on or timezone.localdate()
    return {"matches": reminders_send_matches(on=on), "windows": reminders_send_windows(on=on),
            "missed": reminders_send_missed(on=on)}


def reminded(*, enterprise: Enterprise, item: PolicyItem) -> bool:
    """Whether the 应享未享 reminder for this item reached the enterprise (officers' list)."""
    return Notification.objects.filter(recipient__enterprise=enterprise, category="portal.missed",
                                       dedupe_key__startswith=f"missed:{item.code}:").exists()
