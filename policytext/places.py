"""Find GB/T 2260 regions named in policy text (uses ``cnstd.regions``)."""

from __future__ import annotations

import re
from functools import lru_cache

from cnstd import regions as _regions

# Zones that are not GB/T 2260 units: the README convention maps them to their city, so only
# the city name in front of them matters; the zone suffix is ignored.
ZONE_SUFFIX = re.compile(r"(经济技术开发区|经济开发区|高新技术产业开发区|高新区|开发区|工业园区|综合实验区|新区|保税区|自贸区)")


@lru_cache(maxsize=1)
def _name_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    todo = list(_regions.provinces())
    while todo:
        region = todo.pop()
        names = {region.name}
        if region.level in ("province", "prefecture"):
            short = _regions.short_name(region.name)
            if len(short) >= 2:
                names.add(short)
        for name in names:
            index.setdefault(name, []).append(region.code)
        todo.extend(_regions.children(region.code))
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


@lru_cache(maxsize=1)
def _county_short_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for codes in _name_index().values():
        for code in codes:
            region = _regions.get_region(code)
            if region is not None and region.level == "county":
                short = _regions.short_name(region.name)
                if len(short) >= 2:
                    index.setdefault(short, []).append(code)
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    names = sorted(_name_index(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def find_places(text: str, *, within: str | None = None) -> list[tuple[int, int, str]]:
    """Regions named in ``text`` as (start, end, code), longest names first at each position.

    An ambiguous name (鼓楼区) is kept only when exactly one candidate lies ``within``.
    """
    out: list[tuple[int, int, str]] = []
    for m in _name_pattern().finditer(text):
        codes = _name_index()[m.group(0)]
        if len(codes) > 1:
            inside = [c for c in codes if within and _regions.region_within(c, within)]
            if len(inside) != 1:
                continue
            codes = (inside[0],)
        out.append((m.start(), m.end(), codes[0]))
    covered = {i for s, e, _ in out for i in range(s, e)}
    for m in ZONE_SUFFIX.finditer(text):
        # 平潭综合实验区: a county written without its suffix in front of a zone word
        for size in (4, 3, 2):
            s = m.start() - size
            if s < 0 or s in covered:
                continue
            codes = _county_short_index().get(text[s:m.start()], ())
            if len(codes) == 1:
                out.append((s, m.start(), codes[0]))
                break
    out.sort()
    return out


def most_specific(codes: list[str]) -> str | None:
    """The deepest code of a chain (省 → 市 → 县) mentioned together; None if none."""
    if not codes:
        return None

    def depth(code: str) -> int:
        if code.endswith("0000"):
            return 0
        if code.endswith("00"):
            return 1
        return 2

    best = codes[0]
    for code in codes[1:]:
        if depth(code) > depth(best) and (_regions.region_within(code, best) or depth(best) == 0):
            best = code
    return best


def is_within(code: str, ancestor: str) -> bool:
    return bool(_regions.region_within(code, ancestor))
