"""Conditions and rewards parsed once into small Python objects (values already exact), shared
by the scalar evaluator and the one-enterprise fast path. Input is assumed valid (see
``rules.validate``); a malformed rule raises ``RuleSyntaxError``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from rules.fields import get_field, takes_period
from rules.numbers import to_fraction
from rules.profile import ProfileView, Value, parse_date, period_year

TRUE: bool | None = True
FALSE: bool | None = False
UNKNOWN: bool | None = None


class RuleSyntaxError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class AtomOutcome:
    result: bool | None
    value: Any
    missing: tuple[str, ...]
    year: int | None


def _key(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


class Atom:
    """A field atom or a check atom."""

    __slots__ = ("check", "field", "key", "op", "period", "raw", "ref", "value", "vtype")

    def __init__(self, raw: Mapping[str, Any]):
        self.raw = raw
        self.ref = raw.get("ref")
        self.check: str | None = None
        if "check" in raw:
            self.check = str(raw["check"])
            self.field = ""
            self.op = "check"
            self.value: Any = None
            self.period: Any = None
            self.vtype = "check"
            self.key = _key({"check": self.check})
            return
        try:
            self.field = str(raw["field"])
            self.op = str(raw["op"])
        except KeyError as e:
            raise RuleSyntaxError(f"条件缺少 {e.args[0]}") from None
        f = get_field(self.field)
        if f is None:
            raise RuleSyntaxError(f"未知字段 {self.field!r}")
        self.period = raw.get("period") if takes_period(self.field) else None
        if takes_period(self.field) and self.period is None:
            self.period = "last_year"
        self.vtype = f.type
        self.value = self._parse_value(raw.get("value"))
        self.key = _key({"f": self.field, "o": self.op, "p": self.period, "t": _typed_key(self.value)})

    def _parse_one(self, v: Any) -> Any:
        if self.vtype in ("number", "money", "ratio", "count", "years"):
            return to_fraction(v)
        if self.vtype == "date":
            return parse_date(v, self.field)
        if v is None:
            raise RuleSyntaxError("缺少 value")
        return str(v).strip()

    def _parse_value(self, v: Any) -> Any:
        op = self.op
        if op == "known":
            # flags may name one flag ("has this flag been recorded"); other fields take no value
            return None if v is None or self.vtype != "set" else str(v).strip()
        if op == "between":
            if not isinstance(v, Sequence) or isinstance(v, str) or len(v) != 2:
                raise RuleSyntaxError("between 需要 [下限, 上限]")
            return (self._parse_one(v[0]), self._parse_one(v[1]))
        if op in ("in", "not_in"):
            if not isinstance(v, Sequence) or isinstance(v, str):
                raise RuleSyntaxError(f"{op} 需要列表")
            return frozenset(self._parse_one(x) for x in v)
        if op in ("has", "not_has", "within"):
            if v is None:
                raise RuleSyntaxError(f"{op} 缺少 value")
            return str(v).strip()
        return self._parse_one(v)

    def year(self, on: date) -> int | None:
        return period_year(self.period, on) if self.period is not None else None

    def evaluate(self, view: ProfileView, checks: Mapping[str, bool] | None) -> AtomOutcome:
        if self.check is not None:
            decided = None if checks is None else checks.get(self.check)
            return AtomOutcome(None if decided is None else bool(decided), decided, (), None)
        year = self.year(view.on)
        op = self.op
        if self.vtype == "set":
            return self._evaluate_set(view, year)
        value, missing = view.read(self.field, year)
        if op == "known":
            return AtomOutcome(value is not None, value, (), year)
        if value is None:
            return AtomOutcome(None, None, missing, year)
        return AtomOutcome(compare(op, value, self.value, self.vtype), value, (), year)

    def _evaluate_set(self, view: ProfileView, year: int | None) -> AtomOutcome:
        op = self.op
        if self.field == "qualifications":
            if op == "known":
                present = view.profile.get("qualifications") is not None
                return AtomOutcome(present, None, (), year)
            held, record = view.qualification(self.value)
            if held is None:
                return AtomOutcome(None, None, ("qualifications",), year)
            result = held if op == "has" else not held
            return AtomOutcome(result, dict(record) if record is not None else False, (), year)
        # flags
        if op == "known":
            if self.value is None:
                return AtomOutcome(isinstance(view.profile.get("flags"), Mapping), None, (), year)
            return AtomOutcome(view.flag(self.value) is not None, None, (), year)
        flag = view.flag(self.value)
        if flag is None:
            return AtomOutcome(None, None, (f"flags.{self.value}",), year)
        return AtomOutcome(flag if op == "has" else not flag, flag, (), year)


def _typed_key(v: Any) -> Any:
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}"
    if isinstance(v, tuple):  # between: order matters
        return [_typed_key(x) for x in v]
    if isinstance(v, frozenset):  # in / not_in: order does not
        return sorted(str(_typed_key(x)) for x in v)
    return None if v is None else str(v)


def compare(op: str, left: Value, right: Any, vtype: str) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == ">":
        return left > right  # type: ignore[operator]
    if op == ">=":
        return left >= right  # type: ignore[operator]
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == "between":
        lo, hi = right
        return bool(lo <= left <= hi)
    if op == "in":
        return left in right
    if op == "not_in":
        return left not in right
    if op == "within":
        return within(vtype, str(left), right)
    raise RuleSyntaxError(f"未知的运算符 {op!r}")


def within(vtype: str, code: str, ancestor: str) -> bool:
    if vtype == "region":
        from cnstd.regions import region_within

        return region_within(code, ancestor)
    from cnstd.industries import industry_within

    return industry_within(code, ancestor)


# -- condition trees --------------------------------------------------------------------------


@dataclass(slots=True)
class Node:
    kind: str  # all | any | not | atom | always
    children: list[Node] = field(default_factory=list)
    atom: Atom | None = None
    raw: Any = None


def compile_condition(obj: Any) -> Node:
    if obj is None:
        return Node("always", raw=None)
    if not isinstance(obj, Mapping):
        raise RuleSyntaxError("条件应为对象")
    if "all" in obj:
        return Node("all", [compile_condition(c) for c in obj["all"]], raw=obj)
    if "any" in obj:
        return Node("any", [compile_condition(c) for c in obj["any"]], raw=obj)
    if "not" in obj:
        return Node("not", [compile_condition(obj["not"])], raw=obj)
    if "always" in obj:
        if obj["always"] is not True:
            raise RuleSyntaxError("always 只能为 true")
        return Node("always", raw=obj)
    return Node("atom", atom=Atom(obj), raw=obj)


def iter_atoms(node: Node) -> list[Atom]:
    out: list[Atom] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.atom is not None:
            out.append(n.atom)
        stack.extend(reversed(n.children))
    return out


# -- rewards ------------------------------------------------------------------------------------


@dataclass(slots=True)
class RewardNode:
    kind: str  # fixed | up_to | rate | per_unit | tiers | sum | max | min | none
    amount: Fraction = Fraction(0)  # fixed / up_to / rate R / per_unit M
    cap: Fraction | None = None
    floor: Fraction | None = None
    base_field: str | None = None  # a profile field, or "input.<name>"
    base_period: Any = None
    children: list[RewardNode] = field(default_factory=list)
    whens: list[Node] = field(default_factory=list)
    text: str = ""


def compile_reward(obj: Any) -> RewardNode | None:
    if obj is None:
        return None
    if not isinstance(obj, Mapping):
        raise RuleSyntaxError("奖补标准应为对象")
    if "fixed" in obj:
        return RewardNode("fixed", amount=to_fraction(obj["fixed"]))
    if "up_to" in obj:
        return RewardNode("up_to", amount=to_fraction(obj["up_to"]))
    if "rate" in obj or "per_unit" in obj:
        kind = "rate" if "rate" in obj else "per_unit"
        base = obj.get("base")
        if not isinstance(base, Mapping):
            raise RuleSyntaxError("缺少 base")
        if "input" in base:
            bfield, period = f"input.{base['input']}", None
        else:
            bfield = str(base.get("field"))
            if get_field(bfield) is None:
                raise RuleSyntaxError(f"未知字段 {bfield!r}")
            period = base.get("period", "last_year") if takes_period(bfield) else None
        return RewardNode(
            kind,
            amount=to_fraction(obj[kind]),
            cap=None if obj.get("cap") is None else to_fraction(obj["cap"]),
            floor=None if obj.get("floor") is None or kind != "rate" else to_fraction(obj["floor"]),
            base_field=bfield,
            base_period=period,
        )
    if "tiers" in obj:
        tiers = obj["tiers"]
        whens = [compile_condition(t.get("when")) for t in tiers]
        thens = [compile_reward(t.get("then")) or RewardNode("none") for t in tiers]
        return RewardNode("tiers", children=thens, whens=whens)
    for kind in ("sum", "max", "min"):
        if kind in obj:
            return RewardNode(kind, children=[compile_reward(c) or RewardNode("none") for c in obj[kind]])
    if "none" in obj:
        return RewardNode("none", text=str(obj["none"]))
    raise RuleSyntaxError("未知的奖补形式")


Range = tuple[Fraction, Fraction | None]  # (min, max); max None = unbounded


def reward_range(node: RewardNode, view: ProfileView, checks: Mapping[str, bool] | None,
                 atom_memo: dict[str, AtomOutcome] | None = None) -> Range:
    k = node.kind
    if k == "fixed":
        return node.amount, node.amount
    if k == "up_to":
        return Fraction(0), node.amount
    if k == "none":
        return Fraction(0), Fraction(0)
    if k in ("rate", "per_unit"):
        assert node.base_field is not None
        year = period_year(node.base_period, view.on) if node.base_period is not None else None
        base, _ = view.read(node.base_field, year)
        if base is None:
            return Fraction(0), node.cap
        assert isinstance(base, Fraction)
        if base <= 0:
            return Fraction(0), Fraction(0)
        amount = base * node.amount
        if node.cap is not None and amount > node.cap:
            amount = node.cap
        if node.floor is not None and amount < node.floor:
            amount = node.floor
        return amount, amount
    if k == "tiers":
        candidates: list[Range] = []
        decided = False
        for when, then in zip(node.whens, node.children, strict=True):
            r = eval_node(when, view, checks, atom_memo)
            if r is False:
                continue
            candidates.append(reward_range(then, view, checks, atom_memo))
            if r is True:
                decided = True
                break
        if not decided:
            candidates.append((Fraction(0), Fraction(0)))
        return _span(candidates)
    parts = [reward_range(c, view, checks, atom_memo) for c in node.children]
    if k == "sum":
        lo = sum((p[0] for p in parts), Fraction(0))
        his = [p[1] for p in parts]
        return lo, None if any(h is None for h in his) else sum((h for h in his if h is not None), Fraction(0))
    if not parts:
        return Fraction(0), Fraction(0)
    if k == "max":
        lo = max(p[0] for p in parts)
        his = [p[1] for p in parts]
        return lo, None if any(h is None for h in his) else max(h for h in his if h is not None)
    if k == "min":
        lo = min(p[0] for p in parts)
        bounded = [p[1] for p in parts if p[1] is not None]
        return lo, min(bounded) if bounded else None
    raise RuleSyntaxError(f"未知的奖补形式 {k}")


def _span(ranges: list[Range]) -> Range:
    lo = min(r[0] for r in ranges)
    his = [r[1] for r in ranges]
    return lo, None if any(h is None for h in his) else max(h for h in his if h is not None)


def eval_node(node: Node, view: ProfileView, checks: Mapping[str, bool] | None,
              atom_memo: dict[str, AtomOutcome] | None = None) -> bool | None:
    """Kleene value of a condition tree, without trace (the fast path)."""
    k = node.kind
    if k == "atom":
        atom = node.atom
        assert atom is not None
        if atom_memo is None:
            return atom.evaluate(view, checks).result
        out = atom_memo.get(atom.key)
        if out is None:
            out = atom.evaluate(view, checks)
            atom_memo[atom.key] = out
        return out.result
    if k == "always":
        return True
    if k == "not":
        r = eval_node(node.children[0], view, checks, atom_memo)
        return None if r is None else not r
    if k == "all":
        unknown = False
        for c in node.children:
            r = eval_node(c, view, checks, atom_memo)
            if r is False:
                return False
            if r is None:
                unknown = True
        return None if unknown else True
    # any
    unknown = False
    for c in node.children:
        r = eval_node(c, view, checks, atom_memo)
        if r is True:
            return True
        if r is None:
            unknown = True
    return None if unknown else False


def unknown_paths(node: Node, view: ProfileView, checks: Mapping[str, bool] | None,
                  atom_memo: dict[str, AtomOutcome], out: set[str]) -> None:
    """Missing inputs of the UNKNOWN atoms that keep an UNKNOWN node undecided (RULES.md §3):
    an UNKNOWN ``all`` has no FALSE part and an UNKNOWN ``any`` no TRUE part, so every UNKNOWN
    child counts; a decided node contributes nothing."""
    result, paths = _collect(node, view, checks, atom_memo)
    if result is None and paths:
        out.update(paths)


def _collect(node: Node, view: ProfileView, checks: Mapping[str, bool] | None,
             memo: dict[str, AtomOutcome]) -> tuple[bool | None, list[str] | None]:
    k = node.kind
    if k == "atom":
        atom = node.atom
        assert atom is not None
        o = memo.get(atom.key)
        if o is None:
            o = memo[atom.key] = atom.evaluate(view, checks)
        return o.result, (list(o.missing) if o.result is None else None)
    if k == "always":
        return True, None
    if k == "not":
        r, p = _collect(node.children[0], view, checks, memo)
        return (None if r is None else not r), p
    decisive = k == "any"  # TRUE decides an any, FALSE decides an all
    paths: list[str] = []
    unknown = False
    for c in node.children:
        r, p = _collect(c, view, checks, memo)
        if r is decisive:
            return decisive, None
        if r is None:
            unknown = True
            if p:
                paths.extend(p)
    if unknown:
        return None, paths
    return (not decisive), None
