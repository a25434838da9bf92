"""承诺必践 seen from an application: signed commitments become tracked commitments on approval and
are checked from data (a broken one lists the payment as 不应享错享); a held enterprise is not paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from huiqi.commitments.models import Commitment
from huiqi.commitments.services import commitments_check
from huiqi.core.workflow import WorkflowError
from huiqi.disbursement.models import Entitlement, Suspect
from huiqi.enterprises.models import YearFigure
from huiqi.fulfilment import services
from huiqi.fulfilment.models import Application

from .conftest import CHECK, at

pytestmark = pytest.mark.django_db
PROMISES = ["所填报信息真实、准确、完整", "本企业承诺2026年度从业人员不少于50人", "本企业未被列入严重失信主体名单"]


@pytest.fixture
def promising_item(make_item: Any) -> Any:
    return make_item(commitments=PROMISES)


def _approve(promising_item: Any, applicant: Any, reviewer: Any, finance: Any) -> Application:
    app = services.application_create(actor=applicant, item=promising_item, now=at(2026, 3, 2))
    services.application_save(actor=applicant, application=app, inputs={"equipment_investment": "2000000"},
                              commitments=PROMISES, now=at(2026, 3, 2))
    from .conftest import pdf

    services.material_add(actor=applicant, application=app, label="设备购置合同及发票清单", upload=pdf(),
                          now=at(2026, 3, 2))
    services.application_submit(actor=applicant, application=app, now=at(2026, 3, 2))
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    return services.review_approve(actor=finance, application=app, now=at(2026, 3, 4))


def test_signed_commitments_become_tracked_on_approval_and_a_broken_one_lists_the_payment(
        promising_item: Any, applicant: Any, reviewer: Any, finance: Any) -> None:
    app = _approve(promising_item, applicant, reviewer, finance)
    rows = {c.content: c for c in Commitment.objects.filter(application=app)}
    assert set(rows) == set(PROMISES)
    staff = rows[PROMISES[1]]
    assert (staff.side, staff.target_field, staff.target_op, staff.target_value, staff.year_from) == (
        "enterprise", "employees", ">=", Decimal("50"), 2026)
    assert rows[PROMISES[2]].target_field == "flags" and rows[PROMISES[2]].target_text == "dishonest"

    YearFigure.objects.create(enterprise=applicant.enterprise, year=2026, field="employees",
                              value_number=Decimal("31"), source="人社", as_of=date(2027, 1, 31))
    commitments_check()
    staff.refresh_from_db()
    assert staff.status == Commitment.Status.FAILED and staff.check_figure == "31人"
    suspect = Suspect.objects.get(kind=Suspect.Kind.COMMITMENT)
    assert suspect.entitlement == Entitlement.objects.get(enterprise=applicant.enterprise)
    assert "违反申报承诺" in suspect.reason and "2026年度从业人员 31人，低于承诺的 50人" in suspect.reason


def test_final_approval_of_a_held_enterprise_is_refused_with_the_hold_reason(
        promising_item: Any, applicant: Any, reviewer: Any, finance: Any, make_user: Any) -> None:
    from huiqi.commitments.models import IncentiveHold

    officer = make_user("officer", username="officer-hold")
    IncentiveHold.objects.create(enterprise=applicant.enterprise, reason="投资协议第一条逾期未兑现", placed_by=officer)
    with pytest.raises(WorkflowError, match="已暂停享受惠企政策：投资协议第一条逾期未兑现"):
        _approve(promising_item, applicant, reviewer, finance)
    assert not Entitlement.objects.exists()
    app = Application.objects.get()
    assert app.status == Application.Status.SUBMITTED
    client = Client()
    assert client.login(username=finance.username, password=PASSWORD)
    page = client.get(f"/fulfilment/applications/{app.pk}/").content.decode()
    assert "已暂停享受惠企政策：投资协议第一条逾期未兑现" in page
