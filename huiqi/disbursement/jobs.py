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


def _cash_promises_sweep() -> None:
    from django.utils import timezone

    from .services import cash_promises_sweep

    cash_promises_sweep(now=timezone.now())


def register_schedules() -> None:
    from huiqi.matching.scheduling import Schedule, daily_at, every, register

    register(Schedule("disbursement.publicity", "每小时 公示期满的免申即享批次转入拨付", every(timedelta(hours=1)),
                      _publicity_sweep))
    register(Schedule("disbursement.cash_promises", "每日 07:10 承诺兑现时限红黄灯扫描", daily_at(7, 10),
                      _cash_promises_sweep))
    register(Schedule("disbursement.suspects", "每日 03:00 不应享错享核查", daily_at(3), _suspects_scan))
