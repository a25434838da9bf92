"""``huiqi extract``: clauses or documents → drafts in the rules language (RULES.md §7)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, TextIO

from policytext.document import extract_document
from policytext.extract import ClauseContext, extract_clause, inherited_mode, to_json
from policytext.readers import DocumentError


class _Failure(Exception):
    """An error for the officer: printed in Chinese to stderr, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huiqi extract",
        description="从政策条款或政策文件抽取申报条件、奖补标准和兑现方式（规则语言草稿）",
    )
    parser.add_argument("--clauses", metavar="IN.jsonl", type=Path,
                        help='条款文件：每行 {"id": ..., "text": ...}')
    parser.add_argument("files", nargs="*", metavar="FILE", type=Path,
                        help="政策文件（.txt/.html/.docx/.pdf）")
    return parser


def _read_clause_lines(path: Path) -> list[dict[str, Any]]:
    try:
        fh = path.open(encoding="utf-8")
    except FileNotFoundError as exc:
        raise _Failure(f"文件不存在：{path}") from exc
    except OSError as exc:
        raise _Failure(f"无法读取文件：{path}") from exc
    rows: list[dict[str, Any]] = []
    with fh:
        try:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise _Failure(f"{path} 第{number}行不是合法的JSON：{exc.msg}") from exc
                if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                    raise _Failure(f'{path} 第{number}行缺少字符串字段"text"')
                rows.append(row)
        except UnicodeDecodeError as exc:
            raise _Failure(f"{path} 不是UTF-8编码的文本") from exc
    return rows


def _write(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _run_clauses(path: Path, out: TextIO) -> None:
    rows = _read_clause_lines(path)
    # Optional document fields (as in the annotated sets) give the extractor its context.
    by_doc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.get("doc_key"):
            by_doc[str(row["doc_key"])].append(row["text"])
    for row in rows:
        doc_key = str(row["doc_key"]) if row.get("doc_key") else None
        siblings = [t for t in by_doc[doc_key] if t != row["text"]] if doc_key else []
        context = ClauseContext(
            doc_title=row.get("doc_title"),
            region_code=row.get("region_code"),
            inherited_mode=inherited_mode(doc_title=row.get("doc_title"),
                                          clause_texts=by_doc[doc_key]) if doc_key else None,
            siblings=siblings,
        )
        draft = extract_clause(row["text"], context=context)
        _write(out, {"id": row.get("id"), **to_json(draft.as_json())})


def _run_files(paths: list[Path], out: TextIO) -> None:
    for path in paths:
        if not path.exists():
            raise _Failure(f"文件不存在：{path}")
    for path in paths:
        try:
            result = extract_document(path)
        except DocumentError as exc:
            raise _Failure(f"{path}：{exc}") from exc
        for item in result.clauses:
            _write(out, {"doc": path.name, "clause_id": item.clause.path,
                         "text": item.clause.text, **to_json(item.draft.as_json())})


def extract_main(argv: list[str] | None = None) -> int:
    """Entry point of ``huiqi extract``; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.clauses is None and not args.files:
        print("请给出 --clauses IN.jsonl 或至少一个政策文件", file=sys.stderr)
        return 2
    if args.clauses is not None and args.files:
        print("--clauses 与政策文件不能同时使用", file=sys.stderr)
        return 2
    try:
        if args.clauses is not None:
            _run_clauses(args.clauses, sys.stdout)
        else:
            _run_files(list(args.files), sys.stdout)
    except _Failure as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(extract_main())
