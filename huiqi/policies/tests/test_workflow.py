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
