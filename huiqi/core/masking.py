"""Masking personal data for screens and exports (个人信息保护法; DOMAIN.md)."""

from __future__ import annotations

import re


def mask_phone(phone: str) -> str:
    """138****5678; landlines keep the area code and the last four digits."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{digits[:-8]}****{digits[-4:]}" if len(digits) > 8 else f"****{digits[-4:]}"


def mask_email(address: str) -> str:
    """z***@example.com: the first character of the mailbox and the whole domain (where a notice went)."""
    local, at, domain = address.strip().partition("@")
    if not at or not local:
        return "*" * len(address.strip())
    return f"{local[0]}***@{domain}"


def mask_bank_account(account: str) -> str:
    """6222 **** **** 1234: the first and last four digits only."""
    digits = "".join(c for c in account if c.isalnum())
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_id_number(number: str) -> str:
    """居民身份证号: 3501**********1234."""
    text = number.strip()
    if len(text) < 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


# Personal numbers that can turn up inside free text (an audit row's description, an object's
# name): mobile phones, 居民身份证号 and bank card/account numbers. Credit codes (统一社会信用代码)
# identify enterprises, not people, and are left as they are.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_BANK_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_personal_text(text: str) -> str:
    """Free text with every phone, ID and bank number in it masked as on the screens."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _BANK_NUMBER.sub(lambda m: mask_bank_account(m.group()), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group()), text)


def mask_ip(address: str) -> str:
    """A client address with its host part hidden: 10.2.3.* for IPv4, the first four groups for IPv6."""
    if not address:
        return ""
    if ":" in address:
        return ":".join(address.split(":")[:4]) + ":*"
    parts = address.split(".")
    return ".".join(parts[:3] + ["*"]) if len(parts) == 4 else "*"
