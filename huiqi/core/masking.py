"""Masking personal data for screens and exports (个人信息保护法; DOMAIN.md)."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****5678; landlines keep the area code and the last four digits."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{digits[:-8]}****{digits[-4:]}" if len(digits) > 8 else f"****{digits[-4:]}"


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
