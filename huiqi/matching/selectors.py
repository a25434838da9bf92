"""Reads of match results for government users: which enterprises of the viewer's region match an
item (政策找企 as the officer sees it), and what one enterprise matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cnstd.regions import region_name
from huiqi.core.regions import region_within_q
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyItem
from huiqi.portal.explaining import amount_text, missing_labels

from .models import MatchResult


@dataclass(frozen=True)
class MatchRow:
    result: MatchResult

    @property
    def enterprise(self) -> Enterprise:
        return self.result.enterprise

    @property
    def item(self) -> PolicyItem:
        return self.result.item

    @property
    def region(self) -> str:
        return region_name(self.result.enterprise.region) if self.result.enterprise.region else ""

    @property
    def status_label(self) -> str:
        return self.result.get_status_display()

    @property
    def amount(self) -> str:
        return amount_text(self.result.amount_min, self.result.amount_max)

    @property
    def missing(self) -> list[str]:
        return [m["label"] for m in missing_labels(list(self.result.unknown_fields or []))]


def item_matches(*, viewer: Any, item: PolicyItem, status: str = "", region: str = "") -> QuerySet[MatchResult]:
    """Enterprises of the viewer's region that match the item, eligible first, larger amounts
    first. ``region`` narrows further (ignored when it lies outside the viewer's region)."""
    qs = (MatchResult.objects.filter(item=item).select_related("enterprise", "item")
          .filter(region_within_q(getattr(viewer, "region", "") or "", field="enterprise__region")))
    if region:
        qs = qs.filter(region_within_q(region, field="enterprise__region"))
    if status in MatchResult.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-amount_min", "enterprise__name")


def enterprise_matches(*, enterprise: Enterprise) -> list[MatchRow]:
    """What one enterprise matches (call after access_enterprise_view allowed the viewer)."""
    results = (MatchResult.objects.filter(enterprise=enterprise, item__status=PolicyItem.Status.PUBLISHED)
               .select_related("item", "enterprise").order_by("status", "-amount_min"))
    return [MatchRow(r) for r in results]

