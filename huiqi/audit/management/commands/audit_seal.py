from typing import Any

from django.core.management.base import BaseCommand

from huiqi.audit.services import audit_seal


class Command(BaseCommand):
    help = "封存审计日志：把已提交的新记录串入带密钥的哈希链，并写入签名检查点"

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal()
        self.stdout.write(f"已封存 {sealed} 条新审计记录。")
