from __future__ import annotations

from datetime import date

from django.db.models import Max

from cnstd.workdays import WorkCalendar

from .models import CalendarDay, CalendarYear

_cache: dict[str, object] = {}


def work_calendar() -> WorkCalendar:
    """The calendar as loaded in the database, rebuilt only when an administrator changed it."""
    stamp = (CalendarYear.objects.aggregate(m=Max("loaded_at"))["m"], CalendarYear.objects.count())
    if _cache.get("stamp") != stamp:
        days = list(CalendarDay.objects.values_list("day", "kind"))
        _cache["calendar"] = WorkCalendar(
            holidays=[d for d, k in days if k == CalendarDay.Kind.HOLIDAY],
            extra_workdays=[d for d, k in days if k == CalendarDay.Kind.WORKDAY],
            years=CalendarYear.objects.values_list("year", flat=True),
        )
        _cache["stamp"] = stamp
    calendar = _cache["calendar"]
    assert isinstance(calendar, WorkCalendar)
    return calendar


def calendar_warnings(today: date) -> list[str]:
    """Chinese warnings for administrators: the coming year has no holiday arrangement yet."""
    return [
        f"{year} 年的节假日安排尚未录入：{year} 年的办理时限将无法计算，请在国务院办公厅发布放假安排后录入。"
        for year in work_calendar().missing_years(today)
    ]
