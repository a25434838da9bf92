from datetime import date

import pytest

from cnstd.workdays import (
    CalendarYearMissing,
    WorkCalendar,
    calendar_from_rows,
    seed_from_chinesecalendar,
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    years = [2024, 2025, 2026]
    return calendar_from_rows(seed_from_chinesecalendar(years), years=years)


def test_seed_names_the_holidays_in_chinese_and_marks_adjusted_weekends() -> None:
    rows = seed_from_chinesecalendar([2025])
    assert (date(2025, 10, 1), "holiday", "国庆节") in rows
    assert (date(2025, 1, 29), "holiday", "春节") in rows
    assert (date(2025, 9, 28), "workday", "国庆节") in rows
    assert {r[0].year for r in rows} == {2025}
    workdays = sorted(r[0] for r in rows if r[1] == "workday")
    # 国务院办公厅 2025 arrangement: 1/26, 2/8, 4/27, 9/28, 10/11 are worked
    assert workdays == [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)]


def test_seed_skips_years_the_package_does_not_cover() -> None:
    rows = seed_from_chinesecalendar([2026, 2027, 2030])
    assert rows and {r[0].year for r in rows} == {2026}
    assert seed_from_chinesecalendar([2027]) == []


def test_ordinary_weekdays_and_weekends(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2025, 11, 24)) is True  # Monday
    assert cal.is_workday(date(2025, 11, 22)) is False  # Saturday
    assert cal.is_workday(date(2025, 10, 3)) is False  # 国庆 Friday
    assert cal.is_workday(date(2025, 9, 28)) is True  # 调休 Sunday


def test_counting_across_national_day_2025(cal: WorkCalendar) -> None:
    # Accepted Tue 30 Sep; 1–8 Oct are off; Thu 9 Oct is day 1, Sat 11 Oct (调休) is day 3.
    assert cal.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert cal.add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert cal.add_workdays(date(2025, 9, 30), 4) == date(2025, 10, 13)


def test_an_adjusted_sunday_counts_as_a_working_day(cal: WorkCalendar) -> None:
    # Accepted Fri 26 Sep 2025: Sat 27 is off, Sun 28 is a 调休 working day.
    assert cal.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert cal.add_workdays(date(2025, 1, 24), 1) == date(2025, 1, 26)  # 春节 调休 Sunday


def test_counting_across_spring_festival_2025_and_2026(cal: WorkCalendar) -> None:
    # 2025: 28 Jan – 4 Feb off; accepted Mon 27 Jan, day 1 is Wed 5 Feb.
    assert cal.add_workdays(date(2025, 1, 27), 1) == date(2025, 2, 5)
    # 2026: Sat 14 Feb worked, 15–23 Feb off; accepted Fri 13 Feb.
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert cal.add_workdays(date(2026, 2, 13), 10) == date(2026, 3, 5)  # Sat 28 Feb worked too


def test_counting_across_national_day_2026(cal: WorkCalendar) -> None:
    # Sun 20 Sep worked; 1–7 Oct off; Sat 10 Oct worked.
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_starting_on_a_rest_day_counts_from_the_next_working_day(cal: WorkCalendar) -> None:
    # Accepted Saturday: day 1 is Monday, not Tuesday.
    assert cal.add_workdays(date(2025, 11, 22), 1) == date(2025, 11, 24)
    assert cal.add_workdays(date(2025, 10, 4), 1) == date(2025, 10, 9)  # inside 国庆
    assert cal.add_workdays(date(2025, 11, 22), 0) == date(2025, 11, 22)


def test_a_pause_stops_the_clock(cal: WorkCalendar) -> None:
    start = date(2025, 11, 3)  # Monday
    assert cal.add_workdays(start, 5) == date(2025, 11, 10)
    paused = cal.add_workdays(start, 5, pauses=[(date(2025, 11, 5), date(2025, 11, 6))])
    assert paused == date(2025, 11, 12)
    # a pause over a weekend changes nothing
    assert cal.add_workdays(start, 5, pauses=[(date(2025, 11, 8), date(2025, 11, 9))]) == date(2025, 11, 10)


def test_pause_with_end_before_start_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="早于"):
        cal.add_workdays(date(2025, 11, 3), 2, pauses=[(date(2025, 11, 6), date(2025, 11, 5))])
    with pytest.raises(ValueError, match="负数"):
        cal.add_workdays(date(2025, 11, 3), -1)


def test_workdays_between_agrees_with_add_workdays(cal: WorkCalendar) -> None:
    start = date(2025, 9, 26)
    for n in range(0, 30):
        end = cal.add_workdays(start, n)
        assert cal.workdays_between(start, end) == n
    assert cal.workdays_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    pauses = [(date(2025, 11, 5), date(2025, 11, 6))]
    assert cal.workdays_between(date(2025, 11, 3), date(2025, 11, 12), pauses=pauses) == 5


def test_national_day_2025_week_has_no_working_day(cal: WorkCalendar) -> None:
    assert cal.workdays_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


def test_a_year_without_data_raises_in_chinese(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing, match="2027年") as info:
        cal.is_workday(date(2027, 1, 4))
    assert info.value.year == 2027
    assert isinstance(info.value, LookupError)
    with pytest.raises(CalendarYearMissing):
        cal.add_workdays(date(2026, 12, 28), 10)


def test_missing_years_warns_before_the_coming_year_begins(cal: WorkCalendar) -> None:
    assert cal.missing_years(date(2026, 6, 1)) == []
    assert cal.missing_years(date(2026, 11, 1)) == []  # 61 days before 1 January
    assert cal.missing_years(date(2026, 11, 2)) == [2027]
    assert cal.missing_years(date(2026, 12, 31), ahead_days=0) == []
    assert cal.missing_years(date(2025, 12, 31)) == []  # 2026 is covered
    assert cal.missing_years(date(2027, 3, 1)) == [2027]


def test_inconsistent_calendar_data_is_refused() -> None:
    with pytest.raises(ValueError, match="既是节假日又是调休上班日"):
        WorkCalendar(holidays=[date(2025, 10, 11)], extra_workdays=[date(2025, 10, 11)], years=[2025])
    with pytest.raises(ValueError, match="周六或周日"):
        WorkCalendar(holidays=[], extra_workdays=[date(2025, 10, 10)], years=[2025])
    with pytest.raises(ValueError, match="不在工作日历覆盖的年份内"):
        WorkCalendar(holidays=[date(2027, 1, 1)], extra_workdays=[], years=[2026])
    with pytest.raises(ValueError, match="类型无效"):
        calendar_from_rows([(date(2025, 1, 1), "rest", "元旦")], years=[2025])


def test_an_administrator_can_extend_the_calendar_with_a_new_year() -> None:
    # A hand-entered 2027 arrangement: only the data decides.
    cal = WorkCalendar(holidays=[date(2027, 1, 1)], extra_workdays=[date(2027, 1, 2)], years=[2027])
    assert cal.is_workday(date(2027, 1, 1)) is False
    assert cal.is_workday(date(2027, 1, 2)) is True  # Saturday worked
    assert cal.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 2)
    # only the days counted need data, not the day of acceptance
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 2)
