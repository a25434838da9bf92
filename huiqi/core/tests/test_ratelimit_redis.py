"""The rate limit as several web hosts count it: in Redis, one counter per client and window
whichever host's cache client adds to it, stored as Django's Redis cache stores cache.incr's
integers, and expiring with its window."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from huiqi.core.ratelimit import over_limit
from tests.shared import in_ci

WINDOW = 60


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[str]:
    """Django's default cache in Redis (HUIQI_TEST_REDIS_URL), under a key prefix of this test only."""
    import redis

    url = os.environ.get("HUIQI_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if in_ci():
            raise
        pytest.skip(f"Redis 不可用（{url}）")
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": prefix}}
    settings.HUIQI_RATE_LIMITS = {"quick": (4, WINDOW)}
    yield url
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _ask() -> tuple[int, str]:
    """One request of 10.0.0.7 counted by this thread's cache client (a host of its own)."""
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    return id(backend), over_limit(RequestFactory().get("/api/quick-match", REMOTE_ADDR="10.0.0.7"), "quick")


def test_two_hosts_cache_clients_count_one_limit_that_expires_with_its_window(redis_cache: str) -> None:
    import redis

    # One thread per host: each keeps its own RedisCache instance and connection pool.
    with ThreadPoolExecutor(max_workers=1) as host_a, ThreadPoolExecutor(max_workers=1) as host_b:
        answers = [(host_a if n % 2 == 0 else host_b).submit(_ask).result() for n in range(5)]
    assert len({backend for backend, _message in answers}) == 2, "two distinct cache clients"
    assert [message for _backend, message in answers][:4] == ["", "", "", ""]
    assert "查询过于频繁" in answers[4][1] and "4 次" in answers[4][1]

    backend = caches["default"]
    keys = [k.decode() for k in redis.Redis.from_url(redis_cache).scan_iter(backend.make_key("rl:quick:10.0.0.7:*"))]
    assert len(keys) == 1, keys
    key = keys[0]
    assert backend.get(key.split(":", 2)[2]) == 5  # what cache.incr would have stored: a plain integer
    assert 0 < redis.Redis.from_url(redis_cache).ttl(key) <= WINDOW + 5, "the counter expires with its window"
