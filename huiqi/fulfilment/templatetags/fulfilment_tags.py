from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value: Decimal | None) -> str:
    """1234567.5 → 1,234,567.50 (the zh-hans locale groups no digits; officers read grouped yuan)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"
