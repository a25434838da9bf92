"""Text messages through a gateway adapter chosen by settings, the way Django chooses e-mail
backends: ``HUIQI_SMS_BACKEND`` names the class.

* ``huiqi.notifications.sms.ConsoleSmsBackend`` (development default): the log, phone masked.
* ``huiqi.notifications.sms.FileSmsBackend`` (the demo): one text file per message under
  ``HUIQI_SMS_FILE_DIR`` (default var/sms), phone masked, so a demo shows what was sent.
* ``huiqi.notifications.sms.HttpSmsBackend`` (production): a JSON POST to the operator's gateway
  (``HUIQI_SMS_URL``, ``HUIQI_SMS_ACCOUNT``, ``HUIQI_SMS_SECRET`` from the environment; production
  refuses to start without them). The body is signed with HMAC-SHA256 of the secret over
  ``timestamp + "\\n" + nonce + "\\n" + body`` (header ``X-Huiqi-Signature``), each call has a
  timeout (``HUIQI_SMS_TIMEOUT``), a 5xx or a network error is retried (``HUIQI_SMS_ATTEMPTS``),
  and what failed last is raised as SmsError for the caller to record.

Only masked numbers are ever written to a log or a file; the gateway gets the real one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from huiqi.core.masking import mask_phone
from huiqi.core.retry import retry_transient

log = logging.getLogger("huiqi.sms")

DEFAULT_BACKEND = "huiqi.notifications.sms.ConsoleSmsBackend"


class SmsError(RuntimeError):
    """The message was not accepted; the text says why (recorded on the outbox row)."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> str:
        """Send one message; return the gateway's message id (or "" when it gives none)."""
        ...


class ConsoleSmsBackend:
    """Writes the message to the log with the phone masked; for development."""

    def send(self, *, phone: str, text: str) -> str:
        log.info("SMS to %s: %s", mask_phone(phone), text)
        return ""


class FileSmsBackend:
    """One UTF-8 file per message in a folder (var/sms by default), phone masked: the demo's outbox."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or getattr(settings, "HUIQI_SMS_FILE_DIR", "") or
                              Path(settings.BASE_DIR) / "var" / "sms")

    def send(self, *, phone: str, text: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        message_id = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        (self.directory / f"{message_id}.txt").write_text(f"收信号码：{mask_phone(phone)}\n\n{text}\n", encoding="utf-8")
        log.info("SMS to %s written to %s", mask_phone(phone), self.directory)
        return message_id


class _Transient(SmsError):
    """A failure worth another try (5xx, timeout, connection refused)."""


class HttpSmsBackend:
    """A signed JSON POST to the SMS gateway, with a timeout and retries of transient failures."""

    def __init__(self, *, url: str | None = None, account: str | None = None, secret: str | None = None,
                 timeout: float | None = None, attempts: int | None = None, pause: float | None = None) -> None:
        self.url = str(url or getattr(settings, "HUIQI_SMS_URL", ""))
        self.account = str(account or getattr(settings, "HUIQI_SMS_ACCOUNT", ""))
        self.secret = str(secret or getattr(settings, "HUIQI_SMS_SECRET", ""))
        self.timeout = timeout if timeout is not None else float(getattr(settings, "HUIQI_SMS_TIMEOUT", 5))
        self.attempts = attempts if attempts is not None else int(getattr(settings, "HUIQI_SMS_ATTEMPTS", 3))
        self.pause = pause if pause is not None else 0.5
        if not (self.url and self.account and self.secret):
            raise SmsError("短信网关未配置：需要 HUIQI_SMS_URL、HUIQI_SMS_ACCOUNT 和 HUIQI_SMS_SECRET")

    def signature(self, *, timestamp: str, nonce: str, body: bytes) -> str:
        message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()

    def _post_once(self, body: bytes) -> str:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "X-Huiqi-Account": self.account,
            "X-Huiqi-Timestamp": timestamp, "X-Huiqi-Nonce": nonce,
            "X-Huiqi-Signature": self.signature(timestamp=timestamp, nonce=nonce, body=body)})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read()[:200].decode("utf-8", "replace")
            if error.code >= 500:
                raise _Transient(f"短信网关暂时不可用（HTTP {error.code}）：{detail}") from None
            raise SmsError(f"短信网关拒绝（HTTP {error.code}）：{detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise _Transient(f"短信网关连接失败：{error}") from None
        except ValueError:
            raise SmsError("短信网关的应答不是 JSON") from None
        return str(answer.get("message_id", ""))

    def send(self, *, phone: str, text: str) -> str:
        body = json.dumps({"account": self.account, "phone": phone, "text": text}, ensure_ascii=False).encode()
        message_id = retry_transient(lambda: self._post_once(body), attempts=self.attempts, pause=self.pause,
                                     is_transient=lambda e: isinstance(e, _Transient))
        log.info("SMS to %s accepted by the gateway (%s)", mask_phone(phone), message_id or "no id")
        return message_id


def sms_backend() -> SmsBackend:
    path = getattr(settings, "HUIQI_SMS_BACKEND", "") or DEFAULT_BACKEND
    backend: SmsBackend = import_string(path)()
    return backend
