from django.db import models


class CalendarYear(models.Model):
    """A year for which the official holiday arrangement (国务院办公厅 放假安排) is loaded.

    Deadlines can only be computed inside covered years; each November an administrator adds the
    next year from the State Council notice."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("来源", max_length=200)
    loaded_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a statutory holiday on a weekday, or a 调休
    weekend day that is a working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班"

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=60, blank=True)
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")

    class Meta:
        verbose_name = "特殊日期"
        verbose_name_plural = "特殊日期"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()} {self.name}".strip()
