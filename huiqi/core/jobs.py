"""What every background job shares: progress that other hosts can see while the job's own
transaction is still open, a heartbeat, and claiming a job — a queued one, or a running one
whose worker stopped beating (killed, host lost) — with one compare-and-set UPDATE.

Progress goes to the "progress" cache (Redis when HUIQI_CACHE_URL is set, so every web host
sees it; a file cache under var/ on one host otherwise), never to a row inside the job's result
transaction, where no other connection could read it before the commit. The heartbeat is
written by a small thread on its own database connection, outside that transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)
PROGRESS_TIMEOUT = 24 * 3600


def stale_after() -> timedelta:
    """A running job whose heartbeat is older than this is taken to be abandoned."""
    return timedelta(seconds=float(getattr(settings, "HUIQI_JOB_STALE_SECONDS", 120)))


def heartbeat_interval() -> float:
    return float(getattr(settings, "HUIQI_JOB_HEARTBEAT_SECONDS", 10))


def progress_report(key: str, *, done: int, total: int) -> None:
    caches["progress"].set(key, (int(done), int(total)), timeout=PROGRESS_TIMEOUT)


def progress_read(key: str) -> tuple[int, int] | None:
    value = caches["progress"].get(key)
    return (int(value[0]), int(value[1])) if value else None


def job_claim(model: type[models.Model], pk: int, *, queued: str, running: str) -> bool:
    """Take a queued job, or a running one whose heartbeat went stale; True if this worker won."""
    now = timezone.now()
    abandoned = Q(state=running) & (Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True,
                                                                                 started_at__lt=now - stale_after()))
    won = model._default_manager.filter(Q(pk=pk) & (Q(state=queued) | abandoned)).update(
        state=running, started_at=now, heartbeat_at=now)
    return won == 1


def stale_jobs(model: type[models.Model], *, running: str) -> list[int]:
    """Ids of running jobs nobody beats for any more."""
    cutoff = timezone.now() - stale_after()
    qs = model._default_manager.filter(Q(state=running) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)))
    return list(qs.values_list("pk", flat=True))


@contextmanager
def heartbeat(model: type[models.Model], pk: int) -> Iterator[None]:
    """While the block runs, stamp the job's heartbeat_at every few seconds from a thread with its
    own connection (so the stamp commits even while the job's transaction is open)."""
    stop = threading.Event()
    in_test_transaction = connection.in_atomic_block  # a test inside one transaction: no thread

    def beat() -> None:
        from django.db import connections

        try:
            while not stop.wait(heartbeat_interval()):
                try:
                    model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now())
                except Exception:  # SQLite busy behind the job's own write lock: try again later
                    log.warning("heartbeat of %s %s not written", model.__name__, pk, exc_info=True)
        finally:
            connections.close_all()

    thread: threading.Thread | None = None
    if not in_test_transaction:
        thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread is not None:
            thread.join(heartbeat_interval() + 5)
