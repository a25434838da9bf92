from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from huiqi.matching.scheduling import resume_stale_jobs, run_due

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "后台任务进程：执行排队的匹配等任务，并按时触发定时任务"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schedule-interval", type=float, default=30.0, help="检查定时任务的间隔（秒）")
        parser.add_argument("--batch", action="store_true", help="处理完当前排队任务后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        # Jobs a killed worker left running (stale heartbeat) are queued again before we start.
        for job in resume_stale_jobs():
            log.warning("resumed abandoned job %s", job)
        stop = threading.Event()
        if not options["batch"]:
            threading.Thread(target=self._scheduler, args=(stop, options["schedule_interval"]), daemon=True).start()
        try:
            call_command("db_worker", batch=options["batch"], verbosity=options.get("verbosity", 1))
        finally:
            stop.set()

    def _scheduler(self, stop: threading.Event, interval: float) -> None:
        while not stop.wait(interval):
            try:
                run_due()
            except Exception:  # the scheduler must survive a database hiccup
                log.exception("scheduler tick failed")
            finally:
                close_old_connections()
