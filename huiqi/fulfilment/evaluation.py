"""The rules engine seen from an application: the amount for declared figures, the check atoms a
reviewer decides, and the profile values (with their sources) an item reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from huiqi.enterprises.models import Enterprise, EnterpriseFlag, YearFigure
from huiqi.enterprises.selectors import profile_of, profiles_queryset
from huiqi.policies.models import PolicyItem
from rules.compiled import compile_condition, compile_reward, iter_atoms
from rules.evaluate import Evaluation, evaluate
from rules.explain import explain, format_value, requirement_text
from rules.fields import (
    FLAG_LABELS,
    INPUT_PREFIX,
    QUALIFICATION_LABELS,
    declared_figure,
    label_of,
    takes_period,
)
from rules.profile import period_year


@dataclass(frozen=True)
class Quote:
    """What the rules say for one enterprise, its declared figures and the reviewers' checks."""

    status: str
    amount_min: Decimal | None
    amount_max: Decimal | None  # None with a known min: unbounded (按申报额计算)
    evaluation: Evaluation
    reasons: list[str]
    unmet: list[str]
    undecided_checks: list[str]

    @property
    def exact(self) -> bool:
        return self.amount_min is not None and self.amount_min == self.amount_max

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "amount_min": None if self.amount_min is None else str(self.amount_min),
            "amount_max": None if self.amount_max is None else str(self.amount_max),
            "amount_text": amount_text(self.amount_min, self.amount_max),
            "reasons": self.reasons, "unmet": self.unmet, "undecided_checks": self.undecided_checks,
        }


_DERIVED = frozenset({"established_years", "scale", "rd_ratio", "revenue_growth"})
STATUS_LABELS = {"eligible": "符合", "possible": "可能符合（待审核认定）", "ineligible": "不符合"}


def amount_text(lo: Decimal | None, hi: Decimal | None) -> str:
    if lo is None:
        return "无资金奖补"
    if hi is None:
        return f"{format_value('input.x', lo)} 元起，按申报额计算" if lo else "按申报额计算"
    if lo == hi:
        return f"{lo:,.2f} 元"
    return f"{lo:,.2f} – {hi:,.2f} 元"


def check_texts(item: PolicyItem) -> list[str]:
    """The `check` atoms of the item's conditions: requirements only a reviewer can decide."""
    texts = [a.check for a in iter_atoms(compile_condition(item.conditions or {"always": True})) if a.check]
    return list(dict.fromkeys(texts))


def input_specs(item: PolicyItem) -> list[dict[str, str]]:
    """Declared figures of the item's form: its `inputs`, plus any `input.*` the rules read that
    the form forgot (so the amount can always be computed)."""
    specs = [{"name": str(i["name"]), "label": str(i.get("label") or i["name"]), "unit": str(i.get("unit") or "元")}
             for i in (item.inputs or []) if i.get("name")]
    known = {s["name"] for s in specs}
    for name in _input_names(item):
        if name not in known:
            # label and unit from the shared vocabulary of declared figures (rules/data)
            figure = declared_figure(name)
            specs.append({"name": name, "label": label_of(INPUT_PREFIX + name),
                          "unit": figure.unit if figure else "元"})
            known.add(name)
    return specs


def _input_names(item: PolicyItem) -> list[str]:
    names = [a.field[len(INPUT_PREFIX):] for a in iter_atoms(compile_condition(item.conditions or {"always": True}))
             if a.field.startswith(INPUT_PREFIX)]
    stack = [compile_reward(item.reward or None)]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.base_field and node.base_field.startswith(INPUT_PREFIX):
            names.append(node.base_field[len(INPUT_PREFIX):])
        stack.extend(node.children)
    return list(dict.fromkeys(names))


MAX_FIGURE = Decimal(10) ** 15  # 一千万亿: beyond any declared figure; bounds the arithmetic
MAX_DECIMALS = 6


def parse_inputs(item: PolicyItem, raw: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Declared figures as exact decimal strings, and errors by field name (Chinese, naming the field)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in input_specs(item):
        text = str(raw.get(spec["name"], "") or "").strip().replace(",", "").replace("，", "")
        if not text:
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors[spec["name"]] = f"“{spec['label']}”应为数字（单位：{spec['unit']}），收到“{text}”"
            continue
        if not number.is_finite():
            errors[spec["name"]] = f"“{spec['label']}”应为数字（单位：{spec['unit']}），收到“{text[:40]}”"
            continue
        if number < 0:
            errors[spec["name"]] = f"“{spec['label']}”不能为负数"
            continue
        if number >= MAX_FIGURE or number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
            errors[spec["name"]] = (f"“{spec['label']}”超出可填写的范围（小于一千万亿，最多{MAX_DECIMALS}位小数），"
                                    f"收到“{text[:40]}”")
            continue
        values[spec["name"]] = str(number)
    return values, errors


def missing_facts(evaluation: Evaluation) -> list[str]:
    """Requirements the rules could not decide for want of profile data, as sentences a reviewer
    can confirm or deny after checking the facts (certificates, statements, other systems). A
    reviewer's answer is kept with the `check` answers and decides the requirement like a check."""
    texts = [requirement_text(e.atom, e.year) for e in evaluation.trace
             if e.result == "UNKNOWN" and not e.implicit and "check" not in e.atom
             and not str(e.atom.get("field", "")).startswith(INPUT_PREFIX)]
    return list(dict.fromkeys(texts))


def _with_fact_answers(node: Any, answers: dict[str, bool], on: date) -> Any:
    """The condition tree with every atom whose requirement a reviewer answered turned into a
    `check` atom of the same words, so the engine decides it from the answer."""
    if isinstance(node, list):
        return [_with_fact_answers(n, answers, on) for n in node]
    if not isinstance(node, dict):
        return node
    if "field" in node:
        field = str(node["field"])
        year = period_year(node.get("period"), on) if takes_period(field) else None
        text = requirement_text(node, year)
        if text in answers and not field.startswith(INPUT_PREFIX):
            out: dict[str, Any] = {"check": text}
            if node.get("ref") is not None:
                out["ref"] = node["ref"]
            return out
        return node
    return {k: _with_fact_answers(v, answers, on) if k in ("all", "any", "not") else v for k, v in node.items()}


def quote(*, item: PolicyItem, profile: dict[str, Any], inputs: dict[str, str], checks: dict[str, bool],
          on: date) -> Quote:
    rules_item = item.as_rules_item()
    if checks and rules_item.get("conditions"):
        rules_item = {**rules_item, "conditions": _with_fact_answers(rules_item["conditions"], checks, on)}
    ev = evaluate(rules_item, profile, on=on, inputs={k: Decimal(v) for k, v in inputs.items()}, checks=checks)
    lo = hi = None
    if ev.amount is not None:
        lo = Decimal(ev.amount.min)
        hi = None if ev.amount.max is None else Decimal(ev.amount.max)
        if isinstance(item.reward, dict) and "none" in item.reward:
            lo = hi = None
    reasons = explain(ev, item=rules_item)
    undecided = [c for c in check_texts(item) if c not in checks]
    return Quote(ev.status, lo, hi, ev, [r.text for r in reasons],
                 [r.text for r in reasons if r.kind == "unmet"], undecided)


def profile_for(enterprise: Enterprise) -> dict[str, Any]:
    fresh = profiles_queryset(Enterprise.objects.filter(pk=enterprise.pk)).get()
    return profile_of(fresh, include_private=True)


def profile_figures(*, enterprise: Enterprise, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The profile values the item read (数据最多采一次), each with its source and as-of date."""
    figures = {(f.year, f.field): f for f in YearFigure.objects.filter(enterprise=enterprise)}
    flags = {f.flag: f for f in EnterpriseFlag.objects.filter(enterprise=enterprise)}
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, int | None]] = set()
    for entry in evaluation.trace:
        field = str(entry.atom.get("field", ""))
        if not field or field.startswith(INPUT_PREFIX) or (field, entry.year) in seen:
            continue
        seen.add((field, entry.year))
        source, as_of = ("由档案数据计算" if field in _DERIVED else "企业档案"), ""
        if field in YearFigure.FIELDS and entry.year is not None:
            fig = figures.get((entry.year, field))
            if fig is not None:
                source, as_of = fig.source, fig.as_of.isoformat()
        elif field == "flags":
            flag = flags.get(str(entry.atom.get("value")))
            if flag is not None:
                source, as_of = flag.source, flag.as_of.isoformat()
        elif field == "qualifications":
            source = enterprise.qualifications_source or "未取得资质数据"
            as_of = enterprise.qualifications_as_of.isoformat() if enterprise.qualifications_as_of else ""
        else:
            prov = (enterprise.sources or {}).get(field) or {}
            if prov:
                source, as_of = str(prov.get("source", "")), str(prov.get("as_of", ""))
        label = label_of(field)
        if field == "flags":
            label = FLAG_LABELS.get(str(entry.atom.get("value")), label)
        elif field == "qualifications":
            code = str(entry.atom.get("value"))
            label = f"资质：{QUALIFICATION_LABELS.get(code, code)}"
        if entry.year is not None:
            label = f"{entry.year}年{label}"
        value = "未知" if entry.value is None else _display(field, entry.value)
        rows.append({"label": label, "value": value, "source": source, "as_of": as_of,
                     "prefilled": entry.value is not None})
    return rows


def form_field_counts(*, item: PolicyItem, profile_rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(pre-filled, total) fields of the application form: each profile value the form shows is a
    field, pre-filled when the 一企一档 held it; each declared figure is a field the enterprise types."""
    prefilled = sum(1 for row in profile_rows if row.get("prefilled"))
    return prefilled, len(profile_rows) + len(input_specs(item))


def _display(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "持有（有效期内）"
    try:
        return format_value(field, value)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
