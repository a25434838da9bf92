"""A review node can be decided when the enterprise's profile lacks data: the reviewer confirms
the missing facts (or returns the application for correction), and the refusal says in words
which data are missing and who can supply them."""

from __future__ import annotations

from typing import Any

import pytest

from huiqi.fulfilment import services
from huiqi.fulfilment.models import Application
from huiqi.fulfilment.services import FormErrors

from .conftest import CHECK, at

pytestmark = pytest.mark.django_db

EMPLOYEES = "2025年从业人员达到 50 人的要求"


@pytest.fixture
def needs_employees(make_item: Any) -> Any:
    """An item that also reads 2025 employees, which the applicant's profile does not have."""
    return make_item(conditions={"all": [
        {"field": "revenue", "op": ">=", "value": 5000000},
        {"field": "employees", "op": ">=", "value": 50},
        {"field": "input.equipment_investment", "op": ">=", "value": 1000000},
        {"check": CHECK}]})


def _submitted(item: Any, applicant: Any) -> Application:
    now = at(2026, 3, 2)
    app = services.application_create(actor=applicant, item=item, now=now)
    services.application_save(actor=applicant, application=app, inputs={"equipment_investment": "2000000"},
                              commitments=list(item.commitments), now=now)
    from .conftest import pdf
    services.material_add(actor=applicant, application=app, label="设备购置合同及发票清单", upload=pdf(), now=now)
    return services.application_submit(actor=applicant, application=app, now=now)


def test_the_refusal_names_the_missing_data_in_words_and_who_can_supply_them(
        needs_employees: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    app = _submitted(needs_employees, applicant)
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    with pytest.raises(FormErrors) as refused:
        services.review_approve(actor=finance, application=app, now=at(2026, 3, 3))
    message = str(refused.value)
    assert "2025年从业人员" in message and "years." not in message and "employees" not in message
    assert "退回企业补正" in message and "政策专员" in message


def test_the_reviewer_lists_the_missing_facts_as_sentences(needs_employees: Any, applicant: Any) -> None:
    app = _submitted(needs_employees, applicant)
    assert services.reviewable_facts(app, at(2026, 3, 3).date()) == [EMPLOYEES]


def test_a_reviewer_who_confirms_the_missing_fact_decides_the_last_node(
        needs_employees: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    app = _submitted(needs_employees, applicant)
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    services.review_approve(actor=finance, application=app, now=at(2026, 3, 4), checks={EMPLOYEES: True},
                            opinion="已核验社保缴纳人数证明")
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED
    assert app.checks[EMPLOYEES] is True


def test_a_missing_fact_confirmed_as_not_met_makes_the_application_ineligible(
        needs_employees: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    app = _submitted(needs_employees, applicant)
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    with pytest.raises(FormErrors, match="不符合条件"):
        services.review_approve(actor=finance, application=app, now=at(2026, 3, 4), checks={EMPLOYEES: False})
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.node_index == 1


def test_a_fact_the_item_does_not_need_cannot_be_recorded(
        needs_employees: Any, applicant: Any, reviewer: Any) -> None:
    app = _submitted(needs_employees, applicant)
    with pytest.raises(FormErrors, match="不是该申报需要审核认定的事项"):
        services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3),
                                checks={CHECK: True, "2025年营业收入达到 1 元的要求": True})


def test_a_correction_request_names_materials_and_facts_and_resubmission_needs_each_of_them(
        needs_employees: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    from .conftest import pdf

    app = _submitted(needs_employees, applicant)
    services.review_return(actor=reviewer, application=app, now=at(2026, 3, 3), reasons="请补充用工情况",
                           materials=["2025年社保缴纳人数证明"], facts=[EMPLOYEES])
    app.refresh_from_db()
    assert app.status == Application.Status.RETURNED
    assert "2025年社保缴纳人数证明" in services.materials_for(app)
    with pytest.raises(FormErrors) as missing:
        services.application_resubmit(actor=applicant, application=app, now=at(2026, 3, 4))
    assert "2025年社保缴纳人数证明" in str(missing.value) and EMPLOYEES in str(missing.value)

    services.application_save(actor=applicant, application=app, inputs=app.inputs, commitments=app.commitments,
                              now=at(2026, 3, 4), answers={EMPLOYEES: "2025年末参保职工 86 人，见社保证明"})
    services.material_add(actor=applicant, application=app, label="2025年社保缴纳人数证明", upload=pdf(),
                          now=at(2026, 3, 4))
    services.application_resubmit(actor=applicant, application=app, now=at(2026, 3, 4))
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert app.correction["answers"] == {EMPLOYEES: "2025年末参保职工 86 人，见社保证明"}
    # The reviewer, having read the answer and the certificate, confirms the fact and decides.
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 5), checks={CHECK: True, EMPLOYEES: True})
    services.review_approve(actor=finance, application=app, now=at(2026, 3, 5))
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED


def test_a_correction_cannot_ask_for_a_fact_the_application_does_not_lack(
        needs_employees: Any, applicant: Any, reviewer: Any) -> None:
    app = _submitted(needs_employees, applicant)
    with pytest.raises(FormErrors, match="不是该申报缺少的数据"):
        services.review_return(actor=reviewer, application=app, now=at(2026, 3, 3), reasons="补充",
                               facts=["2025年营业收入达到 1 元的要求"])
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
