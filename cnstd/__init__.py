"""Chinese national standards the platform follows: 统一社会信用代码 (GB 32100), 行政区划 (GB/T 2260),
国民经济行业分类 (GB/T 4754-2017), 企业规模 (国统字〔2017〕213号), working days, Chinese numbers
and amounts, and text normalisation. Pure Python: no Django, no I/O beyond the packaged tables."""

from cnstd.industries import (
    Industry,
    find_industries,
    get_industry,
    industry_within,
    is_industrial,
    minors,
    section_of,
)
from cnstd.numbers import format_wan, parse_amount, parse_number, parse_ratio
from cnstd.regions import (
    Region,
    children,
    find_regions,
    get_region,
    is_known_region,
    region_name,
    region_within,
)
from cnstd.scale import SCALE_INPUTS, enterprise_scale
from cnstd.uscc import CodeCheck, uscc_check_char, uscc_region_code, validate_org_code, validate_uscc
from cnstd.workdays import CalendarYearMissing, WorkCalendar, seed_from_chinesecalendar

__all__ = [
    "SCALE_INPUTS",
    "CalendarYearMissing",
    "CodeCheck",
    "Industry",
    "Region",
    "WorkCalendar",
    "children",
    "enterprise_scale",
    "find_industries",
    "find_regions",
    "format_wan",
    "get_industry",
    "get_region",
    "industry_within",
    "is_industrial",
    "is_known_region",
    "minors",
    "parse_amount",
    "parse_number",
    "parse_ratio",
    "region_name",
    "region_within",
    "section_of",
    "seed_from_chinesecalendar",
    "uscc_check_char",
    "uscc_region_code",
    "validate_org_code",
    "validate_uscc",
]
