"""Score 问政策's retrieval against the question set (tests/fixtures/ask_questions.jsonl).

Usage (the database of the Django settings must hold the published demo library, e.g. after
``huiqi demo``; the demo's item codes are the stable keys of the expected clauses)::

    .venv/bin/python tools/score_ask.py [--split tune|test] [--misses]

Each line of the question file is ``{id, question, expected: [{item, article}], split}``; an empty
``expected`` means the library cannot answer and the right answer is "nothing found".

Metrics per split:

* **hit@1 / hit@3** – over the answerable questions: the share whose first (first three) answered
  clauses include any expected clause. A question answered with nothing is a miss.
* **no-answer accuracy** – over the unanswerable questions: the share answered with nothing.

Tune on "tune" only; "test" is held out and read only as these aggregates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "fixtures" / "ask_questions.jsonl"


@dataclass
class Score:
    answerable: int = 0
    hit1: int = 0
    hit3: int = 0
    unanswerable: int = 0
    no_answer_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def hit_at_1(self) -> float:
        return self.hit1 / self.answerable if self.answerable else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hit3 / self.answerable if self.answerable else 0.0

    @property
    def no_answer_accuracy(self) -> float:
        return self.no_answer_right / self.unanswerable if self.unanswerable else 0.0

    def line(self) -> str:
        return (f"hit@1 {self.hit_at_1:.3f}  hit@3 {self.hit_at_3:.3f}  ({self.answerable} answerable)  "
                f"no-answer accuracy {self.no_answer_accuracy:.3f}  ({self.unanswerable} unanswerable)")


def load(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: Sequence[dict[str, Any]], answer: Callable[[str], list[str]]) -> Score:
    """``answer`` gives the item codes of the answered clauses, best first."""
    result = Score()
    for row in rows:
        got = answer(row["question"])
        wanted = {e["item"] for e in row["expected"]}
        if not wanted:
            result.unanswerable += 1
            if not got:
                result.no_answer_right += 1
            else:
                result.misses.append(f"{row['id']} {row['question']}  expected nothing, got {got[:3]}")
            continue
        result.answerable += 1
        result.hit1 += bool(got[:1] and got[0] in wanted)
        result.hit3 += bool(wanted & set(got[:3]))
        if not got or got[0] not in wanted:
            result.misses.append(f"{row['id']} {row['question']}  expected {sorted(wanted)}, got {got[:3]}")
    return result


def retrieval_answer(question: str) -> list[str]:
    """The item codes 问政策 quotes for the question (Django must be set up)."""
    from huiqi.ask.answers import answered_item_codes

    return answered_item_codes(question)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["tune", "test"], help="only this split")
    parser.add_argument("--misses", action="store_true", help="print each question answered wrongly")
    parser.add_argument("--data", type=Path, default=QUESTIONS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    rows = load(args.data)
    for split in ("tune", "test"):
        if args.split in (None, split):
            result = score([r for r in rows if r["split"] == split], retrieval_answer)
            print(f"split={split}: {result.line()}")
            if args.misses:
                for miss in result.misses:
                    print("   ", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
