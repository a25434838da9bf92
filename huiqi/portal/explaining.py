"""From the rules engine's answer to what an enterprise owner reads: the amount in words, the
reasons in plain Chinese, and — for visitors without an account — the item rewritten so that a
condition on a private figure can never be decided (it becomes "登录后判断").

Why rewrite the item instead of trusting the missing figures to come out UNKNOWN: the `known`
operator is never UNKNOWN (RULES.md §3), and a public qualification list without a private
certificate would say "does not hold it". Turning every private atom into a `check` atom makes
"undecidable without login" hold by construction, whatever the operator.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from rules.evaluate import Evaluation
from rules.explain import explain, format_money, format_value, path_label
from rules.fields import INPUT_PREFIX, QUALIFICATION_LABELS, YEARLY_DERIVED, get_field, label_of

LOGIN_MARK = "登录后判断："

_OP_WORDS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "为", "!=": "不为",
             "between": "介于", "in": "属于", "not_in": "不属于", "known": "已报送", "has": "具有",
             "not_has": "不具有"}


def is_private_atom(atom: Mapping[str, Any], *, private_qualifications: Collection[str]) -> bool:
    """Yearly figures (revenue, tax, R&D, staff …), the fields derived from them (scale, ratios)
    and certificates that are not on a public list are the enterprise's own business."""
    name = str(atom.get("field", ""))
    if not name or name.startswith(INPUT_PREFIX):
        return False
    field = get_field(name)
    if field is None:
        return True  # a field this code does not know is treated as private: safe side
    if field.kind == "yearly" or name in YEARLY_DERIVED:
        return True
    if field.kind == "qualification" and atom.get("op") in {"has", "not_has"}:
        return str(atom.get("value")) in private_qualifications
    return False


def _describe(atom: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    name = str(atom.get("field"))
    op = str(atom.get("op"))
    value = atom.get("value")
    if name == "qualifications":
        known = {**QUALIFICATION_LABELS, **(labels or {})}
        return f"{_OP_WORDS.get(op, op)}{known.get(str(value), str(value))}资格"
    label = label_of(name)
    if op == "known":
        return f"{_OP_WORDS['known']}{label}"
    if op == "between" and isinstance(value, list) and len(value) == 2:
        shown = f"{format_value(name, value[0])}至{format_value(name, value[1])}"
    elif isinstance(value, list):
        shown = "、".join(format_value(name, v) for v in value)
    else:
        shown = format_value(name, value)
    return f"{label}{_OP_WORDS.get(op, op)}{shown}"


def _public_condition(node: Any, private: Collection[str], labels: Mapping[str, str] | None = None) -> Any:
    if isinstance(node, Mapping):
        if "field" in node and "op" in node:
            if is_private_atom(node, private_qualifications=private):
                out: dict[str, Any] = {"check": LOGIN_MARK + _describe(node, labels)}
                if node.get("ref") is not None:
                    out["ref"] = node["ref"]
                return out
            return dict(node)
        return {key: _public_condition(value, private, labels) for key, value in node.items()}
    if isinstance(node, list):
        return [_public_condition(value, private, labels) for value in node]
    return node


def _public_reward(node: Any, private: Collection[str], labels: Mapping[str, str] | None = None) -> Any:
    """Tier conditions are conditions too; bases stay (their figures are absent anyway)."""
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out[key] = (_public_condition(value, private, labels) if key == "when"
                        else _public_reward(value, private, labels))
        return out
    if isinstance(node, list):
        return [_public_reward(value, private, labels) for value in node]
    return node


def public_item(item: Mapping[str, Any], *, private_qualifications: Collection[str],
                qualification_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The item as a visitor without login may have it judged (qualification_labels: the
    catalogue's Chinese names, for the "登录后判断" wording)."""
    out = dict(item)
    out["conditions"] = _public_condition(item.get("conditions"), private_qualifications, qualification_labels)
    out["reward"] = _public_reward(item.get("reward"), private_qualifications, qualification_labels)
    return out


# -- words -------------------------------------------------------------------------------------


def amount_text(amount_min: Decimal | str | None, amount_max: Decimal | str | None, *,
                non_monetary: bool = False) -> str:
    """Exact ("50 万元"), a ceiling ("最高 50 万元"), a range ("10 万元至 50 万元") or unbounded
    ("按申报额计算")."""
    low = Decimal(str(amount_min or 0))
    if amount_max is None:
        return "按申报额计算" if low == 0 else f"不低于 {format_money(low)}，按申报额计算"
    high = Decimal(str(amount_max))
    if high == 0:
        return "非资金支持" if non_monetary else "0 元"
    if low == high:
        return format_money(high)
    if low == 0:
        return f"最高 {format_money(high)}"
    return f"{format_money(low)}至{format_money(high)}"


def reasons_for(evaluation: Evaluation, *, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """explain() with the "登录后判断" checks told apart from a reviewer's checks. Each reason:
    {kind: met|unmet|missing|review|login|info, text, paths (for missing)}."""
    out: list[dict[str, Any]] = []
    missing_by_atom = {id(entry.atom): entry.missing for entry in evaluation.trace}
    for reason in explain(evaluation, item=item):
        atom = reason.atom or {}
        check = str(atom.get("check", ""))
        if check.startswith(LOGIN_MARK):
            out.append({"kind": "login", "text": f"{check[len(LOGIN_MARK):]}：登录后判断", "paths": []})
            continue
        paths = list(missing_by_atom.get(id(reason.atom), ())) if reason.kind == "missing" else []
        if reason.kind == "missing" and not paths:
            paths = [p for p in evaluation.unknown_fields if p.endswith(str(atom.get("field", "")))]
        text = reason.text
        if reason.kind == "review":
            text = text.replace("需审核确认：", "由审核人员在申报时确认：")
        out.append({"kind": reason.kind, "text": text, "paths": paths})
    # The implicit region condition of an item often repeats an explicit one word for word.
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in out:
        if (r["kind"], r["text"]) not in seen:
            seen.add((r["kind"], r["text"]))
            unique.append(r)
    return unique


def missing_labels(paths: Iterable[str]) -> list[dict[str, str]]:
    return [{"path": path, "label": path_label(path)} for path in paths]


def is_non_monetary(reward: Any) -> bool:
    return isinstance(reward, Mapping) and "none" in reward
