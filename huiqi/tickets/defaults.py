"""The default request categories (咨询 2, 建议 5, 投诉 10, 求助 10, 政策兑现问题 5 working days to
answer; 签收 within 24 working hours). 政策兑现问题 gets 5 days — the 1/3/5-day tiers of the seeds
(003 §13) for a question about money the platform itself owes; administrators change them."""

from __future__ import annotations

# name, working days to answer, warn days, keywords, department kind, answers publishable to the FAQ
DEFAULT_CATEGORIES: tuple[tuple[str, int, int, str, str, bool], ...] = (
    ("咨询", 2, 1, "", "", True),
    ("建议", 5, 1, "", "", False),
    ("投诉", 10, 2, "", "", False),
    ("求助", 10, 2, "", "", False),
    ("政策兑现问题", 5, 1, "兑现、拨付、到账、奖励款", "财政", False),
)


def ensure_categories(model: type) -> int:
    """Create the missing defaults (the migration, and tests after a flush); returns how many."""
    created = 0
    for order, (name, days, warn, keywords, kind, publishable) in enumerate(DEFAULT_CATEGORIES):
        _obj, new = model._default_manager.get_or_create(name=name, defaults={  # type: ignore[attr-defined]
            "days": days, "warn_days": warn, "sign_hours": 24, "keywords": keywords, "department_kind": kind,
            "publishable": publishable, "order": order})
        created += int(new)
    return created
