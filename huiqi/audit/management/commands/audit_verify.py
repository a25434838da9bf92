from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huiqi.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被改动或删除的记录"

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"审计日志完整：共校验 {report.checked} 条记录，哈希链无断裂。")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"审计日志校验失败：{len(report.problems)} 处问题（共 {report.checked} 条记录）")
