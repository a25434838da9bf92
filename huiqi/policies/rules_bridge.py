"""The one place the policies app talks to the rules core, so its API is wired once."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rules.canonical import rules_version
from rules.validate import validate_conditions, validate_reward


def rule_errors(*, conditions: Any, reward: Any, known_qualifications: Collection[str]) -> list[tuple[str, str]]:
    errors = [(e.path, e.message) for e in validate_conditions(conditions, known_qualifications=known_qualifications)]
    errors += [(e.path, e.message) for e in validate_reward(reward, known_qualifications=known_qualifications)]
    return errors


def rules_version_of(conditions: Any, reward: Any) -> str:
    return rules_version(conditions, reward)
