"""The shared clock on the real 2026 holiday arrangement: 中秋节 (25–27 Sep), 国庆节 (1–7 Oct) and
the 调休 working days Sunday 20 Sep and Saturday 10 Oct. No database: the calendar is built from
the same seed data the platform loads."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from cnstd.workdays import calendar_from_rows, seed_from_chinesecalendar
from huiqi.core.deadlines import (
    Colour,
    add_work_hours,
    colour_for,
    deadline_pause,
    deadline_resume,
    deadline_start,
    due_date,
    warn_date,
)
from huiqi.fulfilment.models import ReviewStep

CAL = calendar_from_rows(seed_from_chinesecalendar([2026]), years=[2026])


def local(y: int, m: int, d: int, hour: int = 0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hour))


def test_two_working_days_from_the_eve_of_national_day_end_after_the_holiday() -> None:
    assert due_date(start=date(2026, 9, 30), days=2, calendar=CAL) == date(2026, 10, 9)


def test_a_worked_tiaoxiu_saturday_and_sunday_count_as_working_days() -> None:
    assert due_date(start=date(2026, 10, 9), days=1, calendar=CAL) == date(2026, 10, 10)
    assert due_date(start=date(2026, 9, 18), days=1, calendar=CAL) == date(2026, 9, 20)
    assert due_date(start=date(2026, 9, 24), days=1, calendar=CAL) == date(2026, 9, 28)  # 中秋 Fri + weekend


def test_the_start_day_is_day_zero_even_on_a_holiday() -> None:
    assert due_date(start=date(2026, 10, 3), days=1, calendar=CAL) == date(2026, 10, 8)
    assert due_date(start=date(2026, 10, 3), days=0, calendar=CAL) == date(2026, 10, 3)


def test_a_pause_moves_the_due_date_on_by_exactly_the_paused_working_days() -> None:
    started = deadline_start(now=local(2026, 9, 28, 10), days=5, warn_days=1, calendar=CAL)
    assert started["due_at"] == date(2026, 10, 10)  # the 调休 Saturday is the 5th working day
    step = ReviewStep(**started)
    step.paused_since = deadline_pause(today=date(2026, 9, 29))["paused_since"]
    resumed = deadline_resume(step, today=date(2026, 10, 8), calendar=CAL)
    # paused 30 Sep – 8 Oct: two working days (30 Sep, 8 Oct) are not counted
    assert resumed["pauses"] == [["2026-09-30", "2026-10-08"]]
    assert resumed["due_at"] == date(2026, 10, 13) and resumed["paused_since"] is None


def test_resuming_on_the_day_of_the_pause_adds_no_pause() -> None:
    step = ReviewStep(**deadline_start(now=local(2026, 9, 28, 10), days=5, calendar=CAL))
    step.paused_since = date(2026, 9, 29)
    assert deadline_resume(step, today=date(2026, 9, 29), calendar=CAL)["due_at"] == date(2026, 10, 10)


def test_an_extension_lengthens_the_allowance_on_top_of_earlier_pauses() -> None:
    step = ReviewStep(**deadline_start(now=local(2026, 9, 28, 10), days=5, calendar=CAL))
    step.pauses = [["2026-09-30", "2026-10-08"]]
    extended = deadline_resume(step, today=date(2026, 10, 9), calendar=CAL, extra_days=2)
    assert extended["days"] == 7 and extended["due_at"] == date(2026, 10, 15)


def test_the_24_hour_clock_from_a_friday_evening_ends_on_the_next_working_day_evening() -> None:
    assert add_work_hours(start=local(2026, 10, 16, 18), hours=24, calendar=CAL) == local(2026, 10, 19, 18)


def test_the_24_hour_clock_runs_on_a_worked_tiaoxiu_saturday() -> None:
    assert add_work_hours(start=local(2026, 10, 9, 18), hours=24, calendar=CAL) == local(2026, 10, 10, 18)


def test_the_24_hour_clock_started_on_a_rest_day_runs_the_whole_next_working_day() -> None:
    assert add_work_hours(start=local(2026, 10, 17, 10), hours=24, calendar=CAL) == local(2026, 10, 20, 0)


def test_the_24_hour_clock_before_national_day_ends_after_the_holiday() -> None:
    assert add_work_hours(start=local(2026, 9, 30, 18), hours=24, calendar=CAL) == local(2026, 10, 8, 18)


def test_an_hour_clock_is_red_once_its_moment_passes_on_the_same_day() -> None:
    clock = ReviewStep(**deadline_start(now=local(2026, 10, 16, 18), hours=24, warn_days=1, calendar=CAL))
    assert clock.due_at == date(2026, 10, 19) and clock.days == 1
    assert clock.colour_at(now=local(2026, 10, 19, 17), calendar=CAL) == Colour.YELLOW
    assert clock.colour_at(now=local(2026, 10, 19, 19), calendar=CAL) == Colour.RED
    assert clock.colour_at(now=local(2026, 10, 17, 9), calendar=CAL) == Colour.GREEN


def test_lights_are_red_after_the_due_day_and_yellow_inside_the_warning_days() -> None:
    due = date(2026, 10, 9)
    assert colour_for(due_at=due, warn_days=2, today=date(2026, 10, 10), calendar=CAL) == Colour.RED
    assert colour_for(due_at=due, warn_days=2, today=date(2026, 10, 8), calendar=CAL) == Colour.YELLOW
    assert colour_for(due_at=due, warn_days=2, today=date(2026, 10, 7), calendar=CAL) == Colour.GREEN
    assert colour_for(due_at=due, warn_days=0, today=due, calendar=CAL) == Colour.GREEN


@pytest.mark.parametrize("warn_days, first_yellow", [(1, date(2026, 10, 9)), (2, date(2026, 10, 8)),
                                                     (3, date(2026, 9, 30))])
def test_the_warn_date_is_the_first_day_the_light_is_yellow(warn_days: int, first_yellow: date) -> None:
    due = date(2026, 10, 9)
    assert warn_date(due_at=due, warn_days=warn_days, calendar=CAL) == first_yellow
    day = date(2026, 9, 21)
    while day <= due:
        expected = Colour.YELLOW if day >= first_yellow else Colour.GREEN
        assert colour_for(due_at=due, warn_days=warn_days, today=day, calendar=CAL) == expected, day
        day = date.fromordinal(day.toordinal() + 1)
