"""The platform's one rate limiter: per client address, fixed windows, counted in Django's default
cache — Redis when HUIQI_CACHE_URL is set, so a limit is counted across every web host. 一键匹配
must not become a way to walk the enterprise list; the public objection form must not be flooded."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
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
    count = _count(f"rl:{bucket}:{client_ip(request)}:{slot}", timeout=window + 5)
    return message.format(limit=limit) if count > limit else ""


def _count(key: str, *, timeout: int) -> int:
    """Adds one to the counter ``key`` (created with ``timeout``) and returns its new value. In
    Redis one round trip: SET NX EX and INCR in one MULTI (the value is the plain integer Django's
    Redis cache stores for cache.incr). Other caches: incr (add on the window's first request), then
    touch to keep the window's lifetime."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        name = backend.make_and_validate_key(key)
        pipe = _redis_client(backend).pipeline(transaction=True)
        pipe.set(name, 0, ex=timeout, nx=True)
        pipe.incr(name)
        return int(pipe.execute()[1])
    try:
        count = int(backend.incr(key))
    except ValueError:  # the window's first request, or the key expired just now
        backend.add(key, 0, timeout=timeout)
        count = int(backend.incr(key))
    # Django's generic incr (file and database caches) stores the new value with the cache's
    # default lifetime (300 s), which would forget an hour-long window's count after a pause.
    backend.touch(key, timeout=timeout)
    return count


_redis_clients: dict[int, Any] = {}


def _redis_client(backend: RedisCache) -> Any:
    """Django's Redis cache makes a new client (with its table of reply parsers) at every call;
    one per connection pool does (the pool is the client's, so its id is not reused meanwhile)."""
    cache_client: Any = backend._cache  # type: ignore[attr-defined]  # Django's RedisCacheClient
    pool = cache_client._get_connection_pool(write=True)
    client = _redis_clients.get(id(pool))
    if client is None or client.connection_pool is not pool:
        client = _redis_clients[id(pool)] = cache_client.get_client(write=True)
    return client
