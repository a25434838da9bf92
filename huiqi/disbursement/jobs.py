"""Periodic work of disbursement, registered with the matching scheduler (claimed once per run
by a compare-and-set update, so several workers do not repeat it)."""

from __future__ import annotations

from datetime import timedelta


def _publicity_sweep() -> None:
    from .services import runs_sweep

    runs_sweep()


def _suspects_scan() -> None:
    from .services import suspects_scan

    suspects_scan()


def register_schedules() -> None:
    from huiqi.matching.scheduling import Schedule, daily_at, every, register

    register(Schedule("disbursement.publicity", "每小时 公示期满的免申即享批次转入拨付", every(timedelta(hours=1)),
                      _publicity_sweep))
    register(Schedule("disbursement.suspects", "每日 03:00 不应享错享核查", daily_at(3), _suspects_scan))
