"""Every subcommand `huiqi --help` lists is really there."""

from __future__ import annotations

import importlib

import pytest
from django.core.management import get_commands

from huiqi.cli import DJANGO_COMMANDS, NESTED, PURE_COMMANDS, build_parser, main


def test_every_listed_django_subcommand_has_a_management_command() -> None:
    available = get_commands()
    wanted = [command for command, _ in DJANGO_COMMANDS.values()] + [command for command, _ in NESTED.values()]
    assert [command for command in wanted if command not in available] == []


def test_every_pure_subcommand_imports_without_django() -> None:
    for module, function in PURE_COMMANDS.values():
        assert callable(getattr(importlib.import_module(module), function))


def test_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ["up", "extract", "match-batch", "demo", "import-enterprises", "worker", "audit", "profile", "policy"]:
        assert name in out
    assert build_parser().prog == "huiqi"


def test_an_unknown_subcommand_fails_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "未知的子命令" in capsys.readouterr().err
