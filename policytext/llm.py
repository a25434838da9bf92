"""Optional: ask a large-language-model service to re-draft one clause (OpenAI-compatible
``/v1/chat/completions``, standard library only).

Nothing depends on it: the rule-based extractor is the default, and what the model returns is
only a suggestion, accepted after it passes the same validation as every rule (``rules.validate``).
Every failure — no answer, a timeout, an answer that is not the JSON asked for, rules that do not
validate — raises ``LlmError`` with a Chinese message for the officer.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from rules.validate import RuleError, validate_conditions, validate_reward

MODES = ("免申即享", "即申即享", "申报审核")

SYSTEM_PROMPT = """你是政策条款结构化助手。把用户给出的一条惠企政策条款转写为规则语言 JSON，只输出一个 JSON 对象，不要解释。
格式：{"conditions": 条件或null, "reward": 奖补或null, "mode": "免申即享"|"即申即享"|"申报审核"|null}
条件：{"all":[...]} | {"any":[...]} | {"not":条件} | {"field":字段,"op":运算符,"value":值} | {"check":"无法用数据判断的要求原文"}
运算符：== != > >= < <= between in not_in within has not_has known
字段：region(6位区划代码) industry(行业代码) established_years revenue main_revenue employees rd_expense tax_paid
total_assets output_value profit rd_ratio revenue_growth scale(large/medium/small/micro) qualifications(has 资质代码:
hnte 高新技术企业, tsme 科技型中小企业, srdi 专精特新, little_giant 小巨人, above_scale 规上企业) flags(dishonest 等)
金额一律换算为元（万元×10000），比例写小数（10% 写 0.1）。
奖补：{"fixed":元} | {"up_to":元} | {"rate":小数,"base":{"field":字段}或{"input":"英文名"},"cap":元} |
{"per_unit":元,"base":...,"cap":元} | {"tiers":[{"when":条件,"then":奖补}]} | {"sum":[...]} | {"none":"非资金支持"}"""


class LlmError(Exception):
    """The message is shown to officers, so it is in Chinese."""


class LlmUnavailable(LlmError):
    pass


class LlmOutputInvalid(LlmError):
    def __init__(self, message: str, errors: list[RuleError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass
class LlmDraft:
    conditions: Any = None
    reward: Any = None
    mode: str | None = None
    model: str = ""
    errors: list[RuleError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"conditions": self.conditions, "reward": self.reward, "mode": self.mode, "model": self.model}


def _endpoint(url: str) -> str:
    """Accept the server root, ``…/v1`` or the full completions address."""
    base = url.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if base.endswith("/v1"):
        return base + "/chat/completions"
    return base + "/v1/chat/completions"


def _post(url: str, body: dict[str, Any], *, api_key: str, timeout: float) -> dict[str, Any]:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(_endpoint(url), data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise LlmUnavailable(f"大模型服务返回错误（HTTP {exc.code}），已保留规则草稿") from exc
    except TimeoutError as exc:
        raise LlmUnavailable(f"大模型服务在 {timeout:g} 秒内没有响应，已保留规则草稿") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise LlmUnavailable(f"大模型服务在 {timeout:g} 秒内没有响应，已保留规则草稿") from exc
        raise LlmUnavailable(f"无法连接大模型服务（{exc.reason}），已保留规则草稿") from exc
    except OSError as exc:
        raise LlmUnavailable(f"无法连接大模型服务（{exc}），已保留规则草稿") from exc
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LlmOutputInvalid("大模型服务的响应不是 JSON，已保留规则草稿") from exc
    if not isinstance(parsed, dict):
        raise LlmOutputInvalid("大模型服务的响应格式不符合约定，已保留规则草稿")
    return parsed


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def _content(response: dict[str, Any]) -> str:
    try:
        content = response["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise LlmOutputInvalid("大模型服务的响应缺少 choices[0].message.content，已保留规则草稿") from exc
    if not isinstance(content, str):
        raise LlmOutputInvalid("大模型的回答不是文字，已保留规则草稿")
    return _FENCE.sub("", content)


def redraft_clause(*, text: str, url: str, model: str, api_key: str = "", timeout: float = 30.0,
                   known_qualifications: Collection[str] | None = None,
                   clause_id: str | None = None) -> LlmDraft:
    """Ask the model for conditions, reward and mode of one clause; validated before returning."""
    if not url or not model:
        raise LlmUnavailable("未配置大模型服务（HUIQI_LLM_URL 与 HUIQI_LLM_MODEL）")
    body = {
        "model": model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": (f"条款{clause_id}：" if clause_id else "") + text},
        ],
    }
    content = _content(_post(url, body, api_key=api_key, timeout=timeout))
    try:
        answer = json.loads(content)
    except json.JSONDecodeError as exc:
        raise LlmOutputInvalid("大模型的回答不是合法的 JSON，已保留规则草稿") from exc
    if not isinstance(answer, dict):
        raise LlmOutputInvalid("大模型的回答应为 JSON 对象，已保留规则草稿")
    unknown = sorted(set(answer) - {"conditions", "reward", "mode"})
    errors = [RuleError(k, f"未知的键 \"{k}\"") for k in unknown]
    conditions, reward, mode = answer.get("conditions"), answer.get("reward"), answer.get("mode")
    errors += validate_conditions(conditions, known_qualifications=known_qualifications)
    errors += validate_reward(reward, known_qualifications=known_qualifications)
    if mode is not None and mode not in MODES:
        errors.append(RuleError("mode", f"兑现方式须为 {'、'.join(MODES)} 之一，得到 {mode!r}"))
    if conditions is None and reward is None:
        errors.append(RuleError("", "大模型没有给出条件或奖补标准"))
    if errors:
        listed = "；".join(str(e) for e in errors[:5])
        raise LlmOutputInvalid(f"大模型的建议未通过规则校验（{listed}），已保留规则草稿", errors)
    return LlmDraft(conditions=conditions, reward=reward, mode=mode, model=model)
