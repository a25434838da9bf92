"""Checking what the review page sends: every problem with the JSON path of the control it belongs
to, so the page can show the message next to that control while the officer types.

Rules are checked by the rules core (the same validation the policy services run on save); the
other elements (title, mode, dates, money) are checked here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cnstd.regions import region_name, region_within
from huiqi.policies.models import Level, Mode
from rules.validate import validate_conditions, validate_reward

MONEY_LIMIT = Decimal("99999999999999.99")  # max_digits=16, decimal_places=2

# Elements of a draft the page may change, with the model field each one is stored in.
EDITABLE = ("title", "conditions", "reward", "mode", "window_start", "window_end", "materials",
            "reviewing_departments", "paying_department", "budget", "per_enterprise_cap", "exclusive_group")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


def _text(value: Any, path: str, limit: int, problems: list[Problem], *, label: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(Problem(path, f"{label}应为文字"))
        return ""
    text = value.strip()
    if len(text) > limit:
        problems.append(Problem(path, f"{label}不能超过{limit}个字（现有{len(text)}个）"))
    return text


def _date(value: Any, path: str, problems: list[Problem], *, label: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(path, f"{label}需要日期（YYYY-MM-DD），得到 {value!r}"))
        return None


def _money(value: Any, path: str, problems: list[Problem], *, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        problems.append(Problem(path, f"{label}需要金额"))
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        problems.append(Problem(path, f"{label}需要金额，得到 {value!r}"))
        return None
    if not amount.is_finite() or amount < 0:
        problems.append(Problem(path, f"{label}不能为负数"))
        return None
    if amount > MONEY_LIMIT:
        problems.append(Problem(path, f"{label}超出可记录的范围"))
        return None
    return amount.quantize(Decimal("0.01"))


def _text_list(value: Any, path: str, problems: list[Problem], *, label: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        problems.append(Problem(path, f"{label}应为列表"))
        return []
    out: list[str] = []
    for i, entry in enumerate(value):
        if not isinstance(entry, str):
            problems.append(Problem(f"{path}[{i}]", f"{label}第{i + 1}项应为文字"))
            continue
        if entry.strip():
            out.append(entry.strip())
    return out


def clean_draft(payload: Mapping[str, Any], *,
                known_qualifications: Collection[str]) -> tuple[dict[str, Any], list[Problem]]:
    """The changes a payload asks for (only keys present) and every problem in them."""
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    if "title" in payload:
        title = _text(payload["title"], "title", 200, problems, label="事项名称")
        if not title:
            problems.append(Problem("title", "请填写事项名称"))
        changes["title"] = title
    if "conditions" in payload:
        conditions = payload["conditions"]
        problems += [Problem(e.path, e.message)
                     for e in validate_conditions(conditions, known_qualifications=known_qualifications)]
        changes["conditions"] = conditions
    if "reward" in payload:
        reward = payload["reward"]
        problems += [Problem(e.path, e.message)
                     for e in validate_reward(reward, known_qualifications=known_qualifications)]
        changes["reward"] = reward
    if "mode" in payload:
        mode = payload["mode"] or ""
        if mode and mode not in Mode.values:
            problems.append(Problem("mode", f"兑现方式须为 {'、'.join(Mode.values)} 之一"))
        changes["mode"] = mode
    if "window_start" in payload:
        changes["window_start"] = _date(payload["window_start"], "window_start", problems, label="申报开始")
    if "window_end" in payload:
        changes["window_end"] = _date(payload["window_end"], "window_end", problems, label="申报截止")
    start, end = changes.get("window_start"), changes.get("window_end")
    if start and end and start > end:
        problems.append(Problem("window_end", "申报截止日期早于开始日期"))
    if "materials" in payload:
        changes["materials"] = _text_list(payload["materials"], "materials", problems, label="申报材料")
    if "reviewing_departments" in payload:
        changes["reviewing_departments"] = _text_list(payload["reviewing_departments"], "reviewing_departments",
                                                      problems, label="受理审核部门")
    if "paying_department" in payload:
        changes["paying_department"] = _text(payload["paying_department"], "paying_department", 100, problems,
                                             label="拨付部门")
    for key, label in (("budget", "资金预算"), ("per_enterprise_cap", "单企上限")):
        if key in payload:
            changes[key] = _money(payload[key], key, problems, label=label)
    if "exclusive_group" in payload:
        changes["exclusive_group"] = _text(payload["exclusive_group"], "exclusive_group", 60, problems,
                                           label="同类不重复组")
    return changes, problems


def completeness_problems(values: Mapping[str, Any]) -> list[Problem]:
    """What a draft still lacks to become a policy item (shown while typing, enforced on confirm)."""
    problems: list[Problem] = []
    if "reward" in values and values["reward"] is None:
        problems.append(Problem("reward", "请填写奖补标准（非资金支持请选“非资金支持”）"))
    if "mode" in values and not values["mode"]:
        problems.append(Problem("mode", "请选择兑现方式"))
    return problems


def draft_problems(draft: Any, *, known_qualifications: Collection[str]) -> list[Problem]:
    """Every problem of the draft's own elements, as stored."""
    values = {key: getattr(draft, key) for key in EDITABLE}
    for key in ("budget", "per_enterprise_cap"):
        if values[key] is not None:
            values[key] = str(values[key])
    for key in ("window_start", "window_end"):
        if values[key] is not None:
            values[key] = values[key].isoformat()
    _changes, problems = clean_draft(values, known_qualifications=known_qualifications)
    return problems + completeness_problems(values)


def confirm_problems(draft: Any, *, known_qualifications: Collection[str]) -> list[Problem]:
    """Why a draft cannot become a policy item yet (empty when it can)."""
    return draft_problems(draft, known_qualifications=known_qualifications) + batch_problems(draft.batch)


def batch_problems(batch: Any) -> list[Problem]:
    """Document metadata a PolicyDocument needs."""
    problems: list[Problem] = []
    if not batch.title.strip():
        problems.append(Problem("batch.title", "请填写文件标题"))
    if not batch.issuer.strip():
        problems.append(Problem("batch.issuer", "请填写发文机关"))
    if batch.level not in Level.values:
        problems.append(Problem("batch.level", "请选择文件层级"))
    if not (len(batch.region) == 6 and batch.region.isdigit()):
        problems.append(Problem("batch.region", "请填写6位适用区划代码"))
    elif batch.department is not None and batch.department.region and not region_within(batch.region,
                                                                                         batch.department.region):
        problems.append(Problem("batch.region", (
            f"适用地区{region_name(batch.region)}不在{batch.department.name}的管辖范围（{region_name(batch.department.region)}）内："
            "本辖区的审核人员无权审核发布该地区的政策。请核对适用地区；其他地区的政策由当地政策专员录入")))
    return problems
