"""The shared clock kernel: working-day deadlines, pauses, hour clocks, red/yellow lights and ONE sweep.

Usage::

    from huiqi.core.deadlines import Alert, Deadline, deadline_start, deadline_pause, deadline_resume, sweep

    class Ticket(Deadline):            # abstract model: started_on, days, warn_days, pauses,
        ...                            # paused_since, due_at, due_time, colour, colour_changed_at

    calendar = work_calendar()         # huiqi.workdays.selectors
    Ticket.objects.create(..., **deadline_start(now=now, days=2, warn_days=1, calendar=calendar))
    Ticket.objects.create(..., **deadline_start(now=now, hours=24, warn_days=1, calendar=calendar))
    Ticket.objects.filter(pk=t.pk, paused_since__isnull=True).update(**deadline_pause(today=today))
    Ticket.objects.filter(pk=t.pk, paused_since=t.paused_since).update(
        **deadline_resume(t, today=today, calendar=calendar))

    report = sweep(Ticket.objects.filter(status__in=OPEN), now=now, calendar=calendar,
                   dedupe_prefix="ticket-deadline", audit_action="ticket.colour", alert=alert_for)

The rules (every deadline on the platform follows them):

* **Working-day clock.** The start day (受理日) is day 0 whatever kind of day it is; counting
  starts the next day; holidays and rest days of the holiday calendar (huiqi/workdays, with the
  调休 weekend days that are worked) are not counted. ``due_at`` is the date of the N-th working
  day: the thing is on time while it is finished on or before that date.
* **Pauses.** While waiting for the enterprise (补正, 补充说明) the clock stops: the pause runs
  from the day after ``paused_since`` to the day of resumption, both included, and the working
  days inside it are not counted, so the due date moves on by exactly the paused working days.
  The object is shown as 暂停计时 and is never coloured by the sweep while paused.
* **Hour clock** (e.g. 签收 within 24 hours). Hours elapse only while the Asia/Shanghai calendar
  day is a working day (a working day offers its whole 24 hours; rest days offer none). So
  24 hours from Friday 18:00 end on the next working day at 18:00 (Monday, or the 调休 Sunday if
  that Sunday is worked); from Saturday 10:00 they run from Monday 00:00 and end at Monday 24:00
  (Tuesday 00:00); 24 hours from the last working day before a 7-day holiday end the first working
  day after it. ``due_time`` holds the instant and ``due_at`` its local date. Hour clocks are not
  paused (a pause applies to the working-day clock only).
* **Lights** (莆田 红黄灯). Red once the due date is past (for an hour clock: once ``due_time`` is
  past); yellow while fewer than ``warn_days`` working days remain after today up to and
  including the due date (so ``warn_days = 1`` is yellow on the due day only); green otherwise.
  ``warn_date`` gives the first yellow day. ``warn_days = 0`` never turns yellow.
* **The sweep** recolours each open, unpaused row with a compare-and-set UPDATE on its old colour,
  so two sweeps running at once change and announce each light once; for every new yellow or red
  it asks the app's ``alert`` callback whom to tell (handler, dispatcher, supervisors) and sends
  through huiqi.notifications with the dedupe key ``<prefix>:<pk>:<colour>:<due_at>`` (a new due
  date after a pause or 延期 may warn again). Each change is audited.
* **Scheduling.** Each app registers its own sweep ONCE with the platform scheduler
  (``huiqi.matching.scheduling.register`` in the app's schedules.py, imported from its AppConfig
  ``ready``): daily for working-day clocks (fulfilment: 07:00), hourly where an hour clock runs.
  ``sweep`` takes ``now``; the app's job passes ``timezone.now()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from cnstd.workdays import WorkCalendar
from huiqi.audit.services import audit_record
from huiqi.notifications.services import notify

_DAY = timedelta(days=1)


class Colour(models.TextChoices):
    GREEN = "green", "正常"
    YELLOW = "yellow", "黄灯预警"
    RED = "red", "红灯超期"
    PAUSED = "paused", "暂停计时"
    DONE = "done", "已办结"


ALERT_WORDS = {Colour.YELLOW: "即将到期（黄灯）", Colour.RED: "已超期（红灯）"}


# -- pure date maths ---------------------------------------------------------------------------


def due_date(*, start: date, days: int, calendar: WorkCalendar, pauses: Sequence[tuple[date, date]] = ()) -> date:
    """The N-th working day after ``start`` (day 0), skipping paused days."""
    return calendar.add_workdays(start, days, pauses=pauses)


def colour_for(*, due_at: date, warn_days: int, today: date, calendar: WorkCalendar) -> str:
    """Red when overdue; yellow when fewer than ``warn_days`` working days remain; else green."""
    if today > due_at:
        return Colour.RED
    if calendar.workdays_between(today, due_at) < warn_days:
        return Colour.YELLOW
    return Colour.GREEN


def warn_date(*, due_at: date, warn_days: int, calendar: WorkCalendar) -> date | None:
    """The first day ``colour_for`` says yellow (None when ``warn_days`` is 0): going back from
    the due date while fewer than ``warn_days`` working days would remain."""
    if warn_days <= 0:
        return None
    day, remaining = due_at, 0
    while True:
        before = remaining + (1 if calendar.is_workday(day) else 0)
        if before >= warn_days:
            return day
        day, remaining = day - _DAY, before


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def add_work_hours(*, start: datetime, hours: int, calendar: WorkCalendar) -> datetime:
    """The instant ``hours`` hours after ``start`` counting only time on working days (Asia/Shanghai)."""
    if hours < 0:
        raise ValueError("小时数不能为负数")
    remaining = timedelta(hours=hours)
    cursor = timezone.localtime(start)
    while True:
        day = cursor.date()
        end = _local_midnight(day + _DAY)
        if calendar.is_workday(day):
            span = end - cursor
            if remaining <= span:
                return cursor + remaining
            remaining -= span
        cursor = end


def end_of_day(day: date) -> datetime:
    """The last instant of a local day, for showing a date deadline as a moment (API ``due_at``)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def paused_intervals(pauses: Sequence[Sequence[str]]) -> list[tuple[date, date]]:
    return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in pauses]


# -- the abstract model ------------------------------------------------------------------------


class Deadline(models.Model):
    """Something handled on a clock (a review node, a 诉求 ticket's stage, a 督办 order, a
    commitment): when it started, its allowance in working days, the pauses, the due date and
    the light the sweep keeps current. Field values come from ``deadline_start`` /
    ``deadline_pause`` / ``deadline_resume``; ``colour`` changes only by compare-and-set."""

    Colour = Colour

    started_on = models.DateField("起算日")
    days = models.PositiveSmallIntegerField("办理时限（工作日）")
    warn_days = models.PositiveSmallIntegerField("预警天数（工作日）", default=0)
    pauses = models.JSONField("暂停计时区间", default=list, blank=True,
                              help_text='[["2025-09-30", "2025-10-09"], ...]，含首尾两日')
    paused_since = models.DateField("暂停计时开始日", null=True, blank=True)
    due_at = models.DateField("办理期限", null=True, blank=True, db_index=True)
    due_time = models.DateTimeField("办理期限（时刻）", null=True, blank=True,
                                    help_text="按小时计的时限（如 24 小时签收）到期的时刻")
    colour = models.CharField("时限状态", max_length=10, choices=Colour.choices, default=Colour.GREEN, db_index=True)
    colour_changed_at = models.DateTimeField("时限状态变更时间", null=True, blank=True)

    class Meta:
        abstract = True

    def pause_intervals(self) -> list[tuple[date, date]]:
        return paused_intervals(self.pauses)

    def colour_at(self, *, now: datetime, calendar: WorkCalendar) -> str:
        """The light this clock should show at ``now`` (ignores pauses and completion)."""
        assert self.due_at is not None
        if self.due_time is not None and now > self.due_time:
            return Colour.RED
        return colour_for(due_at=self.due_at, warn_days=self.warn_days, today=timezone.localtime(now).date(),
                          calendar=calendar)


def deadline_start(*, now: datetime, calendar: WorkCalendar, days: int = 0, hours: int | None = None,
                   warn_days: int = 0) -> dict[str, Any]:
    """Field values of a clock starting at ``now``: ``days`` working days, or ``hours`` on the hour clock."""
    today = timezone.localtime(now).date()
    due_time = None
    if hours is not None:
        due_time = add_work_hours(start=now, hours=hours, calendar=calendar)
        due = timezone.localtime(due_time).date()
        days = calendar.workdays_between(today, due)
    else:
        due = due_date(start=today, days=days, calendar=calendar)
    colour = Colour.RED if due_time is not None and now > due_time else colour_for(
        due_at=due, warn_days=warn_days, today=today, calendar=calendar)
    return {"started_on": today, "days": days, "warn_days": warn_days, "pauses": [], "paused_since": None,
            "due_at": due, "due_time": due_time, "colour": colour, "colour_changed_at": now}


def deadline_pause(*, today: date, now: datetime | None = None) -> dict[str, Any]:
    """Field values that stop the clock from tomorrow (use with ``filter(paused_since__isnull=True)``)."""
    return {"paused_since": today, "colour": Colour.PAUSED, "colour_changed_at": now or timezone.now()}


def deadline_resume(clock: Deadline, *, today: date, calendar: WorkCalendar, now: datetime | None = None,
                    extra_days: int = 0) -> dict[str, Any]:
    """Field values that restart a paused clock today: the pause (the day after ``paused_since``
    through today) is recorded and the due date moves on by its working days. ``extra_days`` also
    lengthens the allowance (延期) — it works on a running clock too (then no pause is added)."""
    pauses = [list(p) for p in clock.pauses]
    if clock.paused_since is not None:
        begin = clock.paused_since + _DAY
        if begin <= today:
            pauses.append([begin.isoformat(), today.isoformat()])
    days = clock.days + extra_days
    due = due_date(start=clock.started_on, days=days, calendar=calendar, pauses=paused_intervals(pauses))
    return {"pauses": pauses, "paused_since": None, "days": days, "due_at": due, "due_time": None,
            "colour": colour_for(due_at=due, warn_days=clock.warn_days, today=today, calendar=calendar),
            "colour_changed_at": now or timezone.now()}


# -- the sweep ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """Whom to tell about a new yellow or red light, and what (Chinese)."""

    recipients: Sequence[Any]
    title: str
    body: str
    link: str = ""


@dataclass
class SweepReport:
    checked: int = 0
    changed: dict[str, int] = field(default_factory=dict)
    notified: int = 0


def sweep(queryset: models.QuerySet[Any], *, now: datetime, calendar: WorkCalendar, dedupe_prefix: str,
          audit_action: str, alert: Callable[[Any, str], Alert | None],
          category: str = "deadline") -> SweepReport:
    """Recolour every unpaused row of ``queryset`` (the caller's "still open" filter) whose light
    changed at ``now``. Each change is one transaction: a compare-and-set UPDATE on the old colour
    (a concurrent sweep that already changed it wins and this one skips the row), an audit record,
    and — for a new yellow or red — ``alert(row, colour)`` (which may also write the app's own
    timeline) and the notifications, deduplicated per row, colour and due date."""
    report = SweepReport()
    rows = queryset.filter(paused_since__isnull=True, due_at__isnull=False)
    for row in rows.iterator(chunk_size=1000):
        report.checked += 1
        colour = row.colour_at(now=now, calendar=calendar)
        if colour == row.colour:
            continue
        with transaction.atomic():
            won = queryset.filter(pk=row.pk, colour=row.colour, paused_since__isnull=True,
                                  due_at=row.due_at).update(colour=colour, colour_changed_at=now)
            if not won:
                continue
            report.changed[colour] = report.changed.get(colour, 0) + 1
            audit_record(actor=None, action=audit_action, obj=row, before={"colour": row.colour},
                         after={"colour": colour, "due_at": row.due_at})
            if colour not in ALERT_WORDS:
                continue
            message = alert(row, colour)
            if message is None:
                continue
            sent = notify(recipients=message.recipients, category=category, title=message.title, body=message.body,
                          link=message.link, dedupe_key=f"{dedupe_prefix}:{row.pk}:{colour}:{row.due_at}")
            report.notified += len(sent)
    return report
