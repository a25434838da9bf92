"""Demo enterprises: a pure, seeded generator (no database) of plausible Fujian enterprises.

Figures are drawn per size tier from the 国统字〔2017〕213号 bounds of the enterprise's industry
row (cnstd.scale), so the derived `scale` agrees with the tier the generator meant; every other
figure is a ratio of revenue typical of the industry group, so the numbers hang together
(assets, tax, R&D, profit, output, exports). The same seed gives the same list, byte for byte.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from cnstd.regions import children, get_region
from cnstd.scale import enterprise_scale, scale_row
from cnstd.uscc import org_check_char, uscc_check_char

YEARS = (2024, 2025)
WAN = Decimal(10000)

PREFECTURES: dict[str, int] = {  # code -> weight (泉州, 福州, 厦门 largest by number of enterprises)
    "350500": 22, "350100": 20, "350200": 17, "350600": 8, "350300": 7,
    "350900": 6, "350800": 6, "350400": 6, "350700": 5,
}
# Counties with more enterprises than their neighbours; the rest weigh 2. 金门县 is excluded
# (GB/T 2260 lists it, no mainland registrations exist there).
COUNTY_WEIGHTS: dict[str, int] = {
    "350582": 9, "350581": 5, "350583": 5, "350502": 3, "350503": 4, "350521": 3, "350524": 2,
    "350181": 5, "350102": 4, "350104": 4, "350111": 3, "350121": 3, "350112": 3, "350128": 2,
    "350203": 5, "350206": 5, "350211": 4, "350205": 3, "350213": 3, "350212": 2,
    "350302": 3, "350303": 2, "350304": 2, "350322": 3, "350902": 3, "350981": 3, "350982": 2,
}
EXCLUDED_COUNTIES = frozenset({"350527"})


@dataclass(frozen=True)
class IndustryGroup:
    key: str
    codes: tuple[str, ...]
    weight: int
    words: tuple[str, ...]
    kind: str  # industrial | trade | service | construction
    tech: bool = False
    exporter: bool = False


GROUPS: tuple[IndustryGroup, ...] = (
    IndustryGroup("shoes_apparel", ("1951", "1952", "1953", "1954", "1811", "1819", "1821"), 15,
                  ("鞋业", "鞋服", "体育用品", "服饰", "鞋材"), "industrial", exporter=True),
    IndustryGroup("textile", ("1713", "1751", "1762"), 6, ("纺织", "织造", "染整", "化纤"), "industrial", exporter=True),
    IndustryGroup("food", ("1391", "1411", "1431", "1491", "1495", "1351"), 7, ("食品", "茶业", "饮品", "农产品加工"),
                  "industrial"),
    IndustryGroup("electronics", ("3911", "3921", "3973", "3982", "3990"), 7, ("电子", "光电", "微电子", "智能科技"),
                  "industrial", tech=True, exporter=True),
    IndustryGroup("machinery", ("3412", "3484", "3511", "3599", "3311", "3434"), 8, ("机械", "精密机械", "机电", "重工"),
                  "industrial", tech=True),
    IndustryGroup("petrochem", ("2614", "2651", "2929", "2661", "2511"), 4, ("化工", "新材料", "塑胶", "石化"), "industrial"),
    IndustryGroup("building_materials", ("3021", "3031", "3041", "3099"), 4, ("建材", "石材", "水泥制品", "陶瓷"),
                  "industrial"),
    IndustryGroup("crafts", ("2431", "2438", "2439"), 3, ("工艺品", "陶瓷艺术", "工艺美术"), "industrial", exporter=True),
    IndustryGroup("pharma", ("2710", "2770"), 2, ("药业", "生物科技", "医疗器械"), "industrial", tech=True),
    IndustryGroup("electrical", ("3851", "3874", "3819"), 3, ("电器", "照明", "电机"), "industrial", tech=True,
                  exporter=True),
    IndustryGroup("wholesale", ("5137", "5174"), 9, ("贸易", "商贸", "供应链管理"), "trade", exporter=True),
    IndustryGroup("retail", ("5212", "5261", "5271"), 8, ("超市", "汽车销售服务", "电器商行", "百货"), "trade"),
    IndustryGroup("software", ("6511", "6513", "6520", "6531", "6550"), 7, ("软件", "信息技术", "网络科技", "数字科技"),
                  "service", tech=True),
    IndustryGroup("hospitality", ("6110", "6210", "6220"), 6, ("大酒店", "餐饮管理", "酒店管理"), "service"),
    IndustryGroup("construction", ("4710", "4720", "4851", "4910"), 5, ("建设工程", "建筑工程", "建筑安装"),
                  "construction"),
    IndustryGroup("logistics", ("5432",), 2, ("物流", "冷链物流"), "service"),
)
GROUP_BY_CODE: dict[str, IndustryGroup] = {c: g for g in GROUPS for c in g.codes}
# Regional emphasis: 晋江/石狮/莆田 shoes and apparel, 厦门 electronics and software, 德化 ceramics.
REGION_BIAS: dict[str, dict[str, int]] = {
    "350500": {"shoes_apparel": 22, "textile": 8, "building_materials": 6},
    "350300": {"shoes_apparel": 16, "crafts": 6},
    "350200": {"electronics": 14, "software": 14, "wholesale": 12},
    "350100": {"software": 10, "electronics": 9},
    "350900": {"electrical": 8, "machinery": 10},
    "350700": {"food": 14}, "350400": {"petrochem": 7, "building_materials": 7}, "350800": {"machinery": 14},
}
COUNTY_BIAS: dict[str, dict[str, int]] = {"350526": {"crafts": 30}, "350524": {"food": 20}}

TIERS = ("micro", "small", "medium", "large")
TIER_WEIGHTS = (55, 33, 10, 2)
# 万元 of revenue per person, by kind of industry (a lognormal centre): keeps staff and revenue plausible.
PRODUCTIVITY: dict[str, float] = {"industrial": 60.0, "trade": 150.0, "service": 35.0, "construction": 70.0}

ZIHAO = tuple("鑫恒泰华盛达源隆兴信安宏锦旺丰凯瑞祥嘉鸿海远振星辉创峰通永联新力美佳德福闽泉晋榕鹭融汇骏腾飞晟昌发顺合益和富宝乐优")
SURNAMES = tuple("陈林黄张吴王李郑刘蔡许杨洪施苏庄曾周谢赖邱方柯")
GIVEN = tuple("志明建国伟强秀英丽娟文华德海金水清龙阳辉玲芳婷俊杰宏斌")
ROADS = ("工业路", "创业路", "科技路", "泉安路", "世纪大道", "长兴路", "滨江路", "福新路", "青年路", "新华路")
FIGURE_SOURCES: dict[str, str] = {
    "revenue": "税务", "main_revenue": "统计", "employees": "人社", "insured_employees": "人社",
    "rd_expense": "科技", "tax_paid": "税务", "total_assets": "统计", "output_value": "统计",
    "export_value": "税务", "fixed_asset_investment": "统计", "profit": "统计", "tax_credit_rating": "税务",
    "invention_patents": "市场监管",
}
# Year figures are published after the annual report (年报) of the following spring.
FIGURE_AS_OF: dict[int, date] = {2024: date(2025, 5, 31), 2025: date(2026, 5, 31)}
STATIC_AS_OF = date(2026, 10, 31)
QUAL_AS_OF = date(2026, 10, 31)
FLAG_AS_OF = date(2026, 11, 20)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class QualificationSpec:
    code: str
    certificate_no: str
    valid_from: date | None
    valid_to: date | None
    source: str


@dataclass
class EnterpriseSpec:
    uscc: str
    name: str
    region: str
    industry: str
    group: str
    tier: str
    established_on: date
    registered_capital: Decimal
    ownership: str
    listed: str
    legal_representative: str
    contact_phone: str
    address: str
    contact_email: str = ""
    years: dict[int, dict[str, Decimal | int | str]] = field(default_factory=dict)
    qualifications: list[QualificationSpec] = field(default_factory=list)
    has_qualification_data: bool = True
    flags: dict[str, bool] = field(default_factory=dict)

    def static_sources(self) -> dict[str, dict[str, str]]:
        market = {"source": "市场监管", "as_of": STATIC_AS_OF.isoformat(), "status": "official"}
        stats = {"source": "统计", "as_of": STATIC_AS_OF.isoformat(), "status": "official"}
        return {"name": market, "region": market, "established_on": market, "registered_capital": market,
                "ownership": market, "listed": market, "legal_representative": market, "address": market,
                "industry": stats}


def _weighted(rng: random.Random, options: Sequence[str], weights: Sequence[int]) -> str:
    return rng.choices(list(options), weights=list(weights), k=1)[0]


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _wan(value: float) -> Decimal:
    """万元 → 元, rounded to whole yuan (the sources report in 元 without fen)."""
    return Decimal(round(value * 10000))


def counties_of(prefecture: str) -> list[str]:
    return [r.code for r in children(prefecture) if r.code not in EXCLUDED_COUNTIES]


def _tier_range(bounds: Mapping[str, tuple[int, int, int]], name: str, tier: str) -> tuple[float, float]:
    large, medium, small = bounds[name]
    if tier == "large":
        return float(large), float(large) * 6
    if tier == "medium":
        return float(medium), float(large) * 0.8
    if tier == "small":
        return float(small), float(medium) * 0.9
    return max(float(small) / (4 if name == "employees" else 12), 1.0), float(small) * 0.95


def _size(rng: random.Random, industry: str, kind: str, tier: str) -> tuple[int, float, float]:
    """Employees, revenue (万元) and total assets (万元) that put the enterprise in `tier`."""
    row = scale_row(industry)
    bounds: dict[str, tuple[int, int, int]] = {str(k): v for k, v in row.bounds} if row is not None else {}
    prod = PRODUCTIVITY[kind] * math.exp(rng.gauss(0, 0.45))
    if "revenue" in bounds:
        revenue = _log_uniform(rng, *_tier_range(bounds, "revenue", tier))
    else:
        revenue = _log_uniform(rng, *{"micro": (20, 300), "small": (300, 3000), "medium": (3000, 30000),
                                      "large": (30000, 200000)}[tier])
    employees = max(1, round(revenue / prod))
    if "employees" in bounds:
        lo, hi = _tier_range(bounds, "employees", tier)
        employees = int(min(max(employees, math.ceil(lo)), max(math.ceil(lo), math.floor(hi))))
    assets = revenue * rng.uniform(0.5, 1.6)
    if "total_assets" in bounds:
        lo, hi = _tier_range(bounds, "total_assets", tier)
        assets = min(max(assets, lo * 1.02), hi)
    return employees, revenue, assets


def _name(rng: random.Random, region: str, group: IndustryGroup, tier: str, used: set[str]) -> str:
    county = get_region(region)
    pref = get_region(region[:4] + "00")
    county_name = county.name if county else ""
    pref_name = pref.name if pref else ""
    for _ in range(50):
        zihao = "".join(rng.sample(ZIHAO, 2))
        word = rng.choice(group.words)
        form = "股份有限公司" if tier == "large" and rng.random() < 0.5 else "有限公司"
        style = rng.random()
        if county_name.endswith("区") and style < 0.5:
            prefix = f"{pref_name}{county_name}"
        elif county_name.endswith("区") or style < 0.15:
            prefix = pref_name
        else:
            prefix = county_name
        if tier in {"large", "medium"} and style > 0.85:
            prefix = "福建"
        name = f"{prefix}{zihao}{word}{form}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("demo name space exhausted")  # pragma: no cover - 2,000+ names fit easily


def _uscc(rng: random.Random, region: str, established: date, used: set[str]) -> str:
    while True:
        if established.year >= 2015:
            body8 = "MA" + "".join(rng.choice(USCC_CHARS[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        else:
            body8 = "".join(rng.choice("0123456789") for _ in range(8))
        first17 = f"91{region}{body8}{org_check_char(body8)}"
        if any(c not in USCC_CHARS for c in first17):
            continue
        code = first17 + uscc_check_char(first17)
        if code not in used:
            used.add(code)
            return code


def _years(rng: random.Random, spec: EnterpriseSpec, group: IndustryGroup, employees: int, revenue: float,
           assets: float) -> None:
    growth = max(-0.4, min(0.8, rng.gauss(0.06, 0.16)))
    rating = _weighted(rng, "ABMCD", (35, 45, 10, 8, 2))
    rd_rate = 0.0
    if group.tech:
        rd_rate = rng.uniform(0.025, 0.08)
    elif group.kind == "industrial" and rng.random() < 0.6:
        rd_rate = rng.uniform(0.004, 0.03)
    elif rng.random() < 0.15:
        rd_rate = rng.uniform(0.003, 0.02)
    export_share = rng.uniform(0.1, 0.6) if group.exporter and rng.random() < 0.35 else 0.0
    patents = rng.randint(0, {"micro": 2, "small": 8}.get(spec.tier, 30)) if group.tech else (
        rng.randint(0, 4) if group.kind == "industrial" and rng.random() < 0.3 else 0)
    margin = rng.gauss(0.05, 0.06)
    for index, year in enumerate(YEARS):
        factor = (1 + growth) if index else 1.0
        rev = revenue * factor
        emp = max(1, round(employees * (1 + growth / 2 if index else 1)))
        figures: dict[str, Decimal | int | str] = {
            "revenue": _wan(rev),
            "main_revenue": _wan(rev * rng.uniform(0.9, 1.0)),
            "employees": emp,
            "insured_employees": max(1, round(emp * rng.uniform(0.7, 1.0))),
            "rd_expense": _wan(rev * rd_rate * rng.uniform(0.9, 1.1)),
            "tax_paid": _wan(rev * rng.uniform(0.01, 0.06)),
            "total_assets": _wan(assets * (1 + growth * 0.6 if index else 1)),
            "profit": _wan(rev * (margin + rng.gauss(0, 0.015))),
            "tax_credit_rating": rating if rng.random() < 0.9 else _weighted(rng, "ABMC", (30, 50, 10, 10)),
            "invention_patents": patents + (rng.randint(0, 2) if index and patents else 0),
        }
        if group.kind == "industrial":
            figures["output_value"] = _wan(rev * rng.uniform(0.95, 1.15))
            figures["fixed_asset_investment"] = _wan(rev * rng.uniform(0.02, 0.12))
        if export_share:
            figures["export_value"] = _wan(rev * export_share * rng.uniform(0.9, 1.1))
        spec.years[year] = figures
    if rng.random() < 0.10:
        # No 2025 figures yet (年报 not filed or not yet shared by the departments).
        del spec.years[2025]
    elif rng.random() < 0.17:
        latest = spec.years[max(spec.years)]
        optional = [f for f in ("rd_expense", "tax_paid", "total_assets", "insured_employees", "profit",
                                "tax_credit_rating", "invention_patents", "main_revenue") if f in latest]
        for name in rng.sample(optional, rng.randint(1, 3)):
            del latest[name]


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _cert_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _qualifications(rng: random.Random, spec: EnterpriseSpec, group: IndustryGroup) -> None:
    if rng.random() < 0.02:
        spec.has_qualification_data = False
        return
    quals: list[QualificationSpec] = []
    latest = spec.years.get(max(spec.years), {}) if spec.years else {}
    revenue = latest.get("main_revenue", latest.get("revenue"))
    employees = latest.get("employees")
    sme = spec.tier != "large"

    def add(code: str, prefix: str, start: date, years: int | None, source: str) -> None:
        valid_from = _cert_date(rng, start, date(2026, 10, 31)) if years else start
        valid_to = _plus_years(valid_from, years) - timedelta(days=1) if years else None
        cert = f"{prefix}{valid_from.year}{spec.region[:2]}{rng.randint(0, 99999):05d}" if prefix else ""
        quals.append(QualificationSpec(code, cert, valid_from, valid_to, source))

    hnte_p = 0.22 if group.tech else (0.06 if group.kind == "industrial" else 0.01)
    if spec.tier in {"medium", "large"}:
        hnte_p *= 1.6
    if rng.random() < hnte_p:
        # 2023–2026 certificates: the oldest have expired, as some real ones have.
        quals.append(_dated(rng, "hnte", "GR", spec.region, date(2023, 5, 1), 3))
    tsme_p = 0.42 if group.tech else (0.14 if group.kind == "industrial" else 0.03)
    if sme and (employees is None or int(employees) <= 500) and rng.random() < tsme_p:
        year = 2025 if rng.random() < 0.2 else 2026  # a 2025 listing has lapsed: yearly evaluation
        start = _cert_date(rng, date(year, 3, 1), date(year, 9, 30))
        quals.append(QualificationSpec("tsme", f"{year}3505{rng.randint(0, 999999):06d}", start, date(year, 12, 31),
                                       "科技"))
    srdi_p = (0.07 if spec.tier in {"small", "medium"} else 0.015) * (1.6 if group.kind == "industrial" else 0.5)
    if sme and rng.random() < srdi_p:
        quals.append(_dated(rng, "srdi", "", spec.region, date(2023, 6, 1), 3, source="工信"))
        if spec.tier in {"medium", "small"} and rng.random() < 0.2:
            quals.append(_dated(rng, "little_giant", "", spec.region, date(2023, 7, 1), 3, source="工信"))
    threshold = {"industrial": 2000, "trade": 2000 if spec.industry.startswith("51") else 500,
                 "service": 1000, "construction": 5000}[group.kind]
    if revenue is not None and Decimal(revenue) >= threshold * WAN:
        add("above_scale", "", date(2020 + rng.randint(0, 5), 1, 1), None, "统计")
    extras = (("innovative_sme", 0.05, 3, "工信"), ("gazelle", 0.012, 3, "科技"), ("tech_center_prov", 0.012, 3, "工信"),
              ("tech_center_city", 0.025, 3, "工信"), ("industrial_leader_prov", 0.004, 3, "工信"),
              ("green_food_cert", 0.12 if group.key == "food" else 0.0, 3, "市场监管"))
    for code, p, years, source in extras:
        if rng.random() < p * (2 if spec.tier in {"medium", "large"} else 1):
            quals.append(_dated(rng, code, "", spec.region, date(2023, 3, 1), years, source=source))
    spec.qualifications = quals


def _dated(rng: random.Random, code: str, prefix: str, region: str, earliest: date, years: int,
           source: str = "科技") -> QualificationSpec:
    valid_from = _cert_date(rng, earliest, date(2026, 10, 31))
    valid_to = _plus_years(valid_from, years) - timedelta(days=1)
    cert = f"{prefix}{valid_from.year}{region[:2]}{rng.randint(0, 99999):05d}" if prefix else (
        f"{code.upper()[:3]}-{valid_from.year}-{rng.randint(0, 9999):04d}")
    return QualificationSpec(code, cert, valid_from, valid_to, source)


def _flags(rng: random.Random) -> dict[str, bool]:
    return {"dishonest": rng.random() < 0.01, "abnormal_operation": rng.random() < 0.03,
            "major_violation_3y": rng.random() < 0.005}


def _pick_group(rng: random.Random, region: str) -> IndustryGroup:
    bias = {**REGION_BIAS.get(region[:4] + "00", {}), **COUNTY_BIAS.get(region, {})}
    weights = [bias.get(g.key, g.weight) for g in GROUPS]
    return rng.choices(GROUPS, weights=weights, k=1)[0]


def make_enterprise(rng: random.Random, *, region: str, group: IndustryGroup, tier: str, used_names: set[str],
                    used_codes: set[str]) -> EnterpriseSpec:
    industry = rng.choice(group.codes)
    employees, revenue, assets = _size(rng, industry, group.kind, tier)
    oldest = {"micro": 2008, "small": 2000, "medium": 1995, "large": 1990}[tier]
    established = date(rng.randint(oldest, 2023), rng.randint(1, 12), rng.randint(1, 28))
    capital = {"micro": (10, 500), "small": (100, 3000), "medium": (1000, 10000), "large": (5000, 100000)}[tier]
    ownership = _weighted(rng, ("private", "hmt", "foreign", "state", "collective"), (87, 5, 3, 4, 1))
    listed = "none"
    if tier == "large" and rng.random() < 0.25:
        listed = rng.choice(("main", "main", "chinext", "overseas"))
    elif tier == "medium" and rng.random() < 0.05:
        listed = rng.choice(("neeq", "bse"))
    county = get_region(region)
    spec = EnterpriseSpec(
        uscc=_uscc(rng, region, established, used_codes),
        name=_name(rng, region, group, tier, used_names),
        region=region, industry=industry, group=group.key, tier=tier, established_on=established,
        registered_capital=Decimal(round(_log_uniform(rng, *capital) / 10) * 10) * WAN,
        ownership=ownership, listed=listed,
        legal_representative=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        contact_phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
        address=f"{county.name if county else ''}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
    )
    # Half the enterprises left an e-mail with 市场监管 (derived from the code, not drawn from the
    # generator, so adding it moved no other demo value).
    if int(spec.uscc[-2], 36) % 2 == 0:
        spec.contact_email = f"caiwu.{spec.uscc[-6:].lower()}@example.com"
    _years(rng, spec, group, employees, revenue, assets)
    _qualifications(rng, spec, group)
    spec.flags = _flags(rng)
    return spec


def showcase_enterprises(rng: random.Random, used_names: set[str], used_codes: set[str]) -> list[EnterpriseSpec]:
    """Three hand-shaped enterprises the demo accounts are bound to: a 晋江 shoe maker that matches
    many items, a 厦门 software start-up, and a 南安 firm whose data is mostly missing."""
    groups = {g.key: g for g in GROUPS}
    rich = make_enterprise(rng, region="350582", group=groups["shoes_apparel"], tier="medium",
                           used_names=used_names, used_codes=used_codes)
    rich.industry = "1951"
    rich.name = "晋江市恒鑫鞋业有限公司"
    rich.years = {
        2024: {"revenue": Decimal(186_000_000), "main_revenue": Decimal(181_000_000), "employees": 620,
               "insured_employees": 590, "rd_expense": Decimal(6_900_000), "tax_paid": Decimal(7_400_000),
               "total_assets": Decimal(210_000_000), "output_value": Decimal(195_000_000),
               "export_value": Decimal(72_000_000), "fixed_asset_investment": Decimal(16_000_000),
               "profit": Decimal(11_800_000), "tax_credit_rating": "A", "invention_patents": 9},
        2025: {"revenue": Decimal(221_000_000), "main_revenue": Decimal(215_500_000), "employees": 668,
               "insured_employees": 641, "rd_expense": Decimal(8_600_000), "tax_paid": Decimal(8_900_000),
               "total_assets": Decimal(236_000_000), "output_value": Decimal(232_000_000),
               "export_value": Decimal(88_000_000), "fixed_asset_investment": Decimal(24_500_000),
               "profit": Decimal(14_300_000), "tax_credit_rating": "A", "invention_patents": 12},
    }
    rich.has_qualification_data = True
    rich.qualifications = [
        QualificationSpec("hnte", "GR202435000417", date(2024, 12, 9), date(2027, 12, 8), "科技"),
        QualificationSpec("srdi", "SRD-2024-0312", date(2024, 8, 1), date(2027, 7, 31), "工信"),
        QualificationSpec("above_scale", "", date(2018, 1, 1), None, "统计"),
        QualificationSpec("tech_center_city", "TEC-2023-0088", date(2023, 5, 1), date(2026, 4, 30), "工信"),
    ]
    rich.flags = {"dishonest": False, "abnormal_operation": False, "major_violation_3y": False}
    used_names.add(rich.name)

    start_up = make_enterprise(rng, region="350206", group=groups["software"], tier="small",
                               used_names=used_names, used_codes=used_codes)
    start_up.industry = "6513"
    start_up.name = "厦门鹭创数字科技有限公司"
    start_up.established_on = date(2021, 3, 18)
    start_up.years = {
        2024: {"revenue": Decimal(8_600_000), "main_revenue": Decimal(8_600_000), "employees": 46,
               "insured_employees": 44, "rd_expense": Decimal(1_350_000), "tax_paid": Decimal(310_000),
               "total_assets": Decimal(9_800_000), "profit": Decimal(420_000), "tax_credit_rating": "B",
               "invention_patents": 2},
        2025: {"revenue": Decimal(13_200_000), "main_revenue": Decimal(13_100_000), "employees": 71,
               "insured_employees": 68, "rd_expense": Decimal(2_050_000), "tax_paid": Decimal(520_000),
               "total_assets": Decimal(15_400_000), "profit": Decimal(-380_000), "tax_credit_rating": "B",
               "invention_patents": 4},
    }
    start_up.has_qualification_data = True
    start_up.qualifications = [QualificationSpec("tsme", "20263502001234", date(2026, 4, 20), date(2026, 12, 31), "科技")]
    start_up.flags = {"dishonest": False, "abnormal_operation": False, "major_violation_3y": False}
    used_names.add(start_up.name)

    sparse = make_enterprise(rng, region="350583", group=groups["building_materials"], tier="small",
                             used_names=used_names, used_codes=used_codes)
    sparse.name = "南安市丰源石材有限公司"
    sparse.industry = "3099"
    sparse.years = {2024: {"revenue": Decimal(12_500_000), "employees": 38}}
    sparse.has_qualification_data = False
    sparse.qualifications = []
    sparse.flags = {"dishonest": False, "abnormal_operation": False}
    used_names.add(sparse.name)
    return [rich, start_up, sparse]


def generate_enterprises(*, count: int, seed: int) -> list[EnterpriseSpec]:
    """`count` enterprises (the three showcase ones first), the same for the same seed."""
    rng = random.Random(seed)
    used_names: set[str] = set()
    used_codes: set[str] = set()
    specs = showcase_enterprises(rng, used_names, used_codes)
    prefectures = list(PREFECTURES)
    pref_weights = [PREFECTURES[p] for p in prefectures]
    county_cache = {p: counties_of(p) for p in prefectures}
    while len(specs) < count:
        pref = _weighted(rng, prefectures, pref_weights)
        counties = county_cache[pref]
        region = _weighted(rng, counties, [COUNTY_WEIGHTS.get(c, 2) for c in counties])
        group = _pick_group(rng, region)
        tier = _weighted(rng, TIERS, TIER_WEIGHTS)
        specs.append(make_enterprise(rng, region=region, group=group, tier=tier, used_names=used_names,
                                     used_codes=used_codes))
    return [_no_earlier_than_founding(spec) for spec in specs[:count]]


def _no_earlier_than_founding(spec: EnterpriseSpec) -> EnterpriseSpec:
    """No enterprise holds a designation from before it existed (a 2023 company with 规上 status
    since 2018 contradicted itself): such a start moves to the founding date."""
    founded = spec.established_on
    spec.qualifications = [replace(q, valid_from=founded) if q.valid_from is not None and q.valid_from < founded else q
                           for q in spec.qualifications if q.valid_to is None or q.valid_to >= founded]
    return spec


def derived_scale(spec: EnterpriseSpec) -> str | None:
    """The size the standard gives from the latest year's figures (for tests and summaries)."""
    latest = spec.years.get(max(spec.years)) if spec.years else None
    if not latest:
        return None
    def num(name: str) -> Decimal | int | None:
        value = latest.get(name)
        return value if isinstance(value, Decimal | int) else None
    return enterprise_scale(industry=spec.industry, employees=num("employees"), revenue=num("revenue"),
                            total_assets=num("total_assets"))
