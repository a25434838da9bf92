"""The portal's daily jobs, registered with matching's scheduler (one run per day across workers)."""

from __future__ import annotations

import logging

from huiqi.matching.scheduling import Schedule, daily_at, register

log = logging.getLogger(__name__)


def _daily_reminders() -> None:
    from .services import reminders_run_daily

    log.info("portal reminders sent: %s", reminders_run_daily())


def register_schedules() -> None:
    register(Schedule("portal.reminders", "每日 08:30 政策提醒（新匹配、截止提醒、应享未享）", daily_at(8, 30),
                      _daily_reminders))
