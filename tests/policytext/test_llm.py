"""The optional language-model adapter against a real local HTTP server speaking the protocol."""

from __future__ import annotations

import json

import pytest

from policytext.llm import LlmOutputInvalid, LlmUnavailable, redraft_clause

from .llm_server import chat_server

CLAUSE = "对首次认定为国家高新技术企业的，给予一次性奖励20万元。"


def test_a_valid_answer_is_returned_as_a_draft_and_the_request_follows_the_protocol() -> None:
    with chat_server() as server:
        server.content = json.dumps({"conditions": {"field": "qualifications", "op": "has", "value": "hnte"},
                                     "reward": {"fixed": 200000}, "mode": "免申即享"}, ensure_ascii=False)
        draft = redraft_clause(text=CLAUSE, url=server.url, model="qwen-test", api_key="k",
                               known_qualifications={"hnte"})
    assert draft.reward == {"fixed": 200000} and draft.mode == "免申即享"
    assert draft.conditions == {"field": "qualifications", "op": "has", "value": "hnte"}
    sent = server.requests[0]
    assert server.paths == ["/v1/chat/completions"]
    assert sent["model"] == "qwen-test" and sent["messages"][-1]["content"].endswith(CLAUSE)


def test_an_answer_wrapped_in_a_code_fence_is_still_read() -> None:
    with chat_server() as server:
        server.content = '```json\n{"conditions": null, "reward": {"up_to": 500000}, "mode": null}\n```'
        draft = redraft_clause(text=CLAUSE, url=server.url + "/v1", model="m")
    assert draft.reward == {"up_to": 500000}


def test_an_answer_that_fails_rule_validation_is_rejected_with_the_path_and_message() -> None:
    with chat_server() as server:
        server.content = json.dumps({"conditions": {"field": "revenue", "op": "has", "value": 1},
                                     "reward": {"rate": 10, "base": {"field": "rd_expense"}}})
        with pytest.raises(LlmOutputInvalid) as caught:
            redraft_clause(text=CLAUSE, url=server.url, model="m")
    paths = {e.path for e in caught.value.errors}
    assert {"conditions.op", "reward.rate"} <= paths
    assert "未通过规则校验" in str(caught.value) and "reward.rate" in str(caught.value)


def test_an_unknown_designation_is_rejected_against_the_catalogue() -> None:
    with chat_server() as server:
        server.content = json.dumps({"conditions": {"field": "qualifications", "op": "has", "value": "made_up"},
                                     "reward": {"fixed": 1}})
        with pytest.raises(LlmOutputInvalid, match="资质目录中没有代码"):
            redraft_clause(text=CLAUSE, url=server.url, model="m", known_qualifications={"hnte"})


def test_an_answer_that_is_not_json_is_rejected() -> None:
    with chat_server() as server:
        server.content = "这一条给予20万元奖励。"
        with pytest.raises(LlmOutputInvalid, match="不是合法的 JSON"):
            redraft_clause(text=CLAUSE, url=server.url, model="m")


def test_a_slow_service_times_out_with_a_chinese_message() -> None:
    with chat_server() as server:
        server.delay = 2.0
        with pytest.raises(LlmUnavailable, match="秒内没有响应"):
            redraft_clause(text=CLAUSE, url=server.url, model="m", timeout=0.3)


def test_a_server_error_and_a_closed_port_are_reported_not_raised_raw() -> None:
    with chat_server() as server:
        server.status = 500
        with pytest.raises(LlmUnavailable, match="HTTP 500"):
            redraft_clause(text=CLAUSE, url=server.url, model="m")
        closed = server.url
    with pytest.raises(LlmUnavailable, match="无法连接"):
        redraft_clause(text=CLAUSE, url=closed, model="m", timeout=1)


def test_without_configuration_nothing_is_requested() -> None:
    with pytest.raises(LlmUnavailable, match="未配置"):
        redraft_clause(text=CLAUSE, url="", model="")
