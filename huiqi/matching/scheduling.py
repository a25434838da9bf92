"""Periodic jobs. Each schedule is a row with its next run time; a worker claims a due row with
a compare-and-set UPDATE (healthchecks.io style), so with several workers each run happens once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .models import MatchJob, ScheduleSlot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    name: str
    label: str
    next_after: Callable[[datetime], datetime]
    run: Callable[[], None]


def daily_at(hour: int, minute: int = 0) -> Callable[[datetime], datetime]:
    def next_after(moment: datetime) -> datetime:
        local = timezone.localtime(moment)
        candidate = timezone.make_aware(datetime.combine(local.date(), time(hour, minute)))
        return candidate if candidate > moment else candidate + timedelta(days=1)

    return next_after


def every(interval: timedelta) -> Callable[[datetime], datetime]:
    return lambda moment: moment + interval


def _full_match() -> None:
    from .services import match_job_create

    match_job_create(kind=MatchJob.Kind.FULL, reason="每日定时全量匹配")


def resume_stale_jobs() -> list[str]:
    """Queue again every background job whose worker stopped beating (match and import jobs)."""
    from huiqi.enterprises.importing import import_jobs_resume_stale

    from .services import match_jobs_resume_stale

    return ([f"matching:{pk}" for pk in match_jobs_resume_stale()]
            + [f"import:{pk}" for pk in import_jobs_resume_stale()])


SCHEDULES: list[Schedule] = [
    Schedule("matching.full", "每日 02:00 全量匹配", daily_at(2), _full_match),
    Schedule("jobs.resume_stale", "每分钟接管心跳中断的后台任务", every(timedelta(minutes=1)),
             lambda: None if resume_stale_jobs() else None),
]


def register(schedule: Schedule) -> None:
    """Other apps add their periodic jobs (deadline sweeps, reminders) here at import time."""
    if all(existing.name != schedule.name for existing in SCHEDULES):
        SCHEDULES.append(schedule)


def run_due(now: datetime | None = None) -> list[str]:
    """Run every schedule that is due and that this worker wins; returns the names run."""
    now = now or timezone.now()
    ran: list[str] = []
    for schedule in SCHEDULES:
        slot, created = ScheduleSlot.objects.get_or_create(
            name=schedule.name, defaults={"next_run_at": schedule.next_after(now)})
        if created or slot.next_run_at > now:
            continue
        with transaction.atomic():
            claimed = ScheduleSlot.objects.filter(name=schedule.name, next_run_at=slot.next_run_at).update(
                next_run_at=schedule.next_after(now), last_run_at=now)
            if not claimed:
                continue
            log.info("running scheduled job %s", schedule.name)
            schedule.run()
        ran.append(schedule.name)
    return ran
