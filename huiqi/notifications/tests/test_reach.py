"""Reaching every enterprise with a contact on file: text messages through the settings-chosen
gateway adapter (a real local HTTP gateway here), e-mail through Django's backend, sent by the
worker once per (enterprise, item, period, event, channel), with a one-click opt-out."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from config.environment import missing_production_secrets
from huiqi.notifications.models import ReachMessage, ReachOptOut
from huiqi.notifications.reach import opt_out_token, reach_enqueue, reach_send_queued
from huiqi.notifications.sms import HttpSmsBackend, SmsError
from tests.sms_gateway_server import sms_gateway

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.HUIQI_SMS_BACKEND = "huiqi.notifications.sms.FileSmsBackend"
    settings.HUIQI_SMS_FILE_DIR = str(tmp_path / "sms")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return tmp_path / "sms"


@pytest.fixture
def item(db: Any) -> Any:
    from huiqi.policies.models import PolicyDocument, PolicyItem

    document = PolicyDocument.objects.create(title="泉州市稳增长措施", issuer="泉州市工信局", level="city",
                                             region="350500", doc_number="泉工信〔2026〕9号")
    return PolicyItem.objects.create(document=document, code="qz-reach-1", title="规上工业企业增产奖励",
                                     mode="免申即享", region="350500", conditions={"always": True},
                                     reward={"fixed": 100000})


@pytest.fixture
def contact(make_enterprise: Any) -> Any:
    """An enterprise with a phone and an e-mail on file and no account on the platform."""
    return make_enterprise(name="无账号企业", contact_phone=PHONE, contact_email="boss@example.com")


def test_the_http_gateway_gets_a_signed_body_and_a_500_is_retried_until_it_succeeds() -> None:
    with sms_gateway() as gateway:
        gateway.statuses = [500, 200]
        backend = HttpSmsBackend(url=gateway.url, account="huiqi-qz", secret="s3cret", attempts=3, pause=0.01)
        message_id = backend.send(phone=PHONE, text="【惠企直达】测试")
    assert message_id == "gw-2" and len(gateway.requests) == 2
    last = gateway.requests[-1]
    assert last["path"] == "/sms/send"
    assert last["body"] == {"account": "huiqi-qz", "phone": PHONE, "text": "【惠企直达】测试"}
    headers = last["headers"]
    signed = f"{headers['X-Huiqi-Timestamp']}\n{headers['X-Huiqi-Nonce']}\n".encode() + last["raw"]
    assert headers["X-Huiqi-Signature"] == hmac.new(b"s3cret", signed, hashlib.sha256).hexdigest()


def test_the_http_gateway_refusing_a_message_is_an_error_without_retries() -> None:
    with sms_gateway() as gateway:
        gateway.statuses = [400]
        backend = HttpSmsBackend(url=gateway.url, account="a", secret="s", attempts=3, pause=0.01)
        with pytest.raises(SmsError, match="HTTP 400"):
            backend.send(phone=PHONE, text="x")
    assert len(gateway.requests) == 1


def test_production_refuses_to_start_with_the_http_gateway_but_no_secret() -> None:
    base = {"DATABASE_URL": "postgres://x/y", "HUIQI_SECRET_KEY": "k", "HUIQI_FIELD_KEY": "f",
            "HUIQI_SMS_BACKEND": "huiqi.notifications.sms.HttpSmsBackend", "HUIQI_SMS_URL": "https://gw",
            "HUIQI_SMS_ACCOUNT": "a"}
    assert missing_production_secrets(base) == ["HUIQI_SMS_SECRET"]
    assert missing_production_secrets({**base, "HUIQI_SMS_SECRET": "s"}) == []
    assert missing_production_secrets({k: v for k, v in base.items() if not k.startswith("HUIQI_SMS")}) == []


def test_an_enterprise_without_an_account_hears_by_text_and_e_mail_once_with_the_item_and_amount(
        files: Path, item: Any, contact: Any, caplog: Any) -> None:
    for _ in range(2):
        reach_enqueue(enterprise=contact, item=item, event="publicity", period="2025", amount=Decimal("100000"))
    assert ReachMessage.objects.count() == 2  # one per channel, the repeat dropped
    with caplog.at_level("INFO"):
        assert reach_send_queued() == 2
        assert reach_send_queued() == 0
    [sms_file] = list(files.glob("*.txt"))
    text = sms_file.read_text(encoding="utf-8")
    assert "规上工业企业增产奖励" in text and "100,000.00 元（10 万元）" in text and "公示" in text
    assert "138****5678" in text and PHONE not in text and PHONE not in caplog.text
    [email] = mail.outbox
    assert email.to == ["boss@example.com"] and "规上工业企业增产奖励" in email.subject
    assert "/inbox/opt-out/" in email.body and "100,000.00 元" in email.body


def test_the_opt_out_link_asks_on_get_opts_out_on_post_and_every_sender_respects_it(
        client: Any, files: Path, item: Any, contact: Any) -> None:
    reach_enqueue(enterprise=contact, item=item, event="eligible")
    token = opt_out_token(contact.pk, "sms")
    page = client.get(f"/inbox/opt-out/{token}/")
    assert page.status_code == 200 and "确认退订" in page.content.decode()
    assert not ReachOptOut.objects.exists()  # a prefetching scanner must not opt anyone out
    done = client.post(f"/inbox/opt-out/{token}/")
    assert "已退订" in done.content.decode() and ReachOptOut.objects.filter(channel="sms").count() == 1
    assert client.get(f"/inbox/opt-out/{token}x/").status_code == 400

    reach_enqueue(enterprise=contact, item=item, event="paid", period="2025", amount=Decimal("5"))
    assert not ReachMessage.objects.filter(event="paid", channel="sms").exists()
    reach_send_queued()
    assert not list(files.glob("*.txt"))  # the message queued before the opt-out is not sent either
    assert ReachMessage.objects.get(event="eligible", channel="sms").status == "opted_out"
    assert len(mail.outbox) == 2  # e-mail was not opted out
