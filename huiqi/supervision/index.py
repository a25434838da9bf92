"""The supervision index, computed column-wise with Polars (no Python loop over applications).

Inputs are fact tables (Polars frames) that selectors.index_facts() reads from the database with
a handful of SQL queries and that bench/bench_supervision_index.py generates synthetically:

    payments      region, department_id, month, enterprise_id, fen, workdays
                  (one row per paid entitlement; `fen` = money in 分 (Int64, exact);
                  `workdays` = working days from submission / 免申即享 confirmation to the money)
    steps         region, department_id, month, on_time, red, application_id   (review nodes due or finished)
    cash          region, department_id, month, red               (cash promises due or paid; optional:
                  red = paid after the promised date or still unpaid past it — 逾期未兑付)
    applications  region, department_id, month, materials, prefilled, form_fields   (submitted applications;
                  `prefilled` of `form_fields` form fields came from the 一企一档, null before it was recorded)
    commitments   region, department_id, due_on, closed_on, kept   (confirmed government-side 承诺必践
                  commitments; `kept` = closed as 已兑现; overdue at a month's end is worked out per month)
    items         region, department_id, fast, start_month, end_month   (published items)
    ratings       region, department_id, month, score, poor, answered_on_time
    eligible      region, department_id, enterprise_id             (MatchResult: 符合)

`region` is always a county-level code (the enterprise's, or the item's for items); province and
prefecture figures are the same aggregation over the code's first 2 / 4 digits.

THE ONE FORMULA (shown on the page as 指标说明): every measure x has a worst and a best reference
value; its score is  clamp((x − worst) / (best − worst), 0, 1) × 100 ; a sub-index is the weighted
mean of the scores of its measures that have data (weight 1 unless the administrator sets the
measure's weight, see Measure.weight_setting); the total is the weighted mean of the sub-indices that
have data, with the administrator's weights; the colour follows the administrator's thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

SUBINDICES: tuple[tuple[str, str], ...] = (
    ("strength", "力度"), ("speed", "速度"), ("convenience", "便利度"), ("satisfaction", "满意度"),
)


@dataclass(frozen=True)
class Measure:
    name: str
    subindex: str
    label: str
    worst: float
    best: float
    unit: str = ""
    # The IndexSettings field holding this measure's weight inside its sub-index ("" = weight 1).
    weight_setting: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure("coverage", "strength", "覆盖率：年初至当月已兑现企业数 ÷ 符合条件企业数", 0.0, 0.8, "比例"),
    Measure("median_days", "speed", "申报（免申即享为确认）至资金到账的工作日中位数", 30.0, 5.0, "工作日"),
    Measure("p90_days", "speed", "申报至资金到账的工作日第90百分位", 60.0, 10.0, "工作日"),
    Measure("on_time_share", "speed", "审核环节按时办结率", 0.5, 1.0, "比例"),
    Measure("red_lights_per_app", "speed", "每件申报的审核红灯数（超期未办结或超期办结的审核环节）", 1.0, 0.0, "个",
            "weight_red_lights"),
    Measure("gov_overdue_share", "speed", "政府方承诺逾期率：月末逾期未兑现的政府方承诺 ÷ 截至月末已到期的政府方承诺",
            0.3, 0.0, "比例", "weight_gov_overdue"),
    Measure("fast_share", "convenience", "免申即享、即申即享事项占在办事项比例", 0.0, 0.6, "比例"),
    Measure("materials_per_app", "convenience", "每件申报提交的材料数", 6.0, 0.0, "件"),
    Measure("prefilled_share", "convenience", "申报表字段预填率：由一企一档自动带出的字段 ÷ 申报表字段总数",
            0.0, 1.0, "比例", "weight_prefilled"),
    Measure("avg_rating", "satisfaction", "企业平均评分（1–5分）", 1.0, 5.0, "分"),
    Measure("poor_rate", "satisfaction", "差评率（1–2分评价占比）", 0.3, 0.0, "比例"),
    Measure("poor_answered_share", "satisfaction", "差评按时整改答复率", 0.0, 1.0, "比例"),
)


def measure_score(x: float | None, worst: float, best: float) -> float | None:
    """The one normalisation, for a single value (the Polars expression below is the same)."""
    if x is None:
        return None
    return max(0.0, min(1.0, (x - worst) / (best - worst))) * 100


def _score_expr(m: Measure) -> pl.Expr:
    return (((pl.col(m.name) - m.worst) / (m.best - m.worst)).clip(0.0, 1.0) * 100).alias(f"s_{m.name}")


@dataclass(frozen=True)
class Weights:
    strength: float = 0.3
    speed: float = 0.3
    convenience: float = 0.2
    satisfaction: float = 0.2
    green_from: float = 80.0
    yellow_from: float = 60.0
    # Weights of single measures inside their sub-index, by Measure.weight_setting (missing = 1).
    measures: Mapping[str, float] = field(default_factory=dict)

    def of(self, measure: Measure) -> float:
        return float(self.measures.get(measure.weight_setting, 1.0)) if measure.weight_setting else 1.0


def colour_of(score: float | None, weights: Weights) -> str:
    if score is None:
        return ""
    if score >= weights.green_from:
        return "green"
    if score >= weights.yellow_from:
        return "yellow"
    return "red"


LEVELS = ("county", "prefecture", "province")


def _key(level: str) -> pl.Expr:
    region = pl.col("region")
    if level == "county":
        return region.alias("key")
    if level == "prefecture":
        return (region.str.slice(0, 4) + "00").alias("key")
    if level == "province":
        return (region.str.slice(0, 2) + "0000").alias("key")
    return pl.col("department_id").cast(pl.Utf8).alias("key")


# -- terms added for issue 9/11 follow-ups, each in its own function (merge-friendly) -----------


def _red_lights_per_application(steps: pl.DataFrame) -> pl.DataFrame:
    """速度: review nodes that went red (finished late, or open past their due date) per
    application that had a node due or finished in the month."""
    return steps.group_by("key", "month").agg(
        pl.col("application_id").n_unique().alias("apps_with_steps"),
        pl.col("red").sum().alias("red_on_apps"))


def _prefilled_fields(apps: pl.DataFrame) -> pl.DataFrame:
    """便利度: form fields pre-filled from the 一企一档 out of all form fields, over the month's
    submitted applications that recorded it (older ones did not: they are left out, not zero)."""
    recorded = apps.filter(pl.col("form_fields").is_not_null() & (pl.col("form_fields") > 0))
    return recorded.group_by("key", "month").agg(
        pl.col("prefilled").sum().alias("fields_prefilled"), pl.col("form_fields").sum().alias("form_fields"))


def _government_commitments_overdue(commitments: pl.DataFrame, month_df: pl.DataFrame) -> pl.DataFrame:
    """速度 (承诺必践): at each month's last day, the government-side commitments already due and,
    of those, the ones overdue — due before that day and not kept by it (still open, or closed
    otherwise than 已兑现). Worked out from dates, so a month's figure is what it was that month."""
    ends = month_df.with_columns(pl.col("month").str.to_date("%Y-%m").dt.month_end().alias("month_end"))
    at_end = commitments.join(ends, how="cross").filter(pl.col("due_on") <= pl.col("month_end"))
    kept_by_end = pl.col("kept").fill_null(False) & pl.col("closed_on").is_not_null() & (
        pl.col("closed_on") <= pl.col("month_end"))
    return at_end.group_by("key", "month").agg(
        pl.len().alias("gov_commitments_due"),
        ((pl.col("due_on") < pl.col("month_end")) & ~kept_by_end).sum().alias("gov_commitments_overdue"))


def _aggregate(level: str, f: dict[str, pl.DataFrame], months: Sequence[str]) -> pl.DataFrame:
    """Every measure per (key, month) for one level ("county", "prefecture", "province", "department")."""
    def keyed(frame: pl.DataFrame) -> pl.DataFrame:
        out = frame.with_columns(_key(level))
        if level == "department":
            return out.filter(pl.col("key").is_not_null())
        if level == "county":  # an item of a prefecture or the province is not any one county's
            return out.filter(~pl.col("region").str.ends_with("00"))
        if level == "prefecture":
            return out.filter(~pl.col("region").str.ends_with("0000"))
        return out

    month_df = pl.DataFrame({"month": list(months)})
    pay = keyed(f["payments"]).filter(pl.col("month").is_in(list(months)))
    money = pay.group_by("key", "month").agg(
        pl.col("fen").sum().alias("paid_fen"),
        pl.col("enterprise_id").n_unique().alias("enterprises_paid"),
        pl.col("workdays").median().alias("median_days"),
        pl.col("workdays").quantile(0.9, "linear").alias("p90_days"),
    )
    # Coverage counts enterprises paid from January to the month (year to date).
    all_pay = keyed(f["payments"]).with_columns(pl.col("month").str.slice(0, 4).alias("year"))
    first = all_pay.group_by("key", "year", "enterprise_id").agg(pl.col("month").min().alias("first"))
    new = first.group_by("key", "year", "first").agg(pl.len().alias("n_new"))
    ytd = (new.join(month_df.with_columns(pl.col("month").str.slice(0, 4).alias("year")), on="year")
           .filter(pl.col("first") <= pl.col("month"))
           .group_by("key", "month").agg(pl.col("n_new").sum().alias("enterprises_paid_ytd")))
    eligible = keyed(f["eligible"]).group_by("key").agg(pl.col("enterprise_id").n_unique().alias("eligible"))

    steps = keyed(f["steps"]).filter(pl.col("month").is_in(list(months))).group_by("key", "month").agg(
        pl.len().alias("steps"), pl.col("on_time").sum().alias("steps_on_time"),
        pl.col("red").sum().alias("red_lights"))
    # Red lights count late review nodes AND broken cash promises (逾期未兑付), shown apart too.
    cash_facts = f.get("cash", pl.DataFrame(schema={"region": pl.Utf8, "department_id": pl.Int64,
                                                     "month": pl.Utf8, "red": pl.Boolean}))
    cash = keyed(cash_facts).filter(pl.col("month").is_in(list(months))).group_by("key", "month").agg(
        pl.col("red").sum().alias("cash_breaches"))
    apps = keyed(f["applications"]).filter(pl.col("month").is_in(list(months))).group_by("key", "month").agg(
        pl.len().alias("applications"), pl.col("materials").mean().alias("materials_per_app"))
    items = (keyed(f["items"]).join(month_df, how="cross")
             .filter((pl.col("start_month") <= pl.col("month")) & (pl.col("end_month") >= pl.col("month")))
             .group_by("key", "month").agg(pl.len().alias("items"), pl.col("fast").sum().alias("items_fast")))
    ratings = keyed(f["ratings"]).filter(pl.col("month").is_in(list(months))).group_by("key", "month").agg(
        pl.len().alias("ratings"), pl.col("score").mean().alias("avg_rating"), pl.col("poor").sum().alias("poor"),
        (pl.col("poor") & pl.col("answered_on_time").fill_null(False)).sum().alias("poor_answered_on_time"),
        (pl.col("poor") & pl.col("answered_on_time").is_null()).sum().alias("poor_unanswered"))

    month_steps = keyed(f["steps"]).filter(pl.col("month").is_in(list(months)))
    red_per_app = _red_lights_per_application(month_steps)
    prefilled = _prefilled_fields(keyed(f["applications"]).filter(pl.col("month").is_in(list(months))))
    commitments = _government_commitments_overdue(keyed(f["commitments"]), month_df)

    tables = (money, steps, cash, apps, items, ratings, red_per_app, prefilled, commitments)
    keys = pl.concat([t.select("key", "month") for t in tables]).unique()
    out = keys
    for table in (money, ytd, *tables[1:]):
        out = out.join(table, on=["key", "month"], how="left")
    out = out.join(eligible, on="key", how="left")
    counts = ["paid_fen", "enterprises_paid", "enterprises_paid_ytd", "eligible", "steps", "steps_on_time",
              "red_lights", "cash_breaches", "applications", "items", "items_fast", "ratings", "poor", "poor_answered_on_time",
              "poor_unanswered", "apps_with_steps", "red_on_apps", "fields_prefilled", "form_fields",
              "gov_commitments_due", "gov_commitments_overdue"]
    out = out.with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in counts])
    out = out.with_columns((pl.col("red_lights") + pl.col("cash_breaches")).alias("red_lights"))
    ratio = lambda num, den: (pl.when(pl.col(den) > 0)  # noqa: E731
                              .then(pl.col(num).cast(pl.Float64) / pl.col(den)).otherwise(None))
    out = out.with_columns(
        ratio("enterprises_paid_ytd", "eligible").alias("coverage"),
        ratio("steps_on_time", "steps").alias("on_time_share"),
        ratio("items_fast", "items").alias("fast_share"),
        ratio("poor", "ratings").alias("poor_rate"),
        ratio("poor_answered_on_time", "poor").alias("poor_answered_share"),
        ratio("red_on_apps", "apps_with_steps").alias("red_lights_per_app"),
        ratio("fields_prefilled", "form_fields").alias("prefilled_share"),
        ratio("gov_commitments_overdue", "gov_commitments_due").alias("gov_overdue_share"),
        pl.col("median_days").cast(pl.Float64), pl.col("p90_days").cast(pl.Float64),
        pl.col("materials_per_app").cast(pl.Float64), pl.col("avg_rating").cast(pl.Float64),
    )
    return out.with_columns(pl.lit(level).alias("level"))


def compute(facts: dict[str, pl.DataFrame], months: Sequence[str], weights: Weights,
            levels: Sequence[str] = (*LEVELS, "department")) -> pl.DataFrame:
    """One row per (level, key, month): the raw measures, the four sub-indices, total and colour."""
    frames = [_aggregate(level, facts, months) for level in levels]
    out = pl.concat(frames, how="vertical_relaxed")
    out = out.with_columns([_score_expr(m) for m in MEASURES])
    for sub, _label in SUBINDICES:
        parts = [m for m in MEASURES if m.subindex == sub]
        sub_num = pl.sum_horizontal([pl.col(f"s_{m.name}").fill_null(0) * weights.of(m) for m in parts])
        sub_den = pl.sum_horizontal([pl.when(pl.col(f"s_{m.name}").is_null()).then(0.0).otherwise(weights.of(m))
                                     for m in parts])
        out = out.with_columns(pl.when(sub_den > 0).then(sub_num / sub_den).otherwise(None).alias(sub))
    w = {"strength": weights.strength, "speed": weights.speed, "convenience": weights.convenience,
         "satisfaction": weights.satisfaction}
    num = pl.sum_horizontal([pl.col(s).fill_null(0) * w[s] for s in w])
    den = pl.sum_horizontal([pl.when(pl.col(s).is_null()).then(0.0).otherwise(w[s]) for s in w])
    out = out.with_columns(pl.when(den > 0).then(num / den).otherwise(None).alias("score"))
    out = out.with_columns(
        pl.when(pl.col("score").is_null()).then(pl.lit(""))
        .when(pl.col("score") >= weights.green_from).then(pl.lit("green"))
        .when(pl.col("score") >= weights.yellow_from).then(pl.lit("yellow"))
        .otherwise(pl.lit("red")).alias("colour"))
    return out


def one_decimal(x: float | None) -> Decimal | None:
    if x is None:
        return None
    return Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


FIGURE_COLUMNS = ("paid_fen", "enterprises_paid", "enterprises_paid_ytd", "eligible", "coverage", "median_days",
                  "p90_days", "steps", "steps_on_time", "on_time_share", "red_lights", "cash_breaches", "items", "items_fast",
                  "fast_share", "applications", "materials_per_app", "ratings", "avg_rating", "poor", "poor_rate",
                  "poor_answered_on_time", "poor_unanswered", "poor_answered_share", "red_lights_per_app",
                  "fields_prefilled", "form_fields", "prefilled_share", "gov_commitments_due",
                  "gov_commitments_overdue", "gov_overdue_share")
