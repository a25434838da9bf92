"""Vocabulary of Chinese policy documents: fields, qualifications, industries.

These tables describe how policies usually name things; they are data, not rules for a clause.
"""

from __future__ import annotations

from rules.fields import DECLARED_FIGURES

# Qualification catalogue of RULES.md §2 with Chinese names and common aliases. Order matters:
# more specific names first (小巨人 before 专精特新).
QUALIFICATIONS: dict[str, list[str]] = {
    "little_giant": ["专精特新“小巨人”", "专精特新\"小巨人\"", "专精特新小巨人", "“小巨人”", "小巨人"],
    "innovative_sme": ["创新型中小企业"],
    "tsme": ["科技型中小企业"],
    "srdi": ["省级专精特新中小企业", "省级专精特新企业", "专精特新中小企业", "“专精特新”企业",
             "专精特新企业"],
    "hnte": ["国家高新技术企业", "国家级高新技术企业", "高新技术企业", "高企"],
    "tech_center_nat": ["国家企业技术中心", "国家级企业技术中心", "国家认定企业技术中心"],
    "tech_center_prov": ["省级企业技术中心", "省级工业企业技术中心", "省企业技术中心"],
    "gazelle": ["瞪羚企业"],
    "unicorn": ["独角兽企业"],
    "above_scale": ["规模以上企业", "规上企业", "规模以上工业企业", "规上工业企业", "规模以上工业",
                    "规上工业", "规模以上", "规上", "上规模"],
}

# Entries the dev-set annotators proposed for the catalogue (README “建议新增的资质目录项”);
# they are ordinary designations, so recognising them is part of the vocabulary.
PROPOSED: dict[str, tuple[str, list[str]]] = {
    "tech_center_city": ("市级工业企业技术中心", ["市级工业企业技术中心", "市级企业技术中心"]),
    "industrial_design_center_prov": ("省级工业设计中心", ["省级工业设计中心"]),
    "mfg_pilot_platform_prov": ("省级制造业中试服务平台", ["省级制造业中试服务平台"]),
    "single_champion_nat": ("国家级制造业单项冠军企业", ["国家级制造业单项冠军", "国家级单项冠军",
                                                   "制造业单项冠军", "单项冠军"]),
    "hidden_champion_prov": ("省级制造业隐形冠军企业", ["省级制造业隐形冠军", "省级隐形冠军", "隐形冠军"]),
    "industrial_leader_prov": ("省级工业龙头企业", ["省级工业龙头企业", "工业龙头企业"]),
    "wef_lighthouse_factory": ("灯塔工厂", ["灯塔工厂"]),
    "smart_mfg_benchmark_nat": ("国家级智能制造标杆企业", ["国家级标杆企业"]),
    "smart_mfg_scene_nat": ("国家智能制造优秀场景", ["国家智能制造优秀场景"]),
    "zgszwl_benchmark_prov": ("省级智改数转网联标杆企业", ["省级智改数转网联标杆企业"]),
    "smart_mfg_demo_factory_prov": ("省级智能制造示范工厂", ["省级智能制造示范工厂"]),
    "smart_mfg_demo_workshop_prov": ("省级智能制造示范车间", ["省级智能制造示范车间"]),
    "smart_mfg_demo_factory_city": ("市级智能制造示范工厂", ["市级智能制造示范工厂"]),
    "smart_mfg_demo_workshop_city": ("市级智能制造示范车间", ["市级智能制造示范车间"]),
    # second dev set's README (“建议新增的资质目录项（第二批）”)
    "green_factory_nat": ("国家级绿色工厂", ["国家级绿色工厂", "国家绿色工厂"]),
    "green_factory_prov": ("省级绿色工厂", ["省级绿色工厂", "省绿色工厂"]),
    "green_design_product_nat": ("国家级绿色设计产品", ["国家级绿色设计产品", "国家级绿色(设计)产品",
                                                 "国家绿色设计产品", "国家级绿色产品"]),
    "green_design_product_prov": ("省级绿色设计产品", ["省级绿色设计产品", "省级绿色(设计)产品",
                                                "省级绿色产品"]),
    "green_supply_chain_nat": ("国家级绿色供应链管理示范企业", ["国家级绿色供应链管理示范企业",
                                                         "国家级绿色供应链管理企业", "国家级绿色供应链"]),
    "green_supply_chain_prov": ("省级绿色供应链管理示范企业", ["省级绿色供应链管理示范企业",
                                                        "省级绿色供应链管理企业", "省级绿色供应链"]),
    "unicorn_prov": ("省级独角兽企业", ["省独角兽企业", "省级独角兽企业"]),
    "potential_unicorn_prov": ("省级潜在独角兽企业", ["省潜在独角兽企业", "省级潜在独角兽企业"]),
    "gazelle_prov": ("省级瞪羚企业", ["省瞪羚企业", "省级瞪羚企业"]),
    "mfg_innovation_center_nat": ("国家级制造业创新中心", ["国家级制造业创新中心", "国家制造业创新中心"]),
    "mfg_innovation_center_prov": ("省级制造业创新中心", ["省级制造业创新中心", "省制造业创新中心"]),
    "tech_innovation_demo_nat": ("国家级技术创新示范企业", ["国家级技术创新示范企业", "国家技术创新示范企业",
                                                     "国家级技术创新试点示范"]),
    "tech_innovation_demo_prov": ("省级技术创新示范企业", ["省级技术创新示范企业", "省技术创新示范企业",
                                                    "省级技术创新试点示范"]),
    "ah_industrial_boutique": ("安徽工业精品企业", ["安徽工业精品"]),
    "brand_demo_city": ("市级品牌示范企业", ["市级品牌示范企业"]),
    "digital_workshop_cq": ("重庆市级数字化车间", ["市级数字化车间"]),
    "smart_factory_cq": ("重庆市级智能工厂", ["市级智能工厂"]),
    "digital_workshop_prov": ("省级数字化车间", ["省级数字化车间"]),
    "smart_factory_prov": ("省级智能工厂", ["省级智能工厂"]),
    "chain_leader_prov": ("省级产业链链主企业", ["省级产业链“链主”企业", "省级“链主”企业", "省级链主企业"]),
    "chain_core_prov": ("省级产业链链核企业", ["省级产业链“链核”企业", "省级“链核”企业", "省级链核企业"]),
    "ip_demo_enterprise_nat": ("国家知识产权示范企业", ["国家知识产权示范企业", "国家级知识产权示范企业"]),
    "rd_institution_prov": ("省级研发机构", ["省级研发机构"]),
    "single_champion_product_nat": ("国家制造业单项冠军产品", ["国家制造业单项冠军产品", "制造业单项冠军产品",
                                                        "单项冠军产品"]),
    # a designation of its own in the second set (the first set's smart_mfg_benchmark_nat groups three)
    "smart_mfg_demo_factory_nat": ("国家智能制造示范工厂", ["国家级智能制造示范工厂", "国家智能制造示范工厂"]),
    "service_mfg_demo_nat": ("国家级服务型制造示范企业", ["国家级服务型制造示范企业", "国家服务型制造示范企业"]),
    "iimm_a_or_above": ("两化融合管理体系贯标A级及以上", ["两化融合管理体系贯标"]),
    "dcmm_level2_or_above": ("数据管理能力成熟度二级及以上", ["数据管理能力成熟度", "DCMM"]),
    "scenic_area_5a": ("国家5A级旅游景区", ["5A级旅游景区", "5A级景区", "国家5A级"]),
    "scenic_area_4a": ("国家4A级旅游景区", ["4A级旅游景区", "4A级景区", "国家4A级"]),
    "scenic_area_3a": ("国家3A级旅游景区", ["3A级旅游景区", "3A级景区", "国家3A级"]),
    "star_hotel_5": ("五星级旅游饭店", ["五星级旅游饭店", "五星级饭店", "五星级酒店"]),
    "star_hotel_4": ("四星级旅游饭店", ["四星级旅游饭店", "四星级饭店", "四星级酒店"]),
    "star_hotel_3": ("三星级旅游饭店", ["三星级旅游饭店", "三星级饭店", "三星级酒店"]),

}

# Yearly profile fields and the words policies use for them (longest first at match time).
FIELD_WORDS: dict[str, str] = {
    "主营业务收入": "main_revenue",
    "主营收入": "main_revenue",
    "营业收入": "revenue",
    "营收": "revenue",
    "销售收入": "revenue",
    "营业额": "revenue",
    "销售额": "revenue",
    "工业总产值": "output_value",
    "工业产值": "output_value",
    "产值": "output_value",
    "研发费用": "rd_expense",
    "研发经费": "rd_expense",
    "R&D经费": "rd_expense",
    "研发投入": "rd_expense",
    "缴纳入库税收": "tax_paid",
    "入库税收": "tax_paid",
    "税收总额": "tax_paid",
    "纳税额": "tax_paid",
    "纳税": "tax_paid",
    "实缴税金": "tax_paid",
    "注册资本": "registered_capital",
    "注册资金": "registered_capital",
    "资产总额": "total_assets",
    "总资产": "total_assets",
    "出口额": "export_value",
    "利润总额": "profit",
    "净利润": "profit",
    "利润": "profit",
    "参保人数": "insured_employees",
    "缴纳社保": "insured_employees",
    "从业人员": "employees",
    "在职职工": "employees",
    "职工": "employees",
    "员工": "employees",
    "发明专利": "invention_patents",
}

STATIC_FIELDS = {"registered_capital", "established_years", "region", "industry", "scale",
                 "ownership", "listed"}

# Project-level figures an enterprise declares (input.*), by the words that name them.
# How policies name declared figures: read from the shared vocabulary (rules/data), so every
# name the extractor drafts is one the application form and the review page know.
INPUT_WORDS: dict[str, str] = {word: f.name for f in DECLARED_FIGURES.values() for word in f.words}

# Industry words (GB/T 4754) beyond exact standard names; values are lists of codes (any-of).
INDUSTRY_WORDS: list[tuple[str, list[str]]] = [
    ("工业和有关信息化企业", ["B", "C", "D", "I"]),
    ("工业和信息化企业", ["B", "C", "D", "I"]),
    ("限上商贸", ["51", "52", "61", "62"]),
    ("限额以上商贸", ["51", "52", "61", "62"]),
    ("商贸业", ["51", "52", "61", "62"]),
    ("批发零售业", ["51", "52"]),
    ("批发、零售", ["51", "52"]),
    ("住宿、餐饮", ["61", "62"]),
    ("住宿餐饮业", ["61", "62"]),
    ("软件业", ["65"]),
    ("软件企业", ["65"]),
    ("软件和信息技术服务业", ["65"]),
    ("制造业", ["C"]),
    ("制造类", ["C"]),
    ("批发业", ["51"]),
    ("批发", ["51"]),
    ("零售业", ["52"]),
    ("零售", ["52"]),
    ("住宿业", ["61"]),
    ("住宿", ["61"]),
    ("餐饮业", ["62"]),
    ("餐饮", ["62"]),
    ("第二产业", ["B", "C", "D", "E"]),
    ("二产", ["B", "C", "D", "E"]),
    ("建筑业", ["E"]),
    ("房地产业", ["K"]),
    ("电影", ["87"]),
]

# Words that mark the benefit as non-monetary (or money that is not quantified).
NONE_BENEFIT = (
    "免征", "减征", "减按", "减半", "免缴", "免收", "退还", "留抵退税", "退税", "优先供地", "出让底价",
    "基准地价", "用地保障", "用地指标", "划拨方式", "电价", "电力直接交易", "售电", "贷款贴息",
    "担保贷款", "信用贷款", "贷款额度", "担保增信", "提供担保", "担保费率", "费率优惠",
    "可申请认定", "认定为", "配套奖励", "配套资金", "适当支持", "予以支持", "给予支持", "政策支持",
    "给予资助", "可享受", "优惠政策", "一事一议", "简易计税", "股权投资", "服务队伍", "主动入企",
    "上门服务", "优先支持", "优先保障", "优先安排",
)

# Kinds of designations policies reward, for proposing catalogue entries (code stems in English).
DESIGNATION_KINDS: dict[str, str] = {
    "绿色工厂": "green_factory",
    "绿色供应链管理企业": "green_supply_chain",
    "智能工厂": "smart_factory",
    "数字化车间": "digital_workshop",
    "示范工厂": "demo_factory",
    "示范车间": "demo_workshop",
    "工程技术研究中心": "eng_research_center",
    "工程研究中心": "eng_research_center",
    "重点实验室": "key_lab",
    "企业技术中心": "tech_center",
    "工业设计中心": "industrial_design_center",
    "制造业创新中心": "mfg_innovation_center",
    "新型研发机构": "new_rd_institution",
    "科技企业孵化器": "incubator",
    "孵化器": "incubator",
    "众创空间": "maker_space",
    "老字号": "time_honored_brand",
    "龙头企业": "leading_enterprise",
    "标杆企业": "benchmark_enterprise",
    "示范企业": "demo_enterprise",
    "冠军企业": "champion_enterprise",
    "服务平台": "service_platform",
    "公共服务平台": "public_service_platform",
    "示范项目": "demo_project",
    "示范基地": "demo_base",
    "试点企业": "pilot_enterprise",
    "知识产权优势企业": "ip_advantage_enterprise",
    "知识产权示范企业": "ip_demo_enterprise",
    "瞪羚企业": "gazelle",
    "首台(套)": "first_set_equipment",
    "首台套": "first_set_equipment",
}
