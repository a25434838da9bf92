from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from huiqi.core.masking import mask_bank_account, mask_id_number, mask_phone
from huiqi.notifications.models import Notification
from huiqi.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_same_message_is_never_sent_twice(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = make_user("officer", email="officer@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipients=[user], category="deadline", title="申报即将截止", dedupe_key="closing:7:qz-rd")
        second = notify(recipients=[user], category="deadline", title="申报即将截止", dedupe_key="closing:7:qz-rd")
    assert len(first) == 1 and second == []
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "【惠企直达】申报即将截止"


def test_another_key_is_another_message(make_user: Any) -> None:
    user = make_user("officer")
    notify(recipients=[user], category="deadline", title="7天后截止", dedupe_key="closing:7:qz-rd")
    notify(recipients=[user], category="deadline", title="明天截止", dedupe_key="closing:1:qz-rd")
    assert Notification.objects.filter(recipient=user).count() == 2


def test_sms_goes_through_the_sender_with_a_masked_log(make_user: Any, django_capture_on_commit_callbacks: Any,
                                                      caplog: Any) -> None:
    user = make_user("enterprise")
    user.enterprise.contact_phone = "13812345678"
    user.enterprise.save()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO", logger="huiqi.sms"):
        notify(recipients=[user], category="payment", title="资金已到账", dedupe_key="paid:1", channels=["inbox", "sms"])
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
    assert Notification.objects.get(recipient=user).sms_sent_at is not None


def test_the_inbox_shows_only_the_own_messages(make_user: Any, client: Any) -> None:
    from conftest import PASSWORD

    mine, other = make_user("officer"), make_user("reviewer")
    notify(recipients=[mine], category="x", title="给我的消息", dedupe_key="a")
    notify(recipients=[other], category="x", title="别人的消息", dedupe_key="b")
    client.login(username=mine.username, password=PASSWORD)
    page = client.get("/inbox/").content.decode()
    assert "给我的消息" in page and "别人的消息" not in page


@pytest.mark.parametrize(("raw", "masked"), [("13812345678", "138****5678"), ("0595-22881234", "0595****1234")])
def test_phones_are_masked(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_bank_accounts_and_id_numbers_are_masked() -> None:
    assert mask_bank_account("6222 0212 3456 7890 1234") == "6222 **** **** 1234"
    assert mask_id_number("350102199001011234") == "3501**********1234"
