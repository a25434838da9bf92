"""Every subcommand `huiqi --help` lists is really there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

from huiqi.cli import DJANGO_COMMANDS, NESTED, PURE_COMMANDS, build_parser, main

REPO = Path(__file__).resolve().parents[3]


def test_every_listed_django_subcommand_has_a_management_command() -> None:
    available = get_commands()
    wanted = [command for command, _ in DJANGO_COMMANDS.values()] + [command for command, _ in NESTED.values()]
    assert [command for command in wanted if command not in available] == []


def test_every_pure_subcommand_imports_without_django() -> None:
    """In a fresh interpreter (this one has Django loaded already): importing the pure entry
    points must not pull Django in."""
    script = (
        "import importlib, sys\n"
        f"for module, function in {sorted(PURE_COMMANDS.values())!r}:\n"
        "    assert callable(getattr(importlib.import_module(module), function)), module\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'huiqi.', 'config.')))\n"
        "print(' '.join(loaded))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ["up", "extract", "match-batch", "demo", "import-enterprises", "worker", "audit", "profile", "policy"]:
        assert name in out
    assert build_parser().prog == "huiqi"


def test_an_unknown_subcommand_fails_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "未知的子命令" in capsys.readouterr().err
