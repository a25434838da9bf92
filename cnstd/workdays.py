"""Working-day calendar (工作日) for government deadlines, built from data.

行政许可法 第82条 counts deadlines in working days without statutory holidays. The State Council
publishes each year's 放假调休 arrangement in November or December, so the calendar is data an
administrator extends every year; ``seed_from_chinesecalendar`` only provides the first load.
A day in a year without data is never guessed: it raises ``CalendarYearMissing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

_ONE_DAY = timedelta(days=1)


class CalendarYearMissing(LookupError):
    def __init__(self, year: int) -> None:
        super().__init__(f"工作日历缺少{year}年的节假日安排，请管理员在国务院办公厅公布放假安排后补录")
        self.year = year


class WorkCalendar:
    """Weekends are rest days except ``extra_workdays`` (调休 working weekend days); weekdays are
    working days except ``holidays``. ``years`` are the years whose arrangement is recorded."""

    def __init__(self, *, holidays: Iterable[date], extra_workdays: Iterable[date], years: Iterable[int]) -> None:
        self._holidays = frozenset(holidays)
        self._extra = frozenset(extra_workdays)
        self._years = frozenset(years)
        both = sorted(self._holidays & self._extra)
        if both:
            raise ValueError(f"同一天不能既是节假日又是调休上班日：{both[0].isoformat()}")
        weekday_extra = sorted(d for d in self._extra if d.weekday() < 5)
        if weekday_extra:
            raise ValueError(f"调休上班日应为周六或周日：{weekday_extra[0].isoformat()}")
        outside = sorted(d for d in self._holidays | self._extra if d.year not in self._years)
        if outside:
            raise ValueError(f"{outside[0].isoformat()}不在工作日历覆盖的年份内")

    @property
    def years(self) -> frozenset[int]:
        return self._years

    def covers(self, year: int) -> bool:
        return year in self._years

    def is_workday(self, d: date) -> bool:
        if d.year not in self._years:
            raise CalendarYearMissing(d.year)
        if d in self._extra:
            return True
        return d.weekday() < 5 and d not in self._holidays

    def add_workdays(self, start: date, n: int, *, pauses: Sequence[tuple[date, date]] = ()) -> date:
        """The date on which the n-th working day after ``start`` falls.

        ``start`` (the day of acceptance) is day 0 whatever kind of day it is; counting starts on the
        next day. Days inside a pause (inclusive intervals: 补正材料, 专家评审, 公示) are not counted
        even when they are working days. ``n == 0`` returns ``start``."""
        if n < 0:
            raise ValueError("工作日数不能为负数")
        spans = _check_pauses(pauses)
        day, counted = start, 0
        while counted < n:
            day += _ONE_DAY
            if _paused(day, spans):
                continue
            if self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, start: date, end: date, *, pauses: Sequence[tuple[date, date]] = ()) -> int:
        """Working days after ``start`` up to and including ``end`` (the count ``add_workdays``
        would need to reach ``end``'s day); negative when ``end`` is before ``start``."""
        if end < start:
            return -self.workdays_between(end, start, pauses=pauses)
        spans = _check_pauses(pauses)
        count, day = 0, start
        while day < end:
            day += _ONE_DAY
            if not _paused(day, spans) and self.is_workday(day):
                count += 1
        return count

    def missing_years(self, today: date, *, ahead_days: int = 60) -> list[int]:
        """Years the administrator must add now: the current year if it has no data, and the coming
        year once ``today`` is within ``ahead_days`` of 1 January and it has no data."""
        missing = []
        if today.year not in self._years:
            missing.append(today.year)
        next_year = today.year + 1
        if (date(next_year, 1, 1) - today).days <= ahead_days and next_year not in self._years:
            missing.append(next_year)
        return missing


def _check_pauses(pauses: Sequence[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    for begin, end in pauses:
        if end < begin:
            raise ValueError(f"暂停计时区间的结束日{end.isoformat()}早于开始日{begin.isoformat()}")
    return tuple(pauses)


def _paused(day: date, spans: tuple[tuple[date, date], ...]) -> bool:
    return any(begin <= day <= end for begin, end in spans)


# chinesecalendar's own Chinese labels are abbreviated (清明, 端午); officers expect the full names.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

DayKind = Literal["holiday", "workday"]


def seed_from_chinesecalendar(years: Iterable[int]) -> list[tuple[date, DayKind, str]]:
    """Initial calendar rows ``(day, 'holiday' | 'workday', holiday name)`` for the requested years
    that the installed ``chinesecalendar`` covers (other years are skipped: the package raises for
    years it does not know, 2027 onwards in 1.11.0). 'holiday' rows are every rest day of a holiday
    period; 'workday' rows are the 调休 weekend days worked for that holiday."""
    from chinese_calendar import constants

    wanted = set(years)
    covered = {d.year for d in constants.holidays}
    rows: list[tuple[date, DayKind, str]] = []
    tables: tuple[tuple[dict[date, str], DayKind], ...] = (
        (constants.holidays, "holiday"),
        (constants.workdays, "workday"),
    )
    for table, kind in tables:
        for day, label in table.items():
            if day.year in wanted and day.year in covered:
                rows.append((day, kind, _HOLIDAY_NAMES.get(str(label), str(label))))
    rows.sort()
    return rows


def calendar_from_rows(rows: Iterable[tuple[date, str, str]], *, years: Iterable[int]) -> WorkCalendar:
    """Build a calendar from stored rows (the shape ``seed_from_chinesecalendar`` returns)."""
    holidays: list[date] = []
    extra: list[date] = []
    for day, kind, _name in rows:
        if kind == "holiday":
            holidays.append(day)
        elif kind == "workday":
            extra.append(day)
        else:
            raise ValueError(f"工作日历条目类型无效：{kind}（应为 holiday 或 workday）")
    return WorkCalendar(holidays=holidays, extra_workdays=extra, years=years)
