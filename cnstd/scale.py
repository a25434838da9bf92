"""Enterprise size (大型/中型/小型/微型) by 国统字〔2017〕213号 《统计上大中小微型企业划分办法（2017）》.

The thresholds are those of the official table of that notice (they carry over unchanged from
工信部联企业〔2011〕300号, with the industry scopes re-expressed in GB/T 4754-2017 codes).
Inputs: X 从业人员 (persons), Y 营业收入 and Z 资产总额, given here in YUAN; the table is in 万元.

Scope (the notice's 适用范围): 15 sections (A B C D E F G H I K L M N O R) plus 社会工作 (85).
金融业 J has its own standard (银发〔2015〕309号) and 教育 P, 卫生 84, 公共管理 S, 国际组织 T,
铁路运输业 53 and 自有房地产经营活动 (GB/T 4754-2017 7040 房地产租赁经营) are outside the notice:
for them the size is unknown (None), never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from cnstd.industries import industry_within, minors, normalize_industry_code, section_of

Scale = Literal["large", "medium", "small", "micro"]
ScaleInput = Literal["employees", "revenue", "total_assets"]

_TIERS: tuple[Scale, Scale, Scale] = ("large", "medium", "small")
SCALE_LABELS: dict[str, str] = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
_WAN = Decimal(10000)


@dataclass(frozen=True, slots=True)
class ScaleRow:
    """One row of the official table: for each input it uses, the lower bounds of
    (large, medium, small); employees in persons, money in 万元 as printed."""

    key: str
    name: str
    bounds: tuple[tuple[ScaleInput, tuple[int, int, int]], ...]

    @property
    def inputs(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.bounds)


# One entry per row of the table in 国统字〔2017〕213号 附表, in the table's order. Every number below
# is copied from that table (same figures as 工信部联企业〔2011〕300号 第四条).
SCALE_ROWS: tuple[ScaleRow, ...] = (
    # 213号 附表 row 农、林、牧、渔业: Y≥20000 / 500≤Y / 50≤Y (营业收入 only).
    ScaleRow("agriculture", "农、林、牧、渔业", (("revenue", (20000, 500, 50)),)),
    # 213号 附表 row 工业* (注: 采矿业, 制造业, 电力、热力、燃气及水生产和供应业): X 1000/300/20, Y 40000/2000/300.
    ScaleRow("industry", "工业", (("employees", (1000, 300, 20)), ("revenue", (40000, 2000, 300)))),
    # 213号 附表 row 建筑业: Y 80000/6000/300, Z 80000/5000/300.
    ScaleRow("construction", "建筑业", (("revenue", (80000, 6000, 300)), ("total_assets", (80000, 5000, 300)))),
    # 213号 附表 row 批发业: X 200/20/5, Y 40000/5000/1000.
    ScaleRow("wholesale", "批发业", (("employees", (200, 20, 5)), ("revenue", (40000, 5000, 1000)))),
    # 213号 附表 row 零售业: X 300/50/10, Y 20000/500/100.
    ScaleRow("retail", "零售业", (("employees", (300, 50, 10)), ("revenue", (20000, 500, 100)))),
    # 213号 附表 row 交通运输业* (注: 道路、水上、航空、管道运输业, 多式联运和运输代理业, 装卸搬运;
    # 不包括铁路运输业): X 1000/300/20, Y 30000/3000/200.
    ScaleRow("transport", "交通运输业", (("employees", (1000, 300, 20)), ("revenue", (30000, 3000, 200)))),
    # 213号 附表 row 仓储业* (注: 通用、低温、危险品、农产品、中药材和其他仓储业): X 200/100/20, Y 30000/1000/100.
    ScaleRow("warehousing", "仓储业", (("employees", (200, 100, 20)), ("revenue", (30000, 1000, 100)))),
    # 213号 附表 row 邮政业: X 1000/300/20, Y 30000/2000/100.
    ScaleRow("postal", "邮政业", (("employees", (1000, 300, 20)), ("revenue", (30000, 2000, 100)))),
    # 213号 附表 row 住宿业: X 300/100/10, Y 10000/2000/100.
    ScaleRow("accommodation", "住宿业", (("employees", (300, 100, 10)), ("revenue", (10000, 2000, 100)))),
    # 213号 附表 row 餐饮业: X 300/100/10, Y 10000/2000/100 (same figures as 住宿业).
    ScaleRow("catering", "餐饮业", (("employees", (300, 100, 10)), ("revenue", (10000, 2000, 100)))),
    # 213号 附表 row 信息传输业* (注: 电信、广播电视和卫星传输服务, 互联网和相关服务): X 2000/100/10,
    # Y 100000/1000/100.
    ScaleRow(
        "telecom", "信息传输业", (("employees", (2000, 100, 10)), ("revenue", (100000, 1000, 100)))
    ),
    # 213号 附表 row 软件和信息技术服务业: X 300/100/10, Y 10000/1000/50.
    ScaleRow("software", "软件和信息技术服务业", (("employees", (300, 100, 10)), ("revenue", (10000, 1000, 50)))),
    # 213号 附表 row 房地产开发经营: Y 200000/1000/100, Z 10000/5000/2000.
    ScaleRow(
        "real_estate_development",
        "房地产开发经营",
        (("revenue", (200000, 1000, 100)), ("total_assets", (10000, 5000, 2000))),
    ),
    # 213号 附表 row 物业管理: X 1000/300/100, Y 5000/1000/500.
    ScaleRow("property_management", "物业管理", (("employees", (1000, 300, 100)), ("revenue", (5000, 1000, 500)))),
    # 213号 附表 row 租赁和商务服务业: X 300/100/10, Z 120000/8000/100.
    ScaleRow(
        "leasing_business", "租赁和商务服务业", (("employees", (300, 100, 10)), ("total_assets", (120000, 8000, 100)))
    ),
    # 213号 附表 row 其他未列明行业* (注: 科学研究和技术服务业, 水利、环境和公共设施管理业, 居民服务、
    # 修理和其他服务业, 社会工作, 文化、体育和娱乐业, 房地产中介服务, 其他房地产业等; 不包括自有房地产
    # 经营活动): X 300/100/10. The medium bound 100 is confirmed by the official table.
    ScaleRow("other", "其他未列明行业", (("employees", (300, 100, 10)),)),
)
_ROWS_BY_KEY: dict[str, ScaleRow] = {row.key: row for row in SCALE_ROWS}

# Which row a 4-digit 小类 belongs to: the first entry whose prefix the code starts with. A prefix
# is a section letter or leading digits; None marks a class outside the notice's scope.
_ROW_PREFIXES: tuple[tuple[str, str | None], ...] = (
    ("A", "agriculture"),
    ("B", "industry"),
    ("C", "industry"),
    ("D", "industry"),
    ("E", "construction"),
    ("51", "wholesale"),
    ("52", "retail"),
    ("53", None),  # 铁路运输业: excluded from 交通运输业 by the notice's note
    ("54", "transport"),
    ("55", "transport"),
    ("56", "transport"),
    ("57", "transport"),
    ("58", "transport"),
    ("591", "transport"),  # 装卸搬运 is named in the 交通运输业 note, the rest of 59 is 仓储业
    ("59", "warehousing"),
    ("60", "postal"),
    ("61", "accommodation"),
    ("62", "catering"),
    ("63", "telecom"),
    ("64", "telecom"),
    ("65", "software"),
    ("J", None),  # 金融业: 银发〔2015〕309号 applies instead
    ("701", "real_estate_development"),
    ("702", "property_management"),
    ("704", None),  # 房地产租赁经营 = the notice's excluded 自有房地产经营活动
    ("K", "other"),  # 703 房地产中介服务, 709 其他房地产业
    ("L", "leasing_business"),
    ("M", "other"),
    ("N", "other"),
    ("O", "other"),
    ("P", None),
    ("84", None),  # 卫生: only 社会工作 (85) of section Q is in scope
    ("85", "other"),
    ("R", "other"),
    ("S", None),
    ("T", None),
)


def _row_key_for_minor(code: str) -> str | None:
    section = section_of(code)
    for prefix, key in _ROW_PREFIXES:
        if (prefix == section) if prefix.isalpha() else code.startswith(prefix):
            return key
    return None


@cache
def _row_key(code: str) -> str | None:
    if len(code) == 4 and code.isdigit():
        return _row_key_for_minor(code) if section_of(code) else None
    # A section or a 2/3-digit class names one row only if every 小类 under it falls in the same row
    # (e.g. "C" → 工业, "65" → 软件; but "F" or "59" could be either of two rows: unknown).
    keys = {_row_key_for_minor(m.code) for m in minors() if industry_within(m.code, code)}
    if len(keys) == 1:
        return keys.pop()
    return None


def scale_row(industry: str | None) -> ScaleRow | None:
    """The table row for an industry code, or None when the code is unknown, outside the notice's
    scope, or too coarse to choose between two rows."""
    if industry is None:
        return None
    key = _row_key(normalize_industry_code(industry))
    return _ROWS_BY_KEY[key] if key is not None else None


def SCALE_INPUTS(industry: str | None) -> set[str]:  # upper-case name fixed by the shared API
    """Which of ``employees`` / ``revenue`` / ``total_assets`` the industry's row uses; empty when no
    row applies (then the size stays unknown whatever the figures are)."""
    row = scale_row(industry)
    return set(row.inputs) if row is not None else set()


def enterprise_scale(
    *,
    industry: str | None,
    employees: Decimal | int | None,
    revenue: Decimal | int | None,
    total_assets: Decimal | int | None,
) -> Scale | None:
    """'large' | 'medium' | 'small' | 'micro', or None when no row applies or an input the row uses is
    unknown (inputs the row does not use may be None: agriculture needs only revenue).

    How 下划一档 is applied: the notice says large, medium and small must meet *every* lower bound
    of their cell, otherwise the enterprise drops one tier; applied repeatedly this is the highest
    tier whose every lower bound is met, and below small it is micro. So an industrial enterprise
    with 180 staff and 3,600万元 revenue is medium by revenue but small overall."""
    row = scale_row(industry)
    if row is None:
        return None
    given: dict[str, Decimal | int | None] = {
        "employees": employees,
        "revenue": revenue,
        "total_assets": total_assets,
    }
    values: dict[str, Decimal] = {}
    for name, _ in row.bounds:
        value = given[name]
        if value is None:
            return None
        # Money arrives in yuan; bring it to the table's 万元 without rounding.
        values[name] = Decimal(value) / _WAN if name != "employees" else Decimal(value)
    for tier_index, tier in enumerate(_TIERS):
        if all(values[name] >= bounds[tier_index] for name, bounds in row.bounds):
            return tier
    return "micro"
