"""The daily deadline sweep, registered with the platform scheduler (matching.scheduling)."""

from __future__ import annotations

from django.utils import timezone

from huiqi.matching.scheduling import Schedule, daily_at, register


def _sweep() -> None:
    from .services import deadline_sweep

    now = timezone.now()
    deadline_sweep(today=timezone.localdate(now), now=now)


register(Schedule("fulfilment.deadline_sweep", "每日 07:00 审核时限红黄灯扫描", daily_at(7), _sweep))
