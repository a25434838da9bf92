from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from huiqi.policies.models import PolicyItem


class Command(BaseCommand):
    help = "按 RULES.md §5 导出政策事项 JSON（每行一个事项），供 huiqi match-batch 使用"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", help="输出文件（默认标准输出）")
        parser.add_argument("--all", action="store_true", help="包括未发布的事项（默认只导出已发布事项）")

    def handle(self, *args: Any, **options: Any) -> None:
        items = PolicyItem.objects.select_related("document").order_by("code")
        if not options["all"]:
            items = items.filter(status=PolicyItem.Status.PUBLISHED)
        stream = open(options["out"], "w", encoding="utf-8") if options["out"] else sys.stdout
        try:
            count = 0
            for item in items.iterator(chunk_size=500):
                stream.write(json.dumps(item.as_rules_item(), ensure_ascii=False) + "\n")
                count += 1
        finally:
            if stream is not sys.stdout:
                stream.close()
        self.stderr.write(f"已导出 {count} 个政策事项")
