"""Reads: the index's fact tables (a few SQL queries into Polars), snapshots in a viewer's scope,
orders, 差评 cases, drill-down lists and the 应享未享 / 不应享错享 figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from cnstd.regions import children, get_region
from cnstd.workdays import WorkCalendar
from huiqi.accounts.models import Role
from huiqi.commitments.models import Commitment
from huiqi.core.regions import region_within_q
from huiqi.disbursement.models import CashPromise, Entitlement, LedgerEntry, RunLine, Suspect
from huiqi.fulfilment.models import Application, ReviewStep
from huiqi.matching.models import MatchResult
from huiqi.policies.models import PolicyItem
from huiqi.tickets.models import Ticket

from .models import IndexSettings, IndexSnapshot, PoorRatingCase, Rating, SupervisionOrder

TZ = "Asia/Shanghai"
FAST_MODES = ("免申即享", "即申即享")


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def month_start(text: str) -> date:
    """'2026-11' → date(2026, 11, 1); ValueError (Chinese) for anything else."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValueError("月份格式应为 YYYY-MM，例如 2026-11") from None


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def months_back(last: date, n: int) -> list[date]:
    out = [last.replace(day=1)]
    while len(out) < n:
        out.append(previous_month(out[-1]))
    return list(reversed(out))


def settings_current() -> IndexSettings:
    row = IndexSettings.objects.order_by("pk").first()
    return row if row is not None else IndexSettings.objects.create()


# -- fact tables ---------------------------------------------------------------------------------


def _frame(rows: list[tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def _local_month(col: str) -> pl.Expr:
    return pl.col(col).dt.convert_time_zone(TZ).dt.strftime("%Y-%m")


def _workday_table(calendar: WorkCalendar, first: date, last: date) -> pl.DataFrame:
    """date → number of working days from `first` up to and including the date."""
    days, cum, n = [], [], 0
    day = first
    while day <= last:
        if calendar.is_workday(day):
            n += 1
        days.append(day)
        cum.append(n)
        day += timedelta(days=1)
    return pl.DataFrame({"date": days, "cum": cum}, schema={"date": pl.Date, "cum": pl.Int64})


def workdays_column(frame: pl.DataFrame, start: str, end: str, calendar: WorkCalendar) -> pl.DataFrame:
    """Adds `workdays`: working days after `start` up to and including `end` (both Date columns),
    by two joins on a cumulative calendar — no per-row Python."""
    known = frame.filter(pl.col(start).is_not_null() & pl.col(end).is_not_null())
    if known.is_empty():
        return frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("workdays"))
    first = min(known[start].min(), known[end].min())  # type: ignore[type-var]
    last = max(known[start].max(), known[end].max())  # type: ignore[type-var]
    table = _workday_table(calendar, first, last)  # type: ignore[arg-type]
    out = (frame.join(table.rename({"date": start, "cum": "_c0"}), on=start, how="left")
           .join(table.rename({"date": end, "cum": "_c1"}), on=end, how="left"))
    return out.with_columns((pl.col("_c1") - pl.col("_c0")).alias("workdays")).drop("_c0", "_c1")


TICKET_SCORES = {"satisfied": 5, "basic": 3, "unsatisfied": 1}


def index_facts(*, calendar: WorkCalendar, until: date) -> dict[str, pl.DataFrame]:
    """The fact tables of index.py from the database (everything up to `until`)."""
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), datetime.min.time()))
    dt = pl.Datetime("us", "UTC")
    # Payments: ledger payment entries not reversed, one per paid entitlement.
    pay_rows = list(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT, reversed_by__isnull=True, at__lt=end)
                    .values_list("entitlement__enterprise__region", "entitlement__item__department_id", "at",
                                 "entitlement__enterprise_id", "amount", "entitlement_id"))
    payments = _frame([(r, d, a, e, int(amt * 100), ent) for r, d, a, e, amt, ent in pay_rows],
                      {"region": pl.Utf8, "department_id": pl.Int64, "at": dt, "enterprise_id": pl.Int64,
                       "fen": pl.Int64, "entitlement_id": pl.Int64})
    started = _frame(
        [(int(ref), at) for ref, at in Application.objects.exclude(entitlement_ref="")
         .filter(submitted_at__isnull=False).values_list("entitlement_ref", "submitted_at") if ref.isdigit()]
        + list(RunLine.objects.filter(entitlement__isnull=False, run__confirmed_at__isnull=False)
               .values_list("entitlement_id", "run__confirmed_at")),
        {"entitlement_id": pl.Int64, "began": dt})
    payments = payments.join(started.unique("entitlement_id"), on="entitlement_id", how="left").with_columns(
        _local_month("at").alias("month"),
        pl.col("began").dt.convert_time_zone(TZ).dt.date().alias("d0"),
        pl.col("at").dt.convert_time_zone(TZ).dt.date().alias("d1"))
    payments = workdays_column(payments, "d0", "d1", calendar).select(
        "region", "department_id", "month", "enterprise_id", "fen", "workdays")

    today = until
    step_rows = list(ReviewStep.objects.filter(due_at__isnull=False)
                     .filter(Q(decided_on__isnull=False, decided_on__lte=until)
                             | Q(outcome=ReviewStep.Outcome.OPEN, due_at__lt=today))
                     .values_list("application__enterprise__region", "application__item__department_id",
                                  "decided_on", "due_at", "application_id"))
    steps = _frame(step_rows, {"region": pl.Utf8, "department_id": pl.Int64, "done": pl.Date, "due": pl.Date,
                               "application_id": pl.Int64})
    steps = steps.select(
        "region", "department_id", "application_id",
        pl.coalesce("done", "due").dt.strftime("%Y-%m").alias("month"),
        (pl.col("done").is_not_null() & (pl.col("done") <= pl.col("due"))).alias("on_time"),
        (pl.col("done").is_null() | (pl.col("done") > pl.col("due"))).alias("red"))
    apps = _frame(list(Application.objects.filter(submitted_at__isnull=False, submitted_at__lt=end)
                       .annotate(n=Count("materials")).values_list("enterprise__region", "item__department_id",
                                                                    "submitted_at", "n", "prefilled_fields",
                                                                    "form_fields")),
                  {"region": pl.Utf8, "department_id": pl.Int64, "at": dt, "materials": pl.Int64,
                   "prefilled": pl.Int64, "form_fields": pl.Int64})
    apps = apps.with_columns(_local_month("at").alias("month")).drop("at")
    item_rows = list(PolicyItem.objects.filter(status__in=[PolicyItem.Status.PUBLISHED, PolicyItem.Status.EXPIRED],
                                               published_at__isnull=False)
                     .values_list("region", "department_id", "mode", "published_at", "valid_to", "status",
                                  "updated_at"))
    items = _frame([(r, d, m in FAST_MODES, month_key(timezone.localtime(p).date()),
                     month_key(vt) if vt else (month_key(timezone.localtime(u).date()) if s == "expired" else "9999-12"))
                    for r, d, m, p, vt, s, u in item_rows],
                   {"region": pl.Utf8, "department_id": pl.Int64, "fast": pl.Boolean, "start_month": pl.Utf8,
                    "end_month": pl.Utf8})
    # 企呼我应 feeds 满意度 too: a closed request's 满意/基本满意/不满意 counts as 5/3/1 for its lead
    # department (不满意 is a 差评; "answered on time" is whether its last answer kept the clock).
    ticket_rows = [(r, d, at, TICKET_SCORES[rating], on_time if rating == Ticket.Rating.UNSATISFIED else None)
                   for r, d, at, rating, on_time in Ticket.objects.filter(closed_at__lt=end).exclude(rating="")
                   .values_list("region", "lead_department_id", "closed_at", "rating", "answered_on_time")]
    ratings = _frame(list(Rating.objects.filter(created_at__lt=end).values_list(
        "region", "department_id", "created_at", "score", "case__on_time")) + ticket_rows,
        {"region": pl.Utf8, "department_id": pl.Int64, "at": dt, "score": pl.Int64, "answered_on_time": pl.Boolean})
    ratings = ratings.with_columns(_local_month("at").alias("month"), (pl.col("score") <= 2).alias("poor")).drop("at")
    eligible = _frame(list(MatchResult.objects.filter(status=MatchResult.Status.ELIGIBLE).values_list(
        "enterprise__region", "item__department_id", "enterprise_id")),
        {"region": pl.Utf8, "department_id": pl.Int64, "enterprise_id": pl.Int64})
    # 承诺兑现时限: promises paid by `until` or still unpaid past their date; red = broken.
    cash_rows = list(CashPromise.objects.filter(due_at__isnull=False)
                     .filter(Q(outcome=CashPromise.Outcome.PAID, closed_on__lte=until)
                             | Q(outcome=CashPromise.Outcome.OPEN, due_at__lt=today))
                     .values_list("region", "item__department_id", "closed_on", "due_at"))
    cash = _frame(cash_rows, {"region": pl.Utf8, "department_id": pl.Int64, "done": pl.Date, "due": pl.Date})
    cash = cash.select("region", "department_id", pl.coalesce("done", "due").dt.strftime("%Y-%m").alias("month"),
                       (pl.col("done").is_null() | (pl.col("done") > pl.col("due"))).alias("red"))
    return {"payments": payments, "steps": steps, "cash": cash, "applications": apps, "items": items,
            "ratings": ratings, "eligible": eligible, "commitments": government_commitment_facts(until=until)}


def government_commitment_facts(*, until: date) -> pl.DataFrame:
    """承诺必践 for the index: confirmed government-side commitments with a due date up to
    ``until``, with the day each was closed (as it stands now; the monthly snapshot freezes it)."""
    rows = [(r, d, due, timezone.localtime(closed).date() if closed else None, status == Commitment.Status.FULFILLED)
            for r, d, due, closed, status in Commitment.objects.filter(
                side=Commitment.Side.GOVERNMENT, due_at__isnull=False, due_at__lte=until)
            .exclude(status=Commitment.Status.DRAFT)
            .values_list("region", "department_id", "due_at", "closed_at", "status")]
    return _frame(rows, {"region": pl.Utf8, "department_id": pl.Int64, "due_on": pl.Date, "closed_on": pl.Date,
                         "kept": pl.Boolean})


# -- snapshots in scope --------------------------------------------------------------------------


def scope_region(user: Any) -> str:
    """The region a viewer's 驾驶舱 starts from (a whole-system supervisor starts at Fujian)."""
    return user.region or "350000"


def child_snapshots(*, month: date, region: str) -> list[IndexSnapshot]:
    return list(IndexSnapshot.objects.filter(month=month, parent=region, department__isnull=True)
                .order_by(F("score").desc(nulls_last=True), "region"))


def region_snapshot(*, month: date, region: str) -> IndexSnapshot | None:
    return IndexSnapshot.objects.filter(month=month, region=region, department__isnull=True).first()


def department_snapshots(*, month: date, region: str, department_id: int | None = None) -> list[IndexSnapshot]:
    qs = IndexSnapshot.objects.filter(month=month, department__isnull=False).filter(region_within_q(region))
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return list(qs.select_related("department").order_by(F("score").desc(nulls_last=True)))


def trend(*, region: str, last: date, months: int = 12, department_id: int | None = None) -> list[dict[str, Any]]:
    wanted = months_back(last, months)
    qs = IndexSnapshot.objects.filter(month__in=wanted)
    qs = qs.filter(department_id=department_id) if department_id else qs.filter(region=region, department__isnull=True)
    by_month = {s.month: s for s in qs}
    return [{"month": month_key(m), "score": _num(by_month[m].score) if m in by_month else None,
             "colour": by_month[m].colour if m in by_month else ""} for m in wanted]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def latest_month() -> date | None:
    return IndexSnapshot.objects.order_by("-month").values_list("month", flat=True).first()


def region_label(code: str) -> str:
    """The region's own name (福州市, 晋江市), as the map's features are named."""
    region = get_region(code)
    return region.name if region is not None else code


# Boundary files vendored under static/supervision/vendor/ (see SOURCES.md there): the province's
# prefectures and each prefecture's counties, every feature's id a current GB/T 2260 code.
BOUNDARY_DIR = Path(__file__).resolve().parent / "static" / "supervision" / "vendor"


def boundary_map_file(region: str) -> str:
    """The static path of the map whose shapes are ``region``'s children, or "" when none is
    vendored (the page then shows a bar chart)."""
    name = f"map-{region}.json"
    return f"supervision/vendor/{name}" if region.isdigit() and (BOUNDARY_DIR / name).is_file() else ""


def child_regions(code: str) -> list[str]:
    return [r.code for r in children(code)]


# -- drill-down ----------------------------------------------------------------------------------


def items_of(*, region: str, department_id: int) -> QuerySet[PolicyItem]:
    """The department's items that reach enterprises of `region` (item region within or above it)."""
    return PolicyItem.objects.filter(department_id=department_id).exclude(status=PolicyItem.Status.DRAFT).order_by("code")


def applications_of(*, item: PolicyItem, region: str, month: date | None = None) -> QuerySet[Application]:
    qs = (Application.objects.filter(item=item, submitted_at__isnull=False)
          .filter(region_within_q(region, field="enterprise__region"))
          .select_related("enterprise").order_by("-submitted_at"))
    return qs


# -- ratings -------------------------------------------------------------------------------------


def item_rating(item: PolicyItem) -> dict[str, Any]:
    agg = Rating.objects.filter(item=item).aggregate(n=Count("pk"), total=Sum("score"))
    n = agg["n"] or 0
    average = (Decimal(agg["total"]) / n).quantize(Decimal("0.1")) if n else None
    return {"count": n, "average": average}


def ratings_for_enterprise(enterprise_id: int) -> QuerySet[Rating]:
    return Rating.objects.filter(enterprise_id=enterprise_id).select_related("item", "case")


def rateable_for(user: Any) -> list[dict[str, Any]]:
    """Decided applications and 免申即享 payments of the viewer's enterprise not yet rated."""
    eid = getattr(user, "enterprise_id", None)
    if eid is None:
        return []
    rated_apps = set(Rating.objects.filter(enterprise_id=eid, application__isnull=False)
                     .values_list("application_id", flat=True))
    rated_pay = set(Rating.objects.filter(enterprise_id=eid, entitlement__isnull=False)
                    .values_list("entitlement_id", flat=True))
    out: list[dict[str, Any]] = []
    for a in (Application.objects.filter(enterprise_id=eid, status__in=[Application.Status.APPROVED,
                                                                        Application.Status.REJECTED])
              .select_related("item").order_by("-decided_at")):
        if a.pk not in rated_apps:
            out.append({"kind": "application", "id": a.pk, "title": a.item.title, "ref": a.reference,
                        "status": a.get_status_display()})
    for e in (Entitlement.objects.filter(enterprise_id=eid, source=Entitlement.Source.AUTO_RUN,
                                         status=Entitlement.Status.PAID).select_related("item")):
        if e.pk not in rated_pay:
            out.append({"kind": "payment", "id": e.pk, "title": e.item.title, "ref": f"{e.period} 免申即享",
                        "status": e.get_status_display()})
    return out


def cases_for(user: Any) -> QuerySet[PoorRatingCase]:
    qs = PoorRatingCase.objects.select_related("rating__item", "rating__enterprise", "department")
    if user.role == Role.OFFICER:
        return qs.filter(department_id=user.department_id)
    return qs.filter(region_within_q(user.region or ""))


# -- orders --------------------------------------------------------------------------------------


def orders_for(user: Any) -> QuerySet[SupervisionOrder]:
    qs = SupervisionOrder.objects.select_related("target_department")
    if user.role == Role.OFFICER:
        return qs.filter(Q(target_department_id=user.department_id)
                         | Q(target_department__isnull=True, target_region=user.region or "-"))
    return qs.filter(region_within_q(user.region or "", field="target_region"))


def orders_published() -> QuerySet[SupervisionOrder]:
    return (SupervisionOrder.objects.filter(status__in=[SupervisionOrder.Status.ACCEPTED, SupervisionOrder.Status.CLOSED],
                                            published_at__isnull=False)
            .select_related("target_department").order_by("-published_at"))


# -- 应享未享 / 不应享错享 -------------------------------------------------------------------------


def missed_and_wrong(*, region: str) -> list[dict[str, Any]]:
    """Per child region: eligible (符合) item–enterprise pairs with no active entitlement yet
    (应享未享, count and the rules' minimum amount), and open or confirmed 错享 suspects (count and
    money paid)."""
    kids = child_regions(region) or [region]
    out = []
    for code in kids:
        within = region_within_q(code, field="enterprise__region")
        missed = (MatchResult.objects.filter(within, status=MatchResult.Status.ELIGIBLE, item__status="published")
                  .exclude(enterprise__entitlements__item=F("item"),
                           enterprise__entitlements__status__in=list(Entitlement.ACTIVE))
                  .aggregate(n=Count("pk"), money=Sum("amount_min")))
        wrong = (Suspect.objects.filter(region_within_q(code, field="entitlement__enterprise__region"),
                                        status__in=[Suspect.Status.OPEN, Suspect.Status.CONFIRMED])
                 .aggregate(n=Count("entitlement_id", distinct=True), money=Sum("entitlement__amount")))
        breaches = CashPromise.objects.filter(region_within_q(code, field="region"), outcome=CashPromise.Outcome.OPEN,
                                              colour=CashPromise.Colour.RED).count()
        out.append({"region": code, "name": region_label(code), "missed": missed["n"] or 0, "breaches": breaches,
                    "missed_money": missed["money"] or Decimal("0"), "wrong": wrong["n"] or 0,
                    "wrong_money": wrong["money"] or Decimal("0")})
    return out
