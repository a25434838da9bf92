"""`huiqi demo` / `manage.py load_demo`: the deterministic demo data set (see huiqi/demo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiqi.demo.loader import DEFAULT_ENTERPRISES, DEFAULT_SEED, DEMO_PASSWORD, DemoLoadError, load_demo


class Command(BaseCommand):
    help = "载入演示数据：福建九市及所属县（市、区）的部门、企业、政策事项和各角色演示账号（同一种子每次结果相同）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="库中已有企业时什么也不做（huiqi up 每次启动时调用）")
        parser.add_argument("--enterprises", type=int, default=DEFAULT_ENTERPRISES,
                            help=f"企业数量（默认 {DEFAULT_ENTERPRISES}）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_demo(enterprises=options["enterprises"], seed=options["seed"], if_empty=options["if_empty"],
                               progress=lambda message: self.stdout.write(f"  {message}"))
        except DemoLoadError as exc:
            raise CommandError(str(exc)) from exc
        if report.skipped:
            self.stdout.write("库中已有企业数据，跳过演示数据载入。")
            return
        self.stdout.write(self.style.SUCCESS(f"演示数据载入完成，用时 {report.seconds:.1f} 秒。"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        width = max(len(username) for username, *_ in report.accounts)
        for username, role, bound, note in report.accounts:
            self.stdout.write(f"  {username.ljust(width)}  {role}  {bound}  {note}")
