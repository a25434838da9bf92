"""Scalar evaluation of one policy item for one enterprise (RULES.md §3–§6), with a trace.

Choices where RULES.md is silent (written down here as it asks):
- An item's own ``region`` is an implicit first condition "region within item.region": a 泉州
  policy never matches a 福州 enterprise. It appears in the trace with ``"implicit": true``.
- An item outside its ``valid_from``/``valid_to`` on the evaluation date is ineligible with an
  empty ``failed`` list and ``in_force`` false.
- ``unknown_fields`` is filled only for a *possible* result and lists the missing inputs of the
  UNKNOWN atoms that keep the result undecided (an UNKNOWN atom inside a branch already decided
  by another atom is not listed). Reward tiers never add to it: status comes from conditions.
- ``failed`` (ineligible only) lists the FALSE atoms that decide the result; an atom that fails
  because it sits under ``not`` is given as ``{"not": atom}``.
- ``per_enterprise_cap`` of the item caps both ends of the amount.
- Amounts are computed with exact fractions and rounded half-up to the fen only at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from rules.canonical import rules_version
from rules.compiled import (
    Atom,
    AtomOutcome,
    Node,
    Range,
    RewardNode,
    compile_condition,
    compile_reward,
    eval_node,
    reward_range,
    unknown_paths,
)
from rules.numbers import fraction_to_json, money_str, to_fraction
from rules.profile import ProfileView, parse_date

STATUS_ELIGIBLE = "eligible"
STATUS_POSSIBLE = "possible"
STATUS_INELIGIBLE = "ineligible"

_RESULT_NAMES = {True: "TRUE", False: "FALSE", None: "UNKNOWN"}


@dataclass(frozen=True, slots=True)
class Amount:
    min: str
    max: str | None  # None = unbounded (按申报额计算)

    def to_dict(self) -> dict[str, str | None]:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class TraceEntry:
    atom: Mapping[str, Any]
    value: Any
    result: str  # TRUE | FALSE | UNKNOWN
    ref: Any
    year: int | None = None
    missing: tuple[str, ...] = ()
    implicit: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"atom": dict(self.atom), "value": _jsonable(self.value), "result": self.result,
                               "ref": self.ref}
        if self.year is not None:
            out["year"] = self.year
        if self.missing:
            out["missing"] = list(self.missing)
        if self.implicit:
            out["implicit"] = True
        return out


@dataclass(slots=True)
class Evaluation:
    policy: str | None
    status: str
    amount: Amount | None
    failed: list[Mapping[str, Any]]
    unknown_fields: list[str]
    trace: list[TraceEntry]
    rules_version: str
    on: date
    in_force: bool = True
    alternative_to: str | None = None  # set by choose_in_exclusive_groups

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "status": self.status,
            "amount": None if self.amount is None else self.amount.to_dict(),
            "failed": [dict(f) for f in self.failed],
            "unknown_fields": list(self.unknown_fields),
            "trace": [t.to_dict() for t in self.trace],
            "rules_version": self.rules_version,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Fraction):
        return fraction_to_json(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


# -- compiled items -----------------------------------------------------------------------------


@dataclass(slots=True)
class CompiledItem:
    """An item parsed once; the matching paths reuse it for every enterprise."""

    id: str | None
    raw: Mapping[str, Any]
    condition: Node
    reward: RewardNode | None
    region: str | None
    valid_from: date | None
    valid_to: date | None
    exclusive_group: str | None
    cap: Fraction | None
    scope_atom: Atom | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _version: str | None = None

    @property
    def version(self) -> str:
        """The rules version (a hash of the canonical conditions and reward), worked out when first
        asked for: batch matching never asks, and hashing is a third of compiling an item."""
        if self._version is None:
            self._version = rules_version(self.raw.get("conditions"), self.raw.get("reward"))
        return self._version

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


def compile_item(item: Mapping[str, Any]) -> CompiledItem:
    region = item.get("region")
    region = None if region in (None, "") else str(region).strip()
    scope_atom = Atom({"field": "region", "op": "within", "value": region}) if region else None
    cond = compile_condition(item.get("conditions"))
    if scope_atom is not None:
        cond = Node("all", [Node("atom", atom=scope_atom, raw=scope_atom.raw), cond])
    cap = item.get("per_enterprise_cap")
    return CompiledItem(
        id=None if item.get("id") is None else str(item["id"]),
        raw=item,
        condition=cond,
        reward=compile_reward(item.get("reward")),
        region=region,
        valid_from=None if item.get("valid_from") is None else parse_date(item["valid_from"], "valid_from"),
        valid_to=None if item.get("valid_to") is None else parse_date(item["valid_to"], "valid_to"),
        exclusive_group=item.get("exclusive_group"),
        cap=None if cap is None else to_fraction(cap),
        scope_atom=scope_atom,
    )


def status_of(result: bool | None) -> str:
    if result is True:
        return STATUS_ELIGIBLE
    if result is None:
        return STATUS_POSSIBLE
    return STATUS_INELIGIBLE


def item_range(ci: CompiledItem, view: ProfileView, checks: Mapping[str, bool] | None,
               memo: dict[str, AtomOutcome] | None = None) -> Range:
    if ci.reward is None:
        lo: Fraction = Fraction(0)
        hi: Fraction | None = Fraction(0)
    else:
        lo, hi = reward_range(ci.reward, view, checks, memo)
    if ci.cap is not None:
        lo = min(lo, ci.cap)
        hi = ci.cap if hi is None else min(hi, ci.cap)
    return lo, hi


def amount_of(r: Range) -> Amount:
    return Amount(money_str(r[0]), None if r[1] is None else money_str(r[1]))


# -- the evaluation with trace ------------------------------------------------------------------


def _walk(node: Node, view: ProfileView, checks: Mapping[str, bool] | None, memo: dict[str, AtomOutcome],
          trace: list[TraceEntry], implicit: Atom | None) -> bool | None:
    """Evaluate every atom (no short circuit, so the trace is complete)."""
    k = node.kind
    if k == "atom":
        atom = node.atom
        assert atom is not None
        out = memo.get(atom.key)
        if out is None:
            out = atom.evaluate(view, checks)
            memo[atom.key] = out
        trace.append(TraceEntry(atom.raw, out.value, _RESULT_NAMES[out.result], atom.ref, out.year, out.missing,
                                implicit=atom is implicit))
        return out.result
    if k == "always":
        return True
    results = [_walk(c, view, checks, memo, trace, implicit) for c in node.children]
    if k == "not":
        r = results[0]
        return None if r is None else not r
    if k == "all":
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _decisive(node: Node, want: bool, view: ProfileView, checks: Mapping[str, bool] | None,
              memo: dict[str, AtomOutcome], negated: bool, out: list[Mapping[str, Any]]) -> None:
    """The atoms that make ``node`` come out ``want`` (used for ``failed``)."""
    if node.kind == "atom":
        assert node.atom is not None
        out.append({"not": dict(node.atom.raw)} if negated else dict(node.atom.raw))
        return
    if node.kind == "always":
        return
    if node.kind == "not":
        _decisive(node.children[0], not want, view, checks, memo, not negated, out)
        return
    # all=FALSE and any=TRUE are decided by the children with that value; all=TRUE and
    # any=FALSE need every child.
    for c in node.children:
        if eval_node(c, view, checks, memo) is want:
            _decisive(c, want, view, checks, memo, negated, out)


def evaluate(item: Mapping[str, Any], profile: Mapping[str, Any], *, on: date,
             inputs: Mapping[str, Any] | None = None, checks: Mapping[str, bool] | None = None,
             compiled: CompiledItem | None = None) -> Evaluation:
    """RULES.md §6 for one item and one enterprise on date ``on``.

    ``inputs`` holds declared figures (``input.<name>``); ``checks`` a reviewer's decision on
    ``check`` atoms by their text (absent = still UNKNOWN)."""
    ci = compiled or compile_item(item)
    view = ProfileView(profile, on=on, inputs=inputs)
    if not ci.in_force(on):
        return Evaluation(ci.id, STATUS_INELIGIBLE, None, [], [], [], ci.version, on, in_force=False)
    memo: dict[str, AtomOutcome] = {}
    trace: list[TraceEntry] = []
    result = _walk(ci.condition, view, checks, memo, trace, ci.scope_atom)
    status = status_of(result)
    failed: list[Mapping[str, Any]] = []
    unknown: list[str] = []
    amount: Amount | None = None
    if result is False:
        _decisive(ci.condition, False, view, checks, memo, False, failed)
    else:
        if result is None:
            paths: set[str] = set()
            unknown_paths(ci.condition, view, checks, memo, paths)
            unknown = sorted(paths)
        amount = amount_of(item_range(ci, view, checks, memo))
    return Evaluation(ci.id, status, amount, failed, unknown, trace, ci.version, on)


# -- 惠中选惠 ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupChoice:
    policy: str | None
    recommended: bool
    alternative_to: str | None  # the recommended policy of the same group


def _money_key(amount: Amount | None) -> tuple[Fraction, Fraction]:
    if amount is None:
        return Fraction(-1), Fraction(-1)
    inf = Fraction(10) ** 30  # unbounded beats every bounded maximum
    hi = inf if amount.max is None else to_fraction(amount.max)
    return hi, to_fraction(amount.min)


def choose_in_exclusive_groups(evaluations: Sequence[Evaluation],
                               items: Sequence[Mapping[str, Any]]) -> list[GroupChoice]:
    """同类政策就高不重复: among matched (eligible/possible) evaluations sharing an
    ``exclusive_group`` recommend the one with the highest amount (by max, then min; eligible
    before possible on a tie, then the first given) and mark the others as alternatives.

    ``items`` are aligned with ``evaluations``. Unmatched and group-less items are returned as
    recommended=False/alternative_to=None and recommended=True respectively. Also sets
    ``Evaluation.alternative_to``."""
    if len(evaluations) != len(items):
        raise ValueError("evaluations 与 items 数量不一致")
    best: dict[str, int] = {}
    for i, (ev, item) in enumerate(zip(evaluations, items, strict=True)):
        group = item.get("exclusive_group")
        if not group or ev.status == STATUS_INELIGIBLE:
            continue
        j = best.get(group)
        if j is None or _rank(ev) > _rank(evaluations[j]):
            best[group] = i
    out: list[GroupChoice] = []
    for i, (ev, item) in enumerate(zip(evaluations, items, strict=True)):
        group = item.get("exclusive_group")
        if ev.status == STATUS_INELIGIBLE:
            out.append(GroupChoice(ev.policy, False, None))
            continue
        if not group or best[group] == i:
            ev.alternative_to = None
            out.append(GroupChoice(ev.policy, True, None))
            continue
        winner = evaluations[best[group]].policy
        ev.alternative_to = winner
        out.append(GroupChoice(ev.policy, False, winner))
    return out


def _rank(ev: Evaluation) -> tuple[Fraction, Fraction, int]:
    hi, lo = _money_key(ev.amount)
    return hi, lo, 1 if ev.status == STATUS_ELIGIBLE else 0


def evaluate_many(items: Iterable[Mapping[str, Any]], profile: Mapping[str, Any], *, on: date) -> list[Evaluation]:
    return [evaluate(item, profile, on=on) for item in items]
