"""`huiqi`: the one command of the platform.

Pure subcommands (extract, match-batch) run without Django so that other tools can call them
fast; the rest set Django up and run a management command.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

PURE_COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("policytext.cli", "extract_main"),
    "match-batch": ("rules.cli", "match_batch_main"),
}

# subcommand -> (management command, help)
DJANGO_COMMANDS: dict[str, tuple[str, str]] = {
    "migrate": ("migrate", "创建或升级数据库表"),
    "demo": ("load_demo", "载入演示数据（福建九市企业、政策事项、各角色演示账号）"),
    "import-enterprises": ("import_enterprises", "从 Excel/CSV 导入企业数据（整文件成功或整文件不变）"),
    "worker": ("run_worker", "启动后台任务进程（批量匹配、时限巡检、通知）"),
    "calendar": ("calendar_status", "查看工作日历覆盖的年份，提示缺少的年份"),
}
NESTED: dict[tuple[str, str], tuple[str, str]] = {
    ("audit", "verify"): ("audit_verify", "封存并校验审计日志哈希链，发现被改动、删除、清空或回退的记录"),
    ("admin", "create"): ("admin_create", "部署时创建三员账号（之后新增须由三员中的两人共同批准）"),
    ("audit", "seal"): ("audit_seal", "封存审计日志新记录并写入签名检查点（后台任务进程每分钟自动执行）"),
    ("profile", "export"): ("profile_export", "按 RULES.md §2 导出企业画像 JSON（每行一家企业）"),
    ("policy", "export"): ("policy_export", "按 RULES.md §5 导出已发布的政策事项 JSON（每行一个事项）"),
}


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _call(command: str, argv: Sequence[str]) -> int:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["huiqi", command, *argv])
    return 0


def gunicorn_command(*, host: str, port: int, workers: int) -> list[str]:
    """The production web server as `huiqi up` starts it (config/gunicorn_conf.py drops the
    Server header)."""
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c", "python:config.gunicorn_conf",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--threads", "4", "--access-logfile", "-", "--timeout", "120",
    ]


def _up(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="huiqi up",
        description="一条命令启动平台：收集静态文件，启动后台任务进程和生产级 Web 服务器。"
                    "SQLite 演示模式下同时建表并在空库中载入演示数据；PostgreSQL（生产）下建表由单独的部署步骤"
                    " `huiqi migrate` 完成，演示数据只在加 --demo 时载入。")
    parser.add_argument("--host", default=os.environ.get("HUIQI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUIQI_PORT", "8000")))
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("HUIQI_WEB_WORKERS", "3")))
    parser.add_argument("--demo", action="store_true", help="在空库中载入演示数据（PostgreSQL 下也载入；含公开的演示密码）")
    parser.add_argument("--no-demo", action="store_true", help="SQLite 演示模式下也不载入演示数据")
    parser.add_argument("--migrate", action="store_true", help="启动前建表或升级（PostgreSQL 下默认不做，请用 huiqi migrate）")
    parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
    args = parser.parse_args(argv)
    from config.environment import require_production_secrets

    require_production_secrets("huiqi up")
    _django_setup()
    from django.core.management import call_command
    from django.db import connection

    embedded = connection.vendor == "sqlite"
    if embedded:  # the demo keeps its text messages as files under var/sms (the worker inherits this)
        os.environ.setdefault("HUIQI_SMS_BACKEND", "huiqi.notifications.sms.FileSmsBackend")
    if embedded or args.migrate or args.demo:
        call_command("migrate", interactive=False, verbosity=1)
    if (embedded and not args.no_demo) or args.demo:
        call_command("load_demo", if_empty=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    # A plain `kill` (SIGTERM) must stop the worker and the web server too, not orphan them.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    children: list[subprocess.Popen[bytes]] = []
    if not args.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "huiqi.cli", "worker"]))
    gunicorn = gunicorn_command(host=args.host, port=args.port, workers=args.web_workers)
    print(f"惠企直达已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    web = subprocess.Popen(gunicorn, cwd=str(Path(__file__).resolve().parent.parent))
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in [web, *children]:
            if child.poll() is None:
                child.terminate()
        for child in [web, *children]:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def _pure(module: str, function: str) -> Callable[[Sequence[str]], int]:
    def run(argv: Sequence[str]) -> int:
        import importlib

        entry = getattr(importlib.import_module(module), function)
        return int(entry(list(argv)) or 0)

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huiqi",
        description="惠企直达：政策找企、免申即享、直达账户。",
        epilog="各子命令的参数：huiqi <子命令> --help",
    )
    sub = parser.add_subparsers(dest="command", metavar="<子命令>")
    sub.add_parser("up", help="一条命令启动平台（SQLite + 演示数据 + 生产级服务器，http://127.0.0.1:8000；PostgreSQL 下先运行 huiqi migrate）", add_help=False)
    sub.add_parser("extract", help="从政策文件或条款抽取规则（RULES.md §7）", add_help=False)
    sub.add_parser("match-batch", help="批量匹配：企业画像 × 政策事项（RULES.md §7）", add_help=False)
    for name, (_, text) in DJANGO_COMMANDS.items():
        sub.add_parser(name, help=text, add_help=False)
    for group in sorted({g for g, _ in NESTED}):
        nested = sub.add_parser(group, help="、".join(t for (g, _), (_, t) in NESTED.items() if g == group))
        nested_sub = nested.add_subparsers(dest="action", metavar="<操作>")
        for (g, action), (_, text) in NESTED.items():
            if g == group:
                nested_sub.add_parser(action, help=text, add_help=False)
    sub.add_parser("manage", help="运行任意 Django 管理命令（高级）", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    own_process = argv is None  # the real command line, not a call from a test or another command
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        build_parser().print_help()
        return 0
    command, rest = argv[0], argv[1:]
    if command == "up":
        return _up(rest)
    if command == "match-batch" and own_process:
        from rules.cli import match_batch_main

        return match_batch_main(rest, own_process=True)
    if command in PURE_COMMANDS:
        return _pure(*PURE_COMMANDS[command])(rest)
    if command in DJANGO_COMMANDS:
        if command == "worker":
            from config.environment import require_production_secrets

            require_production_secrets("后台任务进程（huiqi worker）")
        return _call(DJANGO_COMMANDS[command][0], rest)
    if command == "manage":
        if not rest:
            return _call("help", [])
        return _call(rest[0], rest[1:])
    if rest and (command, rest[0]) in NESTED:
        return _call(NESTED[(command, rest[0])][0], rest[1:])
    build_parser().print_help(sys.stderr)
    print(f"\n未知的子命令：{' '.join(argv[:2])}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
