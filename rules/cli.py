"""``huiqi match-batch`` (RULES.md §7): every enterprise against every policy item.

Output is all or nothing: results go to a temporary file next to ``--out`` that replaces it only
when the whole run succeeded, so a bad input line never leaves a half-written result behind.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from rules.batch import chunk_frame, match_batch_chunks
from rules.compiled import RuleSyntaxError
from rules.evaluate import CompiledItem, compile_item
from rules.frame import FrameError, ProfileFrame
from rules.numbers import NotANumber
from rules.profile import ProfileError
from rules.validate import validate_item


class InputError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="huiqi match-batch",
        description="批量匹配：每个企业对每个政策事项，输出符合或可能符合的组合及金额。",
    )
    p.add_argument("--policies", required=True, type=Path, help="政策事项 JSONL 文件（每行一个事项）")
    p.add_argument("--enterprises", required=True, type=Path, help="企业画像 JSONL 文件（每行一个企业）")
    p.add_argument("--on", required=True, help="评估日期 YYYY-MM-DD")
    p.add_argument("--out", required=True, type=Path, help="输出文件：.jsonl 或 .parquet")
    return p


def load_policies(path: Path) -> list[CompiledItem]:
    """Policy items from JSONL, validated; the first problem raises ``InputError`` naming the line."""
    items: list[CompiledItem] = []
    seen: dict[str, int] = {}
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}：无法读取（{e.strerror}）") from None
    with fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path} 第{lineno}行"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{where}：JSON 格式错误：{e.msg}") from None
            errors = validate_item(obj)
            if errors:
                raise InputError(f"{where}：{'；'.join(str(e) for e in errors)}")
            pid = obj["id"]
            if pid in seen:
                raise InputError(f"{where}：政策事项编号 \"{pid}\" 与第{seen[pid]}行重复")
            seen[pid] = lineno
            try:
                items.append(compile_item(obj))
            except (RuleSyntaxError, NotANumber, ProfileError, ValueError) as e:
                raise InputError(f"{where}：{e}") from None
    return items


def _write(items: list[CompiledItem], frame: ProfileFrame, out: Path) -> int:
    import polars as pl
    from tqdm import tqdm

    suffix = out.suffix.lower()
    if suffix not in (".jsonl", ".parquet", ".ndjson", ".json"):
        raise InputError(f"{out}：输出文件应以 .jsonl 或 .parquet 结尾")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{out}：输出目录不存在")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    count = 0
    bar = tqdm(total=len(items), file=sys.stderr, disable=not sys.stderr.isatty(), unit="项", desc="匹配")
    try:
        chunks = match_batch_chunks(items, frame, progress=bar.update)
        if suffix == ".parquet":
            os.close(fd)
            parts = [chunk_frame(c, frame) for c in chunks]
            from rules.batch import empty_result_frame

            df = pl.concat(parts, how="vertical") if parts else empty_result_frame()
            count = df.height
            df.write_parquet(tmp)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for c in chunks:
                    df = chunk_frame(c, frame)
                    count += df.height
                    fh.write(df.write_ndjson())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
    return count


def match_batch_main(argv: list[str] | None = None) -> int:
    """Entry point of ``huiqi match-batch``; returns the exit code (0 ok, 2 bad input)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else 2
    try:
        try:
            on = date.fromisoformat(args.on)
        except ValueError:
            raise InputError(f"--on：不是有效日期 {args.on!r}（应为 YYYY-MM-DD）") from None
        items = load_policies(args.policies)
        if not args.enterprises.is_file():
            raise InputError(f"{args.enterprises}：文件不存在")
        try:
            frame = ProfileFrame.from_jsonl(args.enterprises, on=on, strict=True)
        except FrameError as e:
            raise InputError(str(e)) from None
        count = _write(items, frame, args.out)
    except InputError as e:
        print(f"huiqi match-batch: 错误：{e}", file=sys.stderr)
        return 2
    print(f"已写入 {count} 条匹配结果到 {args.out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> Any:  # pragma: no cover - convenience for python -m
    raise SystemExit(match_batch_main(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
