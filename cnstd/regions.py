"""行政区划代码 GB/T 2260 (民政部 county-level list as of 2024-12-31, plus every record since 1981).

Codes are six digits: ``XX0000`` province, ``XXYY00`` prefecture, anything else county level.
The 12-digit 统计用区划代码 (with development-zone pseudo-counties) is a different system and is
deliberately not accepted here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from cnstd._data import read_table

RegionLevel = Literal["province", "prefecture", "county"]

_LEVEL_ORDER: dict[str, int] = {"province": 0, "prefecture": 1, "county": 2}
_CODE = re.compile(r"\d{6}")

# Longest first so that 自治州 is removed whole rather than leaving 自治.
_SUFFIXES: tuple[str, ...] = (
    "特别行政区",
    "新区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# The 56 nationalities, to shorten autonomous units (广西壮族自治区 → 广西, 黔东南苗族侗族自治州 →
# 黔东南) the way people write them in policy text. 维吾尔 is written without 族 in
# 新疆维吾尔自治区. Longest first so that 土家族 is not read as 家 + 土族.
_NATIONALITY_TAILS: tuple[str, ...] = tuple(
    sorted(
        [
            nat + "族"
            for nat in (
                "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
                "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
                "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
            ).split()
        ]
        + ["维吾尔"],
        key=len,
        reverse=True,
    )
)

class UnknownRegion(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(f"未知的行政区划代码：{code}")
        self.code = code


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    level: RegionLevel
    parent: str | None


@dataclass(frozen=True, slots=True)
class RegionRecord:
    """One dated code+name record from the history table; ``valid_to`` is the first year-end list
    without the record (exclusive), None while current."""

    code: str
    name: str
    level: RegionLevel
    parent: str | None
    valid_from: int
    valid_to: int | None
    status: str  # current | abolished | changed
    new_codes: str

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year < self.valid_to)


def _level(value: str) -> RegionLevel:
    if value not in _LEVEL_ORDER:
        raise ValueError(f"行政区划表中的层级无效：{value}")
    return value  # type: ignore[return-value]  # checked just above


@cache
def _current() -> dict[str, Region]:
    return {
        row["code"]: Region(code=row["code"], name=row["name"], level=_level(row["level"]), parent=row["parent"] or None)
        for row in read_table("regions_gbt2260.csv")
    }


@cache
def _history() -> dict[str, tuple[RegionRecord, ...]]:
    grouped: dict[str, list[RegionRecord]] = defaultdict(list)
    for row in read_table("regions_gbt2260_history.csv"):
        grouped[row["code"]].append(
            RegionRecord(
                code=row["code"],
                name=row["name"],
                level=_level(row["level"]),
                parent=row["parent"] or None,
                valid_from=int(row["valid_from"]),
                valid_to=int(row["valid_to"]) if row["valid_to"] else None,
                status=row["status"],
                new_codes=row["new_codes"],
            )
        )
    return {code: tuple(sorted(recs, key=lambda r: r.valid_from)) for code, recs in grouped.items()}


@cache
def _children_index() -> dict[str | None, tuple[Region, ...]]:
    grouped: dict[str | None, list[Region]] = defaultdict(list)
    for region in _current().values():
        grouped[region.parent].append(region)
    return {parent: tuple(sorted(regs, key=lambda r: r.code)) for parent, regs in grouped.items()}


def get_region(code: str) -> Region | None:
    """The region currently using ``code`` (2024-12-31 list), or None."""
    return _current().get(code.strip())


def history(code: str) -> list[RegionRecord]:
    """Every record of ``code`` since 1981, oldest first (a code may have been reused)."""
    return list(_history().get(code.strip(), ()))


def record_in(code: str, year: int) -> RegionRecord | None:
    """The record of ``code`` in use at the end of ``year``."""
    for rec in _history().get(code.strip(), ()):
        if rec.valid_in(year):
            return rec
    return None


def _history_full_name(rec: RegionRecord) -> str:
    parts = [rec.name]
    parent, year = rec.parent, rec.valid_from
    while parent is not None:
        prec = record_in(parent, year)
        if prec is None:
            break
        parts.append(prec.name)
        parent = prec.parent
    return "".join(reversed(parts))


def region_name(code: str) -> str:
    """Full name from the province down (``福建省泉州市鲤城区``). A code no longer in use gets the
    name of its last record, with its parents as they were when that record began.
    Raises ``UnknownRegion`` for a code never used."""
    key = code.strip()
    region = _current().get(key)
    if region is not None:
        parts = [region.name]
        parent = region.parent
        while parent is not None:
            p = _current()[parent]
            parts.append(p.name)
            parent = p.parent
        return "".join(reversed(parts))
    records = _history().get(key)
    if not records:
        raise UnknownRegion(key)
    return _history_full_name(records[-1])


def short_name(name: str) -> str:
    """A name without its administrative suffix, as people write it: 泉州市 → 泉州, 晋江市 → 晋江,
    延边朝鲜族自治州 → 延边. Never shortened to nothing."""
    text = name.strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for tail in _NATIONALITY_TAILS:
            if text.endswith(tail) and len(text) > len(tail):
                text = text[: -len(tail)]
                stripped = True
                break
    return text


@cache
def _short_index() -> dict[str, tuple[Region, ...]]:
    grouped: dict[str, list[Region]] = defaultdict(list)
    for region in _current().values():
        grouped[short_name(region.name)].append(region)
    return {k: tuple(v) for k, v in grouped.items()}


def _sort_key(region: Region) -> tuple[int, str]:
    return (_LEVEL_ORDER[region.level], region.code)


def find_regions(name: str, within: str | None = None) -> list[Region]:
    """Current regions called ``name``: exact name matches if there are any, otherwise matches on the
    name without its suffix (``泉州`` → 泉州市, ``晋江`` → 晋江市). Broader levels first.
    ``within`` keeps only regions inside that province/prefecture (itself included)."""
    query = name.strip()
    if not query:
        return []

    def keep(region: Region) -> bool:
        return within is None or region_within(region.code, within)

    exact = [r for r in _current().values() if r.name == query and keep(r)]
    if exact:
        return sorted(exact, key=_sort_key)
    loose = [r for r in _short_index().get(short_name(query), ()) if keep(r)]
    return sorted(loose, key=_sort_key)


def children(code: str) -> list[Region]:
    """Current regions whose parent is ``code`` (a province's list includes its directly
    administered counties, e.g. 北京市's districts or 湖北省's 仙桃市)."""
    return list(_children_index().get(code.strip(), ()))


def provinces() -> list[Region]:
    return list(_children_index().get(None, ()))


def region_within(code: str, ancestor: str) -> bool:
    """RULES.md §3 ``within``, by code prefix: anything starting ``XX`` is within ``XX0000``,
    anything starting ``XXYY`` is within ``XXYY00``, and a county is within only itself.

    Prefixes rather than parent links so that a directly administered county (parent = province,
    e.g. 429004 仙桃市) is within its province, and an abolished code still falls inside the area
    its digits name."""
    return within_test(ancestor)(code)


@lru_cache(maxsize=4096)
def within_test(ancestor: str) -> Callable[[str], bool]:
    """``region_within(·, ancestor)`` with the ancestor read once, for testing many codes."""
    a = ancestor.strip()
    if not _CODE.fullmatch(a) or a == "000000":
        return lambda code: False
    width = 2 if a.endswith("0000") else 4 if a.endswith("00") else 6
    head = a[:width]

    def test(code: str) -> bool:
        c = code.strip()
        return c[:width] == head and _CODE.fullmatch(c) is not None

    return test


def region_level(code: str) -> RegionLevel | None:
    """Level implied by the digits alone (for codes that no table knows)."""
    c = code.strip()
    if not _CODE.fullmatch(c) or c == "000000":
        return None
    if c.endswith("0000"):
        return "province"
    if c.endswith("00"):
        return "prefecture"
    return "county"


def is_known_region(code: str, *, include_abolished: bool = True) -> bool:
    """True for a code in the current list, or (by default) one that was ever in use: an enterprise
    registered under a code that was later abolished must never be rejected for it."""
    key = code.strip()
    if key in _current():
        return True
    return include_abolished and key in _history()
