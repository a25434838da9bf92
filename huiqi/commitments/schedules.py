"""The daily commitment sweep (reminders, warnings, 催告) and data check, with the platform scheduler."""

from __future__ import annotations

from django.utils import timezone

from huiqi.matching.scheduling import Schedule, daily_at, register


def _sweep() -> None:
    from .services import commitments_check, commitments_sweep

    now = timezone.now()
    commitments_sweep(now=now)
    commitments_check(now=now)


register(Schedule("commitments.sweep", "每日 07:30 承诺事项临期提醒、逾期预警与数据核验", daily_at(7, 30), _sweep))
