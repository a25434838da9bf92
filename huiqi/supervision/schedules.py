"""Scheduled jobs of 评与督, registered with the platform scheduler (matching.scheduling): the
monthly index snapshot (02:30 daily; it stores last month once) and the 07:10 sweep of 督办 and
差评 clocks."""

from __future__ import annotations

from huiqi.matching.scheduling import Schedule, daily_at, register


def _monthly() -> None:
    from .services import index_monthly_job

    index_monthly_job()


def _sweeps() -> None:
    from .services import cases_sweep, orders_sweep

    orders_sweep()
    cases_sweep()


register(Schedule("supervision.index_monthly", "每日 02:30 检查并生成上月督查指数快照", daily_at(2, 30), _monthly))
register(Schedule("supervision.deadline_sweep", "每日 07:10 督办与差评整改红黄灯扫描", daily_at(7, 10), _sweeps))
