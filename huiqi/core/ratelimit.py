"""The platform's one rate limiter: per client address, fixed windows, counted in Django's default
cache — Redis when HUIQI_CACHE_URL is set, so a limit is counted across every web host. 一键匹配
must not become a way to walk the enterprise list; the public objection form must not be flooded."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# bucket -> (requests allowed, window in seconds); HUIQI_RATE_LIMITS overrides per bucket.
# "calculator" is generous: the page asks again at each pause in typing.
LIMITS: dict[str, tuple[int, int]] = {"quick": (30, 60), "suggest": (120, 60), "objection": (10, 3600),
                                      "ask": (60, 60), "calculator": (120, 60)}
MESSAGE = "查询过于频繁，请稍后再试（每分钟最多 {limit} 次）"


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def limit_of(bucket: str) -> tuple[int, int]:
    configured = getattr(settings, "HUIQI_RATE_LIMITS", {}) or {}
    limit, window = configured.get(bucket, LIMITS[bucket])
    return int(limit), int(window)


def over_limit(request: HttpRequest, bucket: str, message: str = MESSAGE) -> str:
    """Counts this request; returns the Chinese message when the client is over its limit."""
    limit, window = limit_of(bucket)
    slot = int(time.time() // window)
    key = f"rl:{bucket}:{client_ip(request)}:{slot}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            count = 1
    return message.format(limit=limit) if count > limit else ""
