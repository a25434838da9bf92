from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cnstd.workdays import CalendarYearMissing
from conftest import PASSWORD
from huiqi.workdays.models import CalendarDay, CalendarYear
from huiqi.workdays.selectors import calendar_warnings, work_calendar
from huiqi.workdays.services import calendar_year_save

pytestmark = pytest.mark.django_db


def test_the_holiday_table_is_seeded_from_chinesecalendar_on_migrate() -> None:
    assert CalendarYear.objects.filter(year=2025).exists()
    assert CalendarDay.objects.get(day=date(2025, 10, 1)).kind == CalendarDay.Kind.HOLIDAY
    assert CalendarDay.objects.get(day=date(2025, 9, 28)).kind == CalendarDay.Kind.WORKDAY  # 国庆调休 Sunday


def test_a_deadline_skips_the_national_day_holiday_and_counts_the_makeup_sunday() -> None:
    calendar = work_calendar()
    # Accepted Friday 2025-09-26: day 1 is Sunday 09-28 (调休上班), day 2 Monday 09-29, day 3 Tuesday 09-30,
    # then 10-01..10-08 are holidays, day 4 is Thursday 10-09 (itself not a 调休 day), day 5 Friday 10-10.
    assert calendar.add_workdays(date(2025, 9, 26), 5) == date(2025, 10, 10)


def test_the_coming_year_without_an_arrangement_raises_a_warning() -> None:
    assert any("2027" in warning for warning in calendar_warnings(date(2026, 11, 24)))


def test_a_year_added_by_the_administrator_removes_the_warning_and_is_used_at_once() -> None:
    with pytest.raises(CalendarYearMissing):
        work_calendar().add_workdays(date(2026, 12, 30), 5)
    calendar_year_save(actor=None, year=2027, holidays=[(date(2027, 1, 1), "元旦")], workdays=[],
                       source="国务院办公厅关于2027年部分节假日安排的通知")
    assert not any("2027" in warning for warning in calendar_warnings(date(2026, 11, 24)))
    # 12-31 (Thu) day 1, 2027-01-01 holiday, 01-04 (Mon) day 2 ... 01-07 day 5
    assert work_calendar().add_workdays(date(2026, 12, 30), 5) == date(2027, 1, 7)


def test_a_date_outside_the_year_is_refused() -> None:
    with pytest.raises(ValueError, match="不属于"):
        calendar_year_save(actor=None, year=2027, holidays=[(date(2028, 1, 1), "元旦")], workdays=[], source="x")


def test_the_system_administrator_adds_a_year_on_the_calendar_page(make_user: Any, client: Client) -> None:
    admin = make_user("sysadmin", region="")
    client.login(username=admin.username, password=PASSWORD)
    page = client.get("/calendar/")
    assert page.status_code == 200 and "2027 年的节假日安排尚未录入" in page.content.decode()
    response = client.post("/calendar/", {"year": "2027", "source": "国办发明电", "days": "2027-01-01 元旦\n2027-02-07 上班"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=date(2027, 2, 7)).kind == CalendarDay.Kind.WORKDAY


def test_a_bad_line_on_the_calendar_page_names_the_line(make_user: Any, client: Client) -> None:
    admin = make_user("sysadmin", region="")
    client.login(username=admin.username, password=PASSWORD)
    response = client.post("/calendar/", {"year": "2027", "days": "2027-01-01 元旦\n2027/02/07 上班"})
    assert "第 2 行" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_other_roles_cannot_open_the_calendar_page(make_user: Any, client: Client) -> None:
    officer = make_user("officer")
    client.login(username=officer.username, password=PASSWORD)
    assert client.get("/calendar/").status_code == 403


def test_huiqi_calendar_lists_the_years_and_warns_about_the_missing_one(capsys: Any) -> None:
    from django.core.management import call_command

    # `huiqi calendar` runs this command (huiqi/core/tests/test_cli.py checks the mapping); through
    # argv Django would close the test's database connection when the command ends.
    call_command("calendar_status")
    out, err = capsys.readouterr()
    assert "2026：" in out and "个节假日" in out
    for warning in calendar_warnings(timezone.localdate()):
        assert warning in err
