"""Reference data of the demo: departments per region and the qualification catalogue entries the
demo items reward (RULES.md §2 plus the extra ones dev_clauses.jsonl proposes)."""

from __future__ import annotations

from cnstd.regions import get_region

PROVINCE = "350000"

# kind -> name suffix (the names follow 机构改革 2019 naming of 福建 local governments)
DEPARTMENT_KINDS: dict[str, str] = {
    "工信": "工业和信息化局",
    "科技": "科学技术局",
    "商务": "商务局",
    "财政": "财政局",
    "人社": "人力资源和社会保障局",
}
PROVINCE_DEPARTMENTS: dict[str, str] = {
    "工信": "福建省工业和信息化厅",
    "科技": "福建省科学技术厅",
    "商务": "福建省商务厅",
    "财政": "福建省财政厅",
    "人社": "福建省人力资源和社会保障厅",
}

# code, name, level, usual validity in years, issuer
QUALIFICATIONS: tuple[tuple[str, str, str, int | None, str], ...] = (
    ("hnte", "高新技术企业", "national", 3, "福建省高新技术企业认定管理工作领导小组"),
    ("tsme", "科技型中小企业", "national", 1, "科技部火炬中心（省科技厅评价入库）"),
    ("innovative_sme", "创新型中小企业", "province", 3, "福建省工业和信息化厅"),
    ("srdi", "省级专精特新中小企业", "province", 3, "福建省工业和信息化厅"),
    ("little_giant", '国家级专精特新"小巨人"', "national", 3, "工业和信息化部"),
    ("above_scale", "规模以上企业", "other", None, "统计部门"),
    ("gazelle", "瞪羚企业", "province", 3, "福建省科学技术厅"),
    ("unicorn", "独角兽企业", "province", None, "福建省科学技术厅"),
    ("tech_center_prov", "省级企业技术中心", "province", 3, "福建省工业和信息化厅"),
    ("tech_center_nat", "国家企业技术中心", "national", 3, "国家发展和改革委员会"),
    # Extra entries the demo items need (proposed in data/policies/README.md).
    ("tech_center_city", "市级企业技术中心", "city", 3, "设区市工业和信息化局"),
    ("industrial_design_center_prov", "省级工业设计中心", "province", 3, "福建省工业和信息化厅"),
    ("industrial_leader_prov", "省级工业龙头企业", "province", 3, "福建省工业和信息化厅"),
    ("green_food_cert", "绿色食品认证", "national", 3, "中国绿色食品发展中心"),
)


def department_name(region: str, kind: str) -> str:
    """`泉州市工业和信息化局`, `晋江市工业和信息化局`; districts keep their city (`泉州市鲤城区…`)
    because district names repeat across Fujian (鼓楼区, 城厢区)."""
    if region == PROVINCE:
        return PROVINCE_DEPARTMENTS[kind]
    here = get_region(region)
    if here is None:
        raise ValueError(f"未知行政区划代码 {region}")
    if region.endswith("00"):
        return f"{here.name}{DEPARTMENT_KINDS[kind]}"
    parent = get_region(region[:4] + "00")
    prefix = f"{parent.name}{here.name}" if here.name.endswith("区") and parent else here.name
    return f"{prefix}{DEPARTMENT_KINDS[kind]}"
