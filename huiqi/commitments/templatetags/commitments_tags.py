"""``{% incentive_hold enterprise_id as hold %}``: the reason an enterprise's incentives are held
(承诺必践), for the application and 免申即享 pages; "" when they are not."""

from __future__ import annotations

from django import template

from huiqi.commitments.selectors import active_hold

register = template.Library()


@register.simple_tag
def incentive_hold(enterprise_id: int) -> str:
    hold = active_hold(enterprise_id)
    return hold.message if hold is not None else ""
