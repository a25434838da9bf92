"""Keeping the holiday calendar as data and computing deadlines with it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from cnstd.workdays import seed_from_chinesecalendar
from huiqi.audit.services import audit_record

from .models import CalendarDay, CalendarYear

CHINESECALENDAR_SOURCE = "chinesecalendar 程序包（国务院办公厅历年放假安排）"


def calendar_year_save(*, actor: Any, year: int, holidays: Iterable[tuple[date, str]],
                       workdays: Iterable[date], source: str) -> CalendarYear:
    """Replace one year's arrangement: statutory holidays (with names) and 调休 working days."""
    holidays = list(holidays)
    workdays = list(workdays)
    wrong_year = [d for d, _ in holidays if d.year != year] + [d for d in workdays if d.year != year]
    if wrong_year:
        raise ValueError(f"日期 {wrong_year[0].isoformat()} 不属于 {year} 年")
    clash = {d for d, _ in holidays} & set(workdays)
    if clash:
        raise ValueError(f"{min(clash).isoformat()} 不能既是节假日又是调休上班日")
    with transaction.atomic():
        before = sorted(CalendarDay.objects.filter(year_id=year).values_list("day", "kind"))
        entry, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        CalendarDay.objects.filter(year=entry).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(day=d, kind=CalendarDay.Kind.HOLIDAY, name=name, year=entry) for d, name in holidays]
            + [CalendarDay(day=d, kind=CalendarDay.Kind.WORKDAY, year=entry) for d in workdays]
        )
        audit_record(actor=actor, action="calendar.year_save", obj=entry,
                     before={"days": [[d.isoformat(), k] for d, k in before]} if before else None,
                     after={"holidays": len(holidays), "workdays": len(workdays), "source": source})
    return entry


def calendar_seed_if_empty(*, using: str = "default") -> int:
    """Load every year chinesecalendar knows, once, on a fresh database."""
    if CalendarYear.objects.using(using).exists():
        return 0
    by_year: dict[int, tuple[list[tuple[date, str]], list[date]]] = {}
    for day, kind, name in seed_from_chinesecalendar(range(2004, date.today().year + 2)):
        holidays, workdays = by_year.setdefault(day.year, ([], []))
        if kind == "holiday":
            holidays.append((day, name))
        else:
            workdays.append(day)
    for year, (holidays, workdays) in sorted(by_year.items()):
        calendar_year_save(actor=None, year=year, holidays=holidays, workdays=workdays,
                           source=CHINESECALENDAR_SOURCE)
    return len(by_year)
