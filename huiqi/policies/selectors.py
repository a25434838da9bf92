"""Reads of the policy library, always given the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from cnstd.regions import get_region
from huiqi.accounts.access import (
    access_policy_drafts_view,
    access_policy_item_edit,
    access_policy_manage,
    access_policy_review,
)
from huiqi.accounts.models import Department, Role
from huiqi.enterprises.models import Qualification

from .models import Level, Mode, PolicyItem, SupportType
from .presentation import Vocabulary, item_max_amount
from .search import region_q, search_items

SORTS = {"relevance": "相关度", "new": "最新发布", "deadline": "截止日期临近", "amount": "最高金额"}


@dataclass(frozen=True)
class PolicyFilters:
    region: str = ""
    department: int | None = None
    level: str = ""
    mode: str = ""
    support: str = ""
    open_now: bool = False
    q: str = ""
    sort: str = "new"

    @classmethod
    def from_query(cls, params: Any) -> PolicyFilters:
        region = str(params.get("region", "")).strip()
        department = str(params.get("department", "")).strip()
        level = str(params.get("level", "")).strip()
        mode = str(params.get("mode", "")).strip()
        support = str(params.get("support", "")).strip()
        sort = str(params.get("sort", "new")).strip()
        return cls(
            region=region if region.isdigit() and len(region) == 6 else "",
            department=int(department) if department.isdigit() else None,
            level=level if level in Level.values else "",
            mode=mode if mode in Mode.values else "",
            support=support if support in SupportType.values else "",
            open_now=str(params.get("open", "")) in {"1", "on", "true"},
            q=str(params.get("q", "")).strip()[:100],
            sort=sort if sort in SORTS else ("relevance" if str(params.get("q", "")).strip() else "new"),
        )


def published_items() -> QuerySet[PolicyItem]:
    return PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED).select_related("document", "department")


def search_published(*, viewer: Any, filters: PolicyFilters, today: date) -> list[PolicyItem]:
    """Published items matching the filters, sorted (full-text ranking in `search.search_items`);
    every item carries `max_amount` (Decimal, or None when unbounded). The library is public:
    `viewer` only matters for what follows a click."""
    items = list(search_items(
        q=filters.q, region=filters.region, department=filters.department, level=filters.level,
        mode=filters.mode, support_type=filters.support, open_now=filters.open_now,
        sort="latest" if filters.sort == "new" else filters.sort, on=today,
    ))
    for item in items:
        item.max_amount = item_max_amount(item.reward, item.per_enterprise_cap)  # type: ignore[attr-defined]
    return items


def item_for_viewer(*, viewer: Any, code: str) -> PolicyItem | None:
    """A published item for anybody; an unpublished one only for those responsible for it."""
    item = PolicyItem.objects.select_related("document", "department").filter(code=code).first()
    if item is None:
        return None
    if item.status == PolicyItem.Status.PUBLISHED or access_policy_drafts_view(viewer, item):
        return item
    return None


def can_act_on(*, viewer: Any, item: PolicyItem) -> bool:
    """Workflow buttons: officers on their own department's items, reviewers in their region."""
    return access_policy_item_edit(viewer, item) or access_policy_review(viewer, item)


def can_manage(viewer: Any) -> bool:
    return access_policy_manage(viewer)


def managed_items(*, viewer: Any, status: str = "") -> QuerySet[PolicyItem]:
    """事项管理: an officer's department's items; a reviewer's or supervisor's region's items."""
    qs = PolicyItem.objects.select_related("document", "department").order_by("status", "-updated_at", "code")
    if not can_manage(viewer):
        return qs.none()
    if viewer.role == Role.OFFICER:  # the department's own items, wherever they apply
        return qs.filter(department_id=viewer.department_id, **({"status": status} if status in
                         PolicyItem.Status.values else {})) if viewer.department_id else qs.none()
    if viewer.region:
        qs = qs.filter(region_q(viewer.region) if viewer.region.endswith("00") else Q(region=viewer.region))
    if status in PolicyItem.Status.values:
        qs = qs.filter(status=status)
    return qs


def vocabulary_for(item: PolicyItem) -> Vocabulary:
    names = dict(Qualification.objects.values_list("code", "name"))
    return Vocabulary.build(qualifications=names, inputs=item.inputs if isinstance(item.inputs, list) else [])


def region_options() -> list[tuple[str, str]]:
    """Prefectures and the counties that have published items, counties indented under their city."""
    codes = set(published_items().values_list("region", flat=True))
    prefectures = sorted({c[:4] + "00" for c in codes if not c.endswith("0000")})
    options: list[tuple[str, str]] = []
    for pref in prefectures:
        region = get_region(pref)
        options.append((pref, region.name if region else pref))
        for county in sorted(c for c in codes if c.startswith(pref[:4]) and c != pref):
            sub = get_region(county)
            options.append((county, f"\u3000{sub.name if sub else county}"))
    return options


def department_options() -> QuerySet[Department]:
    return Department.objects.filter(items__status=PolicyItem.Status.PUBLISHED).distinct().order_by("region", "name")


def exclusive_group_titles(item: PolicyItem) -> list[str]:
    """Titles of the other published items of the item's 惠中选惠 group (never the group code)."""
    if not item.exclusive_group:
        return []
    return list(PolicyItem.objects.filter(exclusive_group=item.exclusive_group, status=PolicyItem.Status.PUBLISHED)
                .exclude(pk=item.pk).order_by("code").values_list("title", flat=True))


def live_application_of(*, viewer: Any, item: PolicyItem) -> Any:
    """The viewer's enterprise's application for the item that is still going (so the page links
    to it instead of offering 在线申报 again); None for other viewers."""
    if getattr(viewer, "role", None) != Role.ENTERPRISE or not getattr(viewer, "enterprise_id", None):
        return None
    from huiqi.fulfilment.models import Application  # fulfilment builds on policies, not the reverse

    return (Application.objects.filter(enterprise_id=viewer.enterprise_id, item=item)
            .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.REJECTED])
            .order_by("-pk").first())


def library_version() -> tuple[str, int]:
    """(token, version) of the published library: one query by primary key (see LibraryVersion)."""
    from .models import LibraryVersion

    row = LibraryVersion.objects.filter(pk=1).values_list("token", "version").first()
    if row is None:
        from .services import library_version_bump

        library_version_bump()
        row = LibraryVersion.objects.filter(pk=1).values_list("token", "version").get()
    return row
