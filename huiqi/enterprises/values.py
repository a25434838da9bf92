"""Reading and showing the values of an enterprise profile: the one place that knows the units
and spellings officers and enterprises type (万元, 是/否, 民营, 晋江市, 3971 …).

Every parser raises ``ValueError`` with a Chinese message that does not name the row or column;
the caller (the importer, the correction form) adds where the value came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cnstd.industries import find_industries, get_industry, normalize_industry_code
from cnstd.numbers import format_wan, parse_amount, parse_number
from cnstd.regions import find_regions, get_region, is_known_region, region_name
from huiqi.core.masking import mask_email, mask_phone  # re-exported: enterprise pages mask the one way

from .models import EnterpriseFlag, Listing, Ownership, YearFigure

WAN = Decimal(10000)

# Static facts that carry per-field provenance in Enterprise.sources.
STATIC_FIELDS: dict[str, str] = {
    "name": "企业名称",
    "region": "所在地区",
    "industry": "行业",
    "established_on": "成立日期",
    "registered_capital": "注册资本",
    "ownership": "所有制",
    "listed": "上市情况",
    "legal_representative": "法定代表人",
    "contact_phone": "联系电话",
    "contact_email": "联系邮箱",
    "address": "住所",
}
# What an enterprise may dispute or supply through 纠错 (the name and the code are registration
# matters settled at 市场监管, not here).
CORRECTABLE_STATIC = frozenset(STATIC_FIELDS) - {"name"}

TRUE_WORDS = frozenset({"是", "有", "y", "yes", "true", "1", "√", "在名单"})
FALSE_WORDS = frozenset({"否", "无", "n", "no", "false", "0", "×", "不在名单"})
TAX_RATINGS = ("A", "B", "M", "C", "D")
NEGATIVE_ALLOWED = frozenset({"profit"})


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_decimal(value: object) -> Decimal:
    """A number from a cell or a form: Excel floats go through str() so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise ValueError(f"不是数字（{value}）")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, Decimal):
        return value
    text = _text(value)
    try:
        return parse_number(text)
    except ValueError:
        raise ValueError(f"不是数字（{text}）") from None


def parse_money_wan(value: object, *, allow_negative: bool = False) -> Decimal:
    """Money written in 万元 (the unit of every money column) → yuan. A value that names its own
    unit (``3500万元``, ``1.2亿``, ``800000元``) is taken at that unit instead."""
    if isinstance(value, str) and re.search(r"[元亿]|万元", value.strip()):
        text = value.strip()
        try:
            amount = parse_amount(text)
        except ValueError:
            raise ValueError(f"不是金额（{text}）") from None
    else:
        amount = to_decimal(value) * WAN
    if amount < 0 and not allow_negative:
        raise ValueError(f"不能为负数（{_text(value)}）")
    return amount.quantize(Decimal("0.01"))


def parse_count(value: object) -> Decimal:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"应为整数（{_text(value)}）")
    if number < 0:
        raise ValueError(f"不能为负数（{_text(value)}）")
    return number.quantize(Decimal(1))


def parse_year(value: object) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value() or not 1949 <= number <= 2100:
        raise ValueError(f"不是有效年度（{_text(value)}）")
    return int(number)


_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueError(f"不是有效日期（{text}），请写成 2015-06-01")


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"应填“是”或“否”（{_text(value)}）")


def _parse_choice(value: object, choices: type[Ownership] | type[Listing], what: str) -> str:
    text = _text(value)
    for choice in choices:
        if text.lower() == str(choice.value) or text == choice.label:
            return str(choice.value)
    allowed = "、".join(str(c.label) for c in choices)
    raise ValueError(f"未知的{what}（{text}），可填：{allowed}")


def parse_ownership(value: object) -> str:
    text = _text(value)
    aliases = {"民营企业": "private", "私营": "private", "国有企业": "state", "国企": "state",
               "外商投资": "foreign", "外资企业": "foreign", "港澳台": "hmt", "台资": "hmt", "港资": "hmt"}
    if text in aliases:
        return aliases[text]
    return _parse_choice(text, Ownership, "所有制")


def parse_listed(value: object) -> str:
    text = _text(value)
    aliases = {"否": "none", "无": "none", "未上市": "none", "上交所主板": "main", "深交所主板": "main",
               "港股": "overseas", "境外": "overseas"}
    if text in aliases:
        return aliases[text]
    return _parse_choice(text, Listing, "上市情况")


def parse_tax_rating(value: object) -> str:
    text = _text(value).upper()
    if text.endswith("级"):
        text = text[:-1]
    if text not in TAX_RATINGS:
        raise ValueError(f"纳税信用等级应为 A、B、M、C、D 之一（{_text(value)}）")
    return text


def _region_label(code: str) -> str:
    return f"{region_name(code)}（{code}）"


@lru_cache(maxsize=4096)
def _region_candidates(text: str, within: str | None) -> tuple[str, ...]:
    direct = find_regions(text, within=within)
    if direct:
        return tuple(r.code for r in direct)
    # Composite names (泉州市晋江市, 福建省泉州市晋江市): a known region then a name inside it.
    found: list[str] = []
    for cut in range(2, len(text) - 1):
        head, tail = text[:cut], text[cut:]
        if not head.endswith(("省", "市", "州", "盟", "区", "县", "自治区")):
            continue
        for parent in find_regions(head, within=within):
            for code in _region_candidates(tail, parent.code):
                if code != parent.code and code not in found:
                    found.append(code)
    return tuple(found)


def resolve_region(value: object) -> str:
    """A region name (晋江市, 晋江, 泉州市晋江市) or a GB/T 2260 code → the six-digit code."""
    text = "".join(_text(value).split())
    if re.fullmatch(r"\d{6}", text):
        if not is_known_region(text):
            raise ValueError(f"未知的行政区划代码（{text}）")
        return text
    codes = _region_candidates(text, None)
    if not codes:
        raise ValueError(f"未知的地区名称（{text}），请写完整名称（如 泉州市晋江市）或6位行政区划代码")
    if len(codes) > 1:
        listed = "、".join(_region_label(c) for c in codes[:8])
        more = f" 等{len(codes)}个" if len(codes) > 8 else ""
        # Show the fix on a Fujian candidate when there is one: that is what officers here mean.
        pick = get_region(next((c for c in codes if c.startswith("35")), codes[0]))
        parent = get_region(pick.parent) if pick is not None and pick.parent else None
        example = f"（如 {parent.name}{text}）" if parent is not None else ""
        raise ValueError(f"地区名称「{text}」有多个同名地区：{listed}{more}，请写上级地区{example}或6位代码")
    return codes[0]


def resolve_industry(value: object) -> str:
    """A GB/T 4754-2017 code (3971, C3971, 39, C) or an exact class name → the code."""
    text = _text(value)
    code = normalize_industry_code(text)
    if get_industry(code) is not None:
        return code
    if re.fullmatch(r"[A-Za-z]?\d{2,4}", text):
        raise ValueError(f"未知的行业代码（{text}），请填写 GB/T 4754-2017 的行业代码")
    matches = find_industries(text)
    exact = [i for i in matches if i.name == text]
    if len(exact) == 1:
        return exact[0].code
    if exact:
        return max(exact, key=lambda i: len(i.code)).code
    hint = "、".join(f"{i.code} {i.name}" for i in matches[:5])
    raise ValueError(f"未知的行业（{text}）" + (f"，是否为：{hint}" if hint else "，请填写4位行业代码"))


def industry_label(code: str) -> str:
    if not code:
        return ""
    industry = get_industry(code)
    return f"{code} {industry.name}" if industry else code


def region_label(code: str) -> str:
    if not code:
        return ""
    try:
        return region_name(code)
    except LookupError:
        return code


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A profile path: a static field (``registered_capital``), a yearly figure
    (``years.2024.revenue``) or a list flag (``flags.dishonest``)."""

    kind: str  # static | year | flag
    name: str
    year: int | None = None

    @property
    def path(self) -> str:
        if self.kind == "year":
            return f"years.{self.year}.{self.name}"
        if self.kind == "flag":
            return f"flags.{self.name}"
        return self.name

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年{YearFigure.FIELDS[self.name]}"
        if self.kind == "flag":
            return EnterpriseFlag.FLAGS[self.name]
        return STATIC_FIELDS[self.name]


def parse_field_path(path: str) -> FieldPath:
    parts = path.strip().split(".")
    if len(parts) == 1 and parts[0] in CORRECTABLE_STATIC:
        return FieldPath("static", parts[0])
    if len(parts) == 3 and parts[0] == "years" and parts[2] in YearFigure.FIELDS:
        try:
            return FieldPath("year", parts[2], parse_year(parts[1]))
        except ValueError:
            pass
    if len(parts) == 2 and parts[0] == "flags" and parts[1] in EnterpriseFlag.FLAGS:
        return FieldPath("flag", parts[1])
    raise ValueError(f"无法纠错的字段（{path}）")


def parse_field_value(target: FieldPath, value: object) -> object:
    """The typed value for a field, from what a person typed (money in 万元 unless a unit is written)."""
    if is_blank(value):
        raise ValueError("请填写申请值")
    name = target.name
    if target.kind == "flag":
        return parse_bool(value)
    if target.kind == "year":
        if name in YearFigure.MONEY_FIELDS:
            return parse_money_wan(value, allow_negative=name in NEGATIVE_ALLOWED)
        if name in YearFigure.COUNT_FIELDS:
            return parse_count(value)
        return parse_tax_rating(value)
    parser = STATIC_PARSERS.get(name)
    return parser(value) if parser else _text(value)[:200]


def parse_email(value: object) -> str:
    text = _text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError(f"不是有效的电子邮箱地址（{text[:60]}），应形如 caiwu@example.com") from None
    return text


# How a typed or imported static fact becomes its stored value (the import and 纠错 share them).
STATIC_PARSERS: dict[str, Callable[[object], object]] = {
    "region": resolve_region, "industry": resolve_industry, "established_on": parse_date,
    "registered_capital": parse_money_wan, "ownership": parse_ownership, "listed": parse_listed,
    "contact_email": parse_email,
}


def storage_text(value: object) -> str:
    """How a typed value is kept in CorrectionRequest.proposed_value (canonical, reversible)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_storage_text(target: FieldPath, text: str) -> object:
    if target.kind == "flag":
        return text == "是"
    if target.kind == "year":
        return text if target.name in YearFigure.TEXT_FIELDS else Decimal(text)
    if target.name == "registered_capital":
        return Decimal(text)
    if target.name == "established_on":
        return date.fromisoformat(text)
    return text


def display_value(target: FieldPath, value: object) -> str:
    """A value as an officer reads it: 1,500 万元, 是/否, 福建省泉州市晋江市, 民营."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    name = target.name
    if isinstance(value, str) and target.kind == "static":
        if name == "region":
            return region_label(value)
        if name == "industry":
            return industry_label(value)
        if name == "ownership":
            return str(Ownership(value).label) if value in Ownership.values else value
        if name == "listed":
            return str(Listing(value).label) if value in Listing.values else value
        if name == "contact_phone":
            return mask_phone(value)
        if name == "contact_email":
            return mask_email(value)
    if isinstance(value, Decimal):
        if (target.kind == "year" and name in YearFigure.MONEY_FIELDS) or name == "registered_capital":
            return format_wan(value)
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

