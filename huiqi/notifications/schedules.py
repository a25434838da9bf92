"""Reaching enterprises' contacts runs in the worker: collect new eligible items daily, send the
queue every minute (claimed per message by compare-and-set, so several workers never double-send)."""

from __future__ import annotations

from datetime import timedelta

from huiqi.matching.scheduling import Schedule, daily_at, every, register


def _collect() -> None:
    from .reach import reach_collect_new_eligible

    reach_collect_new_eligible()


def _send() -> None:
    from .reach import reach_send_queued

    reach_send_queued()


register(Schedule("notifications.reach_collect", "每日 08:40 新发布政策的符合企业（短信、邮件）", daily_at(8, 40), _collect))
register(Schedule("notifications.reach_send", "每分钟 发送企业短信与邮件", every(timedelta(minutes=1)), _send))
