"""Plain-Chinese rendering of rules-language JSON for the policy pages (no database access).

`condition_lines` turns a condition tree into sentences (`上年度营业收入不低于 2,000 万元`,
`持有有效的高新技术企业资格`, `注册地在泉州市`, `需审核确认：…`); `reward_lines` does the same for a
reward; `max_amount` reads the most an item can pay from its reward (fixed / up_to / cap / tiers …)
for the `最高 X 万元` badge and the amount sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cnstd.industries import get_industry
from cnstd.numbers import format_wan
from cnstd.regions import get_region
from rules.fields import (
    FLAG_LABELS,
    LISTED_LABELS,
    OWNERSHIP_LABELS,
    QUALIFICATION_LABELS,
    SCALE_LABELS,
    get_field,
    takes_period,
)

OP_WORDS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "为", "!=": "不为"}
ENUM_LABELS: dict[str, Mapping[str, str]] = {"scale": SCALE_LABELS, "ownership": OWNERSHIP_LABELS,
                                             "listed": LISTED_LABELS}


@dataclass(frozen=True)
class Line:
    depth: int
    text: str


@dataclass(frozen=True)
class Vocabulary:
    """Names the renderer cannot know by itself: the qualification catalogue and the item's inputs."""

    qualifications: Mapping[str, str]
    inputs: Mapping[str, Mapping[str, str]]  # name -> {"label": ..., "unit": ...}

    @classmethod
    def build(cls, *, qualifications: Mapping[str, str] | None = None,
              inputs: Sequence[Mapping[str, Any]] | None = None) -> Vocabulary:
        quals = {**QUALIFICATION_LABELS, **(qualifications or {})}
        declared = {str(i.get("name")): {"label": str(i.get("label") or i.get("name")), "unit": str(i.get("unit") or "")}
                    for i in (inputs or []) if isinstance(i, Mapping) and i.get("name")}
        return cls(quals, declared)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _plain_number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def percent(value: Any) -> str:
    number = _decimal(value)
    return f"{_plain_number(number * 100)}%" if number is not None else str(value)


def money(value: Any) -> str:
    number = _decimal(value)
    return format_wan(number) if number is not None else str(value)


def _period_words(period: Any) -> str:
    if period in (None, "last_year"):
        return "上年度"
    if period == "this_year":
        return "本年度"
    if isinstance(period, Mapping) and "year" in period:
        return f"{period['year']}年度"
    return ""


def _region_name(code: Any) -> str:
    region = get_region(str(code))
    return region.name if region else str(code)


def _industry_name(code: Any) -> str:
    industry = get_industry(str(code))
    return f"{industry.name}（{code}）" if industry else str(code)


def _field_words(name: str, vocab: Vocabulary) -> tuple[str, str, str]:
    """(label, type, unit) of a field, inputs included."""
    if name.startswith("input."):
        declared = vocab.inputs.get(name[len("input."):], {})
        unit = declared.get("unit", "")
        kind = "money" if unit in ("", "元") else ("ratio" if unit == "比例" else "count")
        field = get_field(name)
        label = declared.get("label") or (field.label if field else "数额（事项未定义名称，请政策专员补充）")
        return f"申报的{label}", kind, "" if unit in ("元", "比例") else unit
    field = get_field(name)
    if field is None:
        return name, "number", ""
    return field.label, field.type, field.unit


def _value_words(value: Any, kind: str, unit: str, name: str) -> str:
    if isinstance(value, list):
        return "、".join(_value_words(v, kind, unit, name) for v in value)
    if kind == "money":
        return money(value)
    if kind == "ratio":
        return percent(value)
    if kind in ("count", "years", "number"):
        number = _decimal(value)
        text = _plain_number(number) if number is not None else str(value)
        return f"{text} {unit or ('年' if kind == 'years' else '')}".strip()
    if kind == "date":
        try:
            day = date.fromisoformat(str(value))
            return f"{day.year}年{day.month}月{day.day}日"
        except ValueError:
            return str(value)
    if kind == "region":
        return _region_name(value)
    if kind == "industry":
        return _industry_name(value)
    if kind == "enum":
        return ENUM_LABELS.get(name, {}).get(str(value), str(value))
    return str(value)


def atom_sentence(atom: Mapping[str, Any], vocab: Vocabulary) -> str:
    if "check" in atom:
        return f"需审核确认：{atom['check']}"
    if atom.get("always"):
        return "不限条件"
    name = str(atom.get("field", ""))
    op = str(atom.get("op", ""))
    value = atom.get("value")
    if name == "qualifications":
        qual = vocab.qualifications.get(str(value), str(value))
        if op == "known":
            return "已取得资质数据"
        if value == "above_scale":
            return "属于规模以上企业" if op == "has" else "不属于规模以上企业"
        return f"持有有效的{qual}资格" if op == "has" else f"未持有有效的{qual}资格"
    if name == "flags":
        flag = FLAG_LABELS.get(str(value), str(value))
        if op == "known":
            return "已取得信用记录数据"
        if value == "major_violation_3y":
            return "近三年有重大违法违规记录" if op == "has" else "近三年无重大违法违规记录"
        listed = flag if flag.endswith(("名录", "名单")) else f"{flag}名单"
        return f"被列入{listed}" if op == "has" else f"未被列入{listed}"
    label, kind, unit = _field_words(name, vocab)
    period = _period_words(atom.get("period")) if takes_period(name) else ""
    subject = f"{period}{label}"
    if op == "within":
        if kind == "region":
            return f"注册地在{_region_name(value)}"
        return f"所属行业属于{_industry_name(value)}"
    if op == "known":
        return f"已有{subject}数据"
    if op == "between" and isinstance(value, list) and len(value) == 2:
        return f"{subject}在 {_value_words(value[0], kind, unit, name)} 至 {_value_words(value[1], kind, unit, name)} 之间"
    if op in ("in", "not_in"):
        words = "或".join(_value_words(v, kind, unit, name) for v in (value if isinstance(value, list) else [value]))
        return f"{subject}{'为' if op == 'in' else '不为'}{words}"
    if kind == "enum" or kind in ("region", "industry"):
        return f"{subject}{OP_WORDS.get(op, op)}{_value_words(value, kind, unit, name)}"
    return f"{subject}{OP_WORDS.get(op, op)} {_value_words(value, kind, unit, name)}"


def condition_lines(condition: Any, vocab: Vocabulary, depth: int = 0) -> list[Line]:
    """Sentences, one per requirement; `any`/`not` open an indented group."""
    if not condition or (isinstance(condition, Mapping) and condition.get("always")):
        return [Line(depth, "无其他限制条件（在适用地区内即可申报）")] if depth == 0 else [Line(depth, "不限条件")]
    if not isinstance(condition, Mapping):
        return [Line(depth, str(condition))]
    if "all" in condition:
        lines: list[Line] = []
        for part in condition["all"]:
            lines.extend(condition_lines(part, vocab, depth))
        return lines
    if "any" in condition:
        parts = condition["any"]
        if all(isinstance(p, Mapping) and "field" in p and p.get("op") == "within" for p in parts) and parts:
            first = parts[0]
            if all(p.get("field") == first.get("field") for p in parts) and first.get("field") == "industry":
                return [Line(depth, "所属行业属于" + "或".join(_industry_name(p.get("value")) for p in parts))]
        lines = [Line(depth, "满足下列条件之一：")]
        for part in parts:
            lines.extend(condition_lines(part, vocab, depth + 1))
        return lines
    if "not" in condition:
        return [Line(depth, "不得属于下列情形："), *condition_lines(condition["not"], vocab, depth + 1)]
    return [Line(depth, atom_sentence(condition, vocab))]


def condition_inline(condition: Any, vocab: Vocabulary) -> str:
    if not isinstance(condition, Mapping) or condition.get("always"):
        return "其他情形"
    if "all" in condition:
        return "且".join(condition_inline(p, vocab) for p in condition["all"]) or "其他情形"
    if "any" in condition:
        return "（" + "或".join(condition_inline(p, vocab) for p in condition["any"]) + "）"
    if "not" in condition:
        return f"不属于（{condition_inline(condition['not'], vocab)}）"
    if "check" in condition:
        return f"{condition['check']}（经审核确认）"
    return atom_sentence(condition, vocab)


def _base_words(base: Any, vocab: Vocabulary) -> tuple[str, str]:
    """(words, unit) of a rate/per-unit base."""
    if isinstance(base, Mapping) and "input" in base:
        label, _kind, unit = _field_words(f"input.{base['input']}", vocab)
        return label, unit
    if isinstance(base, Mapping) and "field" in base:
        name = str(base["field"])
        label, _kind, unit = _field_words(name, vocab)
        period = _period_words(base.get("period")) if takes_period(name) else ""
        return f"{period}{label}", unit
    return str(base), ""


def reward_inline(reward: Any, vocab: Vocabulary) -> str:
    if not isinstance(reward, Mapping):
        return "无资金奖补"
    if "fixed" in reward:
        return f"给予 {money(reward['fixed'])}"
    if "up_to" in reward:
        return f"最高给予 {money(reward['up_to'])}（具体金额由审核确定）"
    if "rate" in reward:
        words, _unit = _base_words(reward.get("base"), vocab)
        text = f"按{words}的 {percent(reward['rate'])} 给予"
        if reward.get("cap") is not None:
            text += f"，最高 {money(reward['cap'])}"
        if reward.get("floor") is not None:
            text += f"，最低 {money(reward['floor'])}"
        return text
    if "per_unit" in reward:
        words, unit = _base_words(reward.get("base"), vocab)
        per = {"人": "每人", "件": "每件", "份": "每份", "天": "每天", "间夜": "每间夜", "平方米": "每平方米"}.get(unit, "每单位")
        text = f"按{words}{per}给予 {money(reward['per_unit'])}"
        if reward.get("cap") is not None:
            text += f"，最高 {money(reward['cap'])}"
        return text
    if "none" in reward:
        return f"非资金支持：{reward['none']}"
    if "tiers" in reward:
        return "；".join(f"{condition_inline(t.get('when'), vocab)}的，{reward_inline(t.get('then'), vocab)}"
                        for t in reward["tiers"] if isinstance(t, Mapping))
    for key, words in (("sum", "合计"), ("max", "取高"), ("min", "取低")):
        if key in reward:
            return f"{words}（" + "；".join(reward_inline(r, vocab) for r in reward[key]) + "）"
    return "无资金奖补"


def reward_lines(reward: Any, vocab: Vocabulary, depth: int = 0) -> list[Line]:
    if not isinstance(reward, Mapping) or not reward:
        return [Line(depth, "无资金奖补")]
    if "tiers" in reward:
        lines = [Line(depth, "按下列情形分档给予（按顺序取第一个符合的档次）：")]
        for tier in reward["tiers"]:
            if isinstance(tier, Mapping):
                lines.append(Line(depth + 1,
                                  f"{condition_inline(tier.get('when'), vocab)}的，{reward_inline(tier.get('then'), vocab)}"))
        return lines
    for key, heading in (("sum", "以下各项合计给予："), ("max", "取以下各项中金额最高的一项："),
                         ("min", "按以下各项中金额最低的一项给予：")):
        if key in reward:
            lines = [Line(depth, heading)]
            for part in reward[key]:
                lines.extend(reward_lines(part, vocab, depth + 1))
            return lines
    return [Line(depth, reward_inline(reward, vocab))]


def max_amount(reward: Any) -> Decimal | None:
    """The most the reward can pay in 元; None when unbounded (a rate or per-unit amount without a
    cap), 0 for a non-monetary benefit."""
    if not isinstance(reward, Mapping) or not reward:
        return Decimal(0)
    if "fixed" in reward:
        return _decimal(reward["fixed"])
    if "up_to" in reward:
        return _decimal(reward["up_to"])
    if "rate" in reward or "per_unit" in reward:
        return _decimal(reward["cap"]) if reward.get("cap") is not None else None
    if "none" in reward:
        return Decimal(0)
    if "tiers" in reward:
        parts = [max_amount(t.get("then")) for t in reward["tiers"] if isinstance(t, Mapping)]
        return None if any(p is None for p in parts) else max([p for p in parts if p is not None], default=Decimal(0))
    if "sum" in reward:
        parts = [max_amount(r) for r in reward["sum"]]
        return None if any(p is None for p in parts) else sum((p for p in parts if p is not None), Decimal(0))
    if "max" in reward:
        parts = [max_amount(r) for r in reward["max"]]
        return None if any(p is None for p in parts) else max([p for p in parts if p is not None], default=Decimal(0))
    if "min" in reward:
        bounded = [p for p in (max_amount(r) for r in reward["min"]) if p is not None]
        return min(bounded) if bounded else None
    return Decimal(0)


def item_max_amount(reward: Any, per_enterprise_cap: Decimal | None) -> Decimal | None:
    amount = max_amount(reward)
    if per_enterprise_cap is not None and per_enterprise_cap > 0:
        return per_enterprise_cap if amount is None else min(amount, per_enterprise_cap)
    return amount


def amount_label(reward: Any, per_enterprise_cap: Decimal | None = None) -> str:
    """`最高 50 万元`, `按申报额计算` (no upper bound), or `非资金支持`."""
    amount = item_max_amount(reward, per_enterprise_cap)
    if amount is None:
        return "按申报额计算"
    if amount == 0:
        return "非资金支持"
    return f"最高 {format_wan(amount)}"


def days_left(window_end: date | None, *, today: date) -> int | None:
    return None if window_end is None else (window_end - today).days
