"""The compare-and-set transition of the shared workflow kernel."""

from __future__ import annotations

from typing import Any

import pytest

from huiqi.core.workflow import Transition, TransitionTable, WorkflowConflict, WorkflowError, transition_cas
from huiqi.notifications.models import Notification

# A Notification's category stands in for a status: the kernel works on any model and field.
MOVE = Transition("move", "转入下一步", "a", "b", "system")
TABLE = TransitionTable((MOVE, Transition("back", "退回", "b", "a", "system")))


@pytest.fixture
def note(make_user: Any) -> Notification:
    return Notification.objects.create(recipient=make_user("officer"), category="a", title="t", dedupe_key="k")


def test_the_table_refuses_an_unknown_action_and_a_wrong_status_in_chinese() -> None:
    with pytest.raises(WorkflowError, match="未知操作：fly"):
        TABLE.get("fly")
    with pytest.raises(WorkflowError, match="诉求当前为“已办结”，不能转入下一步"):
        MOVE.check_source("done", "已办结", noun="诉求")
    assert [t.name for t in TABLE.available("b", lambda t: True)] == ["back"]
    assert TABLE.available("b", lambda t: False) == []


def test_of_two_people_holding_the_same_state_only_the_first_moves_it(note: Notification) -> None:
    mine, theirs = Notification.objects.get(pk=note.pk), Notification.objects.get(pk=note.pk)
    transition_cas(Notification, obj=mine, transition=MOVE, status_field="category", changes={"title": "我的"})
    assert mine.category == "b" and mine.title == "我的"
    with pytest.raises(WorkflowConflict, match="已被他人处理"):
        transition_cas(Notification.objects, obj=theirs, transition=MOVE, status_field="category",
                       changes={"title": "他的"})
    stored = Notification.objects.get(pk=note.pk)
    assert (stored.category, stored.title) == ("b", "我的")
    assert theirs.category == "a"  # the loser's object is left as it saw it


def test_an_extra_condition_that_no_longer_holds_is_a_conflict(note: Notification) -> None:
    with pytest.raises(WorkflowConflict):
        transition_cas(Notification.objects.all(), obj=note, transition=MOVE, status_field="category",
                       extra_filter={"title": "别的标题"})
    assert Notification.objects.get(pk=note.pk).category == "a"
