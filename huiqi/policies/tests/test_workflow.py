from __future__ import annotations

from typing import Any

import pytest

from huiqi.accounts.models import User
from huiqi.audit.models import AuditEvent
from huiqi.policies import workflow
from huiqi.policies.models import PolicyItem

pytestmark = pytest.mark.django_db


def test_two_transitions_from_the_same_stale_state_let_only_the_first_win(demo: Any) -> None:
    reviewer = User.objects.get(username="reviewer_qz")
    first = PolicyItem.objects.get(code="qz-gy-szh")
    second = PolicyItem.objects.get(code="qz-gy-szh")
    workflow.transition(actor=reviewer, item=first, name="review")
    with pytest.raises(workflow.WorkflowConflict):
        workflow.transition(actor=reviewer, item=second, name="review")
    assert PolicyItem.objects.get(code="qz-gy-szh").status == "reviewed"
    assert AuditEvent.objects.filter(action="policy_item.review", object_id=str(first.pk)).count() == 1


def test_only_the_roles_in_the_table_may_take_a_transition(demo: Any) -> None:
    officer = User.objects.get(username="officer_qz")
    reviewer = User.objects.get(username="reviewer_qz")
    draft = PolicyItem.objects.get(code="qz-gy-szh")
    with pytest.raises(workflow.WorkflowError, match="当前角色不能执行"):
        workflow.transition(actor=officer, item=draft, name="review")
    published = PolicyItem.objects.get(code="qz-gy-zczx")
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(actor=reviewer, item=published, name="withdraw")
    assert workflow.transition(actor=officer, item=published, name="withdraw").status == "draft"
    assert [t.name for t in workflow.allowed_transitions(user=reviewer, item=draft)] == ["review"]


def test_an_item_past_its_validity_is_not_published_and_its_page_offers_no_application(demo: Any, client: Any) -> None:
    from datetime import date

    reviewer = User.objects.get(username="reviewer_qz")
    draft = PolicyItem.objects.get(code="qz-gy-szh")
    PolicyItem.objects.filter(pk=draft.pk).update(valid_to=date(2022, 12, 31))
    draft.refresh_from_db()
    reviewed = workflow.transition(actor=reviewer, item=draft, name="review")
    with pytest.raises(workflow.WorkflowError, match="有效期已于2022年12月31日届满"):
        workflow.transition(actor=reviewer, item=reviewed, name="publish")
    assert PolicyItem.objects.get(pk=draft.pk).status == "reviewed"

    published = PolicyItem.objects.get(code="qz-gy-zczx")
    PolicyItem.objects.filter(pk=published.pk).update(valid_to=date(2022, 12, 31))
    page = client.get(f"/policies/{published.code}/").content.decode()
    assert "不再受理申报" in page and "登录后申报" not in page and "在线申报" not in page and "常年受理" not in page
