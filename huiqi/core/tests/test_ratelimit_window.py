"""A rate limit lasts its whole window in the single-host caches too (the file cache of the SQLite
demo): a client that pauses longer than the cache's default lifetime (300 s) inside a one-hour
window is still counted from the window's start."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import RequestFactory

from huiqi.core.ratelimit import over_limit


@pytest.mark.parametrize("backend", ["django.core.cache.backends.filebased.FileBasedCache",
                                     "django.core.cache.backends.locmem.LocMemCache"])
def test_an_hour_long_limit_still_counts_after_a_ten_minute_pause(backend: str, settings: Any, tmp_path: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path / "cache")}}
    settings.HUIQI_RATE_LIMITS = {"objection": (3, 3600)}
    window_start = (int(time.time()) // 3600 + 1) * 3600
    clock = [window_start + 10.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    request = RequestFactory().post("/objection", REMOTE_ADDR="10.0.0.9")

    assert [over_limit(request, "objection") for _ in range(3)] == ["", "", ""]
    clock[0] += 600  # ten minutes later, the same hour
    assert over_limit(request, "objection") != "", "第 4 次（同一小时内）应被拒绝"
