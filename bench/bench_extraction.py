"""Time reading, segmenting and extracting a ~100-page document (≈100k characters).

The document is built by repeating the real policy texts of the dev set (``docs/*.txt``)
until it reaches the target size, then written to a temporary .txt file and processed the way
``huiqi extract FILE`` does. Usage::

    .venv/bin/python bench/bench_extraction.py [--chars 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from policytext.document import extract_document  # noqa: E402

DOCS = ROOT / "tests" / "fixtures" / "policy_docs"


def build(chars: int) -> str:
    texts = [p.read_text(encoding="utf-8").split("\n", 2)[-1] for p in sorted(DOCS.glob("*.txt"))]
    parts: list[str] = []
    total = 0
    while total < chars:
        for text in texts:
            parts.append(text)
            total += len(text)
            if total >= chars:
                break
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=100_000)
    args = parser.parse_args(argv)
    text = build(args.chars)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_100_pages.txt"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        result = extract_document(path)
        elapsed = time.perf_counter() - start
        # a second run shows the share of one-time loading (jieba dictionary, code tables)
        start = time.perf_counter()
        extract_document(path)
        warm = time.perf_counter() - start
    print(f"characters: {len(text)}  clauses: {len(result.clauses)}  "
          f"read+segment+extract: {elapsed:.2f} s cold (incl. one-time loading), {warm:.2f} s warm")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
