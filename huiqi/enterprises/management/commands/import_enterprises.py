"""`huiqi import-enterprises FILE --source 市场监管 --as-of 2025-03-31`: all rows or none."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiqi.enterprises.importing import import_enterprises


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of 应为日期，如 2025-03-31（{text}）") from None


class Command(BaseCommand):
    help = "从 Excel（.xlsx）或 CSV 导入企业数据：先校验全部行，有错误则整个文件不导入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".xlsx 或 .csv 文件（模板见企业库导入页面）")
        parser.add_argument("--source", default="", help="数据来源，如 市场监管、税务、统计（文件中「数据来源」列优先）")
        parser.add_argument("--as-of", default="", help="数据日期 YYYY-MM-DD（文件中「数据日期」列优先）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        as_of = _date(options["as_of"]) if options["as_of"] else None
        report = import_enterprises(actor="命令行导入", filename=path.name, data=path.read_bytes(),
                                    source=options["source"], as_of=as_of)
        for warning in report.warnings:
            self.stderr.write(warning)
        for issue in report.errors:
            self.stderr.write(str(issue))
        if not report.ok:
            # CommandError makes `huiqi import-enterprises` exit with status 1.
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
