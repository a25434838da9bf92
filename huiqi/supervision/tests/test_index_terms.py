"""The index terms added after the first cut, through the database: review nodes that went red per
application (速度), the share of form fields pre-filled from the 一企一档 recorded at submission
(便利度), overdue government-side 承诺必践 commitments (速度) — and a month's stored figures that do
not move when the data are corrected later."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from huiqi.commitments import services as promises
from huiqi.commitments.models import Commitment
from huiqi.commitments.services import CommitmentInput
from huiqi.fulfilment.evaluation import form_field_counts
from huiqi.fulfilment.tests.conftest import clean_enterprise, pdf
from huiqi.supervision import services
from huiqi.supervision.models import IndexSnapshot
from huiqi.supervision.tests.conftest import at

CONTRACT = """泉州台商投资区新材料产业园项目投资协议书

甲方：泉州台商投资区管理委员会
乙方：泉州示例新材料有限公司

第一条 甲方负责于2026年11月10日前完成项目配套道路建设并交付使用。
"""


@pytest.fixture
def government_commitment(make_user: Any, make_enterprise: Any) -> Commitment:
    """A confirmed government-side commitment of 泉州 due on 10 November 2026 (still open)."""
    officer = make_user("officer", username="officer-qz-index")
    enterprise = make_enterprise(name="泉州示例新材料有限公司")
    contract = promises.contract_draft(actor=officer, enterprise=enterprise, title="新材料产业园项目",
                                       government_party="", signed_on=date(2026, 1, 10), filename="投资协议.txt",
                                       data=CONTRACT.encode(), now=at(2026, 1, 10))
    rows = [CommitmentInput(pk=c.pk, side=Commitment.Side.GOVERNMENT, content=c.content, due_on=date(2026, 11, 10))
            for c in contract.commitments.all()]
    promises.contract_confirm(actor=officer, contract=contract, rows=rows, now=at(2026, 1, 10))
    return Commitment.objects.get(contract=contract)


def _snap(region: str, month: date = date(2026, 11, 1), department: bool = False) -> IndexSnapshot:
    qs = IndexSnapshot.objects.filter(month=month, region=region, department__isnull=not department)
    return qs.get()


def test_prefilled_fields_count_the_profile_values_the_form_showed_and_every_declared_figure(item: Any) -> None:
    rows = [{"label": "2025年营业收入", "prefilled": True}, {"label": "失信", "prefilled": True},
            {"label": "2025年从业人员", "prefilled": False}]  # the 一企一档 did not hold this one
    assert form_field_counts(item=item, profile_rows=rows) == (2, 4)  # + one declared figure typed


@pytest.mark.django_db
def test_submission_records_how_many_form_fields_came_from_the_enterprise_profile(submitted: Any) -> None:
    app = submitted(at(2026, 11, 2))
    app.refresh_from_db()
    # The form shows the region, revenue and the 失信 flag from the profile (all held) and asks one
    # declared figure.
    assert [row["label"] for row in app.profile_figures] == ["所在地区", "2025年营业收入", "失信主体"]
    assert (app.prefilled_fields, app.form_fields) == (3, 4)


@pytest.mark.django_db
def test_the_snapshot_counts_red_nodes_per_application_and_the_prefilled_share(
        submitted: Any, paid: Any, make_user: Any, make_enterprise: Any) -> None:
    other = make_user("enterprise", enterprise=clean_enterprise(make_enterprise()))
    submitted(at(2026, 11, 16), user=other)  # nobody reviews it: its first node goes red
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1), now=at(2026, 12, 3))
    figures = _snap(paid.enterprise.region).figures
    # Two applications with a node due or finished in November; one red node between them.
    assert (figures["red_lights"], figures["red_lights_per_app"]) == (1, 0.5)
    assert (figures["fields_prefilled"], figures["form_fields"], figures["prefilled_share"]) == (6, 8, 0.75)


@pytest.mark.django_db
def test_an_overdue_government_commitment_counts_for_its_region_and_department(government_commitment: Any) -> None:
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1), now=at(2026, 12, 3))
    for snap in (_snap("350500"), _snap("350000"), _snap("350500", department=True)):
        assert (snap.figures["gov_commitments_due"], snap.figures["gov_commitments_overdue"]) == (1, 1)
        assert snap.figures["gov_overdue_share"] == 1.0
        assert snap.speed == 0  # the only speed measure with data is at its worst
    # Not yet due at October's end: no figure for October.
    services.index_snapshot_month(actor=None, month=date(2026, 10, 1), now=at(2026, 12, 3))
    assert not IndexSnapshot.objects.filter(month=date(2026, 10, 1), region="350500").exists()


@pytest.mark.django_db
def test_a_commitment_kept_after_the_month_leaves_that_months_figures_as_they_were(
        government_commitment: Any, make_user: Any, make_enterprise: Any) -> None:
    assert services.index_monthly_job(now=at(2026, 12, 1, 3)) > 0
    assert _snap("350500").figures["gov_commitments_overdue"] == 1
    # Kept on 2 December: the department uploads evidence, the enterprise confirms it.
    officer = make_user("officer", username="officer-qz-evidence")
    ent_user = make_user("enterprise", username="ent-xcl-index", enterprise=government_commitment.enterprise)
    evidence = promises.evidence_upload(actor=officer, commitment=government_commitment,
                                        upload=pdf("验收单.pdf"), now=at(2026, 12, 2))
    promises.evidence_decide(actor=ent_user, evidence=evidence, confirm=True, now=at(2026, 12, 2))
    assert Commitment.objects.get(pk=government_commitment.pk).status == Commitment.Status.FULFILLED
    assert services.index_monthly_job(now=at(2026, 12, 2, 3)) == 0
    assert _snap("350500").figures["gov_commitments_overdue"] == 1
    # Even an audited recompute of November finds it overdue at November's end.
    supervisor = make_user("supervisor", username="supervisor-fj-index", region="350000")
    services.index_snapshot_month(actor=supervisor, month=date(2026, 11, 1), now=at(2026, 12, 3))
    assert _snap("350500").figures["gov_commitments_overdue"] == 1


@pytest.mark.django_db
def test_measure_weights_are_settings_validated_and_audited_and_used_by_the_next_computation(
        government_commitment: Any, make_user: Any) -> None:
    from huiqi.audit.models import AuditEvent

    admin = make_user("supervisor", username="supervisor-fj-weights", region="350000")
    with pytest.raises(services.WorkflowError, match="0 到 5"):
        services.index_settings_update(actor=admin, values={"weight_gov_overdue": "6"})
    row = services.index_settings_update(actor=admin, values={"weight_gov_overdue": "0"})
    assert row.weight_gov_overdue == Decimal("0")
    event = AuditEvent.objects.filter(action="supervision.settings").latest("pk")
    assert "weight_gov_overdue" in str(event.after)
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1), now=at(2026, 12, 3))
    snap = _snap("350500")
    assert snap.speed is None  # weight 0: the overdue share no longer makes the speed index
    assert snap.settings_used["measure_weights"]["weight_gov_overdue"] == 0.0


@pytest.mark.django_db
def test_the_page_explains_the_new_terms_with_their_weights(client: Any, government_commitment: Any,
                                                            make_user: Any) -> None:
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1), now=at(2026, 12, 3))
    client.force_login(make_user("supervisor", username="supervisor-fj-page", region="350000"))
    explain = client.get("/supervision/?month=2026-11").content.decode().split('id="explain"')[1]
    for words in ("每件申报的审核红灯数", "政府方承诺逾期率", "申报表字段预填率", "分项内权重", "（可调）"):
        assert words in explain
