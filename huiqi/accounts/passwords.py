from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """等保三级 password complexity: at least three of upper, lower, digit and symbol."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"


class RepeatedCharactersValidator:
    """Refuses passwords made of a few characters repeated (`aaaaaaaaaA1`, `abababab12A!`): a run
    of four of the same character, or fewer than six different characters."""

    def validate(self, password: str, user: Any = None) -> None:
        run = 1
        for previous, current in zip(password, password[1:], strict=False):
            run = run + 1 if current == previous else 1
            if run >= 4:
                raise ValidationError("密码不能包含连续四个以上相同的字符。", code="password_repeats")
        if len(set(password)) < 6:
            raise ValidationError("密码至少要有六个不同的字符。", code="password_few_distinct")

    def get_help_text(self) -> str:
        return "密码不能包含连续四个以上相同的字符，且至少有六个不同的字符。"


class UsernameInPasswordValidator:
    """Refuses a password that contains the username (in any letter case)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_has_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"
