"""Numbers in policy text: amounts (→ yuan), ratios (→ fractions), counts.

``cnstd.numbers`` parses one number; policytext adds the tokenizer, because it needs the
positions and kinds of every figure in a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from cnstd.numbers import parse_number

CN_NUM = r"[零〇一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?"
NUM = rf"(?:\d+(?:\.\d+)?|{CN_NUM})"

_MONEY_UNITS = {"亿元": Decimal(100000000), "亿": Decimal(100000000), "万元": Decimal(10000),
                "万": Decimal(10000), "千元": Decimal(1000), "元": Decimal(1)}

_TOKEN = re.compile(
    rf"(?P<money>(?P<mn>{NUM})\s*(?P<mu>亿元|万元|千元|元|亿|万)(?P<usd>美元)?)"
    rf"|(?P<rate>(?P<rn>\d+(?:\.\d+)?)\s*(?P<ru>%|‰))"
    rf"|(?P<crate>(?P<cu>百分之|千分之)(?P<cn>{NUM}))"
    rf"|(?P<count>(?P<kn>{NUM})\s*(?P<ku>平方米|间夜|个月|人|家|个|年|天|届|台|套|户|名|项|件))"
)
_RANGE_HEAD = re.compile(r"(\d+(?:\.\d+)?)\s*[-—~～至到]\s*$")


@dataclass(frozen=True)
class Figure:
    kind: str  # "money" | "usd" | "rate" | "count"
    value: Decimal
    start: int
    end: int
    unit: str = ""


def to_decimal(token: str) -> Decimal | None:
    token = token.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return Decimal(token)
    try:
        return parse_number(token)
    except ValueError:
        pass
    try:
        return Decimal(str(cn2an.cn2an(token.replace("〇", "零"), "smart")))
    except (ValueError, KeyError, InvalidOperation):
        return None


def _clean(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def figures(text: str) -> list[Figure]:
    """Every amount, ratio and count in ``text`` with its position."""
    out: list[Figure] = []
    for m in _TOKEN.finditer(text):
        if m.group("money"):
            n = to_decimal(m.group("mn"))
            if n is None:
                continue
            kind = "usd" if m.group("usd") else "money"
            out.append(Figure(kind, _clean(n * _MONEY_UNITS[m.group("mu")]), m.start(), m.end(),
                              m.group("mu")))
        elif m.group("rate"):
            n = to_decimal(m.group("rn"))
            if n is None:
                continue
            div = Decimal(100) if m.group("ru") == "%" else Decimal(1000)
            out.append(Figure("rate", _clean(n / div), m.start(), m.end(), m.group("ru")))
        elif m.group("crate"):
            n = to_decimal(m.group("cn"))
            if n is None:
                continue
            div = Decimal(100) if m.group("cu") == "百分之" else Decimal(1000)
            out.append(Figure("rate", _clean(n / div), m.start(), m.end(), "%"))
        else:
            n = to_decimal(m.group("kn"))
            if n is None:
                continue
            out.append(Figure("count", _clean(n), m.start(), m.end(), m.group("ku")))
    return _with_range_heads(text, out)


def _with_range_heads(text: str, found: list[Figure]) -> list[Figure]:
    """``6000-8000平方米``: the bare head of a range takes the unit of its tail."""
    extra: list[Figure] = []
    for fig in found:
        m = _RANGE_HEAD.search(text, 0, fig.start)
        if not m or m.end() != fig.start:
            continue
        n = to_decimal(m.group(1))
        if n is None:
            continue
        if fig.kind == "money":
            value = n * _MONEY_UNITS[fig.unit]
        elif fig.kind == "rate":
            value = n / (Decimal(100) if fig.unit == "%" else Decimal(1000))
        else:
            value = n
        if any(f.start <= m.start(1) < f.end for f in found):
            continue  # the head already carries its own unit (10%~15%)
        extra.append(Figure(fig.kind, _clean(value), m.start(1), m.end(1), fig.unit))
    return sorted(found + extra, key=lambda f: f.start)
