"""Exact numbers for the rules language.

Values arrive as JSON numbers or decimal strings. Everything is held as an exact ``Fraction`` so
that derived ratios (rd_ratio = 1/3 …) compare exactly and the batch engine, which works in
integers, can reproduce the scalar result bit for bit. Money is rounded half-up to the fen only at
the very end (RULES.md §4).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

FEN = Decimal("0.01")


class NotANumber(ValueError):
    pass


def to_fraction(value: Any) -> Fraction:
    """A JSON number or decimal string as an exact Fraction; floats go through their shortest repr
    (0.05 → 1/20), which is what the author of the JSON wrote."""
    if isinstance(value, bool):
        raise NotANumber(f"不是数值：{value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber(f"不是有限数值：{value!r}")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber(f"不是有限数值：{value!r}")
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise NotANumber(f"不是数值：{value!r}") from None
        if not d.is_finite():
            raise NotANumber(f"不是有限数值：{value!r}")
        return Fraction(d)
    raise NotANumber(f"不是数值：{value!r}")


def is_number(value: Any) -> bool:
    try:
        to_fraction(value)
    except NotANumber:
        return False
    return True


def round_half_up_fen(amount: Fraction) -> int:
    """Yuan → whole fen, half away from zero."""
    scaled = amount * 100
    n, d = scaled.numerator, scaled.denominator
    q = (2 * abs(n) + d) // (2 * d)
    return q if n >= 0 else -q


def fen_to_str(fen: int) -> str:
    """Whole fen as a decimal string in yuan with two places: 263070 → "2630.70"."""
    sign = "-" if fen < 0 else ""
    a = abs(fen)
    return f"{sign}{a // 100}.{a % 100:02d}"


def money_str(amount: Fraction) -> str:
    return fen_to_str(round_half_up_fen(amount))


def normalized_number_text(value: Any) -> str:
    """The canonical JSON token for a number: no exponent, no trailing zeros (2e7 → 20000000,
    "0.050" → 0.05)."""
    f = to_fraction(value)
    d = Decimal(f.numerator) / Decimal(f.denominator) if f.denominator != 1 else Decimal(f.numerator)
    d = d.normalize()
    if d == 0:
        return "0"
    text = format(d, "f")
    return text


def fraction_to_json(value: Fraction) -> int | float | str:
    """A value for a trace: integers stay integers, other exact decimals become decimal strings."""
    if value.denominator == 1:
        return value.numerator
    d = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(d) == value:
        return format(d.normalize(), "f")
    return format(d.quantize(Decimal("0.000001")).normalize(), "f")
