from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value: Decimal | None) -> str:
    """100,000.00 元; a missing amount is a dash (never 0)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f} 元"
