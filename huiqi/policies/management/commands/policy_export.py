"""`huiqi policy export [--out FILE] [--all]`: RULES.md §5 items, one JSON object per line, or a
Parquet file (one row per item, the rules as JSON text, the rules version beside them) when FILE
ends in .parquet — both read by `huiqi match-batch`. Files appear only when complete."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from huiqi.policies.models import PolicyItem


class Command(BaseCommand):
    help = "按 RULES.md §5 导出政策事项（JSON Lines 每行一个事项，或 .parquet），供 huiqi match-batch 使用"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", help="输出文件（.jsonl 或 .parquet；默认标准输出）")
        parser.add_argument("--all", action="store_true", help="包括未发布的事项（默认只导出已发布事项）")

    def handle(self, *args: Any, **options: Any) -> None:
        items = PolicyItem.objects.select_related("document").order_by("code")
        if not options["all"]:
            items = items.filter(status=PolicyItem.Status.PUBLISHED)
        out = options["out"]
        if out and out.lower().endswith(".parquet"):
            count = _export_parquet(items, Path(out))
            self.stderr.write(f"已导出 {count} 个政策事项")
            return
        stream = open(out, "w", encoding="utf-8") if out else sys.stdout
        try:
            count = 0
            for item in items.iterator(chunk_size=500):
                stream.write(json.dumps(item.as_rules_item(), ensure_ascii=False) + "\n")
                count += 1
        finally:
            if stream is not sys.stdout:
                stream.close()
        self.stderr.write(f"已导出 {count} 个政策事项")


def _export_parquet(items: Any, target: Path) -> int:
    import pyarrow.parquet as pq

    from rules.arrow_io import items_table

    table = items_table(item.as_rules_item() for item in items.iterator(chunk_size=500))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp_name, compression="zstd")
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return int(table.num_rows)
