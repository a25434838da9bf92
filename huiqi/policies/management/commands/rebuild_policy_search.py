from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huiqi.policies.search import search_index_rebuild


class Command(BaseCommand):
    help = "重建政策库全文检索索引（全部已发布事项）"

    def handle(self, *args: Any, **options: Any) -> None:
        count = search_index_rebuild()
        self.stdout.write(f"已索引 {count} 个已发布事项")
