"""Parsing in a child process: results and exceptions come back; memory and time are capped."""

from __future__ import annotations

import time

import pytest

from huiqi.core.sandbox import SandboxRefused, run_limited


def _hoard() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(32 * 1024 * 1024))


def _fail() -> None:
    raise ValueError("第 3 行格式错误")


def test_the_childs_result_is_returned() -> None:
    assert run_limited(sorted, [3, 1, 2]) == [1, 2, 3]


def test_an_exception_in_the_child_is_raised_again_with_its_type_and_message() -> None:
    with pytest.raises(ValueError, match="第 3 行格式错误"):
        run_limited(_fail)


def test_a_child_that_exhausts_its_memory_cap_is_refused_in_chinese() -> None:
    with pytest.raises(SandboxRefused, match="内存超过上限"):
        run_limited(_hoard, memory_bytes=128 * 1024 * 1024, what="测试文件")


def test_a_child_that_runs_past_its_time_limit_is_stopped() -> None:
    with pytest.raises(SandboxRefused, match="秒仍未完成"):
        run_limited(time.sleep, 30, timeout=0.5)
