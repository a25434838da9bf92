"""The hourly deadline sweep of requests (签收 is an hour clock), registered once with the scheduler."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from huiqi.matching.scheduling import Schedule, every, register


def _sweep() -> None:
    from .services import ticket_sweep

    ticket_sweep(now=timezone.now())


register(Schedule("tickets.deadline_sweep", "每小时 诉求签收与答复时限红黄灯扫描", every(timedelta(hours=1)), _sweep))
