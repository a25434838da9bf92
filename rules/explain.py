"""Plain Chinese reasons for an evaluation (为什么符合 / 为什么不符合 / 还缺什么).

Money is shown in 万元 from 10,000 元 up (``3,600 万元``), ratios as percentages, dates as
ISO dates. One reason per atom of the trace, in the order of the policy's conditions, then one
for the amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from rules.compiled import Node
from rules.evaluate import Evaluation, TraceEntry, compile_item
from rules.fields import (
    FLAG_LABELS,
    INPUT_PREFIX,
    LISTED_LABELS,
    OWNERSHIP_LABELS,
    QUALIFICATION_LABELS,
    SCALE_LABELS,
    get_field,
    label_of,
)
from rules.numbers import NotANumber, to_fraction

ReasonKind = Literal["met", "unmet", "missing", "review", "info"]


@dataclass(frozen=True, slots=True)
class Reason:
    kind: ReasonKind  # met 满足 / unmet 不满足 / missing 缺数据 / review 待审核 / info 说明
    text: str
    atom: Mapping[str, Any] | None = None
    ref: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "atom": None if self.atom is None else dict(self.atom),
                "ref": self.ref}


# -- formatting ---------------------------------------------------------------------------------


def _trim(d: Decimal) -> str:
    text = f"{d:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(value: Any) -> str:
    """Yuan for display: 36000000 → "3,600 万元", 8000 → "8,000 元", 2630.7 → "2,630.70 元"."""
    d = _dec(value)
    if abs(d) >= 10000:
        return f"{_trim((d / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))} 万元"
    if d == d.to_integral_value():
        return f"{int(d):,} 元"
    return f"{d.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,} 元"


def _dec(value: Any) -> Decimal:
    f = value if isinstance(value, Fraction) else to_fraction(value)
    return Decimal(f.numerator) / Decimal(f.denominator)


def _percent(value: Any) -> str:
    d = (_dec(value) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{_trim(d)}%"


def _region_name(code: str) -> str:
    try:
        from cnstd.regions import get_region

        r = get_region(code)
        return r.name if r is not None else code
    except Exception:  # a display helper must never break an explanation
        return code


def _industry_name(code: str) -> str:
    try:
        from cnstd.industries import get_industry

        ind = get_industry(code)
        return ind.name if ind is not None else code
    except Exception:
        return code


def format_value(field: str, value: Any) -> str:
    """A field value as people read it."""
    if value is None:
        return "未知"
    f = get_field(field)
    if f is None:
        return str(value)
    try:
        if f.type == "money" or f.kind == "input":
            return format_money(value)
        if f.type == "ratio":
            return _percent(value)
        if f.type in ("count", "years"):
            return f"{_trim(_dec(value))} {f.unit}".strip()
    except NotANumber:
        return str(value)
    if f.type == "region":
        return _region_name(str(value))
    if f.type == "industry":
        return _industry_name(str(value))
    if field == "scale":
        return SCALE_LABELS.get(str(value), str(value))
    if field == "ownership":
        return OWNERSHIP_LABELS.get(str(value), str(value))
    if field == "listed":
        return LISTED_LABELS.get(str(value), str(value))
    return str(value)


def path_label(path: str) -> str:
    """A profile path as a phrase: years.2024.rd_expense → 2024年研发费用."""
    parts = path.split(".")
    if parts[0] == "years" and len(parts) == 3:
        return f"{parts[1]}年{label_of(parts[2])}"
    if parts[0] == "flags" and len(parts) == 2:
        return f"{FLAG_LABELS.get(parts[1], parts[1])}记录"
    if path == "qualifications":
        return "资质信息"
    if path.startswith(INPUT_PREFIX):
        return f"申报时填报的{label_of(path)}"
    return label_of(path)


# -- sentences ----------------------------------------------------------------------------------

_MET = {">=": "达到 {v}的要求", ">": "超过 {v}", "<=": "不超过 {v}", "<": "低于 {v}", "==": "符合 {v}",
        "!=": "不是 {v}", "between": "在 {v}之间", "in": "属于 {v}", "not_in": "不属于 {v}"}
_UNMET = {">=": "未达到 {v}的要求", ">": "未超过 {v}", "<=": "超过 {v}的上限", "<": "不低于 {v}",
          "==": "不是 {v}", "!=": "为 {v}", "between": "不在 {v}之间", "in": "不属于 {v}", "not_in": "属于 {v}"}


_DATE_MET = {**_MET, ">=": "不早于 {v}", ">": "晚于 {v}", "<=": "不晚于 {v}", "<": "早于 {v}"}
_DATE_UNMET = {**_UNMET, ">=": "早于 {v}", ">": "不晚于 {v}", "<=": "晚于 {v}", "<": "不早于 {v}"}


def _subject(atom: Mapping[str, Any], year: int | None) -> str:
    field = str(atom.get("field"))
    label = label_of(field)
    if field.startswith(INPUT_PREFIX):
        return f"申报的{label}"
    return f"{year}年{label}" if year is not None else label


def _threshold(field: str, op: str, value: Any) -> str:
    if op == "between" and isinstance(value, list) and len(value) == 2:
        return f"{format_value(field, value[0])} 至 {format_value(field, value[1])}"
    if isinstance(value, list):
        return "、".join(format_value(field, v) for v in value)
    return format_value(field, value)


def _sentence(entry: TraceEntry, holds: bool | None) -> tuple[ReasonKind, str]:
    atom = entry.atom
    if "check" in atom:
        text = str(atom["check"])
        if entry.result == "UNKNOWN":
            return "review", f"需审核确认：{text}"
        return ("met", f"审核已确认：{text}") if holds else ("unmet", f"审核未通过：{text}")
    field = str(atom.get("field"))
    op = str(atom.get("op"))
    value = atom.get("value")
    if entry.result == "UNKNOWN":
        missing = "、".join(path_label(p) for p in entry.missing) or label_of(field)
        return "missing", f"缺少{missing}数据"
    kind: ReasonKind = "met" if holds else "unmet"
    if field == "qualifications":
        name = QUALIFICATION_LABELS.get(str(value), str(value))
        if op == "known":
            return kind, "已提供资质信息" if entry.result == "TRUE" else "缺少资质信息"
        held = isinstance(entry.value, Mapping)
        if held:
            assert isinstance(entry.value, Mapping)
            end = entry.value.get("valid_to")
            text = f"{name}资格有效期至{end}" if end else f"具有{name}资格"
        else:
            text = f"不具有有效的{name}资格"
        return kind, text
    if field == "flags":
        name = FLAG_LABELS.get(str(value), str(value))
        if op == "known":
            return kind, f"已有{name}记录" if entry.result == "TRUE" else f"缺少{name}记录"
        return kind, f"属于{name}" if entry.value else f"不属于{name}"
    subject = _subject(atom, entry.year)
    if op == "known":
        return kind, f"已报送{subject}数据" if entry.result == "TRUE" else f"缺少{subject}数据"
    shown = format_value(field, entry.value)
    if op == "within":
        name = _region_name(str(value)) if field == "region" else _industry_name(str(value))
        return kind, f"{subject}为{shown}，{'属于' if entry.result == 'TRUE' else '不属于'}{name}"
    table = _MET if entry.result == "TRUE" else _UNMET
    if get_field(field) is not None and get_field(field).type == "date":  # type: ignore[union-attr]
        table = _DATE_MET if entry.result == "TRUE" else _DATE_UNMET
    return kind, f"{subject} {shown}，{table[op].format(v=_threshold(field, op, value))}"


def requirement_text(atom: Mapping[str, Any], year: int | None) -> str:
    """What an atom requires, as a sentence a reviewer can confirm or deny ("2025年从业人数达到
    100 人的要求"). Used where the data are missing and a reviewer records the fact instead."""
    if "check" in atom:
        return str(atom["check"])
    field = str(atom.get("field"))
    op = str(atom.get("op"))
    value = atom.get("value")
    if field == "qualifications":
        name = QUALIFICATION_LABELS.get(str(value), str(value))
        if op == "known":
            return "已提供资质信息"
        return f"具有有效的{name}资格" if op == "has" else f"不具有{name}资格"
    if field == "flags":
        name = FLAG_LABELS.get(str(value), str(value))
        if op == "known":
            return f"已有{name}记录"
        return f"属于{name}" if op == "has" else f"不属于{name}"
    subject = _subject(atom, year)
    if op == "known":
        return f"已报送{subject}数据"
    if op == "within":
        name = _region_name(str(value)) if field == "region" else _industry_name(str(value))
        return f"{subject}属于{name}"
    table = _DATE_MET if (get_field(field) is not None and get_field(field).type == "date") else _MET  # type: ignore[union-attr]
    return f"{subject}{table[op].format(v=_threshold(field, op, value))}"


def _polarities(node: Node, negated: bool, out: list[bool]) -> None:
    if node.kind == "atom":
        out.append(negated)
        return
    for c in node.children:
        _polarities(c, not negated if node.kind == "not" else negated, out)


def _moot(node: Node, results: list[bool | None], pos: list[int], out: list[bool]) -> bool | None:
    """Kleene-evaluate the tree from the atom results in trace order, marking in `out` the atoms
    that decide nothing: the other branches of an `any` that one branch already satisfies."""
    if node.kind == "atom":
        out.append(False)
        value = results[pos[0]] if pos[0] < len(results) else None
        pos[0] += 1
        return value
    if node.kind == "always":
        return True
    spans: list[tuple[int, int, bool | None]] = []
    for child in node.children:
        start = len(out)
        value = _moot(child, results, pos, out)
        spans.append((start, len(out), value))
    values = [v for _, _, v in spans]
    if node.kind == "not":
        return None if values[0] is None else not values[0]
    if node.kind == "all":
        return False if False in values else (None if None in values else True)
    if True in values:
        for start, end, value in spans:
            if value is not True:
                out[start:end] = [True] * (end - start)
        return True
    return None if None in values else False


def explain(evaluation: Evaluation, *, item: Mapping[str, Any]) -> list[Reason]:
    """Reasons in plain Chinese for enterprise owners. Alternatives that an `any` did not need
    are left out: an owner who qualifies through 制造业 need not read why 批发业 does not apply."""
    if not evaluation.in_force:
        return [Reason("unmet", "该政策在评估日不在有效期内")]
    ci = compile_item(item)
    negs: list[bool] = []
    _polarities(ci.condition, False, negs)
    moot: list[bool] = []
    _moot(ci.condition, [{"TRUE": True, "FALSE": False}.get(e.result) for e in evaluation.trace], [0], moot)
    reasons: list[Reason] = []
    for i, entry in enumerate(evaluation.trace):
        if i < len(moot) and moot[i]:
            continue
        negated = negs[i] if i < len(negs) else False
        own = {"TRUE": True, "FALSE": False}.get(entry.result)
        holds = None if own is None else own != negated
        kind, text = _sentence(entry, holds)
        reasons.append(Reason(kind, text, entry.atom, entry.ref))
    amount = evaluation.amount
    if amount is not None:
        if amount.max is None:
            text = "奖补金额按申报额计算" if amount.min in ("0", "0.00") else f"奖补金额不低于{format_money(amount.min)}，按申报额计算"
        elif amount.min == amount.max:
            text = "非资金类支持" if _dec(amount.max) == 0 and _has_none(item) else f"预计可获奖补 {format_money(amount.max)}"
        else:
            text = f"预计可获奖补 {format_money(amount.min)} 至 {format_money(amount.max)}"
        reasons.append(Reason("info", text))
    return reasons


def _has_none(item: Mapping[str, Any]) -> bool:
    reward = item.get("reward")
    return isinstance(reward, Mapping) and "none" in reward
