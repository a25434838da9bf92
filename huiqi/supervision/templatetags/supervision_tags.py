from __future__ import annotations

from typing import Any

from django import template

from huiqi.supervision.selectors import item_rating as _item_rating

register = template.Library()


@register.inclusion_tag("supervision/_item_rating.html")
def item_rating(item: Any) -> dict[str, Any]:
    """The item's average rating and count, for the policy item page."""
    return _item_rating(item)


COLOUR_WORDS = {"green": "绿", "yellow": "黄", "red": "红"}


@register.filter
def colour_word(value: str) -> str:
    return COLOUR_WORDS.get(value, "—")
