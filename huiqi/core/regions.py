"""The database form of `cnstd.regions.region_within`, so every app filters by region one way, and
the one region picker of the filter forms (names, never codes, for the person choosing)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cnstd.regions import children

FUJIAN = "350000"


def region_within_q(code: str, *, field: str = "region") -> Q:
    """Rows whose `field` (a GB/T 2260 code) lies within `code`: a province covers codes that
    start with its two digits, a prefecture its four, a county only itself; no code, everything."""
    if not code:
        return Q()
    if code.endswith("0000"):
        return Q(**{f"{field}__startswith": code[:2]})
    if code.endswith("00"):
        return Q(**{f"{field}__startswith": code[:4]})
    return Q(**{field: code})


def region_options(viewer: Any) -> list[dict[str, Any]]:
    """Fujian's prefectures, each with its counties, limited to what the viewer may see."""
    scope = getattr(viewer, "region", "") or ""
    whole = not scope or scope == FUJIAN
    groups = []
    for prefecture in children(FUJIAN):
        if not whole and scope[:4] != prefecture.code[:4]:
            continue
        county_scope = not whole and not scope.endswith("00")
        counties = [c for c in children(prefecture.code) if not county_scope or c.code == scope]
        groups.append({"code": prefecture.code, "name": prefecture.name, "counties": counties,
                       "selectable": not county_scope})
    return groups
