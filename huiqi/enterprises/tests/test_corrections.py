from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiqi.audit.models import AuditEvent
from huiqi.enterprises.models import CorrectionRequest, DataStatus, YearFigure
from huiqi.enterprises.selectors import profile_of
from huiqi.enterprises.services import (
    EnterpriseRow,
    correction_decide,
    correction_request_create,
    enterprise_upsert,
    uscc_override_confirm,
)
from huiqi.enterprises.signals import profile_changed

from .helpers import uscc, wrong_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(make_enterprise: Callable[..., Any]) -> Any:
    enterprise = make_enterprise(region="350503")
    YearFigure.objects.create(enterprise=enterprise, year=2024, field="revenue", value_number=Decimal("30000000"),
                              source="税务", as_of=date(2025, 3, 31))
    return enterprise


def test_supplied_missing_figure_is_self_reported_until_verified(company: Any, make_user: Callable[..., Any]) -> None:
    owner = make_user("enterprise", enterprise=company)
    request = correction_request_create(actor=owner, enterprise=company, field_path="years.2024.rd_expense",
                                        proposed_value="210", reason="审计报告")
    assert request.status == CorrectionRequest.Status.PENDING
    assert request.proposed_value == "2100000"
    figure = YearFigure.objects.get(enterprise=company, year=2024, field="rd_expense")
    assert figure.status == DataStatus.SELF_REPORTED
    assert figure.get_status_display() == "企业自报，待核实"
    assert figure.source == "企业自报"
    assert AuditEvent.objects.filter(action="enterprise.correction.request").count() == 1


def test_disputed_official_value_stays_until_an_officer_confirms(company: Any, make_user: Callable[..., Any]) -> None:
    owner = make_user("enterprise", enterprise=company)
    officer = make_user("officer")
    request = correction_request_create(actor=owner, enterprise=company, field_path="years.2024.revenue",
                                        proposed_value="3500万元", reason="")
    assert request.current_value == "3,000 万元"
    figure = YearFigure.objects.get(enterprise=company, year=2024, field="revenue")
    assert (figure.value_number, figure.status) == (Decimal("30000000"), DataStatus.OFFICIAL)
    correction_decide(actor=officer, request=request, confirm=True, note="核对纳税申报表")
    figure.refresh_from_db()
    assert figure.value_number == Decimal("35000000")
    assert figure.status == DataStatus.CONFIRMED
    assert figure.source == "企业自报，经泉州市工业和信息化局核实"
    assert profile_of(company)["years"]["2024"]["revenue"] == 35000000


def test_confirming_a_static_field_records_confirmed_provenance(company: Any, make_user: Callable[..., Any]) -> None:
    owner = make_user("enterprise", enterprise=company)
    officer = make_user("officer")
    request = correction_request_create(actor=owner, enterprise=company, field_path="registered_capital",
                                        proposed_value="2000", reason="增资")
    correction_decide(actor=officer, request=request, confirm=True, note="")
    company.refresh_from_db()
    assert company.registered_capital == Decimal("20000000")
    assert company.sources["registered_capital"]["status"] == "confirmed"
    assert company.sources["registered_capital"]["source"] == "企业自报，经泉州市工业和信息化局核实"


def test_rejecting_removes_the_self_reported_value(company: Any, make_user: Callable[..., Any]) -> None:
    owner = make_user("enterprise", enterprise=company)
    officer = make_user("officer")
    request = correction_request_create(actor=owner, enterprise=company, field_path="years.2023.employees",
                                        proposed_value="88", reason="")
    with pytest.raises(ValidationError, match="驳回时请填写处理意见"):
        correction_decide(actor=officer, request=request, confirm=False, note="")
    correction_decide(actor=officer, request=request, confirm=False, note="与社保数据不符")
    assert request.status == CorrectionRequest.Status.REJECTED
    assert not YearFigure.objects.filter(enterprise=company, year=2023).exists()
    with pytest.raises(ValidationError, match="已被处理"):
        correction_decide(actor=officer, request=request, confirm=True, note="")


def test_only_the_enterprise_files_and_only_an_officer_in_region_decides(
        company: Any, make_user: Callable[..., Any], make_enterprise: Callable[..., Any]) -> None:
    stranger = make_user("enterprise")
    with pytest.raises(PermissionDenied):
        correction_request_create(actor=stranger, enterprise=company, field_path="address", proposed_value="x",
                                  reason="")
    owner = make_user("enterprise", enterprise=company)
    request = correction_request_create(actor=owner, enterprise=company, field_path="address",
                                        proposed_value="丰泽区某路2号", reason="")
    with pytest.raises(PermissionDenied):
        correction_decide(actor=make_user("officer", region="350100"), request=request, confirm=True, note="")
    with pytest.raises(PermissionDenied):
        correction_decide(actor=make_user("reviewer"), request=request, confirm=True, note="")


def test_bad_proposed_values_name_the_problem(company: Any, make_user: Callable[..., Any]) -> None:
    owner = make_user("enterprise", enterprise=company)
    with pytest.raises(ValidationError, match="不能为负数"):
        correction_request_create(actor=owner, enterprise=company, field_path="years.2024.tax_paid",
                                  proposed_value="-3", reason="")
    with pytest.raises(ValidationError, match="无法纠错的字段"):
        correction_request_create(actor=owner, enterprise=company, field_path="uscc", proposed_value="x", reason="")
    correction_request_create(actor=owner, enterprise=company, field_path="flags.abnormal_operation",
                              proposed_value="否", reason="已移出名录")
    with pytest.raises(ValidationError, match="已有待核实的纠错申请"):
        correction_request_create(actor=owner, enterprise=company, field_path="flags.abnormal_operation",
                                  proposed_value="否", reason="")


def test_wrong_check_character_needs_confirmation_then_officer_override(make_user: Callable[..., Any]) -> None:
    code = wrong_check(uscc("350503", 77))
    row = EnterpriseRow(uscc=code, name="早期代码企业", region="350503")
    with pytest.raises(ValidationError, match="校验码应为"):
        enterprise_upsert(actor="测试", data=row, source="市场监管", as_of=date(2025, 3, 31))
    row.uscc_check_overridden = True
    enterprise, created = enterprise_upsert(actor="测试", data=row, source="市场监管", as_of=date(2025, 3, 31))
    assert created and enterprise.uscc_check_overridden


def test_officer_override_marks_the_code_as_verified(make_enterprise: Callable[..., Any],
                                                     make_user: Callable[..., Any]) -> None:
    enterprise = make_enterprise(region="350503")
    enterprise.uscc = wrong_check(enterprise.uscc)
    enterprise.save()
    with pytest.raises(PermissionDenied):
        uscc_override_confirm(actor=make_user("officer", region="350200"), enterprise=enterprise)
    uscc_override_confirm(actor=make_user("officer"), enterprise=enterprise)
    assert enterprise.uscc_check_overridden
    assert AuditEvent.objects.filter(action="enterprise.uscc_override").count() == 1


def test_profile_changed_is_sent_after_commit(company: Any, make_user: Callable[..., Any],
                                              django_capture_on_commit_callbacks: Any) -> None:
    received: list[int] = []

    def listener(sender: Any, enterprise_pk: int, **kwargs: Any) -> None:
        received.append(enterprise_pk)

    profile_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enterprise_upsert(actor="测试", data=EnterpriseRow(uscc=company.uscc, industry="3911"),
                              source="统计", as_of=date(2025, 3, 31))
        assert received == [company.pk]
    finally:
        profile_changed.disconnect(listener)


def test_catalogue_entry_and_certificate_helpers_are_audited(make_enterprise: Callable[..., Any],
                                                             make_user: Callable[..., Any]) -> None:
    from huiqi.enterprises.models import EnterpriseQualification
    from huiqi.enterprises.services import (
        QualificationEntry,
        enterprise_qualification_put,
        enterprise_qualification_remove,
        qualification_create,
    )

    officer = make_user("officer")
    enterprise = make_enterprise()
    assert "qualifications" not in profile_of(enterprise)
    qualification_create(actor=officer, code="time_honored", name="中华老字号", level="national")
    held = enterprise_qualification_put(actor=officer, enterprise=enterprise,
                                        entry=QualificationEntry("time_honored", date(2020, 1, 1), None),
                                        source="商务", as_of=date(2025, 3, 31))
    assert profile_of(enterprise)["qualifications"] == [{"code": "time_honored", "valid_from": "2020-01-01",
                                                         "valid_to": None}]
    enterprise_qualification_remove(actor=officer, held=held, reason="录入错误")
    assert not EnterpriseQualification.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="enterprise.qualification").values_list(
        "action", flat=True)) == ["enterprise.qualification.put", "enterprise.qualification.remove"]
