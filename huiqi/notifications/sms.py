"""SMS behind an interface: a real gateway plugs in through settings; the default logs."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("huiqi.sms")


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingSmsSender:
    """Writes the message to the log with the phone masked; for development and demos."""

    def send(self, *, phone: str, text: str) -> None:
        from huiqi.core.masking import mask_phone

        log.info("SMS to %s: %s", mask_phone(phone), text)


def sms_sender() -> SmsSender:
    path = getattr(settings, "HUIQI_SMS_SENDER", "huiqi.notifications.sms.LoggingSmsSender")
    sender: SmsSender = import_string(path)()
    return sender
