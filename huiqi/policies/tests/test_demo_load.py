from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cnstd.industries import is_industrial
from cnstd.uscc import uscc_region_code, validate_uscc
from huiqi.accounts.models import Role, User
from huiqi.audit.models import AuditEvent
from huiqi.demo.enterprises import generate_enterprises
from huiqi.demo.loader import DEMO_PASSWORD
from huiqi.enterprises.models import Enterprise, EnterpriseQualification, Qualification, YearFigure
from huiqi.policies.models import PolicyItem
from huiqi.policies.rules_bridge import rule_errors


def test_generator_gives_the_same_enterprises_for_the_same_seed() -> None:
    first = generate_enterprises(count=300, seed=11)
    second = generate_enterprises(count=300, seed=11)
    assert [(e.name, e.uscc, e.years) for e in first] == [(e.name, e.uscc, e.years) for e in second]
    other = generate_enterprises(count=300, seed=12)
    assert [e.name for e in other] != [e.name for e in first]


def test_no_generated_enterprise_holds_a_designation_from_before_it_was_founded() -> None:
    for spec in generate_enterprises(count=800, seed=5):
        for q in spec.qualifications:
            assert q.valid_from is None or q.valid_from >= spec.established_on, (spec.name, q.code)
            assert q.valid_to is None or q.valid_to >= (q.valid_from or q.valid_to), (spec.name, q.code)


def test_generated_credit_codes_are_valid_and_carry_the_enterprise_region() -> None:
    for spec in generate_enterprises(count=500, seed=3):
        check = validate_uscc(spec.uscc)
        assert check.format_ok and check.check_ok, spec.uscc
        assert uscc_region_code(spec.uscc) == spec.region


def test_generated_figures_hang_together() -> None:
    specs = generate_enterprises(count=800, seed=5)
    missing_latest = sum(1 for s in specs if 2025 not in s.years)
    assert 0.05 * len(specs) < missing_latest < 0.2 * len(specs)
    for spec in specs:
        for raw in spec.years.values():
            figures = {k: Decimal(str(v)) for k, v in raw.items() if k != "tax_credit_rating"}
            revenue = figures.get("revenue")
            if revenue is not None and revenue > 0:
                assert figures.get("employees", Decimal(1)) > 0
            if "insured_employees" in figures and "employees" in figures:
                assert figures["insured_employees"] <= figures["employees"]
            if "main_revenue" in figures and revenue is not None:
                assert figures["main_revenue"] <= revenue
            for part in ("rd_expense", "tax_paid"):
                if part in figures and revenue is not None:
                    assert figures[part] < revenue
        codes = {q.code for q in spec.qualifications}
        latest = spec.years.get(max(spec.years), {}) if spec.years else {}
        if "above_scale" in codes and is_industrial(spec.industry) and spec.name != "晋江市恒鑫鞋业有限公司":
            assert Decimal(latest.get("main_revenue", latest.get("revenue", 0))) >= Decimal(20_000_000)


@pytest.mark.django_db
def test_demo_load_writes_enterprises_items_and_one_account_per_role(demo: Any) -> None:
    assert Enterprise.objects.count() == 200
    assert YearFigure.objects.count() > 200 * 10
    items = PolicyItem.objects.select_related("document")
    assert items.count() >= 40
    assert set(items.values_list("mode", flat=True)) == {"免申即享", "即申即享", "申报审核"}
    assert {"city", "county"} <= set(items.values_list("document__level", flat=True))
    assert len({i.region[:4] for i in items}) == 9
    assert set(items.values_list("status", flat=True)) == {"draft", "reviewed", "published", "expired"}
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    officer = User.objects.get(username="officer_qz")
    assert officer.check_password(DEMO_PASSWORD)
    sparse = User.objects.get(username="qiye_fengyuan").enterprise
    assert sparse is not None and sparse.qualifications_source == ""
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    event = AuditEvent.objects.get(action="demo.load")
    assert isinstance(event.after, dict)
    assert event.after["enterprises"] == 200 and event.after["items"] == items.count()


@pytest.mark.django_db
def test_every_demo_item_has_valid_rules_and_its_key_elements(demo: Any) -> None:
    known = set(Qualification.objects.values_list("code", flat=True))
    for item in PolicyItem.objects.all():
        assert rule_errors(conditions=item.conditions, reward=item.reward, known_qualifications=known) == [], item.code
        assert item.clause_text and item.target and item.department_id and item.paying_department
        assert item.legal_basis and item.funding_source and item.contact_phone and item.review_nodes
        assert item.cash_days == {"免申即享": 2, "即申即享": 40, "申报审核": 60}[item.mode]
        if item.mode == "免申即享":  # the seeds' promise: money within 5 working days of the list
            assert (item.publicity_days or 0) + item.cash_days <= 5, item.code
        for name in _inputs_used(item.conditions) | _inputs_used(item.reward):
            assert name in {i["name"] for i in item.inputs}, (item.code, name)


def _inputs_used(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("field"), str) and node["field"].startswith("input."):
            found.add(node["field"][len("input."):])
        if "input" in node and isinstance(node["input"], str):
            found.add(node["input"])
        for value in node.values():
            found |= _inputs_used(value)
    elif isinstance(node, list):
        for value in node:
            found |= _inputs_used(value)
    return found


@pytest.mark.django_db
def test_loaded_credit_codes_are_valid_and_match_the_region(demo: Any) -> None:
    for uscc, region in Enterprise.objects.values_list("uscc", "region"):
        check = validate_uscc(uscc)
        assert check.format_ok and check.check_ok
        assert uscc_region_code(uscc) == region


@pytest.mark.django_db
def test_loaded_figures_are_consistent_and_qualifications_have_dates(demo: Any) -> None:
    figures: dict[tuple[int, int], dict[str, Decimal | None]] = {}
    for e, year, field, value in YearFigure.objects.exclude(field="tax_credit_rating").values_list(
            "enterprise_id", "year", "field", "value_number"):
        figures.setdefault((e, year), {})[field] = value
    for values in figures.values():
        revenue, employees = values.get("revenue"), values.get("employees")
        if revenue is not None and revenue > 0 and employees is not None:
            assert employees > 0
    assert EnterpriseQualification.objects.filter(valid_from__isnull=True).count() == 0
    assert Enterprise.objects.filter(qualifications_source="").exists()


def test_the_demo_has_applications_in_review_with_red_and_yellow_lights(demo: Any) -> None:
    from huiqi.fulfilment.models import Application, ReviewStep

    assert Application.objects.filter(status="submitted").count() >= 5
    colours = set(ReviewStep.objects.filter(outcome="open").values_list("colour", flat=True))
    assert {"red", "yellow", "green"} <= colours


@pytest.mark.django_db
@pytest.mark.parametrize("offset", range(0, 21, 3))
def test_demo_submission_dates_give_every_light_whatever_today_is(offset: int) -> None:
    """The demo dates its applications back from today so that red, yellow and green all show on
    any day of the year, not only on days that happen to suit it."""
    from datetime import date, timedelta

    from huiqi.core.deadlines import colour_for
    from huiqi.demo.inflight import _submitted_on_for
    from huiqi.workdays.selectors import work_calendar

    today = date(2026, 9, 21) + timedelta(days=offset)  # runs over 国庆 and the weekends
    item = PolicyItem(review_nodes=[{"name": "主管部门审核", "days": 5, "warn_days": 2}])
    calendar = work_calendar()
    for colour in ("red", "yellow", "green"):
        day = _submitted_on_for(colour, item=item, today=today)
        assert colour_for(due_at=calendar.add_workdays(day, 5), warn_days=2, today=today, calendar=calendar) == colour


def test_the_demo_shows_a_yellow_and_a_red_cash_promise(demo: Any) -> None:
    from huiqi.disbursement.models import CashPromise

    open_lights = set(CashPromise.objects.filter(outcome="open").values_list("colour", flat=True))
    assert {"red", "yellow"} <= open_lights


@pytest.mark.django_db
@pytest.mark.parametrize("offset", range(0, 21, 1))
def test_demo_cash_promise_dates_give_red_and_yellow_whatever_today_is(offset: int) -> None:
    from datetime import date, timedelta

    from huiqi.core.deadlines import colour_for
    from huiqi.demo.inflight import _confirmed_on_for_cash
    from huiqi.disbursement.services import cash_warn_days
    from huiqi.workdays.selectors import work_calendar

    today = date(2026, 9, 21) + timedelta(days=offset)  # runs over 国庆 and the weekends
    calendar = work_calendar()
    for colour in ("red", "yellow"):
        day = _confirmed_on_for_cash(colour, days=5, publicity_days=3, today=today)
        assert day is not None and calendar.add_workdays(day, 3) < today
        assert colour_for(due_at=calendar.add_workdays(day, 5), warn_days=cash_warn_days(5), today=today,
                          calendar=calendar) == colour


def test_the_demo_has_requests_in_every_state_with_a_red_light_a_second_round_and_an_escalation(demo: Any) -> None:
    from huiqi.tickets.models import Ticket

    assert set(Ticket.objects.values_list("status", flat=True)) == set(Ticket.Status.values)
    assert Ticket.objects.filter(colour="red", status="handling").exists()
    assert Ticket.objects.filter(round=2, escalated_at__isnull=True).exists()
    assert Ticket.objects.filter(escalated_at__isnull=False).exists()
    assert Ticket.objects.filter(faq=Ticket.Faq.PUBLISHED).exists()
    assert demo.counts["tickets"] == Ticket.objects.count()
