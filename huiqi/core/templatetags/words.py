"""Template filters that turn the rules language's field paths into Chinese words for pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from rules.explain import path_label

register = template.Library()


@register.filter
def field_words(paths: Iterable[str] | None) -> str:
    """["years.2025.employees", "qualifications"] → "2025年从业人员、资质信息"."""
    return "、".join(dict.fromkeys(path_label(str(p)) for p in (paths or [])))
