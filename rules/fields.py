"""The vocabulary of the rules language (RULES.md §2): every field a rule may read.

One table serves validation (which ops and values a field accepts), evaluation (where the value
lives in a profile) and the pages (the Chinese label). Add a field here and in the profile schema,
never in one place only.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

FieldKind = Literal["static", "derived", "yearly", "flag", "qualification", "input"]
FieldType = Literal["number", "money", "ratio", "count", "years", "date", "region", "industry", "enum", "set"]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: FieldKind
    type: FieldType
    label: str
    unit: str = ""
    choices: tuple[str, ...] = ()


OWNERSHIP_LABELS: dict[str, str] = {
    "private": "民营",
    "state": "国有",
    "foreign": "外资",
    "hmt": "港澳台资",
    "collective": "集体",
    "other": "其他",
}
LISTED_LABELS: dict[str, str] = {
    "none": "未上市",
    "neeq": "新三板",
    "bse": "北交所",
    "star": "科创板",
    "chinext": "创业板",
    "main": "主板",
    "overseas": "境外上市",
}
SCALE_LABELS: dict[str, str] = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
TAX_CREDIT_RATINGS: tuple[str, ...] = ("A", "B", "M", "C", "D")

FLAG_LABELS: dict[str, str] = {
    "dishonest": "失信主体",
    "abnormal_operation": "经营异常名录",
    "major_violation_3y": "近三年重大违法违规",
}

# The starting catalogue (资质目录); the real catalogue is data kept by officers and is passed to
# validation as ``known_qualifications``.
QUALIFICATION_LABELS: dict[str, str] = {
    "hnte": "高新技术企业",
    "tsme": "科技型中小企业",
    "innovative_sme": "创新型中小企业",
    "srdi": "省级专精特新中小企业",
    "little_giant": '国家级专精特新"小巨人"',
    "above_scale": "规模以上企业",
    "gazelle": "瞪羚企业",
    "unicorn": "独角兽企业",
    "tech_center_prov": "省级企业技术中心",
    "tech_center_nat": "国家企业技术中心",
}

_FIELDS: tuple[Field, ...] = (
    Field("region", "static", "region", "所在地区"),
    Field("industry", "static", "industry", "所属行业"),
    Field("established_on", "static", "date", "成立日期"),
    Field("registered_capital", "static", "money", "注册资本", "元"),
    Field("ownership", "static", "enum", "企业性质", choices=tuple(OWNERSHIP_LABELS)),
    Field("listed", "static", "enum", "上市情况", choices=tuple(LISTED_LABELS)),
    Field("established_years", "derived", "years", "成立年限", "年"),
    Field("scale", "derived", "enum", "企业规模", choices=tuple(SCALE_LABELS)),
    Field("rd_ratio", "derived", "ratio", "研发费用占营业收入比例"),
    Field("revenue_growth", "derived", "ratio", "营业收入增长率"),
    Field("revenue", "yearly", "money", "营业收入", "元"),
    Field("main_revenue", "yearly", "money", "主营业务收入", "元"),
    Field("employees", "yearly", "count", "从业人员", "人"),
    Field("insured_employees", "yearly", "count", "参保职工人数", "人"),
    Field("rd_expense", "yearly", "money", "研发费用", "元"),
    Field("tax_paid", "yearly", "money", "纳税额", "元"),
    Field("total_assets", "yearly", "money", "资产总额", "元"),
    Field("output_value", "yearly", "money", "产值", "元"),
    Field("export_value", "yearly", "money", "出口额", "元"),
    Field("fixed_asset_investment", "yearly", "money", "固定资产投资", "元"),
    Field("profit", "yearly", "money", "利润总额", "元"),
    Field("tax_credit_rating", "yearly", "enum", "纳税信用等级", choices=TAX_CREDIT_RATINGS),
    Field("invention_patents", "yearly", "count", "发明专利数", "件"),
    Field("qualifications", "qualification", "set", "资质"),
    Field("flags", "flag", "set", "信用记录"),
)

FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}

NUMERIC_TYPES: frozenset[str] = frozenset({"number", "money", "ratio", "count", "years"})
CODE_TYPES: frozenset[str] = frozenset({"region", "industry"})

INPUT_PREFIX = "input."

# Derived fields that read yearly figures and so take a period.
YEARLY_DERIVED: frozenset[str] = frozenset({"scale", "rd_ratio", "revenue_growth"})

@dataclass(frozen=True, slots=True)
class DeclaredFigure:
    """A figure an enterprise declares in an application (``input.<name>``): one vocabulary, kept
    as data in ``rules/data/declared_figures.csv``, shared by the extractor (which maps a
    clause's words to a name), the application form (label and unit) and the review page."""

    name: str
    label: str
    unit: str
    words: tuple[str, ...]  # how policies name the figure (longest match wins in the extractor)


def _declared_figures() -> dict[str, DeclaredFigure]:
    text = files("rules").joinpath("data", "declared_figures.csv").read_text(encoding="utf-8")
    out: dict[str, DeclaredFigure] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        words = tuple(w for w in (row.get("words") or "").split("|") if w)
        out[row["name"]] = DeclaredFigure(row["name"], row["label"], row["unit"], words)
    return out


DECLARED_FIGURES: dict[str, DeclaredFigure] = _declared_figures()

_UNIT_WORDS = {"10k_yuan": ("万元", "元"), "100m_yuan": ("亿元", "元"), "yuan": ("元", "元"),
               "sqm": ("平方米", "平方米"), "10k_usd": ("万美元", "美元"), "100m_usd": ("亿美元", "美元"),
               "usd": ("美元", "美元")}
_COUNT_WORDS = {"persons": "人数", "enterprises": "企业户数", "units": "台（套）数", "sets": "套数",
                "tonnes": "吨数", "kw": "千瓦数", "kwh": "千瓦时数", "vehicles": "车辆数", "items": "件数",
                "room_nights": "间夜数"}
_PER_UNIT_FAMILY = re.compile(r"^(?P<new>new_)?full_(?P<n>\d+)_(?P<unit>" + "|".join(_UNIT_WORDS) + r")_units$")
_COUNT_FAMILY = re.compile(r"^(?P<new>new_)?(?P<what>" + "|".join(_COUNT_WORDS) + r")_count$")


def declared_figure(name: str) -> DeclaredFigure | None:
    """The vocabulary entry of a declared figure: a listed name, or one of the two regular
    families a per-unit reward needs (``full_<N>_<unit>_units`` = how many whole units of N,
    ``new_persons_count`` …), whose labels are built from the name."""
    known = DECLARED_FIGURES.get(name)
    if known is not None:
        return known
    m = _PER_UNIT_FAMILY.match(name)
    if m:
        unit = _UNIT_WORDS[m.group("unit")][0]
        label = ("新增数" if m.group("new") else "申报数") + f"中每满{m.group('n')}{unit}的份数（不足部分不计）"
        return DeclaredFigure(name, label, "份", ())
    m = _COUNT_FAMILY.match(name)
    if m:
        return DeclaredFigure(name, ("新增" if m.group("new") else "") + _COUNT_WORDS[m.group("what")], "个", ())
    return None


# Chinese labels of the known declared figures; a name outside the vocabulary is allowed by the
# language but is flagged for the officer when drafted.
INPUT_LABELS: dict[str, str] = {name: f.label for name, f in DECLARED_FIGURES.items()}


OPS: tuple[str, ...] = (
    "==", "!=", ">", ">=", "<", "<=", "between", "in", "not_in", "within", "has", "not_has", "known",
)
ORDER_OPS: frozenset[str] = frozenset({">", ">=", "<", "<="})


def get_field(name: str) -> Field | None:
    """The vocabulary entry for a field name; ``input.<name>`` fields are numbers declared in an
    application."""
    if name.startswith(INPUT_PREFIX):
        rest = name[len(INPUT_PREFIX):]
        if not rest or not rest.replace("_", "a").isalnum() or not rest.isascii():
            return None
        known = declared_figure(rest)
        return Field(name, "input", "number", known.label if known else rest, known.unit if known else "")
    return FIELDS.get(name)


def takes_period(name: str) -> bool:
    f = get_field(name)
    return f is not None and (f.kind == "yearly" or f.name in YEARLY_DERIVED)


def is_numeric(name: str) -> bool:
    f = get_field(name)
    return f is not None and f.type in NUMERIC_TYPES


def allowed_ops(name: str) -> frozenset[str]:
    f = get_field(name)
    if f is None:
        return frozenset()
    if f.type in NUMERIC_TYPES:
        return frozenset({"==", "!=", ">", ">=", "<", "<=", "between", "in", "not_in", "known"})
    if f.type == "date":
        return frozenset({"==", "!=", ">", ">=", "<", "<=", "between", "known"})
    if f.type in CODE_TYPES:
        return frozenset({"==", "!=", "in", "not_in", "within", "known"})
    if f.type == "enum":
        return frozenset({"==", "!=", "in", "not_in", "known"})
    return frozenset({"has", "not_has", "known"})


def label_of(name: str) -> str:
    f = get_field(name)
    return f.label if f is not None else name
