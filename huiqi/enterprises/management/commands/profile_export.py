"""`huiqi profile export [--out FILE] [--region CODE] [--public-only]`: RULES.md §2 profiles,
one JSON object per line, or a Parquet file of the same shape (exact decimal figures) when FILE
ends in .parquet — the form `huiqi match-batch` reads fastest."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cnstd.regions import is_known_region
from huiqi.core.regions import region_within_q
from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import iter_profiles


class Command(BaseCommand):
    help = "按 RULES.md §2 导出企业画像（JSON Lines，每行一家企业）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="", help="输出文件（.jsonl 或 .parquet）；省略时写到标准输出")
        parser.add_argument("--region", default="", help="只导出该行政区划（省/市/县6位代码）内的企业")
        parser.add_argument("--public-only", action="store_true", help="只导出公开信息（一键匹配所用）")

    def handle(self, *args: Any, **options: Any) -> None:
        region: str = options["region"].strip()
        if region and not is_known_region(region):
            raise CommandError(f"未知的行政区划代码：{region}")
        queryset = Enterprise.objects.filter(region_within_q(region))
        if options["out"].lower().endswith(".parquet"):
            count = _export_parquet(queryset, options["out"], include_private=not options["public_only"])
            self.stderr.write(f"已导出 {count} 家企业到 {options['out']}")
            return
        total = queryset.count()
        show_progress = sys.stderr.isatty()
        handle: IO[str] | None = open(options["out"], "w", encoding="utf-8") if options["out"] else None
        write: Callable[[str], Any] = handle.write if handle is not None else self.stdout.write
        count = 0
        try:
            for profile in iter_profiles(queryset, include_private=not options["public_only"]):
                write(json.dumps(profile, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += 1
                if show_progress and (count % 500 == 0 or count == total):
                    sys.stderr.write(f"\r已导出 {count}/{total} 家企业")
                    sys.stderr.flush()
        except BrokenPipeError:
            # `huiqi profile export | head` closes the pipe early: not an error. Point stdout at
            # /dev/null so that the interpreter's final flush does not raise again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return
        finally:
            if handle is not None:
                handle.close()
        if show_progress:
            sys.stderr.write("\n")
        if options["out"]:
            self.stderr.write(f"已导出 {count} 家企业到 {options['out']}")


def _export_parquet(queryset: Any, out: str, *, include_private: bool, batch: int = 20000) -> int:
    """Profiles as Parquet row groups of ``batch`` enterprises; the file appears only when complete."""
    import tempfile
    from pathlib import Path

    import pyarrow.parquet as pq

    from huiqi.enterprises.selectors import profile_tables
    from rules.arrow_io import export_schema

    years, tables = profile_tables(queryset, include_private=include_private, batch=batch)
    target = Path(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path("."))
    os.close(fd)
    count = 0
    try:
        with pq.ParquetWriter(tmp_name, export_schema(years), compression="zstd") as writer:
            for table in tables:
                writer.write_table(table)
                count += table.num_rows
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count
