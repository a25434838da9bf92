from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from huiqi.accounts.access import access_calendar_edit
from huiqi.core.access_views import require

from .models import CalendarDay, CalendarYear
from .selectors import calendar_warnings
from .services import calendar_year_save


def parse_year_text(year: int, text: str) -> tuple[list[tuple[date, str]], list[date], list[str]]:
    """Lines like `2027-01-01 元旦` (a holiday) or `2027-02-07 上班` (a 调休 working day)."""
    holidays: list[tuple[date, str]] = []
    workdays: list[date] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(maxsplit=1)
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            errors.append(f"第 {number} 行：“{parts[0]}”不是 YYYY-MM-DD 格式的日期")
            continue
        if day.year != year:
            errors.append(f"第 {number} 行：{day.isoformat()} 不属于 {year} 年")
            continue
        label = parts[1].strip() if len(parts) > 1 else ""
        if label in {"上班", "调休上班", "补班"}:
            workdays.append(day)
        elif label:
            holidays.append((day, label))
        else:
            errors.append(f"第 {number} 行：请写明节日名称，或写“上班”表示调休上班日")
    return holidays, workdays, errors


def calendar_page(request: HttpRequest) -> HttpResponse:
    require(request, access_calendar_edit(request.user))
    errors: list[str] = []
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            errors.append("请填写年份")
        else:
            holidays, workdays, errors = parse_year_text(year, request.POST.get("days", ""))
            if not errors:
                try:
                    calendar_year_save(actor=request.user, year=year, holidays=holidays, workdays=workdays,
                                       source=request.POST.get("source", "").strip() or "国务院办公厅放假安排通知")
                except ValueError as error:
                    errors.append(str(error))
                else:
                    messages.success(request, f"已保存 {year} 年：{len(holidays)} 个节假日，{len(workdays)} 个调休上班日")
                    return redirect("workdays:calendar")
    years = CalendarYear.objects.annotate(
        holiday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
        workday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)),
    ).order_by("-year")
    return render(request, "workdays/calendar.html", {
        "years": years, "warnings": calendar_warnings(timezone.localdate()), "errors": errors,
        "recent_days": CalendarDay.objects.filter(day__year__gte=timezone.localdate().year).order_by("day"),
        "next_year": timezone.localdate().year + 1, "posted": request.POST,
    })
