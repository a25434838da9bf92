"""Demo policy documents and items, modelled on the real clauses in data/policies/dev_clauses.jsonl
(三明 明工信综〔2025〕39号, 厦门 研发投入措施, 平潭 限上商贸办法, 思明 会展措施, 宁德 锂电七条, 洛江
高企奖补, 福州 技改指南 …) and on the 泉州/莆田 practice in the seeds (免申即享 cash in 5 working
days, 即申即享 in 40, two review nodes with yellow/red warnings).

Document numbers are invented for the demo (the year 2026 and the sequence numbers do not refer to
real files); conditions and rewards are written in the rules language (spec/RULES.md) and
validated when loaded. Windows are given relative to the load date so that the demo always has
items open now, closing within a week and closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

W = 10_000  # 万元 in 元: rules are written in 元 (RULES.md §1)

Json = dict[str, Any]


def at(name: str, op: str, value: Any, period: Any = None) -> Json:
    atom: Json = {"field": name, "op": op, "value": value}
    if period is not None:
        atom["period"] = period
    return atom


def has(code: str) -> Json:
    return at("qualifications", "has", code)


def clean(*, abnormal: bool = True) -> list[Json]:
    """不在失信名单（及经营异常名录）: most Fujian funds exclude both."""
    atoms = [at("flags", "not_has", "dishonest")]
    if abnormal:
        atoms.append(at("flags", "not_has", "abnormal_operation"))
    return atoms


def within(name: str, *codes: str) -> Json:
    if len(codes) == 1:
        return at(name, "within", codes[0])
    return {"any": [at(name, "within", c) for c in codes]}


def check(text: str) -> Json:
    return {"check": text}


def all_of(*parts: Json) -> Json:
    return {"all": list(parts)}


INDUSTRY = ("B", "C", "D")
SHOES_APPAREL = ("195", "181", "182")
TRADE = ("51", "52", "61", "62")
FOOD = ("13", "14", "15")

COMMITMENTS = [
    "所填报信息和提交材料真实、准确、完整，如有虚假愿退回全部资金并承担相应法律责任",
    "本企业未被列入严重失信主体名单，近三年无重大违法违规行为",
    "同一项目未重复享受本级其他同类财政资金支持",
]


@dataclass
class ItemSpec:
    code: str
    title: str
    mode: str
    clause_path: str
    clause_text: str
    summary: str
    target: str
    conditions: Json
    reward: Json
    support_type: str = "award"
    window: str = "open"  # open | closing | closed | none (免申报/常年受理)
    status: str = "published"  # draft | reviewed | published | expired
    materials: list[str] = field(default_factory=list)
    inputs: list[Json] = field(default_factory=list)
    budget: int | None = None
    per_enterprise_cap: int | None = None
    exclusive_group: str = ""
    tags: list[str] = field(default_factory=list)
    dept_kind: str = ""  # defaults to the document's
    expert_review: bool = False


@dataclass
class DocumentSpec:
    key: str
    title: str
    doc_number: str
    issuer: str
    dept_kind: str
    level: str
    region: str
    issued_on: date
    effective_from: date
    effective_to: date
    contact: str
    contact_phone: str
    items: list[ItemSpec]


def _inp(name: str, label: str, unit: str = "元") -> Json:
    return {"name": name, "label": label, "unit": unit}


AUTO_MATERIALS = ["无需提交材料：依据统计、税务、科技等部门共享数据自动核定，名单公示无异议后直接拨付"]


def documents() -> list[DocumentSpec]:
    """Every demo document with its items (48 items in 17 documents, city and county level)."""
    return [
        DocumentSpec(
            "qz-gx-2026-3", "泉州市工业和信息化局 泉州市财政局关于印发促进工业稳增长提质效若干措施的通知",
            "泉工信规〔2026〕3号", "泉州市工业和信息化局、泉州市财政局", "工信", "city", "350500",
            date(2026, 2, 20), date(2026, 3, 1), date(2027, 12, 31), "市工信局运行监测协调科 陈科长", "0595-22500301",
            [
                ItemSpec(
                    "qz-gy-zczx", "规上工业企业增产增效奖励", "免申即享", "第二条",
                    "二、支持规上工业企业增产增效。对上年度营业收入5000万元以上、营业收入增长10%以上的规模以上工业企业，"
                    "按增速分档给予奖励：增长30%以上且营业收入2亿元以上的奖励50万元；增长20%以上的奖励30万元；其余奖励10万元。"
                    "本条实行免申即享，由市工信局会同市统计局依据统计数据核定名单，公示无异议后直接拨付。",
                    "规上工业企业上年营收增长10%以上，按增速分档奖励10万—50万元，免申即享。",
                    "泉州市辖区内规模以上工业企业",
                    all_of(within("industry", *INDUSTRY), has("above_scale"), at("revenue", ">=", 5000 * W),
                           at("revenue_growth", ">=", 0.1), *clean()),
                    {"tiers": [
                        {"when": all_of(at("revenue_growth", ">=", 0.3), at("revenue", ">=", 20000 * W)),
                         "then": {"fixed": 50 * W}},
                        {"when": at("revenue_growth", ">=", 0.2), "then": {"fixed": 30 * W}},
                        {"when": {"always": True}, "then": {"fixed": 10 * W}},
                    ]},
                    window="none", materials=AUTO_MATERIALS, budget=8000 * W, per_enterprise_cap=50 * W,
                    exclusive_group="qz-zczx", tags=["增产增效", "规上工业"],
                ),
                ItemSpec(
                    "qz-gy-xsg", "小微工业企业首次升规奖励", "即申即享", "第三条",
                    "三、鼓励小微企业升规纳统。对上年度首次纳入规模以上工业统计的企业，给予一次性奖励10万元；"
                    "其中属于国家高新技术企业的，再给予5万元奖励。企业在线申请、签署承诺后即时受理，统计部门纳统信息由系统核验。",
                    "首次纳入规上工业统计的企业一次性奖励10万元，高新技术企业再奖5万元。",
                    "上年度首次纳入规模以上工业统计的企业",
                    all_of(within("industry", *INDUSTRY), has("above_scale"), at("scale", "in", ["small", "micro"]),
                           check("上年度首次纳入规模以上工业企业统计"), *clean()),
                    {"sum": [{"fixed": 10 * W}, {"tiers": [{"when": has("hnte"), "then": {"fixed": 5 * W}}]}]},
                    window="open", materials=["营业执照（系统核验）", "纳统证明（统计部门共享，无需上传）"],
                    budget=2000 * W, per_enterprise_cap=15 * W, tags=["小升规"],
                ),
                ItemSpec(
                    "qz-gy-jg", "工业企业技术改造设备投资补助", "申报审核", "第四条",
                    "四、支持企业技术改造。对规模以上工业企业实施的技术改造项目，设备投资额500万元以上的，"
                    "按设备投资额（不含税）的10%给予补助，单个项目最高500万元。项目须已在投资主管部门备案，且于2025年1月1日后开工建设。",
                    "规上工业企业技改设备投资500万元以上，按10%补助，最高500万元。",
                    "实施技术改造项目的规模以上工业企业",
                    all_of(within("industry", *INDUSTRY), has("above_scale"),
                           at("input.equipment_investment", ">=", 500 * W),
                           check("项目已在投资主管部门备案，且于2025年1月1日后开工建设"), *clean()),
                    {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 500 * W},
                    support_type="subsidy", window="closing", expert_review=True,
                    materials=["项目备案（核准）文件", "设备购置合同及发票清单", "项目竣工或设备安装验收报告",
                               "第三方审计报告"],
                    inputs=[_inp("equipment_investment", "设备投资额（不含税）")],
                    budget=12000 * W, per_enterprise_cap=500 * W, exclusive_group="qz-jg", tags=["技术改造"],
                ),
                ItemSpec(
                    "qz-gy-zjtx", "专精特新企业梯度培育奖励", "免申即享", "第五条",
                    "五、支持专精特新发展。对有效期内的国家级专精特新“小巨人”企业给予50万元奖励，对省级专精特新中小企业给予20万元奖励，"
                    "同一企业按最高档给予，不重复奖励。本条实行免申即享。",
                    "小巨人企业奖励50万元、省级专精特新企业奖励20万元，就高不重复。",
                    "国家级专精特新“小巨人”企业、省级专精特新中小企业",
                    all_of({"any": [has("little_giant"), has("srdi")]}, *clean()),
                    {"tiers": [{"when": has("little_giant"), "then": {"fixed": 50 * W}},
                               {"when": has("srdi"), "then": {"fixed": 20 * W}}]},
                    window="none", materials=AUTO_MATERIALS, budget=3000 * W, per_enterprise_cap=50 * W,
                    exclusive_group="qz-zjtx", tags=["专精特新"],
                ),
                ItemSpec(
                    "qz-gy-szh", "中小企业数字化转型服务券", "即申即享", "第六条",
                    "六、推动中小企业数字化转型。中小工业企业购买数字化转型诊断和改造服务的，按服务合同金额的30%给予补助，"
                    "单家企业最高30万元；合同金额不足5万元的不予补助。",
                    "中小工业企业购买数字化改造服务，按合同额30%补助，最高30万元。",
                    "购买数字化转型服务的中小工业企业",
                    all_of(within("industry", *INDUSTRY), at("scale", "in", ["medium", "small", "micro"]),
                           at("input.digital_service_fee", ">=", 5 * W), *clean()),
                    {"rate": 0.3, "base": {"input": "digital_service_fee"}, "cap": 30 * W},
                    support_type="subsidy", window="open", status="draft",
                    materials=["数字化转型服务合同", "服务费支付凭证", "服务商出具的实施报告"],
                    inputs=[_inp("digital_service_fee", "数字化服务合同金额")],
                    budget=1500 * W, per_enterprise_cap=30 * W, tags=["数字化转型"],
                ),
            ],
        ),
        DocumentSpec(
            "qz-kj-2026-5", "泉州市人民政府关于进一步支持企业科技创新促进高质量发展的实施意见",
            "泉政文〔2026〕5号", "泉州市人民政府", "科技", "city", "350500",
            date(2026, 1, 15), date(2026, 1, 15), date(2028, 12, 31), "市科技局高新技术科 林科长", "0595-22500512",
            [
                ItemSpec(
                    "qz-kj-yffd", "企业研发经费分段补助", "免申即享", "第一条",
                    "一、支持企业加大研发投入。对上年度研发费用100万元以上的规上企业、高新技术企业，按上年度研发费用的5%给予补助，"
                    "单家企业最高200万元。补助依据税务部门研发费用加计扣除数据核定，免于申报。",
                    "规上企业、高企上年研发费用100万元以上，按5%补助，最高200万元。",
                    "规模以上企业、国家高新技术企业",
                    all_of({"any": [has("above_scale"), has("hnte")]}, at("rd_expense", ">=", 100 * W), *clean()),
                    {"rate": 0.05, "base": {"field": "rd_expense"}, "cap": 200 * W},
                    support_type="subsidy", window="none", materials=AUTO_MATERIALS, budget=10000 * W,
                    per_enterprise_cap=200 * W, exclusive_group="qz-rd", tags=["研发投入"],
                ),
                ItemSpec(
                    "qz-kj-gq", "高新技术企业首次认定奖励", "申报审核", "第二条",
                    "二、对首次认定的国家高新技术企业给予20万元奖励；其中上年度营业收入2000万元（含）以上的，给予30万元奖励。"
                    "市、县两级按1:1比例分担。",
                    "首次认定的高企奖励20万元，上年营收2000万元以上的奖励30万元。",
                    "本年度首次通过认定的国家高新技术企业",
                    all_of(has("hnte"), check("本年度首次通过国家高新技术企业认定"), *clean(abnormal=False)),
                    {"tiers": [{"when": at("revenue", ">=", 2000 * W), "then": {"fixed": 30 * W}},
                               {"when": {"always": True}, "then": {"fixed": 20 * W}}]},
                    window="open", materials=["高新技术企业证书", "上年度财务审计报告"],
                    budget=3000 * W, per_enterprise_cap=30 * W, exclusive_group="qz-hnte", tags=["高新技术企业"],
                ),
                ItemSpec(
                    "qz-kj-kjxzx", "科技型中小企业首次入库奖励", "即申即享", "第三条",
                    "三、对首次评价入库的科技型中小企业，给予一次性奖励2万元。企业在线申请并承诺后即时兑现。",
                    "首次入库的科技型中小企业一次性奖励2万元。",
                    "本年度首次入库的科技型中小企业",
                    all_of(has("tsme"), check("本年度首次入库科技型中小企业"), *clean()),
                    {"fixed": 2 * W}, window="open", materials=["科技型中小企业入库登记编号（系统核验）"],
                    budget=600 * W, per_enterprise_cap=2 * W, tags=["科技型中小企业"],
                ),
                ItemSpec(
                    "qz-kj-cxq", "科技创新券后补助", "申报审核", "第四条",
                    "四、对企业开展科研活动购买本市高校、科技创新平台等机构科技服务的费用，按其实际发生额的30%予以后补助，"
                    "每家企业每年最高补助50万元。",
                    "购买本市科技服务的费用按30%后补助，每年最高50万元。",
                    "在泉州市注册、购买科技服务的企业",
                    all_of(within("region", "350500"), check("购买本市高校、科技创新平台等机构科技服务"), *clean()),
                    {"rate": 0.3, "base": {"input": "tech_service_fee"}, "cap": 50 * W},
                    support_type="subsidy", window="closed",
                    materials=["科技服务合同", "服务费发票及支付凭证", "服务成果证明"],
                    inputs=[_inp("tech_service_fee", "科技服务实际发生额")],
                    budget=2000 * W, per_enterprise_cap=50 * W, tags=["创新券"],
                ),
            ],
        ),
        DocumentSpec(
            "jj-xf-2026-2", "晋江市人民政府关于印发促进鞋服产业高质量发展若干措施的通知",
            "晋政规〔2026〕2号", "晋江市人民政府", "工信", "county", "350582",
            date(2026, 3, 10), date(2026, 3, 10), date(2027, 12, 31), "晋江市工信局产业科 许科长", "0595-85600102",
            [
                ItemSpec(
                    "jj-xf-znh", "鞋服企业智能化改造补助", "即申即享", "第一条",
                    "一、支持鞋服企业智能化改造。对鞋服企业购置智能化生产设备，设备投资额200万元以上的，按设备投资额的12%给予补助，"
                    "单家企业最高300万元。与市级技术改造补助不重复享受，就高执行。",
                    "鞋服企业智能化设备投资200万元以上按12%补助，最高300万元，与市级技改补助就高不重复。",
                    "在晋江市注册的鞋服制造企业",
                    all_of(within("industry", *SHOES_APPAREL), at("input.equipment_investment", ">=", 200 * W), *clean()),
                    {"rate": 0.12, "base": {"input": "equipment_investment"}, "cap": 300 * W},
                    support_type="subsidy", window="open",
                    materials=["设备购置发票清单", "设备安装照片及清单"],
                    inputs=[_inp("equipment_investment", "智能化设备投资额（不含税）")],
                    budget=5000 * W, per_enterprise_cap=300 * W, exclusive_group="qz-jg", tags=["技术改造", "鞋服"],
                ),
                ItemSpec(
                    "jj-xf-zczx", "规上鞋服企业增产奖励", "免申即享", "第二条",
                    "二、对上年度营业收入增长15%以上的规上鞋服企业给予奖励：营业收入2亿元以上的奖励40万元，"
                    "5000万元以上的奖励20万元，其余奖励10万元。与市级增产增效奖励就高不重复。",
                    "规上鞋服企业营收增长15%以上，分档奖励10万—40万元。",
                    "晋江市规模以上鞋服企业",
                    all_of(within("industry", *SHOES_APPAREL), has("above_scale"), at("revenue_growth", ">=", 0.15),
                           *clean()),
                    {"tiers": [{"when": at("revenue", ">=", 20000 * W), "then": {"fixed": 40 * W}},
                               {"when": at("revenue", ">=", 5000 * W), "then": {"fixed": 20 * W}},
                               {"when": {"always": True}, "then": {"fixed": 10 * W}}]},
                    window="none", materials=AUTO_MATERIALS, budget=3000 * W, per_enterprise_cap=40 * W,
                    exclusive_group="qz-zczx", tags=["增产增效", "鞋服"],
                ),
                ItemSpec(
                    "jj-xf-pp", "自主品牌出口奖励", "申报审核", "第三条",
                    "三、对上年度出口额1000万元以上、以自主品牌出口的鞋服企业，按出口额的0.5%给予奖励，单家最高100万元。",
                    "自主品牌出口额1000万元以上的按0.5%奖励，最高100万元。",
                    "以自主品牌出口的鞋服企业",
                    all_of(within("industry", *SHOES_APPAREL), at("export_value", ">=", 1000 * W),
                           check("以自主品牌出口"), *clean()),
                    {"rate": 0.005, "base": {"field": "export_value"}, "cap": 100 * W},
                    window="closing", materials=["商标注册证", "海关出口报关单汇总表"],
                    budget=1500 * W, per_enterprise_cap=100 * W, tags=["外贸", "品牌"],
                ),
                ItemSpec(
                    "jj-xf-zl", "发明专利授权奖励", "即申即享", "第四条",
                    "四、对本年度新获授权发明专利的企业，每件奖励5000元，单家企业每年最高10万元。",
                    "新获授权发明专利每件奖励5000元，每年最高10万元。",
                    "晋江市本年度新获发明专利授权的企业",
                    all_of(at("input.new_invention_patents", ">=", 1), *clean(abnormal=False)),
                    {"per_unit": 5000, "base": {"input": "new_invention_patents"}, "cap": 10 * W},
                    window="open", status="reviewed", materials=["发明专利证书"],
                    inputs=[_inp("new_invention_patents", "本年度新获授权发明专利", "件")],
                    budget=300 * W, per_enterprise_cap=10 * W, tags=["知识产权"],
                ),
            ],
        ),
        DocumentSpec(
            "fz-gx-2026-12", "福州市工业和信息化局 福州市财政局关于印发2026年工业企业技术改造设备投资补助专项申报指南的通知",
            "榕工信行规〔2026〕12号", "福州市工业和信息化局、福州市财政局", "工信", "city", "350100",
            date(2026, 9, 1), date(2026, 9, 1), date(2026, 12, 31), "市工信局投资与技术改造处 黄处长", "0591-83300612",
            [
                ItemSpec(
                    "fz-jg-sb", "工业企业技术改造设备投资补助", "申报审核", "一、1.",
                    "1.在本行政区域内依法生产经营的工业和有关信息化企业实施的技术改造项目，列入2025年福建省重点技术改造项目名单、"
                    "设备投资1000万元以上的，按设备投资额的8%给予补助，单个项目最高1000万元。",
                    "列入省重点技改名单的项目，设备投资1000万元以上按8%补助，最高1000万元。",
                    "福州市工业和有关信息化企业",
                    all_of(within("region", "350100"), within("industry", "B", "C", "D", "I"),
                           at("input.equipment_investment", ">=", 1000 * W),
                           check("项目列入2025年福建省重点技术改造项目名单"),
                           check("项目投资已按规定纳入技术改造投资统计"), *clean()),
                    {"rate": 0.08, "base": {"input": "equipment_investment"}, "cap": 1000 * W},
                    support_type="subsidy", window="open", expert_review=True,
                    materials=["项目备案文件", "设备购置合同、发票及付款凭证", "技术改造投资统计证明", "专项审计报告"],
                    inputs=[_inp("equipment_investment", "设备投资额（不含税）")],
                    budget=20000 * W, per_enterprise_cap=1000 * W, exclusive_group="fz-jg", tags=["技术改造"],
                ),
                ItemSpec(
                    "fz-jg-lt", "省级工业龙头企业技改奖励", "申报审核", "一、3.",
                    "3.列入省工信厅发布的省级工业龙头企业名单的企业，设备投资2000万元以上的，按设备投资额的10%给予补助，最高1500万元，"
                    "与本指南第1项不重复享受。",
                    "省级工业龙头企业设备投资2000万元以上按10%补助，最高1500万元。",
                    "福州市省级工业龙头企业",
                    all_of(has("industrial_leader_prov"), at("input.equipment_investment", ">=", 2000 * W), *clean()),
                    {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 1500 * W},
                    support_type="subsidy", window="open",
                    materials=["项目备案文件", "设备购置合同、发票及付款凭证", "专项审计报告"],
                    inputs=[_inp("equipment_investment", "设备投资额（不含税）")],
                    budget=10000 * W, per_enterprise_cap=1500 * W, exclusive_group="fz-jg", tags=["技术改造", "龙头企业"],
                ),
                ItemSpec(
                    "fz-xjr-pt", "专精特新“小巨人”企业市级配套奖励", "免申即享", "二、",
                    "二、对有效期内的国家级专精特新“小巨人”企业，参照省级奖励标准按1:0.5给予配套，即市级财政奖励25万元，免于申报。",
                    "小巨人企业市级配套奖励25万元，免申即享。",
                    "福州市国家级专精特新“小巨人”企业",
                    all_of(within("region", "350100"), has("little_giant"), *clean()),
                    {"fixed": 25 * W}, window="none", materials=AUTO_MATERIALS, budget=1000 * W,
                    per_enterprise_cap=25 * W, tags=["专精特新"],
                ),
            ],
        ),
        DocumentSpec(
            "fz-rs-2026-4", "福州市人力资源和社会保障局 福州市财政局关于进一步稳就业促发展若干措施的通知",
            "榕人社规〔2026〕4号", "福州市人力资源和社会保障局、福州市财政局", "人社", "city", "350100",
            date(2026, 4, 8), date(2026, 4, 8), date(2027, 3, 31), "市人社局就业促进处 郑科长", "0591-87600404",
            [
                ItemSpec(
                    "fz-rs-wgfh", "失业保险稳岗返还", "免申即享", "第一条",
                    "一、对不裁员或少裁员的参保企业实施失业保险稳岗返还：中小微企业按上年度参保职工人均失业保险费的60%返还，"
                    "大型企业按30%返还（按人均300元核算）。通过大数据比对直接发放，企业无需申报。",
                    "参保企业按参保人数返还失业保险费，中小微企业每人180元、大型企业每人90元。",
                    "福州市依法参加失业保险的企业",
                    all_of(at("insured_employees", ">=", 1), *clean()),
                    {"tiers": [{"when": at("scale", "==", "large"),
                                "then": {"per_unit": 90, "base": {"field": "insured_employees"}}},
                               {"when": {"always": True},
                                "then": {"per_unit": 180, "base": {"field": "insured_employees"}}}]},
                    support_type="subsidy", window="none", materials=AUTO_MATERIALS, budget=30000 * W,
                    per_enterprise_cap=300 * W, tags=["稳岗", "就业"],
                ),
                ItemSpec(
                    "fz-rs-kg", "一次性扩岗补助", "即申即享", "第二条",
                    "二、企业招用毕业年度或离校2年内未就业高校毕业生，签订1年以上劳动合同并按月足额缴纳社会保险的，"
                    "按每人1500元发放一次性扩岗补助，单家企业最高15万元。与吸纳就业补贴不重复享受。",
                    "招用高校毕业生每人补助1500元，最高15万元。",
                    "招用高校毕业生的福州市企业",
                    all_of(at("input.new_graduates_hired", ">=", 1),
                           check("招用毕业年度或离校2年内未就业高校毕业生，签订1年以上劳动合同并按月足额缴纳社会保险"),
                           *clean()),
                    {"per_unit": 1500, "base": {"input": "new_graduates_hired"}, "cap": 15 * W},
                    support_type="subsidy", window="open", materials=["新招用人员花名册（系统比对社保数据）"],
                    inputs=[_inp("new_graduates_hired", "新招用高校毕业生人数", "人")],
                    budget=5000 * W, per_enterprise_cap=15 * W, exclusive_group="fz-jiuye", tags=["就业"],
                ),
                ItemSpec(
                    "fz-rs-xnjy", "小微企业吸纳就业补贴", "即申即享", "第三条",
                    "三、小微企业新增参保职工并签订1年以上劳动合同的，按每人2000元给予吸纳就业补贴，单家企业最高20万元。",
                    "小微企业每新增1名参保职工补贴2000元，最高20万元。",
                    "福州市小型、微型企业",
                    all_of(at("scale", "in", ["small", "micro"]), at("input.new_insured_employees", ">=", 1), *clean()),
                    {"per_unit": 2000, "base": {"input": "new_insured_employees"}, "cap": 20 * W},
                    support_type="subsidy", window="closing", materials=["新增参保人员名单（系统比对社保数据）", "劳动合同"],
                    inputs=[_inp("new_insured_employees", "本年度新增参保职工人数", "人")],
                    budget=3000 * W, per_enterprise_cap=20 * W, exclusive_group="fz-jiuye", tags=["就业"],
                ),
            ],
        ),
        DocumentSpec(
            "xm-kj-2026-1", "厦门市关于支持企业加强研发活动加大研发投入的若干措施",
            "厦科规〔2026〕1号", "厦门市科学技术局、厦门市财政局", "科技", "city", "350200",
            date(2026, 2, 1), date(2026, 2, 1), date(2028, 1, 31), "市科技局创新发展处 吴科长", "0592-50200101",
            [
                ItemSpec(
                    "xm-kj-yfzl", "企业研发费用增量补助", "申报审核", "一",
                    "一、对年度营业收入2000万元及以上、年度自主研发费用高于200万元的企业，对其自主研发费用的增量部分每满100万元"
                    "给予10万元补助，最高补助500万元。",
                    "营收2000万元以上、研发费用超200万元的企业，研发增量每满100万元补助10万元，最高500万元。",
                    "厦门市研发投入较大的企业",
                    all_of(at("revenue", ">=", 2000 * W), at("rd_expense", ">", 200 * W), *clean()),
                    {"per_unit": 10 * W, "base": {"input": "rd_expense_increment_full_1m_units"}, "cap": 500 * W},
                    support_type="subsidy", window="open", expert_review=True,
                    materials=["研发费用专项审计报告", "研发项目立项材料"],
                    inputs=[_inp("rd_expense_increment_full_1m_units", "研发费用增量（每满100万元计1份）", "份")],
                    budget=15000 * W, per_enterprise_cap=500 * W, exclusive_group="xm-rd", tags=["研发投入"],
                ),
                ItemSpec(
                    "xm-kj-gq", "国家高新技术企业认定奖励", "申报审核", "二",
                    "二、对年度首次认定及重新认定通过的国家高新技术企业，给予10万元奖励；其中，对年度首次认定通过且上一年度营收"
                    "2000万元（含）以上的，叠加后给予35万元奖励；对年度重新认定通过且上一年度营收2000万元（含）以上的，叠加后给予25万元奖励。",
                    "高企认定奖励10万元，营收2000万元以上的首次认定35万元、重新认定25万元。",
                    "年度首次认定或重新认定的国家高新技术企业",
                    all_of(has("hnte"), check("年度首次认定或重新认定通过国家高新技术企业")),
                    {"tiers": [
                        {"when": all_of(check("年度首次认定通过"), at("revenue", ">=", 2000 * W)), "then": {"fixed": 35 * W}},
                        {"when": all_of(check("年度重新认定通过"), at("revenue", ">=", 2000 * W)), "then": {"fixed": 25 * W}},
                        {"when": {"always": True}, "then": {"fixed": 10 * W}},
                    ]},
                    window="open", materials=["高新技术企业证书", "上年度财务审计报告"], budget=4000 * W,
                    per_enterprise_cap=35 * W, tags=["高新技术企业"],
                ),
                ItemSpec(
                    "xm-kj-kjxzx", "科技型中小企业研发费用补助", "免申即享", "三",
                    "三、对入库的科技型中小企业，上年度研发费用50万元以上的，按研发费用的10%给予补助，最高50万元，"
                    "依据加计扣除数据核定，免于申报。与本措施第一条就高不重复。",
                    "入库科技型中小企业研发费用50万元以上按10%补助，最高50万元。",
                    "厦门市入库科技型中小企业",
                    all_of(has("tsme"), at("rd_expense", ">=", 50 * W), *clean()),
                    {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 50 * W},
                    support_type="subsidy", window="none", materials=AUTO_MATERIALS, budget=3000 * W,
                    per_enterprise_cap=50 * W, exclusive_group="xm-rd", tags=["研发投入", "科技型中小企业"],
                ),
            ],
        ),
        DocumentSpec(
            "xm-rj-2026-3", "厦门市人民政府关于促进软件和信息技术服务业高质量发展的若干措施",
            "厦府规〔2026〕3号", "厦门市人民政府", "工信", "city", "350200",
            date(2026, 5, 6), date(2026, 5, 6), date(2028, 5, 5), "市工信局软件与信息服务业处 蔡科长", "0592-50200233",
            [
                ItemSpec(
                    "xm-rj-xs", "新纳入规上软件企业奖励", "即申即享", "(一)",
                    "(一)加快新市场主体成长。对上年度新纳入规上软件业统计的企业，给予一次性奖励20万元。",
                    "新纳入规上软件业统计的企业一次性奖励20万元。",
                    "厦门市软件和信息技术服务业企业",
                    all_of(within("industry", "65"), within("region", "350200"), has("above_scale"),
                           check("上年度新纳入规上软件业统计")),
                    {"fixed": 20 * W}, window="open", materials=["纳统证明（统计部门共享）"], budget=1000 * W,
                    per_enterprise_cap=20 * W, tags=["软件", "升规"],
                ),
                ItemSpec(
                    "xm-rj-zz", "软件企业营收增长奖励", "免申即享", "(二)",
                    "(二)对上年度营业收入1000万元以上、增长20%以上的软件和信息技术服务业企业，按上年度营业收入的1%给予奖励，"
                    "最高200万元。",
                    "软件企业营收1000万元以上且增长20%以上，按营收1%奖励，最高200万元。",
                    "厦门市软件和信息技术服务业企业",
                    all_of(within("industry", "65"), at("revenue", ">=", 1000 * W), at("revenue_growth", ">=", 0.2),
                           *clean()),
                    {"rate": 0.01, "base": {"field": "revenue"}, "cap": 200 * W},
                    window="none", materials=AUTO_MATERIALS, budget=5000 * W, per_enterprise_cap=200 * W,
                    tags=["软件", "增产增效"],
                ),
            ],
        ),
        DocumentSpec(
            "sm-hz-2026-6", "厦门市思明区商务局关于印发《思明区促进会议展览业发展扶持措施》的通知",
            "思商务〔2026〕6号", "厦门市思明区商务局", "商务", "county", "350203",
            date(2026, 6, 18), date(2026, 7, 1), date(2028, 6, 30), "思明区商务局会展科 王科长", "0592-20300618",
            [
                ItemSpec(
                    "sm-hz-zl", "展览培育奖补", "申报审核", "第一条(一)",
                    "(一)展览培育 对实际展期不少于3天的经贸类专业展览，展览面积6000-8000平方米（不含8000平方米）、"
                    "8000-10000平方米（不含10000平方米）的，每届分别给予20万元、25万元奖补。",
                    "6000—10000平方米的经贸类专业展览每届奖补20万—25万元。",
                    "在思明区举办经贸类专业展览的办展企业",
                    all_of(check("经贸类专业展览"), at("input.exhibition_area_sqm", ">=", 6000),
                           at("input.exhibition_area_sqm", "<", 10000), at("input.exhibition_days", ">=", 3)),
                    {"tiers": [{"when": at("input.exhibition_area_sqm", ">=", 8000), "then": {"fixed": 25 * W}},
                               {"when": {"always": True}, "then": {"fixed": 20 * W}}]},
                    window="open", materials=["展会批准或备案文件", "场馆租赁合同及面积证明", "展会总结报告"],
                    inputs=[_inp("exhibition_area_sqm", "展览面积", "平方米"), _inp("exhibition_days", "实际展期", "天")],
                    budget=600 * W, per_enterprise_cap=25 * W, exclusive_group="sm-hz-zl", tags=["会展"],
                ),
                ItemSpec(
                    "sm-hz-gm", "展览规模奖励", "申报审核", "第一条(二)",
                    "(二)规模奖励 展览面积10000-60000平方米（不含60000平方米）的，每届给予基础奖补30万元，超过10000平方米的部分"
                    "每2000平方米奖补5万元。展览面积60000平方米及以上的，每10000平方米给予10万元奖补，封顶200万元。",
                    "万平方米以上展览基础奖补30万元并按面积递增，6万平方米以上每万平方米10万元，封顶200万元。",
                    "在思明区举办经贸类专业展览的办展企业",
                    all_of(check("经贸类专业展览"), at("input.exhibition_area_sqm", ">=", 10000),
                           at("input.exhibition_days", ">=", 3)),
                    {"tiers": [
                        {"when": at("input.exhibition_area_sqm", ">=", 60000),
                         "then": {"per_unit": 10 * W, "base": {"input": "exhibition_area_full_10000sqm_units"},
                                  "cap": 200 * W}},
                        {"when": {"always": True},
                         "then": {"sum": [{"fixed": 30 * W},
                                          {"per_unit": 5 * W,
                                           "base": {"input": "exhibition_area_above_10000sqm_full_2000sqm_units"}}]}},
                    ]},
                    window="open", materials=["展会批准或备案文件", "场馆租赁合同及面积证明", "展会总结报告"],
                    inputs=[_inp("exhibition_area_sqm", "展览面积", "平方米"), _inp("exhibition_days", "实际展期", "天"),
                            _inp("exhibition_area_full_10000sqm_units", "展览面积每满1万平方米的份数", "份"),
                            _inp("exhibition_area_above_10000sqm_full_2000sqm_units",
                                 "超过1万平方米部分每满2000平方米的份数", "份")],
                    budget=1500 * W, per_enterprise_cap=200 * W, exclusive_group="sm-hz-zl", tags=["会展"],
                ),
                ItemSpec(
                    "sm-hz-hy", "规模会议奖补", "申报审核", "第二条(一)",
                    "(一)规模会议 对会期1天及以上、参会人数达150人及以上、住宿间夜数200间夜及以上的境内会议，按会议场租及住宿费用的"
                    "20%给予奖补。单个项目奖补总额不超过住宿间夜数×150元，且不超过100万元。",
                    "规模会议按场租及住宿费20%奖补，不超过间夜数×150元，最高100万元。",
                    "在思明区举办境内会议的主办或承办企业",
                    all_of(check("境内会议"), at("input.meeting_days", ">=", 1), at("input.attendees", ">=", 150),
                           at("input.room_nights", ">=", 200)),
                    {"min": [{"rate": 0.2, "base": {"input": "venue_rent_and_lodging_cost"}},
                             {"per_unit": 150, "base": {"input": "room_nights"}}, {"fixed": 100 * W}]},
                    window="open", status="draft",
                    materials=["会议通知及日程", "酒店住宿清单", "场租及住宿发票"],
                    inputs=[_inp("meeting_days", "会期", "天"), _inp("attendees", "参会人数", "人"),
                            _inp("room_nights", "住宿间夜数", "间夜"),
                            _inp("venue_rent_and_lodging_cost", "会议场租及住宿费用")],
                    budget=800 * W, per_enterprise_cap=100 * W, tags=["会展"],
                ),
            ],
        ),
        DocumentSpec(
            "pt-gx-2026-21", "莆田市工业和信息化局 莆田市财政局关于印发惠企资金直达工业稳增长奖励实施细则的通知",
            "莆工信〔2026〕21号", "莆田市工业和信息化局、莆田市财政局", "工信", "city", "350300",
            date(2026, 3, 28), date(2026, 4, 1), date(2027, 12, 31), "市工信局运行科 郑科长", "0594-26900321",
            [
                ItemSpec(
                    "pt-gy-zczx", "规上工业企业稳增长奖励", "免申即享", "第二条",
                    "二、对上年度营业收入2000万元以上、增长8%以上的规上工业企业，营业收入5亿元以上的奖励50万元，1亿元以上的奖励20万元，"
                    "其余奖励8万元。资金通过惠企资金直达平台免申直达企业账户。",
                    "规上工业企业营收增长8%以上，按规模奖励8万—50万元，资金直达。",
                    "莆田市规模以上工业企业",
                    all_of(within("industry", *INDUSTRY), has("above_scale"), at("revenue", ">=", 2000 * W),
                           at("revenue_growth", ">=", 0.08), *clean()),
                    {"tiers": [{"when": at("revenue", ">=", 50000 * W), "then": {"fixed": 50 * W}},
                               {"when": at("revenue", ">=", 10000 * W), "then": {"fixed": 20 * W}},
                               {"when": {"always": True}, "then": {"fixed": 8 * W}}]},
                    window="none", materials=AUTO_MATERIALS, budget=5000 * W, per_enterprise_cap=50 * W,
                    tags=["增产增效"],
                ),
                ItemSpec(
                    "pt-gy-xsg", "小升规企业奖励", "即申即享", "第三条",
                    "三、对上年度首次纳入规上工业统计的企业，给予一次性奖励10万元。",
                    "首次纳入规上工业统计的企业奖励10万元。",
                    "莆田市上年度新纳统的规上工业企业",
                    all_of(within("industry", *INDUSTRY), has("above_scale"), check("上年度首次纳入规上工业统计"), *clean()),
                    {"fixed": 10 * W}, window="closing", materials=["纳统证明（统计部门共享）"], budget=1200 * W,
                    per_enterprise_cap=10 * W, tags=["小升规"],
                ),
                ItemSpec(
                    "pt-xf-jg", "鞋服工艺美术企业技改补助", "申报审核", "第四条",
                    "四、对鞋服、工艺美术企业设备投资300万元以上的技术改造项目，按设备投资额的10%给予补助，最高200万元。",
                    "鞋服、工艺美术企业技改设备投资300万元以上按10%补助，最高200万元。",
                    "莆田市鞋服、工艺美术企业",
                    all_of(within("industry", "195", "181", "182", "243"),
                           at("input.equipment_investment", ">=", 300 * W), *clean()),
                    {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 200 * W},
                    support_type="subsidy", window="open",
                    materials=["项目备案文件", "设备购置合同及发票", "项目验收报告"],
                    inputs=[_inp("equipment_investment", "设备投资额（不含税）")],
                    budget=2000 * W, per_enterprise_cap=200 * W, tags=["技术改造", "鞋服"],
                ),
                ItemSpec(
                    "pt-gy-zjtx", "专精特新企业奖励", "免申即享", "第五条",
                    "五、对有效期内的国家级专精特新“小巨人”企业奖励30万元，省级专精特新中小企业奖励10万元，就高不重复。",
                    "小巨人奖励30万元，省级专精特新奖励10万元。",
                    "莆田市专精特新企业",
                    all_of({"any": [has("little_giant"), has("srdi")]}, *clean()),
                    {"tiers": [{"when": has("little_giant"), "then": {"fixed": 30 * W}},
                               {"when": has("srdi"), "then": {"fixed": 10 * W}}]},
                    window="none", materials=AUTO_MATERIALS, budget=1000 * W, per_enterprise_cap=30 * W,
                    tags=["专精特新"],
                ),
            ],
        ),
        DocumentSpec(
            "zz-sw-2026-9", "漳州市商务局 漳州市财政局关于印发促进商贸业和外贸提质增效奖励办法的通知",
            "漳商务〔2026〕9号", "漳州市商务局、漳州市财政局", "商务", "city", "350600",
            date(2026, 4, 20), date(2026, 5, 1), date(2027, 12, 31), "市商务局市场运行科 苏科长", "0596-26800909",
            [
                ItemSpec(
                    "zz-sm-nt", "限上商贸企业首次纳统奖励", "即申即享", "第一条",
                    "一、对首次纳入统计的限上批发、零售、住宿、餐饮企业给予一次性奖励5万元。",
                    "首次纳统的限上商贸企业一次性奖励5万元。",
                    "漳州市首次纳统的限上商贸企业",
                    all_of(within("industry", *TRADE), check("首次纳入限额以上商贸业统计")),
                    {"fixed": 5 * W}, window="open", materials=["纳统证明（统计部门共享）"], budget=800 * W,
                    per_enterprise_cap=5 * W, tags=["商贸", "纳统"],
                ),
                ItemSpec(
                    "zz-sm-sl", "社零增量奖励", "申报审核", "第二条",
                    "二、对限上商贸企业年零售额增速达到一定标准的，按实际增量的1%给予奖励，单家年度最高20万元。其中，年零售额5000万元以上的"
                    "增速需达5%以上；2000万元以上5000万元以下的需达10%以上；2000万元以下的需达20%以上。",
                    "零售额增速达标的限上商贸企业按增量1%奖励，最高20万元。",
                    "漳州市限上商贸企业",
                    all_of(within("industry", *TRADE), check("限上商贸业企业"), {"any": [
                        all_of(at("input.annual_retail_sales", ">=", 5000 * W), at("input.retail_sales_growth", ">=", 0.05)),
                        all_of(at("input.annual_retail_sales", ">=", 2000 * W), at("input.annual_retail_sales", "<", 5000 * W),
                               at("input.retail_sales_growth", ">=", 0.1)),
                        all_of(at("input.annual_retail_sales", "<", 2000 * W), at("input.retail_sales_growth", ">=", 0.2)),
                    ]}),
                    {"rate": 0.01, "base": {"input": "retail_sales_increment"}, "cap": 20 * W},
                    window="closed", materials=["统计联网直报零售额数据截图", "增量计算说明"],
                    inputs=[_inp("annual_retail_sales", "年零售额"), _inp("retail_sales_growth", "零售额增速", "比例"),
                            _inp("retail_sales_increment", "零售额实际增量")],
                    budget=1500 * W, per_enterprise_cap=20 * W, tags=["商贸", "消费"],
                ),
                ItemSpec(
                    "zz-wm-ck", "外贸出口增量奖励", "即申即享", "第三条",
                    "三、对上年度有出口实绩、本年度出口增量100万元以上的企业，按出口增量的1%给予奖励，最高50万元。",
                    "出口增量100万元以上的按1%奖励，最高50万元。",
                    "漳州市有出口实绩的企业",
                    all_of(at("export_value", ">", 0), at("input.export_increment", ">=", 100 * W), *clean()),
                    {"rate": 0.01, "base": {"input": "export_increment"}, "cap": 50 * W},
                    window="open", materials=["海关出口数据（系统比对）"],
                    inputs=[_inp("export_increment", "本年度出口增量")], budget=2000 * W, per_enterprise_cap=50 * W,
                    tags=["外贸"],
                ),
                ItemSpec(
                    "zz-wm-xb", "出口信用保险保费补助", "即申即享", "第四条",
                    "四、对投保短期出口信用保险的企业，按实际缴纳保费的50%给予补助，单家企业最高30万元。",
                    "出口信用保险保费按50%补助，最高30万元。",
                    "漳州市投保出口信用保险的外贸企业",
                    all_of(at("export_value", ">", 0), at("input.export_credit_insurance_premium", ">", 0)),
                    {"rate": 0.5, "base": {"input": "export_credit_insurance_premium"}, "cap": 30 * W},
                    support_type="subsidy", window="open", status="reviewed", materials=["保单及保费缴纳凭证"],
                    inputs=[_inp("export_credit_insurance_premium", "实际缴纳出口信用保险保费")],
                    budget=600 * W, per_enterprise_cap=30 * W, tags=["外贸", "保险"],
                ),
            ],
        ),
        DocumentSpec(
            "nd-ld-2026-15", "宁德市人民政府关于促进锂电新能源产业链发展若干措施的通知",
            "宁政文〔2026〕15号", "宁德市人民政府", "工信", "city", "350900",
            date(2026, 5, 25), date(2026, 6, 1), date(2029, 5, 31), "市工信局新能源产业科 陈科长", "0593-28800515",
            [
                ItemSpec(
                    "nd-ld-sb", "锂电配套项目设备投资补助", "申报审核", "二",
                    "二、实施设备投资补助。总投资达5000万元以上的新建配套项目（含技改），在项目建设有效期内，由受益财政按其生产设备"
                    "购置金额（以完税发票为依据，不含税）的5%给予补助，单一企业最高限额2000万元。",
                    "总投资5000万元以上的锂电配套项目，按设备购置额5%补助，最高2000万元。",
                    "宁德市锂电新能源产业链配套企业",
                    all_of(check("新建锂电新能源产业链配套项目（含技改）"), at("input.project_investment", ">=", 5000 * W)),
                    {"rate": 0.05, "base": {"input": "production_equipment_purchase"}, "cap": 2000 * W},
                    support_type="subsidy", window="open", expert_review=True,
                    materials=["项目备案文件", "生产设备购置完税发票", "项目投资专项审计报告"],
                    inputs=[_inp("project_investment", "项目总投资"),
                            _inp("production_equipment_purchase", "生产设备购置金额（不含税）")],
                    budget=30000 * W, per_enterprise_cap=2000 * W, tags=["锂电新能源", "技术改造"],
                ),
                ItemSpec(
                    "nd-ld-dc", "项目达产达效奖励", "申报审核", "三",
                    "三、促进项目达产达效。从企业在本措施有效期内投产年度起，由受益财政连续5年按企业每年缴纳的增值税和企业所得税"
                    "构成地方留成部分的40%给予奖励。",
                    "投产后连续5年按地方留成税收的40%奖励。",
                    "宁德市锂电新能源产业链投产企业",
                    check("企业在本措施有效期内投产"),
                    {"rate": 0.4, "base": {"input": "local_retained_vat_and_cit_annual"}},
                    window="open", materials=["投产证明", "完税证明"],
                    inputs=[_inp("local_retained_vat_and_cit_annual", "年度增值税和企业所得税地方留成部分")],
                    budget=20000 * W, tags=["锂电新能源", "达产达效"],
                ),
                ItemSpec(
                    "nd-ld-yd", "锂电项目工业用地优惠", "申报审核", "一",
                    "一、实行工业用地优惠。入驻项目优先供地，其出让底价按不低于基准地价的70%执行。",
                    "入驻项目优先供地，出让底价按不低于基准地价的70%执行。",
                    "入驻宁德市的锂电新能源产业链项目",
                    check("入驻的锂电新能源产业链项目"),
                    {"none": "优先供地，出让底价按不低于基准地价的70%执行"},
                    support_type="service", window="none", materials=["项目投资协议", "用地申请"],
                    tags=["锂电新能源", "要素保障"],
                ),
            ],
        ),
        DocumentSpec(
            "sm-gx-2026-39", "三明市工业和信息化局 三明市财政局关于印发推动三明工业提质增效若干措施的通知",
            "明工信综〔2026〕39号", "三明市工业和信息化局、三明市财政局", "工信", "city", "350400",
            date(2026, 7, 4), date(2026, 7, 4), date(2028, 7, 3), "市工信局技术进步科 罗科长", "0598-82300739",
            [
                ItemSpec(
                    "sm-gy-jszx", "技术平台建设补助", "申报审核", "一、(一)",
                    "(一)支持搭建技术平台。对获评的省、市级工业企业技术中心，分别给予每家最高20万元、10万元一次性资金补助；"
                    "对获评的省级工业设计中心，给予每家最高10万元一次性资金补助。",
                    "省、市级技术中心最高补助20万元、10万元，省级工业设计中心最高10万元。",
                    "三明市获评技术中心、工业设计中心的企业",
                    {"any": [has("tech_center_prov"), has("tech_center_city"), has("industrial_design_center_prov")]},
                    {"sum": [
                        {"tiers": [{"when": has("tech_center_prov"), "then": {"up_to": 20 * W}},
                                   {"when": has("tech_center_city"), "then": {"up_to": 10 * W}}]},
                        {"tiers": [{"when": has("industrial_design_center_prov"), "then": {"up_to": 10 * W}}]},
                    ]},
                    support_type="subsidy", window="open", materials=["认定文件", "平台建设情况报告"],
                    budget=500 * W, per_enterprise_cap=30 * W, tags=["创新平台"],
                ),
                ItemSpec(
                    "sm-gy-zjtx", "专精特新梯度培育奖励", "免申即享", "一、(四)",
                    "(四)对有效期内的国家级专精特新“小巨人”企业、省级专精特新中小企业、创新型中小企业，分别给予50万元、15万元、5万元"
                    "奖励，就高不重复，免申即享。",
                    "小巨人50万元、省级专精特新15万元、创新型中小企业5万元，就高不重复。",
                    "三明市专精特新梯度培育企业",
                    all_of({"any": [has("little_giant"), has("srdi"), has("innovative_sme")]}, *clean()),
                    {"tiers": [{"when": has("little_giant"), "then": {"fixed": 50 * W}},
                               {"when": has("srdi"), "then": {"fixed": 15 * W}},
                               {"when": has("innovative_sme"), "then": {"fixed": 5 * W}}]},
                    window="none", materials=AUTO_MATERIALS, budget=1500 * W, per_enterprise_cap=50 * W,
                    tags=["专精特新"],
                ),
                ItemSpec(
                    "sm-gy-ds", "创新创业大赛办赛经费", "申报审核", "一、(三)",
                    "(三)营造创新创业良好氛围。支持举办“创响福建”创新创业大赛三明区域赛，每年给予办赛经费不高于25万元。",
                    "承办“创响福建”三明区域赛，每年办赛经费最高25万元。",
                    "承办“创响福建”大赛三明区域赛的单位",
                    check("举办“创响福建”创新创业大赛三明区域赛"),
                    {"up_to": 25 * W}, support_type="subsidy", window="closed",
                    materials=["办赛方案", "经费预算及决算"], budget=25 * W, per_enterprise_cap=25 * W, tags=["双创"],
                ),
            ],
        ),
        DocumentSpec(
            "np-gx-2026-7", "南平市工业和信息化局 南平市财政局关于支持绿色食品产业发展若干措施的通知",
            "南工信〔2026〕7号", "南平市工业和信息化局、南平市财政局", "工信", "city", "350700",
            date(2026, 3, 3), date(2026, 3, 3), date(2027, 12, 31), "市工信局消费品工业科 刘科长", "0599-88700307",
            [
                ItemSpec(
                    "np-sp-lssp", "绿色食品认证奖励", "即申即享", "第一条",
                    "一、对上年度新获绿色食品认证的食品生产企业，给予一次性奖励3万元。",
                    "新获绿色食品认证的食品企业奖励3万元。",
                    "南平市食品生产企业",
                    all_of(has("green_food_cert"), within("industry", *FOOD), check("上年度新获绿色食品认证")),
                    {"fixed": 3 * W}, window="open", materials=["绿色食品证书"], budget=300 * W,
                    per_enterprise_cap=3 * W, tags=["绿色食品"],
                ),
                ItemSpec(
                    "np-sp-zczx", "规上食品企业增产奖励", "免申即享", "第二条",
                    "二、对上年度营业收入增长10%以上的规上食品企业，营业收入1亿元以上的奖励20万元，其余奖励8万元。",
                    "规上食品企业营收增长10%以上，奖励8万—20万元。",
                    "南平市规模以上食品企业",
                    all_of(within("industry", *FOOD), has("above_scale"), at("revenue_growth", ">=", 0.1), *clean()),
                    {"tiers": [{"when": at("revenue", ">=", 10000 * W), "then": {"fixed": 20 * W}},
                               {"when": {"always": True}, "then": {"fixed": 8 * W}}]},
                    window="none", materials=AUTO_MATERIALS, budget=800 * W, per_enterprise_cap=20 * W,
                    tags=["增产增效", "绿色食品"],
                ),
            ],
        ),
        DocumentSpec(
            "ly-gx-2026-11", "龙岩市工业和信息化局关于推动机械装备产业高质量发展若干措施的通知",
            "龙工信〔2026〕11号", "龙岩市工业和信息化局", "工信", "city", "350800",
            date(2026, 6, 9), date(2026, 6, 9), date(2028, 6, 8), "市工信局装备工业科 邱科长", "0597-22300611",
            [
                ItemSpec(
                    "ly-jx-stt", "首台（套）重大技术装备奖励", "申报审核", "第三条",
                    "三、对产品列入省首台（套）重大技术装备目录的机械装备企业，给予最高100万元奖励。",
                    "列入省首台（套）目录的装备最高奖励100万元。",
                    "龙岩市机械装备制造企业",
                    all_of(within("industry", "34", "35"), check("产品列入福建省首台（套）重大技术装备目录")),
                    {"up_to": 100 * W}, window="open", expert_review=True,
                    materials=["首台（套）认定文件", "产品销售合同及发票"], budget=1000 * W, per_enterprise_cap=100 * W,
                    tags=["首台套", "装备制造"],
                ),
                ItemSpec(
                    "ly-jx-szh", "智能化改造诊断服务补助", "即申即享", "第四条",
                    "四、对工业企业购买智能化改造诊断服务的，按服务费的50%给予补助，最高10万元。",
                    "智能化改造诊断服务费按50%补助，最高10万元。",
                    "龙岩市工业企业",
                    all_of(within("industry", "C"), at("input.diagnosis_service_fee", ">=", 1 * W)),
                    {"rate": 0.5, "base": {"input": "diagnosis_service_fee"}, "cap": 10 * W},
                    support_type="subsidy", window="open", status="reviewed", materials=["诊断服务合同", "诊断报告"],
                    inputs=[_inp("diagnosis_service_fee", "诊断服务费")], budget=200 * W, per_enterprise_cap=10 * W,
                    tags=["数字化转型"],
                ),
            ],
        ),
        DocumentSpec(
            "na-zb-2026-18", "南安市人民政府关于促进总部经济发展的若干措施",
            "南政文〔2026〕18号", "南安市人民政府", "商务", "county", "350583",
            date(2026, 4, 30), date(2026, 5, 1), date(2029, 4, 30), "南安市商务局 洪科长", "0595-86300418",
            [
                ItemSpec(
                    "na-zb-rd", "总部企业落户奖励", "申报审核", "第二条",
                    "二、在南安市注册设立并依法纳税、纳统的总部企业，年度缴纳入库税收2000万元以上的，按税收规模给予奖励："
                    "1亿元以上奖励300万元，5000万元以上奖励150万元，其余奖励50万元。",
                    "总部企业年纳税2000万元以上，分档奖励50万—300万元。",
                    "在南安市注册的总部企业",
                    all_of(within("region", "350583"), at("tax_paid", ">=", 2000 * W),
                           check("依法在南安市纳税、纳统的总部企业，具有实际办公场所")),
                    {"tiers": [{"when": at("tax_paid", ">=", 10000 * W), "then": {"fixed": 300 * W}},
                               {"when": at("tax_paid", ">=", 5000 * W), "then": {"fixed": 150 * W}},
                               {"when": {"always": True}, "then": {"fixed": 50 * W}}]},
                    window="open", materials=["总部企业认定申请表", "完税证明", "办公场所产权或租赁证明"],
                    budget=3000 * W, per_enterprise_cap=300 * W, tags=["总部经济"],
                ),
                ItemSpec(
                    "na-zb-bg", "总部企业办公用房补助", "申报审核", "第三条",
                    "三、经认定的总部企业租赁自用办公用房的，按年租金的30%给予补助，单家企业每年最高100万元。",
                    "总部企业办公用房租金按30%补助，每年最高100万元。",
                    "经认定的南安市总部企业",
                    check("经认定的总部企业租赁自用办公用房"),
                    {"rate": 0.3, "base": {"input": "office_rent"}, "cap": 100 * W},
                    support_type="subsidy", window="closing", materials=["租赁合同", "租金支付凭证"],
                    inputs=[_inp("office_rent", "年度办公用房租金")], budget=500 * W, per_enterprise_cap=100 * W,
                    tags=["总部经济"],
                ),
            ],
        ),
        DocumentSpec(
            "dh-tc-2026-4", "德化县人民政府关于支持陶瓷产业绿色转型的若干措施",
            "德政文〔2026〕4号", "德化县人民政府", "工信", "county", "350526",
            date(2026, 10, 15), date(2026, 11, 1), date(2028, 10, 31), "德化县工信局 曾科长", "0595-23500415",
            [
                ItemSpec(
                    "dh-tc-yl", "陶瓷企业窑炉节能改造补助", "即申即享", "第一条",
                    "一、对陶瓷企业实施燃气窑、电窑等节能窑炉改造的，按设备投资额的20%给予补助，单家企业最高50万元。",
                    "陶瓷企业节能窑炉改造按设备投资20%补助，最高50万元。",
                    "德化县陶瓷工艺品、日用陶瓷生产企业",
                    all_of(within("industry", "243", "307"), at("input.equipment_investment", ">=", 20 * W), *clean()),
                    {"rate": 0.2, "base": {"input": "equipment_investment"}, "cap": 50 * W},
                    support_type="subsidy", window="open", status="draft",
                    materials=["窑炉改造合同及发票", "节能评估报告"],
                    inputs=[_inp("equipment_investment", "窑炉改造设备投资额（不含税）")],
                    budget=800 * W, per_enterprise_cap=50 * W, tags=["陶瓷", "节能改造"],
                ),
                ItemSpec(
                    "dh-tc-zl", "陶瓷企业稳岗用工补贴", "免申即享", "第三条",
                    "三、对上年度参保职工20人以上的陶瓷企业，按参保职工每人200元给予稳岗用工补贴，最高10万元。",
                    "参保职工20人以上的陶瓷企业，每人补贴200元，最高10万元。",
                    "德化县陶瓷生产企业",
                    all_of(within("industry", "243", "307"), at("insured_employees", ">=", 20), *clean()),
                    {"per_unit": 200, "base": {"field": "insured_employees"}, "cap": 10 * W},
                    support_type="subsidy", window="none", materials=AUTO_MATERIALS, budget=300 * W,
                    per_enterprise_cap=10 * W, tags=["稳岗", "陶瓷"],
                ),
            ],
        ),
        DocumentSpec(
            "shs-rs-2026-2", "石狮市人力资源和社会保障局关于做好2026年企业招工用工服务的通知",
            "狮人社〔2026〕2号", "石狮市人力资源和社会保障局", "人社", "county", "350581",
            date(2026, 1, 20), date(2026, 2, 1), date(2026, 12, 31), "石狮市人社局就业科 施科长", "0595-88700212",
            [
                ItemSpec(
                    "shs-rs-yg", "企业新招员工稳岗补贴", "即申即享", "第二条",
                    "二、企业新招用员工并连续参保满3个月的，按每人1000元给予稳岗补贴，单家企业最高10万元。",
                    "新招员工连续参保满3个月，每人补贴1000元，最高10万元。",
                    "石狮市新招用员工的企业",
                    all_of(at("input.new_insured_employees", ">=", 1), check("新招用员工连续参保满3个月"), *clean()),
                    {"per_unit": 1000, "base": {"input": "new_insured_employees"}, "cap": 10 * W},
                    support_type="subsidy", window="closing", materials=["新招员工名单（系统比对社保数据）"],
                    inputs=[_inp("new_insured_employees", "新招用并连续参保满3个月的员工人数", "人")],
                    budget=600 * W, per_enterprise_cap=10 * W, tags=["就业", "稳岗"],
                ),
            ],
        ),
        DocumentSpec(
            "pt-sm-2024-95", "平潭综合实验区限上商贸业提质增效奖励办法",
            "岚综管办〔2024〕95号", "平潭综合实验区管委会办公室", "商务", "county", "350128",
            date(2024, 1, 10), date(2024, 1, 1), date(2025, 12, 31), "区经济发展局商贸科 林科长", "0591-86100195",
            [
                ItemSpec(
                    "pt-sm-nt", "限上商贸首次纳统奖励（2024—2025年）", "即申即享", "一、(一)",
                    "(一)首次纳统奖励。对首次纳入统计的限上商贸企业或个体工商户给予一次性奖励5万元。",
                    "首次纳统的限上商贸企业奖励5万元（办法已到期）。",
                    "平潭综合实验区限上商贸企业",
                    all_of(within("industry", *TRADE), check("首次纳入统计的限上商贸企业或个体工商户")),
                    {"fixed": 5 * W}, window="closed", status="expired", materials=["纳统证明"], budget=500 * W,
                    per_enterprise_cap=5 * W, tags=["商贸", "纳统"],
                ),
                ItemSpec(
                    "pt-sm-sl", "社零增量奖励（2024—2025年）", "申报审核", "二、",
                    "二、社零增量奖励。对限上商贸业年零售额增速达到一定标准的，按实际增量的1%给予奖励，单家年度奖励金额最高不超过20万元。",
                    "零售额增速达标的按增量1%奖励，最高20万元（办法已到期）。",
                    "平潭综合实验区限上商贸企业",
                    all_of(within("industry", *TRADE), at("input.retail_sales_growth", ">=", 0.05)),
                    {"rate": 0.01, "base": {"input": "retail_sales_increment"}, "cap": 20 * W},
                    window="closed", status="expired", materials=["零售额统计数据"],
                    inputs=[_inp("retail_sales_growth", "零售额增速", "比例"), _inp("retail_sales_increment", "零售额实际增量")],
                    budget=800 * W, per_enterprise_cap=20 * W, tags=["商贸"],
                ),
            ],
        ),
    ]


def window_for(kind: str, *, today: date, index: int) -> tuple[date | None, date | None]:
    """An application window relative to `today`, spread a little by `index` so that the list
    shows different days left."""
    spread = index % 5
    if kind == "open":
        return today - timedelta(days=20 + spread * 3), today + timedelta(days=25 + spread * 9)
    if kind == "closing":
        return today - timedelta(days=40 + spread), today + timedelta(days=2 + spread % 5)
    if kind == "closed":
        return today - timedelta(days=90 + spread), today - timedelta(days=10 + spread * 4)
    return None, None
