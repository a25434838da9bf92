"""Score the clause extractor against an annotated clause file (default: the dev set).

Usage::

    .venv/bin/python tools/score_extraction.py [--data PATH ...] [--split tune|test] [--misses]

By default it scores the two annotated sets copied under ``tests/fixtures/policy_clauses``: the
first dev set, and the second set's "tune" and "test" splits separately (tune on "tune" only;
"test" is read only as an aggregate), then ``extra_clauses.jsonl``, real clauses of classes thin in
both sets that the team added (each row names its source; labelled before the extractor ran). Every run also prints the metrics per error class of
issue 15 (bands, rates, budget, growth/ratio/negative, events, script, inputs), a clause
belonging to a class by its text and *expected* labels only.

Each line of the data file is a clause with ``text``, ``expected`` {conditions, reward, mode}
and document fields (``doc_key``, ``doc_title``, ``region_code``). The extractor receives a
:class:`ClauseContext` with the region code, the document title, and the mode inherited from
the document's procedure clauses (computed from the sibling clauses with the same ``doc_key``
by :func:`policytext.extract.inherited_mode`, exactly as the document reader does).

Metrics (all micro-averaged over the file):

* **reward kind accuracy** – share of clauses whose predicted reward has the same top-level
  key as the expected one (``fixed``/``up_to``/``rate``/``per_unit``/``tiers``/``sum``/
  ``max``/``min``/``none``), a ``null`` reward counting as its own kind.
* **reward numbers accuracy** – over the clauses whose expected reward contains at least one
  number: the share where *every* number of the expected reward is also a number of the
  predicted reward. "Numbers" are the values of ``fixed``, ``up_to``, ``rate``, ``cap``,
  ``floor`` and ``per_unit`` anywhere in the reward tree (tier ``when`` conditions are not
  reward numbers); they are compared as a set of ``Decimal`` values, so the structure around
  them and extra predicted numbers do not matter.
* **condition atoms P/R/F1** – every atom of the condition tree is flattened (the tree shape
  is ignored) to a canonical tuple ``(field, op, value, period)``: values as ``Decimal`` for
  numbers, sorted tuples for lists; a yearly field without a period gets ``last_year``.
  Atoms of one clause are a multiset; matches are the size of the multiset intersection.
  ``check`` atoms are compared **as a class**: each becomes the tuple ``("check",)``, so a
  predicted check matches an expected check whatever its wording (a check is a requirement
  kept in the policy's words for a reviewer; wording is not scorable), and a surplus or
  missing check is a false positive or negative. ``{"always": true}`` is not an atom.
* **mode accuracy** – share of clauses whose predicted mode equals the expected (incl. null).

``--misses`` prints, for each clause that missed any of these, the expected and predicted
values that differ; it is refused for the test split (use ``--split tune``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policytext.extract import ClauseContext, extract_clause, inherited_mode, to_json  # noqa: E402
from policytext.normalize import to_simplified  # noqa: E402
from rules.fields import declared_figure  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "policy_clauses"
# the third file: real clauses of classes thin in both sets, added by the team (sources in each row)
DEFAULT_DATA = [FIXTURES / "dev_clauses.jsonl", FIXTURES / "dev_clauses_2.jsonl", FIXTURES / "extra_clauses.jsonl"]
YEARLY = {"revenue", "main_revenue", "employees", "insured_employees", "rd_expense", "tax_paid",
          "total_assets", "output_value", "export_value", "fixed_asset_investment", "profit",
          "tax_credit_rating", "invention_patents", "rd_ratio", "revenue_growth"}
CODED_FIELDS = {"industry", "region", "qualifications", "flags", "ownership", "listed", "scale",
                "tax_credit_rating"}
REWARD_NUMBER_KEYS = ("fixed", "up_to", "rate", "cap", "floor", "per_unit")


def reward_kind(reward: Any) -> str:
    if reward is None:
        return "null"
    return next(iter(reward)) if isinstance(reward, dict) and reward else "?"


def reward_numbers(node: Any) -> set[Decimal]:
    found: set[Decimal] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "when":
                continue
            if key in REWARD_NUMBER_KEYS and isinstance(value, (int, float, str)) and not isinstance(value, bool):
                try:
                    found.add(Decimal(str(value)).normalize())
                except ArithmeticError:
                    pass
            else:
                found |= reward_numbers(value)
    elif isinstance(node, list):
        for item in node:
            found |= reward_numbers(item)
    return found


def _canon_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value)).normalize()
    if isinstance(value, list):
        return tuple(sorted(str(_canon_value(v)) for v in value))
    if isinstance(value, str):
        try:
            return Decimal(value).normalize()
        except ArithmeticError:
            return value
    return json.dumps(value, sort_keys=True)


def atoms(node: Any) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    if isinstance(node, dict):
        if "check" in node:
            out[("check",)] += 1
        elif "field" in node:
            period = node.get("period")
            if period is None and node["field"] in YEARLY:
                period = "last_year"
            value = node.get("value")
            if isinstance(value, str) and node["field"] in CODED_FIELDS:
                canon: Any = value
            else:
                canon = _canon_value(value)
            out[(node["field"], node.get("op"), canon,
                 json.dumps(period, sort_keys=True))] += 1
        else:
            for key in ("all", "any"):
                for child in node.get(key, []):
                    out += atoms(child)
            if "not" in node:
                out += atoms(node["not"])
    return out


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _reward_has(node: Any, keys: set[str]) -> bool:
    if isinstance(node, dict):
        return any(k in keys for k in node) or any(_reward_has(v, keys) for v in node.values())
    if isinstance(node, list):
        return any(_reward_has(v, keys) for v in node)
    return False


def _fields(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if "field" in node and isinstance(node["field"], str):
            found.add(node["field"])
        if "input" in node and isinstance(node["input"], str):
            found.add("input." + node["input"])
        for value in node.values():
            found |= _fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= _fields(value)
    return found


# Error classes of issue 15, decided from the text and the *expected* labels only (never from
# the prediction), so a class holds the same clauses before and after a change.
ERROR_CLASSES: dict[str, str] = {
    "bands": "档次/分别给予（tiers）",
    "rates": "比例与单位金额（rate/per_unit）",
    "budget": "资金总额与单家上限",
    "growth": "增长、比例、否定条件",
    "events": "“成为”事件（首次纳入、转为）",
    "script": "繁体字与换行",
    "inputs": "申报数名称（input.*）",
}


def error_classes(row: dict[str, Any]) -> set[str]:
    text, exp = row["text"], row["expected"]
    out: set[str] = set()
    if _reward_has(exp["reward"], {"tiers"}) or "分别" in text:
        out.add("bands")
    if _reward_has(exp["reward"], {"rate", "per_unit"}) or re.search(r"(封顶|每增加|每满|每个产品)", text):
        out.add("rates")
    if re.search(r"(资金总额|总额|专项资金|资金池|总盘子)", text):
        out.add("budget")
    fields = _fields(exp["conditions"])
    if fields & {"rd_ratio", "revenue_growth"} or any("growth" in f for f in fields) or re.search(
            r"(增长|增速|为零|不得享受|占.{0,6}比)", text):
        out.add("growth")
    if re.search(r"(首次|新纳入|纳入规上|转为|转型为|升规|新升规|新入库)", text):
        out.add("events")
    if to_simplified(text) != text or "\n" in text.strip():
        out.add("script")
    if any(f.startswith("input.") for f in fields | _fields(exp["reward"])):
        out.add("inputs")
    return out


class Tally:
    def __init__(self) -> None:
        self.n = self.kind_ok = self.numbers_ok = self.numbers_n = self.mode_ok = 0
        self.tp = self.fp = self.fn = 0
        self.inputs_total = self.inputs_unknown = 0

    def f1(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self) -> str:
        _p, _r, f1 = self.f1()
        nums = f"{self.numbers_ok / self.numbers_n:.2f}" if self.numbers_n else "  - "
        return (f"n={self.n:3d} kind={self.kind_ok / self.n if self.n else 0:.2f} numbers={nums} "
                f"F1={f1:.2f} (fp={self.fp} fn={self.fn}) mode={self.mode_ok / self.n if self.n else 0:.2f}")


def score(rows: list[dict[str, Any]], *, misses: bool = False, by_class: bool = True) -> Tally:
    if misses and any(row.get("split") == "test" for row in rows):
        # The test split is read as aggregates only: a per-clause listing would invite tuning on it.
        raise ValueError("per-clause output is refused for the test split")
    by_doc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_doc[row.get("doc_key") or ""].append(row["text"])
    total = Tally()
    classes: dict[str, Tally] = {name: Tally() for name in ERROR_CLASSES}
    missed: list[str] = []
    for row in rows:
        exp = row["expected"]
        ctx = ClauseContext(
            clause_id=None,
            doc_title=row.get("doc_title"),
            region_code=row.get("region_code"),
            inherited_mode=inherited_mode(doc_title=row.get("doc_title"),
                                          clause_texts=by_doc[row.get("doc_key") or ""]),
            siblings=[t for t in by_doc[row.get("doc_key") or ""] if t != row["text"]],
        )
        draft = extract_clause(row["text"], context=ctx)
        pred = to_json(draft.as_json())
        tallies = [total] + [classes[c] for c in error_classes(row)]
        problems: list[str] = []
        kind_ok = reward_kind(pred["reward"]) == reward_kind(exp["reward"])
        if not kind_ok:
            problems.append(f"reward kind: expected {reward_kind(exp['reward'])}, got {reward_kind(pred['reward'])}")
        exp_numbers = reward_numbers(exp["reward"])
        numbers_ok = exp_numbers <= reward_numbers(pred["reward"])
        if exp_numbers and not numbers_ok:
            problems.append(f"reward numbers missing: {sorted(str(v) for v in exp_numbers - reward_numbers(pred['reward']))}")
        ea, pa = atoms(exp["conditions"]), atoms(pred["conditions"])
        inter = ea & pa
        if ea != pa:
            problems.append(f"atoms missing: {sorted(map(str, (ea - pa).elements()))}")
            problems.append(f"atoms extra:   {sorted(map(str, (pa - ea).elements()))}")
        mode_ok = pred["mode"] == exp["mode"]
        if not mode_ok:
            problems.append(f"mode: expected {exp['mode']}, got {pred['mode']}")
        names = {f[len("input."):] for f in _fields(pred["conditions"]) | _fields(pred["reward"])
                 if f.startswith("input.")}
        for t in tallies:
            t.n += 1
            t.kind_ok += kind_ok
            if exp_numbers:
                t.numbers_n += 1
                t.numbers_ok += numbers_ok
            t.tp += sum(inter.values())
            t.fp += sum((pa - ea).values())
            t.fn += sum((ea - pa).values())
            t.mode_ok += mode_ok
            t.inputs_total += len(names)
            t.inputs_unknown += len([n for n in names if declared_figure(n) is None])
        if problems:
            missed.append(
                f"## {row.get('doc_key')} {row.get('clause_id')}\n{row['text'][:160]}\n"
                + "\n".join("  " + p for p in problems)
                + "\n  expected reward: " + json.dumps(exp["reward"], ensure_ascii=False)
                + "\n  got reward:      " + json.dumps(pred["reward"], ensure_ascii=False)
            )
    if misses:
        print("\n\n".join(missed))
        print()
    p, r, f1 = total.f1()
    n = total.n
    print(f"clauses:                {n}")
    print(f"reward kind accuracy:   {total.kind_ok / n:.3f} ({total.kind_ok}/{n})")
    print(f"reward numbers accuracy:{total.numbers_ok / total.numbers_n if total.numbers_n else 0:.3f} "
          f"({total.numbers_ok}/{total.numbers_n})")
    print(f"condition atoms:        P={p:.3f} R={r:.3f} F1={f1:.3f} (tp={total.tp} fp={total.fp} fn={total.fn})")
    print(f"mode accuracy:          {total.mode_ok / n:.3f} ({total.mode_ok}/{n})")
    print(f"declared-figure names:  {total.inputs_total - total.inputs_unknown}/{total.inputs_total} "
          "drafted input.* names are in the shared vocabulary")
    if by_class:
        print("per error class:")
        for name, label in ERROR_CLASSES.items():
            print(f"  {name:7s} {classes[name].line()}  {label}")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append",
                        help="an annotated clause file (repeatable); default: both dev sets and the extra clauses")
    parser.add_argument("--split", choices=["tune", "test"],
                        help="only the clauses of this split (files that have a split field)")
    parser.add_argument("--misses", action="store_true", help="print per-clause differences")
    args = parser.parse_args(argv)
    runs: list[tuple[str, list[dict[str, Any]]]] = []
    for path in args.data or DEFAULT_DATA:
        rows = load(path)
        if any("split" in row for row in rows):
            for split in ("tune", "test"):
                if args.split in (None, split):
                    runs.append((f"{path.name} split={split}", [r for r in rows if r.get("split") == split]))
        else:
            runs.append((path.name, rows))
    if args.misses and any(title.endswith("split=test") for title, _rows in runs):
        parser.error("--misses prints per-clause differences, refused for the test split: add --split tune")
    for k, (title, rows) in enumerate(runs):
        if k:
            print()
        print(f"=== {title}")
        score(rows, misses=args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
