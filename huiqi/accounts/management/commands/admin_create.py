"""Bootstrap a 三员 account on the deployment host (`huiqi admin create`)."""

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from huiqi.accounts.services import AdminAccountRefused, admin_account_create_at_deployment


class Command(BaseCommand):
    help = "部署时创建三员账号（系统管理员、安全管理员、审计管理员）；已有同角色账号时须改用双人批准"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--role", required=True, help="三员角色：sysadmin（系统管理员）、secadmin（安全管理员）、auditor（审计管理员）")
        parser.add_argument("--username", required=True, help="用户名")
        parser.add_argument("--display-name", required=True, help="姓名")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            user = admin_account_create_at_deployment(username=options["username"], password=password,
                                                      role=options["role"], display_name=options["display_name"])
        except AdminAccountRefused as refused:
            raise CommandError(str(refused)) from refused
        except ValidationError as invalid:
            raise CommandError("密码不符合要求：" + "；".join(invalid.messages)) from invalid
        self.stdout.write(f"已创建{user.get_role_display()}账号 {user.username}。")
