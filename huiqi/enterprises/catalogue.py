"""The qualification catalogue (资质目录) the platform starts with: the entries RULES.md §2 names.
Officers add the rest as policies need them. Seeded by migration 0002 and topped up after every
migrate or flush (post_migrate), so a test database flushed between tests still has them."""

from __future__ import annotations

from typing import Any

# code, name, level, usual validity in years (None: no fixed term), aliases
CATALOGUE: tuple[tuple[str, str, str, int | None, list[str]], ...] = (
    ("hnte", "高新技术企业", "national", 3, ["国家高新技术企业", "高企"]),
    ("tsme", "科技型中小企业", "national", 1, ["科技型中小企业入库"]),
    ("innovative_sme", "创新型中小企业", "province", 3, []),
    ("srdi", "省级专精特新中小企业", "province", 3, ["专精特新中小企业", "专精特新"]),
    ("little_giant", '国家级专精特新"小巨人"', "national", 3, ["专精特新小巨人", "小巨人", "专精特新“小巨人”"]),
    ("above_scale", "规模以上企业", "other", None, ["规上企业", "规模以上工业企业"]),
    ("gazelle", "瞪羚企业", "other", None, []),
    ("unicorn", "独角兽企业", "other", None, []),
    ("tech_center_prov", "省级企业技术中心", "province", None, []),
    ("tech_center_nat", "国家企业技术中心", "national", None, []),
)


def catalogue_seed_missing(*, using: str = "default", model: Any = None) -> int:
    """Create the starting entries that are missing; never changes an officer's edits."""
    if model is None:
        from .models import Qualification as model
    created = 0
    for code, name, level, years, aliases in CATALOGUE:
        _, was_created = model.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "level": level, "validity_years": years, "aliases": aliases})
        created += was_created
    return created
