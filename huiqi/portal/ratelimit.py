"""Per-IP rate limits kept in Django's cache (fixed windows): 一键匹配 must not become a way to
walk the enterprise list."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

LIMITS: dict[str, tuple[int, int]] = {"quick": (30, 60), "suggest": (120, 60)}
MESSAGE = "查询过于频繁，请稍后再试（每分钟最多 {limit} 次）"


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def limit_of(bucket: str) -> tuple[int, int]:
    configured = getattr(settings, "HUIQI_RATE_LIMITS", {}) or {}
    limit, window = configured.get(bucket, LIMITS[bucket])
    return int(limit), int(window)


def over_limit(request: HttpRequest, bucket: str) -> str:
    """Counts this request; returns the Chinese message when the client is over its limit."""
    limit, window = limit_of(bucket)
    slot = int(time.time() // window)
    key = f"portal:rl:{bucket}:{client_ip(request)}:{slot}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            count = 1
    return MESSAGE.format(limit=limit) if count > limit else ""
