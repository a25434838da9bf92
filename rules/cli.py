"""``huiqi match-batch`` (RULES.md §7): every enterprise against every policy item.

Output is all or nothing: results go to a temporary file next to ``--out`` that replaces it only
when the whole run succeeded, so a bad input line never leaves a half-written result behind.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from rules.batch import match_batch_chunks
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
    p.add_argument("--policies", required=True, type=Path, help="政策事项文件：JSONL（每行一个事项）或 huiqi policy export 导出的 .parquet")
    p.add_argument("--enterprises", required=True, type=Path, help="企业画像 JSONL 或 Parquet 文件（每行一个企业）")
    p.add_argument("--on", required=True, help="评估日期 YYYY-MM-DD")
    p.add_argument("--out", required=True, type=Path, help="输出文件：.jsonl 或 .parquet")
    p.add_argument("--jobs", type=int, default=1, help="并行进程数（按事项分块，结果顺序不变）")
    p.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="local：本机计算；spark：在 Apache Spark 集群上按地区分区计算")
    p.add_argument("--master", default=None, help="Spark 主节点地址，如 spark://host:7077 或 local[2]")
    return p


def load_policies(path: Path) -> list[CompiledItem]:
    """Policy items from JSONL or Parquet (``huiqi policy export --out X.parquet``), validated;
    the first problem raises ``InputError`` naming the line (row)."""
    if path.suffix.lower() == ".parquet":
        return _compile_items(_parquet_items(path), path)
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}：无法读取（{e.strerror}）") from None
    with fh:
        return _compile_items(_jsonl_items(fh, path), path)


def _jsonl_items(fh: Any, path: Path) -> Iterator[tuple[int, Any]]:
    for lineno, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path} 第{lineno}行：JSON 格式错误：{e.msg}") from None


def _parquet_items(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from rules.arrow_io import items_from_table

    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as e:
        raise InputError(f"{path}：无法读取政策事项 Parquet 文件（{e}）") from None
    yield from enumerate(items_from_table(table), start=1)


def _compile_items(numbered: Iterable[tuple[int, Any]], path: Path) -> list[CompiledItem]:
    items: list[CompiledItem] = []
    seen: dict[str, int] = {}
    for lineno, obj in numbered:
        where = f"{path} 第{lineno}行"
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


def load_profiles(path: Path, on: date) -> ProfileFrame:
    """Profiles from JSON lines or Parquet, through Arrow; errors name the line (row) and field."""
    if not path.is_file():
        raise InputError(f"{path}：文件不存在")
    try:
        if path.suffix.lower() == ".parquet":
            return ProfileFrame.from_parquet(path, on=on, strict=True)
        return ProfileFrame.from_jsonl(path, on=on, strict=True)
    except FrameError as e:
        raise InputError(str(e)) from None


def _write(items: list[CompiledItem], frame: ProfileFrame, out: Path, *, jobs: int = 1) -> int:
    from tqdm import tqdm

    from rules.results_io import ResultWriter

    try:
        writer = ResultWriter(out, frame)
    except ValueError as e:
        raise InputError(str(e)) from None
    bar = tqdm(total=len(items), file=sys.stderr, disable=not sys.stderr.isatty(), unit="项", desc="匹配")
    try:
        with writer:
            if jobs > 1:
                from rules.parallel import match_batch_chunks_parallel

                chunks = match_batch_chunks_parallel(items, frame, jobs=jobs, progress=bar.update)
            else:
                chunks = match_batch_chunks(items, frame, progress=bar.update)
            writer.write_all(chunks)
            return writer.commit()
    finally:
        bar.close()


class _WithoutPandas:
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def without_pandas() -> None:
    """Make pandas look absent for the rest of this process, unless already imported. pyarrow
    imports it (half a second) on its first ``pa.array``/``pa.scalar`` call only to ask whether the
    argument is a pandas object; matching on this machine never hands it one. Only for a process of
    its own: pyarrow remembers the answer for the life of the process, and Spark needs pandas."""
    if "pandas" not in sys.modules and not any(isinstance(f, _WithoutPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _WithoutPandas())


def match_batch_main(argv: list[str] | None = None, *, own_process: bool = False) -> int:
    """Entry point of ``huiqi match-batch``; returns the exit code (0 ok, 2 bad input).

    ``own_process``: the command runs in a process of its own, so the local engine can do without
    pandas (``without_pandas``: half a second, a sixth of a whole 100,000 × 1,000 run). Not in a
    shared process (tests, the worker)."""
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
        if args.jobs < 1:
            raise InputError("--jobs 应为正整数")
        if args.engine == "spark":
            from rules.spark import SparkInputError, match_batch_spark

            try:
                count = match_batch_spark(items, args.enterprises, on=on, out=args.out, master=args.master)
            except SparkInputError as e:
                raise InputError(str(e)) from None
        else:
            if own_process:
                without_pandas()
            frame = load_profiles(args.enterprises, on)
            count = _write(items, frame, args.out, jobs=args.jobs)
    except InputError as e:
        print(f"huiqi match-batch: 错误：{e}", file=sys.stderr)
        return 2
    print(f"已写入 {count} 条匹配结果到 {args.out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> Any:  # pragma: no cover - convenience for python -m
    raise SystemExit(match_batch_main(argv, own_process=argv is None))


if __name__ == "__main__":  # pragma: no cover
    main()
