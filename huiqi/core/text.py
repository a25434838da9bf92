"""Limits on text people type: refused with a Chinese message, never cut silently."""

from __future__ import annotations

FREE_TEXT_LIMIT = 2000  # review opinions, reasons, objections: one page of text


def text_too_long(value: str | None, *, label: str, limit: int = FREE_TEXT_LIMIT) -> str | None:
    """The message when ``value`` is over ``limit`` characters, else None."""
    length = len(value or "")
    if length > limit:
        return f"“{label}”不能超过 {limit:,} 字（现为 {length:,} 字），请精简后再提交"
    return None
