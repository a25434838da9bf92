from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.fulfilment import services
from huiqi.fulfilment.models import Application, ApplicationEvent, ReviewStep
from huiqi.fulfilment.services import FormErrors
from huiqi.fulfilment.workflow import WorkflowConflict, WorkflowError
from huiqi.notifications.models import Notification

from .conftest import CHECK, at, pdf

pytestmark = pytest.mark.django_db


def test_the_whole_path_from_draft_through_two_nodes_ends_in_one_entitlement(
        item: Any, applicant: Any, reviewer: Any, finance: Any, submitted: Any) -> None:
    from huiqi.disbursement.models import Entitlement

    app = submitted(at(2026, 3, 2))  # Monday
    assert app.status == Application.Status.SUBMITTED
    assert (app.amount_min, app.amount_max) == (Decimal("200000.00"), Decimal("200000.00"))
    assert app.accepted_on == date(2026, 3, 2)
    first = app.steps.get(index=0)
    assert first.due_at == date(2026, 3, 5) and first.role == "reviewer"
    assert Notification.objects.filter(recipient=reviewer, category="review_task").exists()

    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True},
                            opinion="项目真实")
    assert app.node_index == 1 and app.status == Application.Status.SUBMITTED
    second = app.steps.get(index=1)
    assert second.started_on == date(2026, 3, 3) and second.due_at == date(2026, 3, 6)

    services.review_approve(actor=finance, application=app, now=at(2026, 3, 4), opinion="资金来源落实")
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED and app.amount_approved == Decimal("200000.00")
    entitlement = Entitlement.objects.get(enterprise=applicant.enterprise, item=item, period="2026")
    assert entitlement.amount == Decimal("200000.00") and entitlement.source_ref == app.reference
    kinds = list(ApplicationEvent.objects.filter(application=app).values_list("kind", flat=True))
    assert kinds == ["draft", "submit", "node_start", "node_approve", "node_start", "node_approve", "approved"]
    assert AuditEvent.objects.filter(action="application.approve", object_id=str(app.pk)).count() == 2


def test_the_last_node_cannot_approve_while_a_check_is_undecided(
        applicant: Any, reviewer: Any, finance: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3))
    with pytest.raises(FormErrors, match=CHECK):
        services.review_approve(actor=finance, application=app, now=at(2026, 3, 3))
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.node_index == 1


def test_an_amount_is_adjusted_only_within_the_rules_range_and_with_a_reason(
        make_item: Any, applicant: Any, reviewer: Any, finance: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    with pytest.raises(FormErrors, match="超出规则测算范围"):
        services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True},
                                amount=Decimal("250000"), amount_reason="多报")


def test_an_up_to_reward_needs_an_amount_and_a_reason_before_the_last_approval(
        make_item: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    item = make_item(reward={"up_to": 300000})
    app = services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    services.application_save(actor=applicant, application=app, inputs={"equipment_investment": "1500000"},
                              commitments=list(item.commitments), now=at(2026, 3, 2))
    services.material_add(actor=applicant, application=app, label="设备购置合同及发票清单", upload=pdf(),
                          now=at(2026, 3, 2))
    services.application_submit(actor=applicant, application=app, now=at(2026, 3, 2))
    assert (app.amount_min, app.amount_max) == (Decimal("0.00"), Decimal("300000.00"))
    with pytest.raises(FormErrors, match="说明理由"):
        services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True},
                                amount=Decimal("120000"))
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True},
                            amount=Decimal("120000"), amount_reason="按设备投资额的8%核定")
    services.review_approve(actor=finance, application=app, now=at(2026, 3, 4))
    app.refresh_from_db()
    assert app.amount_approved == Decimal("120000.00") and app.amount_reason == "按设备投资额的8%核定"


def test_an_exhausted_budget_leaves_the_last_node_undecided_with_a_chinese_message(
        make_item: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    item = make_item(budget="100000")
    app = services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    services.application_save(actor=applicant, application=app, inputs={"equipment_investment": "2000000"},
                              commitments=list(item.commitments), now=at(2026, 3, 2))
    services.material_add(actor=applicant, application=app, label="设备购置合同及发票清单", upload=pdf(),
                          now=at(2026, 3, 2))
    services.application_submit(actor=applicant, application=app, now=at(2026, 3, 2))
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    with pytest.raises(WorkflowError, match="预算不足"):
        services.review_approve(actor=finance, application=app, now=at(2026, 3, 4))
    assert app.status == Application.Status.SUBMITTED and app.node_index == 1
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.node_index == 1
    assert app.steps.get(index=1).outcome == ReviewStep.Outcome.OPEN


def test_two_approvals_of_the_same_node_from_stale_objects_let_exactly_one_through(
        reviewer: Any, make_user: Any, submitted: Any) -> None:
    colleague = make_user("reviewer", username="reviewer-qz-2")
    app = submitted(at(2026, 3, 2))
    mine = Application.objects.get(pk=app.pk)
    theirs = Application.objects.get(pk=app.pk)
    services.review_approve(actor=reviewer, application=mine, now=at(2026, 3, 3), checks={CHECK: True})
    with pytest.raises(WorkflowConflict):
        services.review_approve(actor=colleague, application=theirs, now=at(2026, 3, 3), checks={CHECK: True})
    assert ReviewStep.objects.filter(application=app).count() == 2
    assert ReviewStep.objects.get(application=app, index=0).decided_by == reviewer


def test_a_stale_reject_after_an_approval_is_refused(reviewer: Any, make_user: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    stale = Application.objects.get(pk=app.pk)
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    with pytest.raises(WorkflowConflict):
        services.review_reject(actor=make_user("reviewer"), application=stale, now=at(2026, 3, 3), reasons="不符合")
    assert Application.objects.get(pk=app.pk).status == Application.Status.SUBMITTED


def test_returning_for_correction_stops_the_clock_across_national_day_and_counts_the_makeup_saturday(
        reviewer: Any, applicant: Any, submitted: Any) -> None:
    # Accepted Friday 2025-09-26; 3 working days: Sun 09-28 (调休上班), Mon 09-29, Tue 09-30.
    app = submitted(at(2025, 9, 26))
    step = app.steps.get(index=0)
    assert step.due_at == date(2025, 9, 30)
    services.review_return(actor=reviewer, application=app, now=at(2025, 9, 29), reasons="发票清单不清晰，请重新上传")
    step.refresh_from_db()
    assert app.status == Application.Status.RETURNED and step.colour == ReviewStep.Colour.PAUSED
    told = Notification.objects.get(recipient=applicant, category="application_returned")
    assert told.body == "发票清单不清晰，请重新上传"
    # The enterprise resubmits on Friday 10-10; 09-30 … 10-10 are paused. Day 3 is the 调休
    # working Saturday 10-11, so the node is due that Saturday.
    services.application_resubmit(actor=applicant, application=app, now=at(2025, 10, 10))
    step.refresh_from_db()
    assert step.pauses == [["2025-09-30", "2025-10-10"]]
    assert step.paused_since is None and step.due_at == date(2025, 10, 11)
    assert app.status == Application.Status.SUBMITTED


def test_a_correction_returned_and_resubmitted_the_same_day_does_not_move_the_deadline(
        reviewer: Any, applicant: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    services.review_return(actor=reviewer, application=app, now=at(2026, 3, 3), reasons="补充发票")
    services.application_resubmit(actor=applicant, application=app, now=at(2026, 3, 3, 16))
    step = app.steps.get(index=0)
    assert step.pauses == [] and step.due_at == date(2026, 3, 5)


def test_the_enterprise_withdraws_before_review_but_not_after_a_reviewer_acted(
        reviewer: Any, applicant: Any, submitted: Any, make_item: Any) -> None:
    app = submitted(at(2026, 3, 2))
    services.application_withdraw(actor=applicant, application=app, now=at(2026, 3, 2, 15), reason="填错金额")
    assert Application.objects.get(pk=app.pk).status == Application.Status.WITHDRAWN
    assert app.steps.get().outcome == ReviewStep.Outcome.CANCELLED

    again = submitted(at(2026, 3, 3))  # a withdrawn application does not block a new one
    services.review_return(actor=reviewer, application=again, now=at(2026, 3, 4), reasons="补充")
    services.application_resubmit(actor=applicant, application=again, now=at(2026, 3, 4))
    with pytest.raises(WorkflowError, match="不能撤回"):
        services.application_withdraw(actor=applicant, application=again, now=at(2026, 3, 5))


def test_a_second_live_application_for_the_same_item_and_period_is_refused(item: Any, applicant: Any) -> None:
    services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    with pytest.raises(WorkflowError, match="已有"):
        services.application_create(actor=applicant, item=item, now=at(2026, 3, 3))


def test_submission_names_every_missing_figure_commitment_and_material(item: Any, applicant: Any) -> None:
    app = services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    with pytest.raises(FormErrors) as refused:
        services.application_submit(actor=applicant, application=app, now=at(2026, 3, 2))
    errors = refused.value.errors
    assert "设备投资额" in errors["equipment_investment"]
    assert {"commitment_0", "commitment_1", "material_0"} <= set(errors)
    assert "营业执照" not in " ".join(errors.values())  # fetched by the system, never uploaded
    assert Application.objects.get(pk=app.pk).status == Application.Status.DRAFT


def test_an_ineligible_declaration_is_refused_with_the_failed_condition(item: Any, applicant: Any) -> None:
    app = services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    services.application_save(actor=applicant, application=app, inputs={"equipment_investment": "500000"},
                              commitments=list(item.commitments), now=at(2026, 3, 2))
    services.material_add(actor=applicant, application=app, label="设备购置合同及发票清单", upload=pdf(),
                          now=at(2026, 3, 2))
    with pytest.raises(FormErrors, match="不符合申报条件"):
        services.application_submit(actor=applicant, application=app, now=at(2026, 3, 2))


def test_a_declared_figure_that_is_not_a_number_is_named(item: Any, applicant: Any) -> None:
    app = services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    with pytest.raises(FormErrors) as refused:
        services.application_save(actor=applicant, application=app, inputs={"equipment_investment": "两百万"},
                                  commitments=[], now=at(2026, 3, 2))
    assert "设备投资额（不含税）" in refused.value.errors["equipment_investment"]


def test_the_profile_figures_the_item_read_are_kept_with_their_source(applicant: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    rows = {r["label"]: r for r in app.profile_figures}
    assert rows["2025年营业收入"]["source"] == "税务" and "3,000" in rows["2025年营业收入"]["value"]
    assert rows["失信主体"]["value"] == "否"
