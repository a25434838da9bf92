"""The database form of `cnstd.regions.region_within`, so every app filters by region one way."""

from __future__ import annotations

from django.db.models import Q


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
