"""督: each sub-index on a small hand-computed case, snapshots that do not move, and automatic
督办 of the regions in the bottom two of their level two months running."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from huiqi.audit.models import AuditEvent
from huiqi.supervision import index as idx
from huiqi.supervision import services
from huiqi.supervision.models import IndexSnapshot, SupervisionOrder
from huiqi.supervision.tests.conftest import at


def _facts() -> dict[str, pl.DataFrame]:
    """County 350503, department 7, October 2026 (and one September payment)."""
    r, d = "350503", 7
    return {
        "payments": pl.DataFrame({"region": [r] * 3, "department_id": [d] * 3,
                                  "month": ["2026-09", "2026-10", "2026-10"], "enterprise_id": [3, 1, 2],
                                  "fen": [5000, 10000000, 2000050], "workdays": [30, 4, 10]}),
        "eligible": pl.DataFrame({"region": [r] * 5, "department_id": [d] * 5, "enterprise_id": [1, 2, 3, 4, 5]}),
        "steps": pl.DataFrame({"region": [r] * 4, "department_id": [d] * 4, "month": ["2026-10"] * 4,
                               "on_time": [True, True, True, False], "red": [False, False, False, True],
                               "application_id": [1, 1, 2, 2]}),
        "items": pl.DataFrame({"region": [r, r], "department_id": [d, d], "fast": [True, False],
                               "start_month": ["2026-01", "2025-06"], "end_month": ["9999-12", "2026-12"]}),
        "applications": pl.DataFrame({"region": [r, r, r], "department_id": [d, d, d], "month": ["2026-10"] * 3,
                                      "materials": [2, 4, 3], "prefilled": [6, 3, None],
                                      "form_fields": [8, 4, None]}),
        "commitments": _government_commitments(r, d),
        "ratings": pl.DataFrame({"region": [r] * 4, "department_id": [d] * 4, "month": ["2026-10"] * 4,
                                 "score": [5, 4, 1, 2], "poor": [False, False, True, True],
                                 "answered_on_time": [None, None, True, None]},
                                schema_overrides={"answered_on_time": pl.Boolean}),
    }


def _government_commitments(r: str, d: int) -> pl.DataFrame:
    """Government-side commitments as of the end of October 2026: 15 due, 3 of them overdue."""
    rows = [  # due_on, closed_on, kept
        (date(2026, 9, 15), None, None),                       # overdue: still open
        (date(2026, 10, 10), date(2026, 10, 5), True),         # kept in time
        (date(2026, 10, 31), None, None),                      # due on the month's last day: not yet overdue
        (date(2026, 11, 5), None, None),                       # not due in October
        (date(2026, 9, 10), date(2026, 11, 2), True),          # overdue at October's end (kept only in November)
        (date(2026, 9, 1), date(2026, 10, 20), True),          # kept late, but kept by October's end
        (date(2026, 8, 1), date(2026, 9, 1), False),           # closed as 无法兑现: broken, counts as overdue
        *[(date(2026, 5, 1), date(2026, 5, 1), True)] * 9,     # kept long ago
    ]
    return pl.DataFrame({"region": [r] * len(rows), "department_id": [d] * len(rows),
                         "due_on": [x[0] for x in rows], "closed_on": [x[1] for x in rows],
                         "kept": [x[2] for x in rows]},
                        schema={"region": pl.Utf8, "department_id": pl.Int64, "due_on": pl.Date,
                                "closed_on": pl.Date, "kept": pl.Boolean})


def _row(level: str, key: str, weights: idx.Weights | None = None, month: str = "2026-10") -> dict[str, Any]:
    table = idx.compute(_facts(), [month], weights or idx.Weights())
    return table.filter((pl.col("level") == level) & (pl.col("key") == key)).row(0, named=True)


def test_strength_is_the_year_to_date_coverage_of_eligible_enterprises() -> None:
    row = _row("county", "350503")
    assert (row["enterprises_paid"], row["enterprises_paid_ytd"], row["eligible"]) == (2, 3, 5)
    assert row["paid_fen"] == 12000050  # 120,000.50 yuan, exact
    assert row["strength"] == pytest.approx(75.0)  # 0.6 / 0.8


SPEED = (92 + 100 + 50 + 50 + 100 / 3) / 5
CONVENIENCE = (0.5 / 0.6 * 100 + 50 + 75) / 3


def test_speed_averages_median_p90_nodes_on_time_red_lights_and_overdue_government_commitments() -> None:
    row = _row("county", "350503")
    assert (row["median_days"], row["p90_days"], row["red_lights"]) == (7.0, pytest.approx(9.4), 1)
    assert row["red_lights_per_app"] == 0.5  # one red node over two applications
    assert (row["gov_commitments_due"], row["gov_commitments_overdue"]) == (15, 3)
    # median 7 → (7−30)/(5−30) = 92; p90 9.4 → beyond best → 100; on time 3/4 → 50;
    # red lights 0.5 per application → (0.5−1)/(0−1) = 50; overdue 3/15 = 0.2 → (0.2−0.3)/(0−0.3) = 33.3
    assert row["speed"] == pytest.approx(SPEED)


def test_government_commitments_overdue_are_counted_as_they_stood_at_each_months_end() -> None:
    november = _row("county", "350503", month="2026-11")
    # By 30 November the one kept on 2 November is no longer overdue; the 31 October one is now overdue,
    # the 5 November one is due and overdue.
    assert (november["gov_commitments_due"], november["gov_commitments_overdue"]) == (16, 4)


def test_convenience_averages_fast_item_share_materials_and_prefilled_fields() -> None:
    row = _row("county", "350503")
    assert (row["fast_share"], row["materials_per_app"]) == (0.5, 3.0)
    # 9 of 12 fields pre-filled; the application submitted before counts were recorded is left out
    assert (row["fields_prefilled"], row["form_fields"], row["prefilled_share"]) == (9, 12, 0.75)
    assert row["convenience"] == pytest.approx(CONVENIENCE)


def test_a_measure_weight_set_by_the_administrator_weighs_it_inside_its_sub_index() -> None:
    weights = idx.Weights(measures={"weight_red_lights": 0.0, "weight_gov_overdue": 2.0, "weight_prefilled": 0.5})
    row = _row("county", "350503", weights)
    assert row["speed"] == pytest.approx((92 + 100 + 50 + 0 * 50 + 2 * 100 / 3) / 5)
    assert row["convenience"] == pytest.approx((0.5 / 0.6 * 100 + 50 + 0.5 * 75) / 2.5)


def test_satisfaction_averages_rating_poor_rate_and_answers_on_time() -> None:
    row = _row("county", "350503")
    assert (row["avg_rating"], row["poor_rate"], row["poor_answered_share"], row["poor_unanswered"]) == (3.0, 0.5, 0.5, 1)
    assert row["satisfaction"] == pytest.approx((50 + 0 + 50) / 3)


def test_the_total_is_the_weighted_mean_coloured_by_the_thresholds() -> None:
    row = _row("county", "350503")
    expected = 0.3 * 75 + 0.3 * SPEED + 0.2 * CONVENIENCE + 0.2 * (100 / 3)
    assert row["score"] == pytest.approx(expected)
    assert row["colour"] == "yellow"
    assert idx.colour_of(row["score"], idx.Weights(green_from=60, yellow_from=40)) == "green"


def test_prefecture_province_and_department_aggregate_the_same_facts() -> None:
    county = _row("county", "350503")
    for level, key in (("prefecture", "350500"), ("province", "350000"), ("department", "7")):
        assert _row(level, key)["score"] == pytest.approx(county["score"])


def test_a_sub_index_without_data_is_left_out_of_the_total() -> None:
    facts = {k: v.head(0) for k, v in _facts().items()}
    facts["ratings"] = _facts()["ratings"]
    row = idx.compute(facts, ["2026-10"], idx.Weights()).filter(pl.col("level") == "county").row(0, named=True)
    assert row["strength"] is None and row["speed"] is None
    assert row["score"] == pytest.approx(100 / 3)


def test_the_single_value_formula_matches_the_column_formula() -> None:
    assert idx.measure_score(7, 30, 5) == pytest.approx(92)
    assert idx.measure_score(0.1, 0.3, 0) == pytest.approx(200 / 3)
    assert idx.measure_score(-1, 0, 1) == 0


# -- snapshots and automatic orders (database) ----------------------------------------------------

PREFECTURES = {"350102": "350100", "350203": "350200", "350304": "350300", "350503": "350500"}


def _month_of_ratings(rate_row: Any, month: int, scores: dict[str, int]) -> None:
    for county, score in scores.items():
        rate_row(county, score, at(2026, month, 10))


@pytest.mark.django_db
def test_exactly_the_two_regions_worst_two_months_running_get_orders(rate_row: Any) -> None:
    _month_of_ratings(rate_row, 9, {"350102": 5, "350203": 4, "350304": 1, "350503": 2})
    _month_of_ratings(rate_row, 10, {"350102": 4, "350203": 5, "350304": 2, "350503": 1})
    services.index_snapshot_month(actor=None, month=date(2026, 9, 1))
    assert not SupervisionOrder.objects.exists()  # one month is not two months running
    services.index_snapshot_month(actor=None, month=date(2026, 10, 1))
    orders = SupervisionOrder.objects.all()
    assert sorted(o.target_region for o in orders) == ["350300", "350500"]
    assert {o.source for o in orders} == {"auto"}
    assert all(o.due_at is not None and o.days == 10 for o in orders)
    assert "连续两个月" in orders[0].reason and orders[0].figures["months"] == ["2026-09", "2026-10"]
    services.index_snapshot_month(actor=None, month=date(2026, 10, 1))  # a recompute raises nothing twice
    assert SupervisionOrder.objects.count() == 2


@pytest.mark.django_db
def test_exactly_the_two_departments_worst_two_months_running_get_orders(
        rate_row: Any, item: Any, department: Any) -> None:
    from huiqi.accounts.models import Department

    others = [Department.objects.create(name=f"泉州市{kind}局", region="350500", kind=kind) for kind in ("科技", "商务", "人社")]
    depts = [department, *others]

    def month_of(month: int, scores: list[int]) -> None:
        for dept, score in zip(depts, scores, strict=True):
            rating = rate_row("350503", score, at(2026, month, 10))
            type(rating).objects.filter(pk=rating.pk).update(department_id=dept.pk)  # rated that department

    month_of(9, [5, 1, 2, 4])
    month_of(10, [5, 2, 1, 4])
    services.index_snapshot_month(actor=None, month=date(2026, 9, 1))
    assert not SupervisionOrder.objects.filter(target_department__isnull=False).exists()
    services.index_snapshot_month(actor=None, month=date(2026, 10, 1))
    orders = SupervisionOrder.objects.filter(target_department__isnull=False)
    assert {o.target_department_id for o in orders} == {others[0].pk, others[1].pk} and len(orders) == 2
    assert {(o.source, o.target_region) for o in orders} == {("auto", "350500")}
    assert all("各部门中排名末两位" in o.reason for o in orders)
    services.index_snapshot_month(actor=None, month=date(2026, 10, 1))  # a rerun raises nothing twice
    assert SupervisionOrder.objects.filter(target_department__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_region_worst_in_only_one_of_the_two_months_gets_no_order(rate_row: Any) -> None:
    _month_of_ratings(rate_row, 9, {"350102": 1, "350203": 4, "350304": 2, "350503": 5})
    _month_of_ratings(rate_row, 10, {"350102": 5, "350203": 4, "350304": 2, "350503": 1})
    services.index_snapshot_month(actor=None, month=date(2026, 9, 1))
    services.index_snapshot_month(actor=None, month=date(2026, 10, 1))
    assert list(SupervisionOrder.objects.values_list("target_region", flat=True)) == ["350300"]


@pytest.mark.django_db
def test_the_monthly_job_stores_last_month_once_and_a_later_correction_does_not_move_it(rate_row: Any) -> None:
    rate_row("350503", 5, at(2026, 11, 10))
    assert services.index_monthly_job(now=at(2026, 12, 1, 3)) > 0
    stored = IndexSnapshot.objects.get(month=date(2026, 11, 1), region="350503")
    assert stored.satisfaction == 100
    rate_row("350503", 1, at(2026, 11, 20))  # a late correction of November's data
    assert services.index_monthly_job(now=at(2026, 12, 2, 3)) == 0
    assert IndexSnapshot.objects.get(month=date(2026, 11, 1), region="350503").satisfaction == 100
    assert AuditEvent.objects.filter(action="supervision.index_snapshot").count() == 1


@pytest.mark.django_db
def test_a_future_month_cannot_be_computed(rate_row: Any) -> None:
    with pytest.raises(services.WorkflowError, match="未来月份"):
        services.index_snapshot_month(actor=None, month=date(2027, 1, 1), now=at(2026, 12, 3))


@pytest.mark.django_db
def test_weights_and_thresholds_are_validated_and_audited(make_user: Any) -> None:
    boss = make_user("supervisor", username="sup-fj", region="350000")
    local = make_user("supervisor", username="sup-qz", region="350500")
    with pytest.raises(services.WorkflowError, match="合计为 1"):
        services.index_settings_update(actor=boss, values={"weight_strength": "0.5"})
    with pytest.raises(services.WorkflowError, match="省级"):
        services.index_settings_update(actor=local, values={})
    row = services.index_settings_update(actor=boss, values={"weight_strength": "0.4", "weight_speed": "0.2",
                                                             "green_from": "85"})
    assert (str(row.weight_strength), str(row.green_from)) == ("0.40", "85.0")
    assert AuditEvent.objects.filter(action="supervision.settings").exists()


@pytest.mark.django_db
def test_a_recompute_is_for_a_province_wide_supervisor_and_is_audited_with_the_actor(
        rate_row: Any, make_user: Any) -> None:
    boss = make_user("supervisor", username="sup-fj", region="350000")
    local = make_user("supervisor", username="sup-qz", region="350500")
    rate_row("350503", 4, at(2026, 10, 10))
    with pytest.raises(services.WorkflowError, match="省级"):
        services.index_snapshot_month(actor=local, month=date(2026, 10, 1))
    assert not IndexSnapshot.objects.exists()
    services.index_snapshot_month(actor=boss, month=date(2026, 10, 1))
    event = AuditEvent.objects.get(action="supervision.index_snapshot")
    assert event.actor_id == boss.pk and event.detail == "重新计算"


def test_broken_cash_promises_count_as_red_lights_and_apart_without_touching_the_node_on_time_rate() -> None:
    facts = _facts()
    facts["cash"] = pl.DataFrame({"region": ["350503"] * 3, "department_id": [7] * 3,
                                  "month": ["2026-10", "2026-10", "2026-09"], "red": [True, False, True]})
    table = idx.compute(facts, ["2026-10"], idx.Weights())
    row = table.filter((pl.col("level") == "county") & (pl.col("key") == "350503")).row(0, named=True)
    assert (row["cash_breaches"], row["red_lights"]) == (1, 2)  # one late node + one broken promise in October
    assert row["on_time_share"] == pytest.approx(0.75)  # the nodes' own rate is unchanged
