"""Score the clause extractor against an annotated clause file (default: the dev set).

Usage::

    .venv/bin/python tools/score_extraction.py [--data PATH] [--misses]

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
values that differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policytext.extract import ClauseContext, extract_clause, inherited_mode, to_json  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/policies/dev_clauses.jsonl")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--misses", action="store_true", help="print per-clause differences")
    args = parser.parse_args(argv)
    rows = load(args.data)
    by_doc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_doc[row.get("doc_key") or ""].append(row["text"])
    kind_ok = numbers_ok = numbers_n = mode_ok = 0
    tp = fp = fn = 0
    misses: list[str] = []
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
        problems: list[str] = []
        if reward_kind(pred["reward"]) == reward_kind(exp["reward"]):
            kind_ok += 1
        else:
            problems.append(f"reward kind: expected {reward_kind(exp['reward'])}, got {reward_kind(pred['reward'])}")
        exp_numbers = reward_numbers(exp["reward"])
        if exp_numbers:
            numbers_n += 1
            got = reward_numbers(pred["reward"])
            if exp_numbers <= got:
                numbers_ok += 1
            else:
                missing = sorted(str(v) for v in exp_numbers - got)
                problems.append(f"reward numbers missing: {missing}")
        ea, pa = atoms(exp["conditions"]), atoms(pred["conditions"])
        inter = ea & pa
        tp += sum(inter.values())
        fp += sum((pa - ea).values())
        fn += sum((ea - pa).values())
        if ea != pa:
            problems.append(f"atoms missing: {sorted(map(str, (ea - pa).elements()))}")
            problems.append(f"atoms extra:   {sorted(map(str, (pa - ea).elements()))}")
        if pred["mode"] == exp["mode"]:
            mode_ok += 1
        else:
            problems.append(f"mode: expected {exp['mode']}, got {pred['mode']}")
        if problems:
            misses.append(
                f"## {row.get('doc_key')} {row.get('clause_id')}\n{row['text'][:160]}\n"
                + "\n".join("  " + p for p in problems)
                + "\n  expected reward: " + json.dumps(exp["reward"], ensure_ascii=False)
                + "\n  got reward:      " + json.dumps(pred["reward"], ensure_ascii=False)
            )
    n = len(rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if args.misses:
        print("\n\n".join(misses))
        print()
    print(f"clauses:                {n}")
    print(f"reward kind accuracy:   {kind_ok / n:.3f} ({kind_ok}/{n})")
    print(f"reward numbers accuracy:{numbers_ok / numbers_n if numbers_n else 0:.3f} ({numbers_ok}/{numbers_n})")
    print(f"condition atoms:        P={precision:.3f} R={recall:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn})")
    print(f"mode accuracy:          {mode_ok / n:.3f} ({mode_ok}/{n})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
