from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huiqi.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链：先封存新记录，再在同一快照中发现被改动、删除、清空或回退的记录"

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"审计日志完整：共校验 {report.checked} 条记录，哈希链无断裂，与外部检查点一致。")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"审计日志校验失败：{len(report.problems)} 处问题（共 {report.checked} 条记录）")
