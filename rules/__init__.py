"""The policy rules language (docs/rules/RULES.md): validation, scalar evaluation with trace and
explanations, and columnar batch matching (``rules.batch``, imported on demand because it pulls
in NumPy/Polars)."""

from rules.canonical import canonical_json, rules_version
from rules.evaluate import Amount, Evaluation, TraceEntry, choose_in_exclusive_groups, evaluate
from rules.explain import Reason, explain
from rules.validate import RuleError, validate_conditions, validate_item, validate_reward

__all__ = [
    "Amount",
    "Evaluation",
    "Reason",
    "RuleError",
    "TraceEntry",
    "canonical_json",
    "choose_in_exclusive_groups",
    "evaluate",
    "explain",
    "rules_version",
    "validate_conditions",
    "validate_item",
    "validate_reward",
]
