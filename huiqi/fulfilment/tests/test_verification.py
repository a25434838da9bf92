from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.enterprises.models import EnterpriseFlag, YearFigure
from huiqi.fulfilment.verification import batch_verify

from .conftest import CHECK, at, clean_enterprise

pytestmark = pytest.mark.django_db


def test_batch_verification_names_who_fails_and_why_on_current_data(
        item: Any, make_user: Any, make_enterprise: Any, reviewer: Any, submitted: Any, applicant: Any) -> None:
    def applicant_named(name: str) -> Any:
        return make_user("enterprise", enterprise=clean_enterprise(make_enterprise(name=name)))

    good = submitted(at(2026, 3, 2))
    dishonest = submitted(at(2026, 3, 2), user=applicant_named("后来失信的企业"))
    abnormal = submitted(at(2026, 3, 2), user=applicant_named("经营异常的企业"))
    shrunk = submitted(at(2026, 3, 2), user=applicant_named("营收下滑的企业"))
    unknown = submitted(at(2026, 3, 2), user=applicant_named("信用数据缺失的企业"))
    rejected_check = submitted(at(2026, 3, 2), user=applicant_named("产业方向不符的企业"))
    # After submission the data changes (the list update arrives, a figure is corrected).
    EnterpriseFlag.objects.filter(enterprise=dishonest.enterprise, flag="dishonest").update(value=True)
    EnterpriseFlag.objects.filter(enterprise=abnormal.enterprise, flag="abnormal_operation").update(value=True)
    YearFigure.objects.filter(enterprise=shrunk.enterprise, field="revenue").update(value_number=1000000)
    EnterpriseFlag.objects.filter(enterprise=unknown.enterprise).delete()
    # The reviewer decided the check "no" on one application.
    type(rejected_check).objects.filter(pk=rejected_check.pk).update(checks={CHECK: False})

    report = batch_verify(actor=reviewer, item=item, today=date(2026, 3, 10))
    by_id = {r.application_id: r for r in report.rows}
    assert report.total == 6
    assert by_id[good.pk].verdict == "pass"
    assert by_id[dishonest.pk].verdict == "fail" and "列入失信主体" in by_id[dishonest.pk].reasons
    assert by_id[abnormal.pk].verdict == "fail" and "列入经营异常名录" in by_id[abnormal.pk].reasons
    assert by_id[shrunk.pk].verdict == "fail" and any("营业收入" in r for r in by_id[shrunk.pk].reasons)
    assert by_id[unknown.pk].verdict == "doubt" and "缺少数据" in by_id[unknown.pk].reasons[0]
    assert by_id[rejected_check.pk].verdict == "fail"
    assert AuditEvent.objects.filter(action="application.batch_verify").exists()


def test_batch_verification_needs_as_many_queries_for_twelve_applications_as_for_two(
        item: Any, make_user: Any, make_enterprise: Any, reviewer: Any, submitted: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        for i in range(n):
            submitted(at(2026, 3, 2), user=make_user("enterprise", enterprise=clean_enterprise(
                make_enterprise(name=f"批量企业{make_enterprise.__hash__()}-{i}-{n}"))))

    add(2)
    with CaptureQueriesContext(connection) as few:
        batch_verify(actor=reviewer, item=item, today=date(2026, 3, 10))
    add(10)
    with CaptureQueriesContext(connection) as many:
        report = batch_verify(actor=reviewer, item=item, today=date(2026, 3, 10))
    assert report.total == 12 and report.count("pass") == 12
    assert len(many) == len(few)
