from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from huiqi.workdays.models import CalendarDay, CalendarYear
from huiqi.workdays.selectors import calendar_warnings


class Command(BaseCommand):
    help = "查看工作日历已录入的年份和特殊日期数，提示即将到来但尚未录入的年份"

    def handle(self, *args: Any, **options: Any) -> None:
        years = list(CalendarYear.objects.order_by("year"))
        if not years:
            self.stderr.write("工作日历为空：请先运行 huiqi migrate（会从 chinesecalendar 载入历年安排）。")
            return
        self.stdout.write(f"已录入 {years[0].year}–{years[-1].year} 年，共 {len(years)} 个年度。")
        for entry in years[-3:]:
            holidays = CalendarDay.objects.filter(year=entry, kind=CalendarDay.Kind.HOLIDAY).count()
            workdays = CalendarDay.objects.filter(year=entry, kind=CalendarDay.Kind.WORKDAY).count()
            self.stdout.write(f"  {entry.year}：{holidays} 个节假日，{workdays} 个调休上班日（{entry.source}）")
        for warning in calendar_warnings(timezone.localdate()):
            self.stderr.write(warning)
