"""国民经济行业分类 GB/T 4754-2017 (with amendment No. 1, 2019).

Codes are a section letter (门类, A–T), or 2/3/4 digits (大类/中类/小类). Digit codes are unique
without the letter, so the letter is never part of a digit code here; ``normalize_industry_code``
strips one when a source writes ``C3971``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from cnstd._data import read_table

IndustryLevel = Literal["section", "major", "middle", "minor"]

_LEVEL_ORDER: dict[str, int] = {"section": 0, "major": 1, "middle": 2, "minor": 3}

# Section → major-class ranges, from the standard's table of sections (DOMAIN.md). Used instead of
# the table's parent links so that a 2/3/4-digit code maps to its section even when the exact code
# is not in the table (e.g. a code from an older local list).
_SECTION_RANGES: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)
SECTIONS: tuple[str, ...] = tuple(letter for letter, _, _ in _SECTION_RANGES)
INDUSTRIAL_SECTIONS: frozenset[str] = frozenset({"B", "C", "D"})  # "工业" in statistics

_DIGITS = re.compile(r"\d{2,4}")
_LETTER_PREFIXED = re.compile(r"([A-T])(\d{2,4})")


@dataclass(frozen=True, slots=True)
class Industry:
    code: str
    name: str
    level: IndustryLevel
    parent: str | None


@cache
def _table() -> dict[str, Industry]:
    out: dict[str, Industry] = {}
    for row in read_table("industry_gbt4754_2017.csv"):
        level = row["level"]
        assert level in _LEVEL_ORDER, f"bad level in industry table: {row}"
        out[row["code"]] = Industry(
            code=row["code"],
            name=row["name"],
            level=level,  # type: ignore[arg-type]  # checked by the assert above
            parent=row["parent"] or None,
        )
    return out


def normalize_industry_code(code: str) -> str:
    """Trim blanks, upper-case a section letter and drop a letter written before digits (``C3971``)."""
    text = code.strip().upper()
    m = _LETTER_PREFIXED.fullmatch(text)
    if m and section_of(m.group(2)) == m.group(1):
        return m.group(2)
    return text


def get_industry(code: str) -> Industry | None:
    return _table().get(normalize_industry_code(code))


def section_of(code: str) -> str | None:
    """The section letter of a code; a section letter returns itself; None for a malformed code."""
    text = code.strip().upper()
    if text in SECTIONS:
        return text
    if not _DIGITS.fullmatch(text):
        return None
    major = int(text[:2])
    for letter, lo, hi in _SECTION_RANGES:
        if lo <= major <= hi:
            return letter
    return None


def industry_within(code: str, ancestor: str) -> bool:
    """RULES.md §3 ``within``: a code lies within a section when its major class is in that
    section, and within a 2/3/4-digit class when it starts with those digits (itself included)."""
    c = normalize_industry_code(code)
    a = normalize_industry_code(ancestor)
    if a in SECTIONS:
        return section_of(c) == a
    if not _DIGITS.fullmatch(a) or not _DIGITS.fullmatch(c):
        return False
    return c.startswith(a)


def find_industries(name: str) -> list[Industry]:
    """Industries named exactly ``name`` first, then those whose name contains it; within each
    group broader levels come first and the most specific (小类) last."""
    needle = name.strip()
    if not needle:
        return []

    def key(ind: Industry) -> tuple[int, str]:
        return (_LEVEL_ORDER[ind.level], ind.code)

    exact = sorted((i for i in _table().values() if i.name == needle), key=key)
    partial = sorted((i for i in _table().values() if needle in i.name and i.name != needle), key=key)
    return exact + partial


def children(code: str) -> list[Industry]:
    parent = normalize_industry_code(code)
    return [i for i in _table().values() if i.parent == parent]


@cache
def _minors() -> tuple[Industry, ...]:
    return tuple(i for i in _table().values() if i.level == "minor")


def minors() -> list[Industry]:
    """All 1,382 小类 in the standard's order."""
    return list(_minors())


def all_industries() -> list[Industry]:
    return list(_table().values())


def is_industrial(code: str) -> bool:
    """工业 = 采矿业 B, 制造业 C, 电力、热力、燃气及水生产和供应业 D."""
    return section_of(normalize_industry_code(code)) in INDUSTRIAL_SECTIONS
