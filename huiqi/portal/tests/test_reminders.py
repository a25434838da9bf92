from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from huiqi.matching.scheduling import SCHEDULES
from huiqi.matching.services import match_enterprise_recompute
from huiqi.notifications.models import Notification
from huiqi.policies.models import PolicyItem
from huiqi.portal.models import Subscription
from huiqi.portal.selectors import missed_entitlements
from huiqi.portal.services import (
    reminders_run_daily,
    reminders_send_matches,
    reminders_send_missed,
    reminders_send_windows,
    subscription_create,
)

from .conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(world: World, make_user: Any) -> Any:
    user = make_user("enterprise", enterprise=world.enterprise, email="owner@example.com")
    match_enterprise_recompute(enterprise_id=world.enterprise.pk)
    return user


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_new_matches_reach_inbox_and_email_once_and_a_change_is_a_new_message(
        world: World, owner: Any, django_capture_on_commit_callbacks: Any) -> None:
    subscription_create(actor=owner, kind="all")
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send_matches()
    notes = Notification.objects.filter(recipient=owner, category="portal.match")
    assert first == notes.count() == 6
    # Six at once (a first subscription): each in the inbox, one e-mail sums them up.
    assert len(mail.outbox) == 1 and "6 项新的或有变化的匹配政策" in mail.outbox[0].subject
    assert "一键退订" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_matches() == 0  # never the same message twice
    assert len(mail.outbox) == 1
    # A changed amount is news.
    item = world.items["qz-rd"]
    PolicyItem.objects.filter(pk=item.pk).update(per_enterprise_cap=100000)
    from huiqi.matching import services as matching_services

    matching_services._index_cache.clear()
    match_enterprise_recompute(enterprise_id=world.enterprise.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_matches() == 1
    assert len(mail.outbox) == 2 and "研发费用分段补助" in mail.outbox[1].subject  # a single change: its own e-mail


def test_tag_subscription_only_covers_items_with_that_tag(world: World, owner: Any) -> None:
    subscription_create(actor=owner, kind="tag", value="研发")
    reminders_send_matches()
    titles = list(Notification.objects.filter(recipient=owner).values_list("title", flat=True))
    assert titles == ["您的企业符合“研发费用分段补助”"]


def test_window_reminders_seven_and_one_day_before_closing(world: World, owner: Any) -> None:
    subscription_create(actor=owner, kind="all")
    today = timezone.localdate()
    assert reminders_send_windows(on=today) == 2  # qz-hnte-b closes in 7 days, qz-review in 1
    assert reminders_send_windows(on=today) == 0
    keys = set(Notification.objects.filter(category="portal.window").values_list("dedupe_key", flat=True))
    assert keys == {f"window:7:qz-hnte-b:{(today + timedelta(days=7)).isoformat()}",
                    f"window:1:qz-review:{(today + timedelta(days=1)).isoformat()}"}


def test_opening_the_unsubscribe_link_only_asks_for_confirmation(world: World, owner: Any) -> None:
    """Mail scanners prefetch links with GET: that must not unsubscribe anybody."""
    subscription_create(actor=owner, kind="all")
    reminders_send_matches()
    body = Notification.objects.filter(recipient=owner).first().body  # type: ignore[union-attr]
    link = re.search(r"/unsubscribe/[^/\s]+/", body).group(0)  # type: ignore[union-attr]
    page = Client().get(link).content.decode()
    assert "确认退订" in page and 'method="post"' in page
    assert Subscription.objects.get(user=owner).active


def test_one_click_unsubscribe_works_without_login_and_stops_reminders(world: World, owner: Any) -> None:
    subscription_create(actor=owner, kind="all")
    reminders_send_matches()
    body = Notification.objects.filter(recipient=owner).first().body  # type: ignore[union-attr]
    link = re.search(r"/unsubscribe/[^/\s]+/", body).group(0)  # type: ignore[union-attr]
    response = Client(enforce_csrf_checks=True).post(link)
    assert response.status_code == 200 and "已退订" in response.content.decode()
    assert not Subscription.objects.get(user=owner).active
    Notification.objects.all().delete()
    assert reminders_send_matches() == 0
    tampered = Client().post(link[:-3] + "xx/")
    assert tampered.status_code == 400 and "退订链接无效" in tampered.content.decode()


def _apply(world: World, owner: Any, code: str, status: str) -> None:
    from huiqi.fulfilment.models import Application

    Application.objects.create(enterprise=world.enterprise, item=world.items[code], created_by=owner,
                               period=str(timezone.localdate().year), status=status)


@override_settings(HUIQI_MISSED_REMIND_WORKDAYS=30)
def test_missed_entitlement_reminds_eligible_enterprises_that_have_not_applied(
        world: World, owner: Any, make_user: Any) -> None:
    # qz-hnte-a and qz-hnte-b are one exclusive group: only the better one is worth a reminder.
    missed = missed_entitlements(on=timezone.localdate())
    assert [(m.item.code, m.enterprise.pk) for m in missed] == [("qz-hnte-a", world.enterprise.pk)]
    assert reminders_send_missed() == 1
    assert reminders_send_missed() == 0
    note = Notification.objects.get(category="portal.missed")
    assert note.recipient == owner and "30 万元" in note.body and "尚未申报" in note.body
    officer_page = Client()
    officer_page.force_login(make_user("officer", username="qz-officer-2", region="350500"))
    html = officer_page.get("/portal/missed/").content.decode()
    assert world.enterprise.name in html and "高新技术企业认定奖励" in html
    fz = Client()
    fz.force_login(make_user("officer", username="fz-officer-2", region="350100"))
    assert world.enterprise.name not in fz.get("/portal/missed/").content.decode()
    assert Client().get("/portal/missed/").status_code == 302


@override_settings(HUIQI_MISSED_REMIND_WORKDAYS=30)
def test_an_application_to_any_item_of_the_group_means_not_missed(world: World, owner: Any) -> None:
    _apply(world, owner, "qz-hnte-b", "submitted")
    assert missed_entitlements(on=timezone.localdate()) == []


@override_settings(HUIQI_MISSED_REMIND_WORKDAYS=30)
def test_a_withdrawn_application_still_counts_as_not_applied(world: World, owner: Any) -> None:
    _apply(world, owner, "qz-hnte-a", "withdrawn")
    assert [m.item.code for m in missed_entitlements(on=timezone.localdate())] == ["qz-hnte-a"]


def test_items_far_from_closing_are_not_missed_yet(world: World, owner: Any) -> None:
    assert missed_entitlements(on=timezone.localdate(), within_workdays=2) == []


def test_daily_reminders_are_registered_with_the_scheduler_and_run_together(world: World, owner: Any) -> None:
    assert any(s.name == "portal.reminders" for s in SCHEDULES)
    subscription_create(actor=owner, kind="all")
    counts = reminders_run_daily()
    assert counts["matches"] > 0 and counts["windows"] == 2
    assert reminders_run_daily() == {"matches": 0, "windows": 0, "missed": 0}
