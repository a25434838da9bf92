"""Settings for bench_quick_match.py: the production settings with the per-IP rate limit lifted
(all load comes from one loopback address) and the database taken from DATABASE_URL."""

from config.settings import *  # noqa: F403

HUIQI_RATE_LIMITS = {"quick": (10**9, 60), "suggest": (10**9, 60)}
ROOT_URLCONF = "bench.quick_match_urls"
