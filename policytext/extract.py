"""Draft conditions and rewards (RULES.md) from one clause of a policy document.

The extractor is rule based and deterministic. It reads the clause in three passes:

1. figures: every amount, ratio and count, each classified by its neighbours as a threshold
   (a comparator such as 以上/不低于/超过 next to it), a cap (最高/不超过 next to a reward word),
   a per-unit divisor (每满100万元) or a reward amount/rate;
2. conditions: thresholds with the field they measure, designations, industries, scale,
   ownership, regional requirements, and the rest of the subject phrase (对……的) as ``check``;
3. rewards: per sentence, figures become fixed / up_to / rate / per_unit / tiers (分别) items;
   the items of a clause are combined (sum, caps as ``cap`` or ``min``), and a clause without
   money but with a benefit (免征, 优先供地, 配套奖励 …) becomes ``none``.

Every element produced is recorded in ``Draft.spans`` with its character span in the clause
text as given (before normalisation).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from policytext import lexicon
from policytext.normalize import join_wrapped_words, map_span, normalize
from policytext.numbers import Figure, figures
from policytext.places import find_places
from policytext.segmenter import content_words, tokens
from rules.fields import declared_figure

JSON = Any

MODES = ("免申即享", "即申即享", "申报审核")

# A line break ends a sentence only after punctuation or before a blank line: PDF text breaks
# lines in the middle of sentences.
_SENT_END = re.compile(r"[。;；]|\n(?=\s*\n)|(?<=[:：])\n")
_CHUNK_END = re.compile(r"[,，:：。;；]|\n(?=\s*\n)")
_COST_SHARE = re.compile(r"((财政|[省市县区]级?)负担[^,，。;；]{0,10}\d|各按|财政各|\d+\s*[:：]\s*\d+\s*(的)?比例|比例(承担|分摊|分担)|%\s*(的比例)?(承担|分摊|分担))")
_PER_ENTERPRISE = re.compile(r"(每家|单家|每户|单户|单个企业|每个企业|单一企业|单个项目|每个项目|单户企业|年度内单个|单个机构|单家服务机构)")
_FORMULA_LIMIT = re.compile(
    r"(金额|奖励|补助|奖补|资助|额度)[^,，。;；\d]{0,6}(不超过|不高于|不得超过|以)(该企业|企业|其)?"
    r"(?P<what>[^,，。;；()（）\d]{2,20}?(贡献额|贡献|留成|税收|总额|缴纳额|纳税额))"
)
_REWARD_WORD = re.compile(r"(奖励|补助|奖补|资助|补贴|扶持|返还|抵扣|贴息|支持|兑现|配套|给予|经费|奖金)")
_CAP_BEFORE = re.compile(
    r"(最高|最多|上限|封顶|限额|不超过|不高于|不多于|总额不超过|最高不超过|最高为|最高可达|以内)"
    r"[^,，。;；\d]{0,10}$"
)
_CAP_STRONG = re.compile(r"(最高|最多|上限|封顶|限额)[^,，。;；\d]{0,8}$")
_REWARD_CONTEXT = re.compile(r"(奖励|补助|奖补|资助|补贴|额度|金额|给予|抵扣|兑付|扶持|奖金|贴息)")
_GE_AFTER = re.compile(r"^\s*(\((含|含本数)[^)]{0,8}\)\s*)?(及|或)?以上")
_GE_INCL = re.compile(r"^\s*\((含|含本数)[^)]{0,8}\)")
_LT_AFTER = re.compile(r"^\s*(\((不含|不包括)[^)]{0,8}\)\s*)?以下|^\s*\((不含|不包括)[^)]{0,8}\)")
_LE_AFTER = re.compile(r"^\s*(\(含[^)]{0,8}\)\s*)?及以下|^\s*\(含[^)]{0,8}\)\s*以下|^\s*以内")
_GT_BEFORE = re.compile(r"(?<!不)(超过|高于|大于|多于)\s*$")
# 最高可达500万元 is a ceiling on the money, not a threshold to reach
_GE_BEFORE = re.compile(r"(不低于|不少于|(?<!可)达到|(?<!可)达|满|至少|突破|迈上|站上|跨上)\s*$")
_LT_BEFORE = re.compile(r"(?<!不)(低于|少于|不足|小于)\s*$")
_LE_BEFORE = re.compile(r"(不超过|不高于|不多于)\s*$")
_PER_UNIT = re.compile(
    r"每\s*(新增|满|增加|同比增加|同比增长|引进|招用|招收|接收|录用|吸纳|成功入库|入库|带动)?\s*"
    r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+|(?=人|名|吨|千瓦时|间夜|辆|台|套|平方米|立方米|亩))\s*"
    r"(万美元|亿美元|美元|万元|亿元|元|平方米|立方米|亩|间夜|个|名|人|家|户|台|套|辆|吨|千瓦时|千瓦|项)"
)
_POOL_AFTER = re.compile(r"^[^,，。;；]{0,12}(专项资金|资金池|基金|专项)")
_LOAN_AFTER = re.compile(r"^\s*(的)?\s*(创业担保)?(贷款|授信|担保|融资)")
_INSTALMENT_BEFORE = re.compile(r"(分[一二三四五两\d]年|分期|已下达|本次下达)[^。;；]{0,12}$")
_EXTRA_BEFORE = re.compile(r"(再|另行|另|追加|额外|叠加(?!后))[^,，。;；]{0,10}$")
_DISBURSEMENT = re.compile(r"(已下达|本次下达|已拨付|本次拨付|下达资金)")
_BUDGET_BEFORE = re.compile(
    r"(资金总额|资金总量|总额度|资金规模|总规模|总盘子|安排[^,，。;；\d]{0,8}资金|设立[^,，。;；\d]{0,8}资金|专项资金)"
    r"[^,，。;；\d]{0,6}$"
)
_INSTALMENT_AFTER = r"^[^,，。;；]{0,6}(待|在|于)[^。;；]{0,20}(后|时)(兑现|拨付|发放)"
_PER_ITEM = re.compile(r"(?:按|给予|对)?\s*每(?:个|件|台|套|项|款|一个|一件)?(?P<noun>产品|项目|设备|品种|商标|专利|件|台|套|亩|款)(?!企业|单位)")
_ITEM_BASES = {"产品": "products_count", "款": "products_count", "项目": "projects_count",
               "设备": "equipment_units_count", "台": "equipment_units_count", "套": "equipment_units_count",
               "亩": "land_area_mu", "件": "items_count", "商标": "trademarks_count", "专利": "items_count",
               "品种": "varieties_count"}
_BECOMING_BEFORE = re.compile(r"(新增|转为|转型为|升为|晋升为?|成长为|培育为)[^,，。;；]{0,2}$")
# 新“升规”入库规模以上工业企业 / 新增入统规模以上企业: the year's newly registered cohort is an event
# even when a few words (quotes, 入库, 入统) stand between it and 规模以上. (首次纳入规模以上…统计
# keeps `has` beside its check, as the first dev set labels it.)
_ENTERING_BEFORE = re.compile(r"(新增|(新|首次)[“\"]?(升规|入统|纳统|入库|纳入|进入|列入)|转为|转型为|升为|晋升|成长为|培育为)"
                              r"[^,，。;；]{0,8}$")
_REVENUE_WORDS = r"(?:营业收入|营收|主营业务收入|销售收入)"
_AVERAGE_GROWTH = re.compile(
    r"(?:近|连续|前)?[一二两三四五\d]年[^,，。;；]{0,8}" + _REVENUE_WORDS
    + r"[^,，。;；]{0,4}年均(?:增长率|增速|增幅|增长)?\s*(?:为正|大于零|大于0|正增长|保持增长|实现正增长)")
_POSITIVE_GROWTH = re.compile(
    _REVENUE_WORDS + r"[^,，。;；\d]{0,6}(?:同比|较上年)?(?:保持|实现)?(?:正增长|增长率为正|增速为正|增幅为正)")
_ZERO_EXCLUDED = re.compile(
    r"(?P<what>研发费用|研发投入|营业收入|主营业务收入|纳税|税收|产值|出口额)[^,，。;；\d]{0,4}为\s*(?:零|0)"
    r"(?:元)?的[^。;；]{0,12}(?:不得|不予|不能|不)享受")
_NOT_A_BENEFIT = re.compile(
    r"(就高不重复|从高不重复|不重复享受|否则[^。;；]{0,8}(退还|退回|追回)|审议后|报[^。;；]{0,6}批准实施|"
    r"清单管理|目录清单|强化宣传|确保企业|(按照|按)(标准|规定)给予|申领)")
# Benefits the README labels `none`: money not quantified (给予补贴), fee and tax rate cuts,
# faster approvals, reserved procurement, 补发差额.
_UNQUANTIFIED = re.compile(
    r"(给予|予以|按照?[^,，。;；]{0,16})[^,，。;；\d]{0,10}(补贴|奖励|补助|奖补|资助|资金支持|贴息)|补发[^,，。;；]{0,4}差额")
_OTHER_BENEFIT = re.compile(
    r"((降低|下调|下浮)[^,，。;；]{0,12}费率|税率[^,，。;；]{0,6}调整为|审批效率|工作日内[^,，。;；]{0,4}(完成|办结)|"
    r"专门面向中小企业|预留[^,，。;；]{0,6}份额)")
# A new case after a comma inside a sentence: its own condition phrase (…的) and reward verb.
_NEW_CASE = re.compile(r"[,，]\s*(?:对|其中)?(?:[^,，。;；]{2,40}?的(?:企业|项目|单位|公司|机构)?|获[^,，。;；]{1,20}?企业|"
                       r"[^,，。;；\d“”]{0,18}?(?:“[^”,，。;；]{1,20}”[^,，。;；\d]{0,4}?)?(?:企业|项目|单位|国家级|省级|市级|区级|县级))[,，]?\s*"
                       r"(?=(?:给予|予以|奖励|补助|奖补|一次性|补贴|资助)[^,，。;；\d]{0,12}\d)")
_LEVEL_LIST = re.compile(
    r"(?P<levels>(?:国家级|国家|省级|省|市级|市|区级|县级)(?:(?:、|和|及|或)(?:国家级|国家|省级|省|市级|市|区级|县级))+)"
    r"(?P<kinds>[^,，。;；的]{2,40}?)(?=的|[,，]|分别|$)")
_ABOVE_AVERAGE = re.compile(
    r"[^,，。;；且]{0,12}(增速|增幅|增长率?)[^,，。;；]{0,4}(超过|高于|不低于)[^,，。;；]{0,16}(平均|预期)[^,，。;；]{0,6}")
_LISTED = re.compile(r"(?<!拟)(?<!推动)(?<!培育)(?<!辅导)(?:在)?(境内外|境内|境外)?(?:成功)?(?:首发)?上市(?!培育|辅导|后备|工作)")
# Sentences about what the government does (not what an enterprise must be): no conditions.
_GOVERNMENT_WORK = re.compile(
    r"(第一时间|定向推送|动态收集|优化[^,，。;；]{0,6}流程|建立[^,，。;；]{0,16}(机制|体系)|强化[^,，。;；]{0,4}监管|"
    r"特制定本|制定本(办法|措施|细则|实施细则|政策)|为(深入)?贯彻落实|结合[^,，。;；]{0,10}实际|"
    r"实行网上申报|分级审核|会商确认|适时兑现)")
_CUMULATIVE = re.compile(r"(可兼得|可叠加|叠加享受|同时享受|累计计算|分别计算)")
# Kinds of body a case is addressed to; a body is one kind, so cases for different kinds exclude
# each other.
_BENEFICIARY = re.compile(r"(事业单位|高等院校|高校|科研院所|医疗机构|社会组织|行业协会|个体工商户|企业)")
_DOUBLED_NATIONAL = re.compile(r"(列入|获评|认定为|获批)?国家级的?[^,，。;；\d]{0,6}(加倍|翻倍|双倍)")
# A later case that restates the benefit for a special group instead of adding to it.
_UPGRADE = re.compile(r"(叠加后|上限提高|提高至|提高到|提高为|加倍)")
_CROSS_CAP = re.compile(r"(该项|上述|以上|本条|此项)(奖励|补助|奖补|资助)[^。]{0,6}(最高|不超过|上限)")

_SUBJECT = re.compile(
    r"(?:^|(?<=[,，:：。;；\s)）.、]))(?:区财政|市财政|县财政)?对(?!其|此|于此|象)(?:于)?"
    r"(?P<s>[^。;；]{2,160}?)"
    r"(?=的[,，]|的企业[,，]|的项目[,，]|[,，]?(?:给予|予以|按照|按|分别|可|由|奖励|补助)|[。;；]|$)"
)
_HEADING_SENTENCE = re.compile(r"\s*[^,，。;；]{2,20}[。]")
_PURPOSE_CHUNK = re.compile(r"^(鼓励|支持|推动|加快|促进|推进|加大|围绕|为了|为|大力|积极|引导|提升)")
_REQUIREMENT = re.compile(r"(需|须|应当|应|要求|必须|符合|具有|具备|列入|纳入|不适用于|取得|开展|实施|"
                         r"适用于|对象为|单位为|履行|承诺|未发生|不存在|有健全|有规范|独立法人|持续纳统|满足)")
_EVENT = re.compile(r"(首次|新引进|新注册|新设立|新认定|重新认定|直接认定|新获评|新获批|年度获评|新列入|新进入|新达限|新增纳统|首次认定|"
                    r"纳入规上|新增规上|升规|入统|纳统|转为|转型为|新评定)")

# Events that make an enterprise something new (not the state of being it): a check apart.
_BECOMING = re.compile(r"(首次|新达限|新引进|新注册|新设立|新获|新认定|新升规|新入库|新增纳统|新纳入|转为|转型为|升为)")
_QUAL_LEVEL_LIST = re.compile(r"(国家|省|市|区|县)(?:、|和|及|或)(省|市|区|县)级")

_MODE_FREE = re.compile(r"(免申即享|非申即享|无需申请|无需申报|免予申报|免于申报|免申报)")
_MODE_INSTANT = re.compile(r"即申即享")
_MODE_REVIEW = re.compile(
    r"(申报|申请|评审|审核|经[^。;；,，]{0,20}批准|一事一议|评选|申办|审定|核准后)"
)

_SCALE_WORDS = re.compile(r"中小微企业|小微企业|中小企业|大型企业")


def _scale_values(word: str) -> list[str]:
    return {"大型企业": ["large"], "小微企业": ["small", "micro"]}.get(word, ["medium", "small", "micro"])


def _scale_atom(word: str) -> dict[str, JSON]:
    values = _scale_values(word)
    if len(values) == 1:
        return {"field": "scale", "op": "==", "value": values[0]}
    return {"field": "scale", "op": "in", "value": list(values)}


# a level named with 级, else as 国家 / a province's name (国家知识产权优势企业、福建省知识产权优势企业)
_LEVEL_GRADE = re.compile(r"(国家级|省级|市级|区级|县级)")


@lru_cache(maxsize=1)
def _level_name() -> re.Pattern[str]:
    """国家 or the short name of one of the mainland's 31 provincial units (GB/T 2260 via cnstd)."""
    from cnstd.regions import provinces, short_name

    names = [short_name(p.name) for p in provinces() if p.code[:2] not in ("71", "81", "82")]
    return re.compile(r"(国家(?!级)|(?:" + "|".join(map(re.escape, names)) + r")省?(?!级))")


def _level_of(phrase: str) -> str | None:
    grade = _LEVEL_GRADE.search(phrase)
    if grade is not None:
        return grade.group(0)
    name = _level_name().search(phrase)
    if name is None:
        return None
    return "国家级" if name.group(0) == "国家" else "省级"


_INDUSTRIAL = re.compile(r"(?<!重点)工业(?=企业|公司|统计|领域的|、|和有关)(?!企业技术中心|设计中心|企业技术)")


@dataclass
class ClauseContext:
    """What the document around a clause tells the extractor."""

    clause_id: str | None = None
    doc_title: str | None = None
    region_code: str | None = None
    headings: Sequence[str] = ()
    inherited_mode: str | None = None
    siblings: Sequence[str] = ()
    normalized: bool = False  # the text already went through policytext.normalize


@dataclass
class Span:
    element: str  # "atom" | "reward" | "mode" | "window" | "material" | "department"
    path: str
    start: int
    end: int


@dataclass
class Doubt:
    """How sure the extractor is of one drafted element, and why not more (Chinese, for the officer)."""

    path: str  # "conditions" / "reward" / "mode", or "conditions#k" for one atom
    label: str
    confidence: float  # 0..1; below LOW_CONFIDENCE the review page shows the element first, marked
    reasons: list[str] = field(default_factory=list)


LOW_CONFIDENCE = 0.6


@dataclass
class Draft:
    conditions: JSON | None = None
    reward: JSON | None = None
    mode: str | None = None
    window: dict[str, str] | None = None
    materials: list[str] = field(default_factory=list)
    reviewing_departments: list[str] = field(default_factory=list)
    paying_department: str | None = None
    spans: list[Span] = field(default_factory=list)
    proposed_qualifications: list[dict[str, str]] = field(default_factory=list)
    # A benefit the rules language cannot compute (一事一议, 综合发展指数): said, never guessed.
    unmodelled: str | None = None
    # input.* names drafted that the shared vocabulary (rules/data/declared_figures.csv) lacks
    unknown_inputs: list[str] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)  # lowest confidence first

    @property
    def confidence(self) -> float:
        """The least sure element decides how sure the draft is."""
        return min((d.confidence for d in self.doubts), default=1.0)

    def as_json(self) -> dict[str, JSON]:
        return {"conditions": to_json(self.conditions), "reward": to_json(self.reward),
                "mode": self.mode}


def to_json(node: JSON) -> JSON:
    """Decimals → JSON numbers (int when whole); money stays exact because values are short."""
    if isinstance(node, Decimal):
        return int(node) if node == node.to_integral_value() else float(str(node))
    if isinstance(node, dict):
        return {k: to_json(v) for k, v in node.items() if not k.startswith("_")}
    if isinstance(node, list):
        return [to_json(v) for v in node]
    return node


# --------------------------------------------------------------------------------------------
# Atoms with spans


@dataclass
class _Atom:
    node: dict[str, JSON]
    start: int
    end: int
    group: str = ""  # atoms of one group (industries, designations) combine with any
    fig_start: int = -1


@dataclass
class _Item:
    node: dict[str, JSON]
    start: int
    end: int
    sentence: int
    subject: tuple[int, int] | None = None
    capped: bool = False
    extra: bool = False  # introduced by 再/另行/追加: adds to the items before it
    limit: bool = False  # 不超过<formula>: bounds the item before it (min)
    seg_start: int = -1  # a case of its own inside a sentence: where its condition starts


class _Extractor:
    def __init__(self, text: str, context: ClauseContext,
                 catalogue: Mapping[str, Sequence[str]] | None) -> None:
        self.raw = text
        if context.normalized:
            self.text, self.index = join_wrapped_words(text)
        else:
            self.text, self.index = normalize(text, join_words=True)
        self.context = context
        self.figs = figures(self.text)
        self.catalogue = self._catalogue(catalogue)
        self.spans: list[Span] = []
        self.proposed: list[dict[str, str]] = []
        self.roles: dict[int, str] = {}
        self.fig_atom: dict[int, _Atom] = {}
        self.band_positions: set[int] = set()
        self.case_subjects: list[tuple[int, int]] = []
        self._boundaries: set[int] | None = None
        self.all_atoms: list[_Atom] = []
        self.ops: dict[int, str] = {}
        self.sentences = self._sentences()
        self.heading: tuple[int, int] = (0, 0)
        self.excluded = self._excluded_ranges()

    # -- helpers -------------------------------------------------------------------------
    def boundaries(self) -> set[int]:
        """Word boundaries (jieba), computed only when a keyword match needs checking."""
        if self._boundaries is None:
            self._boundaries = {0, len(self.text)}
            for _w, ws, we in tokens(self.text):
                self._boundaries.update((ws, we))
        return self._boundaries

    def _catalogue(self, extra: Mapping[str, Sequence[str]] | None) -> list[tuple[str, str]]:
        names: list[tuple[str, str]] = []
        for code, aliases in lexicon.QUALIFICATIONS.items():
            names.extend((a, code) for a in aliases)
        for code, (_name, aliases) in lexicon.PROPOSED.items():
            names.extend((a, code) for a in aliases)
        if extra:
            for extra_code, extra_aliases in extra.items():
                names.extend((a, extra_code) for a in extra_aliases)
        names.sort(key=lambda p: len(p[0]), reverse=True)
        return names

    def _sentences(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        pos = 0
        for m in _SENT_END.finditer(self.text):
            if m.end() - pos > 0:
                out.append((pos, m.end()))
            pos = m.end()
        if pos < len(self.text):
            out.append((pos, len(self.text)))
        return out

    def _sentence_of(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.sentences):
            if s <= pos < e:
                return i
        return len(self.sentences) - 1

    def _excluded_ranges(self) -> list[tuple[int, int]]:
        """A short first sentence is the clause's own heading; purpose chunks carry no terms."""
        out: list[tuple[int, int]] = []
        body = self.text
        m = re.match(r"\s*(第[^条]{1,4}条|[(（][^)）]{1,4}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])", body)
        start = m.end() if m else 0
        h = _HEADING_SENTENCE.match(body, start)
        if h and re.search(r"\d", h.group(0)) and _REWARD_WORD.search(h.group(0)):
            h = None  # 对新增规上企业给予5万元奖励。 is a whole short clause, not a heading
        if h:
            out.append((start, h.end()))
            self.heading = (start, h.end())
        for q in re.finditer(r"《[^》]{1,80}》|[\u4e00-\u9fff]{1,12}[〔\[(（]\d{4}[〕\])）]?\s*\d*号", body):
            out.append((q.start(), q.end()))
        for s, e in self.sentences:
            if re.search(r"(力争|目标任务|预期目标|[至到]\d{4}年底|覆盖率|左右)", body[s:e]) or _GOVERNMENT_WORK.search(body[s:e]):
                out.append((s, e))
        # 设立2000万元的专项基金,用于鼓励工业企业……: whom a programme's fund is for is no requirement
        for s, e in self.sentences:
            fund = re.search(r"(设立|安排|统筹|提取)[^。;；]{0,20}(基金|专项资金|资金池)[^。;；]*?用于", body[s:e])
            if fund:
                out.append((s + fund.end(), e))
        # purpose chunks (鼓励……做大做强) state aims, not requirements
        for cs, ce in self._chunks(0, len(body)):
            chunk = re.sub(r"^\s*[(（][^)）]{1,8}[)）]", "", body[cs:ce]).strip()
            if _PURPOSE_CHUNK.match(chunk) and not re.search(r"\d", chunk) and "对" not in chunk:
                out.append((cs, ce))
        return out

    def _chunks(self, s: int, e: int) -> list[tuple[int, int]]:
        out = []
        pos = s
        for m in _CHUNK_END.finditer(self.text, s, e):
            out.append((pos, m.start()))
            pos = m.end()
        if pos < e:
            out.append((pos, e))
        return out

    def _is_excluded(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.excluded)

    def _chunk_start(self, pos: int) -> int:
        cut = max(self.text.rfind(c, 0, pos) for c in ",，:：。;；")
        return cut + 1

    def _chunk_end(self, pos: int) -> int:
        m = _CHUNK_END.search(self.text, pos)
        return m.start() if m else len(self.text)

    def span(self, element: str, path: str, start: int, end: int) -> None:
        o_start, o_end = map_span(self.index, start, end, len(self.raw))
        self.spans.append(Span(element, path, o_start, o_end))

    def ref(self, start: int, end: int) -> dict[str, JSON] | None:
        if not self.context.clause_id:
            return None
        o_start, o_end = map_span(self.index, start, end, len(self.raw))
        return {"clause": self.context.clause_id, "start": o_start, "end": o_end}

    # -- figure roles ------------------------------------------------------------------------
    def classify(self) -> None:
        t = self.text
        for i, f in enumerate(self.figs):
            pre = t[max(0, f.start - 12):f.start]
            post = t[f.end:f.end + 14]
            op = None
            if _LE_AFTER.match(post):
                op = "<="
            elif _LT_AFTER.match(post):
                op = "<"
            elif _GE_AFTER.match(post) or _GE_INCL.match(post):
                op = ">="
            if _GT_BEFORE.search(pre):
                op = ">=" if op == ">=" and _GE_INCL.match(post) else ">"
            elif _GE_BEFORE.search(pre):
                op = ">=" if op in (None, ">=") else op
            elif _LT_BEFORE.search(pre):
                op = "<"
            elif _LE_BEFORE.search(pre) and op is None:
                op = "<="
            if f.kind == "rate" and re.match(r"^\s*(的)?(比例)?(给予|予以|奖|补|进行)", post):
                op = None if not re.search(r"(增长|增速|增幅|占)", pre[-6:]) else op
            range_head = re.match(r"^\s*[-—~～至到]\s*\d", post) is not None
            range_tail = re.search(r"\d\s*[%‰]?\s*[-—~～]\s*$", pre) is not None
            if op is None and re.search(r"\d\s*(万元|亿元|元|万|亿|%|平方米)?\s*(\([^)]{0,6}\))?\s*[-—~～至到]\s*$", pre) \
                    and re.match(r"^\s*(\((不含|含)[^)]{0,6}\))?\s*(之间|以内)", post):
                # 500万元(含)至1000万元之间: the band's upper bound
                self.roles[i] = "threshold"
                self.ops[i] = "<=" if re.match(r"^\s*\(含", post) else "<"
                continue
            range_tail = range_tail or (f.kind == "money" and re.search(
                r"\d\s*(万元|亿元|元|万|亿)\s*(\((不?含|不包括)[^)]{0,6}\))?\s*[-—~～至到]\s*$", pre) is not None)
            if range_tail and op == ">=" and _GE_INCL.match(post) and not _GE_AFTER.match(post) \
                    and not _GE_BEFORE.search(pre):
                op = "<="  # 500万元(含)至1亿元(含)的: the (含) of the upper end keeps it in the band
            if f.kind == "money" and (range_head or range_tail) and self._amount_range(i, range_head) \
                    and not _GE_BEFORE.search(pre) and not re.match(r"^[^,，。;；]{0,6}(之间|以上|以下|的(企业|项目))", post):
                # 给予3万元-5万元: an amount range is decided in review, at most the upper end
                self.roles[i] = "other" if range_head else "cap"
                continue
            if f.kind == "money" and re.match(r"^\s*(封顶|为上限|为限)", post):
                self.roles[i] = "cap"
                continue
            if f.kind == "money" and _BUDGET_BEFORE.search(pre) and not _PER_ENTERPRISE.search(
                    t[self._chunk_start(f.start):f.start]):
                # 本条款资金总额2000万元: the programme's budget, never one enterprise's cap
                self.roles[i] = "pool"
                continue
            if f.kind == "rate" and re.match(r"^\s*(的比例)?\s*(安排|设立|统筹|提取)[^,，。;；\d]{0,12}(基金|资金)", post):
                # 按全区财政收入的2%安排财源建设基金: how a programme's fund is sized, not a rate paid out
                self.roles[i] = "pool"
                continue
            if f.kind == "rate" and re.match(_INSTALMENT_AFTER, post):
                self.roles[i] = "other"
                continue
            if f.kind == "rate" and op == "<=" and _LE_BEFORE.search(pre) and (
                    re.match(r"^\s*(的)?(比例)?[^,，。;；\d]{0,4}(资金支持|支持|补助|奖励|补贴|奖补|资助|且最高)", post)
                    or re.search(r"(给予|予以|按)[^,，。;；\d]{0,12}$", pre)):
                # 给予研发费用不超过50%的资金支持: the rate's upper end is the rate (README)
                self.roles[i] = "rate"
                continue
            if f.kind == "rate" and (range_head or range_tail) and _REWARD_WORD.search(
                t[self._chunk_start(f.start):self._chunk_end(f.end)]
            ):
                # 比例区间 10%~15%: the convention records the upper end
                self.roles[i] = "other" if range_head else "rate"
                continue
            if range_head:
                op = ">=" if op is None else op
            elif range_tail and op is None:
                # 200万元至500万元的: the next band starts at the upper end, which it does not include
                op = "<=" if re.match(r"^\s*\(含", post) else "<"
            if f.kind in ("money", "rate") and re.match(
                    r"^[^,，。;；]{0,3}(的)?基础上|^(的)?(补助|奖励|奖补|补贴)的基础上", post):
                # 在省上给予设备投资额50%补助的基础上，市级再给予20%: the other level's share, not paid here
                self.roles[i] = "reference"
                continue
            if f.kind == "money" and re.search(r"[(（]\s*(共|合计|累计|总计)(计)?\s*$", pre):
                self.roles[i] = "other"  # 再奖励20万元(共50万元): the total restates the amounts, it adds none
                continue
            if f.kind == "rate" and re.search(r"(补助|奖励|奖补|补贴|资金)总额的?\s*([\d.]+%\s*[、和]\s*)*$",
                                              t[self._chunk_start(f.start):f.start]):
                self.roles[i] = "other"  # 分别给予补助总额30%、70%: how the total is paid out in stages
                continue
            if f.kind == "money" and re.search(r"[*×]\s*$", pre):
                self.roles[i] = "amount"
                continue
            if f.kind == "rate" and re.search(r"比例[^,，。;；\d]{0,3}(最高|不超过|不高于|上限)[^,，。;；\d]{0,3}$", pre):
                self.roles[i] = "rate"
                continue
            if f.kind in ("money", "usd") and _PER_UNIT_HEAD(t, f):
                self.roles[i] = "unit"
                continue
            if f.kind in ("money", "usd") and op in ("<=", None) and _CAP_BEFORE.search(pre):
                chunk_pre = t[self._chunk_start(f.start):f.start]
                sentence_pre = t[self.sentences[self._sentence_of(f.start)][0]:f.start]
                if (_CAP_STRONG.search(pre) or _REWARD_CONTEXT.search(chunk_pre) or op is None
                        or re.search(r"(奖补|补助|奖励|资助)(总额|金额|额度|额)", sentence_pre)
                        or re.search(r"(予以|给与|奖励|补助|补贴|资助)[^,，。;；\d]{0,3}(不超过|不高于)\s*$", pre)
                        or re.match(r"^\s*(的)?\s*(一次性)?(奖励|补助|奖补|资助|补贴|扶持|支持)", post)
                        or re.match(r"^\s*的标准", post)
                        or re.search(r"(每年|每家|单家|每户|单户)\s*(不超过|不高于)\s*$", pre)):
                    # 予以不超过200万元的奖励: the money a case gets at most, not a bound on a measure
                    self.roles[i] = "cap"
                    continue
            if op is not None:
                self.roles[i] = "threshold"
                self.ops[i] = op
                continue
            if f.kind == "money":
                if _POOL_AFTER.match(post) and re.search(r"(设立|安排|统筹)", t[max(0, f.start - 16):f.start]):
                    self.roles[i] = "pool"
                elif _LOAN_AFTER.match(post):
                    self.roles[i] = "loan"
                elif _INSTALMENT_BEFORE.search(t[max(0, f.start - 20):f.start]):
                    self.roles[i] = "instalment"
                elif re.search(r"先(行)?(给予|拨付|兑现|奖励)[^,，。;；\d]{0,6}$", t[max(0, f.start - 12):f.start]) \
                        and re.search(r"(补齐|补足)", t[f.end:self.sentences[self._sentence_of(f.start)][1]]):
                    self.roles[i] = "instalment"  # 先给予100万元……上市成功后再补齐: an advance on the same reward
                else:
                    self.roles[i] = "amount"
            elif f.kind == "rate":
                chunk = t[self._chunk_start(f.start):self._chunk_end(f.end)]
                following = t[self._chunk_end(f.end):self._chunk_end(self._chunk_end(f.end) + 1)]
                if re.match(r"^\s*(个百分点|左右)", post):
                    self.roles[i] = "other"
                elif re.search(r"(增长|增幅|增速|增长率)[^,，。;；\d]{0,4}$", t[self._chunk_start(f.start):f.start]) \
                        and not re.search(r"(增长部分|增量部分|增长额|净增额)", t[self._chunk_start(f.start):f.start]):
                    self.roles[i] = "other"  # 同比增长20%的: a growth to reach, not a share paid out
                elif _COST_SHARE.search(chunk):
                    self.roles[i] = "other"
                elif re.search(r"从\s*$", pre[-3:]) and re.match(r"^\s*(最高)?(提至|提高至|提高到|提到|上调至|调整为|调整至)", post):
                    self.roles[i] = "other"  # 返还比例从30%提至50%: the rate before the change is no longer paid
                elif re.search(r"(不高于|不超过|不低于|低于|高于|超过)[^,，。;；\d]{0,10}$", t[self._chunk_start(f.start):f.start]) \
                        and not (_REWARD_CONTEXT.search(chunk) or _REWARD_WORD.search(chunk)):
                    self.roles[i] = "other"  # 裁员率不高于参保职工总数20%的: a ratio to stay under, not a share paid
                elif not (_REWARD_CONTEXT.search(chunk) or _REWARD_WORD.search(chunk)
                          or (_REWARD_WORD.search(following) and not re.search(r"[。;；]", t[f.end:self._chunk_end(f.end)]))):
                    self.roles[i] = "other"
                else:
                    self.roles[i] = "rate"
            else:
                self.roles[i] = "other"
        self._propagate_list_thresholds()

    def _amount_range(self, i: int, head: bool) -> bool:
        """给予3万元-5万元 / 奖励3万元至5万元: a range is an amount when the reward words give it; a
        range after 在 or before 且 (研发费用在500万元至1000万元且……的企业给予10万元) is a band."""
        t = self.text
        head_start = self.figs[i].start if head or i == 0 else self.figs[i - 1].start
        tail_end = self.figs[i + 1].end if head and i + 1 < len(self.figs) else self.figs[i].end
        before = t[self._chunk_start(head_start):head_start]
        if re.search(r"(在|为|介于)\s*$", before) or re.match(r"^\s*(\((不?含)[^)]{0,6}\))?\s*(且|并且|的企业|的项目)",
                                                            t[tail_end:]):
            return False
        return _REWARD_WORD.search(before) is not None or re.match(
            r"^\s*(的)?\s*(一次性)?(奖励|补助|奖补|资助|补贴|扶持|支持|经费|奖金)", t[tail_end:]) is not None

    def _propagate_list_thresholds(self) -> None:
        """首次突破1亿元、5亿元、10亿元: the comparator of a list's head covers its items."""
        t = self.text
        for i in range(1, len(self.figs)):
            prev, cur = self.figs[i - 1], self.figs[i]
            if self.roles.get(i - 1) != "threshold" or self.roles.get(i) not in ("amount", "other", "rate"):
                continue
            if prev.kind != cur.kind:
                continue
            gap = t[prev.end:cur.start]
            if re.fullmatch(r"\s*(\((不?含)[^)]{0,8}\))?\s*[、和及或]\s*", gap):
                self.roles[i] = "threshold"
                self.ops[i] = self.ops[i - 1]

    # -- conditions ------------------------------------------------------------------------------
    def field_for(self, f: Figure, list_start: int | None = None) -> tuple[str, dict[str, JSON]] | None:
        found = self._field_for(f, list_start)
        if found is None:
            return None
        name, extra = found
        word_start = extra.pop("_word", None)
        if not isinstance(word_start, int):
            # the words naming the figure start after the previous list separator
            cs = self._chunk_start(f.start)
            before = self.text[cs:f.start]
            cut = max(before.rfind(c) for c in "、,，且及和对")
            word_start = cs + cut + 1
        self.last_word_start = word_start
        return name, extra

    last_word_start: int = 0

    def _field_for(self, f: Figure, list_start: int | None = None) -> tuple[str, dict[str, JSON]] | None:
        """The profile field or declared figure a threshold measures, from the words before it."""
        t = self.text
        start = list_start if list_start is not None else self._chunk_start(f.start)
        for other in self.figs:
            if start <= other.end <= f.start and other.start < f.start and re.search(r"(且|并|、|和)", t[other.end:f.start]):
                start = other.end
        window = t[start:f.start]
        if f.kind == "usd":
            return None
        if f.kind == "rate":
            chunk = t[self._chunk_start(f.start):f.start]
            sentence_before = t[self.sentences[self._sentence_of(f.start)][0]:f.start]
            if re.search(r"(研发|R&D)[^,，。]{0,12}(占|比例|强度)", window) or (
                re.search(r"占[^,，。]{0,8}(营业|主营|销售)", window) and re.search(r"(研发|R&D)", chunk)
            ):
                return ("rd_ratio", {})
            if re.search(r"(增长|增速|增幅)", window):
                if re.search(r"\d{4}年", window):
                    return None
                subject = window if re.search(r"(收入|营收|销售额|营业额|零售额|产值)", window) else sentence_before
                words = [(subject.rfind(w), w) for w in ("营业收入", "营收", "销售额", "营业额", "销售收入", "零售额", "产值")]
                found = max(words)
                if found[0] < 0:
                    # 区内财政收入500万元以上、增幅达到20%: the growth of the declared figure just named
                    before = [a for a in self.fig_atom.values() if a.fig_start < f.start
                              and self._sentence_of(a.fig_start) == self._sentence_of(f.start)]
                    last = max(before, key=lambda a: a.fig_start) if before else None
                    if last is not None and str(last.node["field"]).startswith("input.") \
                            and not str(last.node["field"]).endswith("_growth"):
                        return (f"{last.node['field']}_growth", {})
                    return None
                if found[1] == "零售额":
                    return ("input.retail_sales_growth", {})
                if found[1] == "产值":
                    return None
                return ("revenue_growth", {})
            return None
        if f.kind == "count":
            unit = f.unit
            if unit == "人":
                if re.search(r"参会", window):
                    return ("input.attendees", {})
                if re.search(r"(社保|参保)", t[f.start:f.end + 12] + window):
                    return ("insured_employees", {})
                if re.search(r"(职工|员工|从业人员|用工|人员)", window):
                    return ("employees", {})
                return None
            if unit == "年" and re.search(r"(成立|注册|经营|设立)", window):
                return ("established_years", {})
            if unit == "平方米":
                return ("input.exhibition_area_sqm", {}) if "展" in window or "面积" in window else None
            if unit == "间夜":
                return ("input.room_nights", {})
            if unit == "天":
                if "会期" in window:
                    return ("input.meeting_days", {})
                if "展期" in window:
                    return ("input.exhibition_days", {})
            if unit == "个月" or unit == "年":
                return None
            if unit in ("件", "项") and "专利" in window:
                return ("invention_patents", {})
            return None
        # money
        best: tuple[int, str, str] | None = None
        increment = re.search(r"(新增|增量|增加|增长额|增长部分|较上年增长)", window)
        for word, name in list(lexicon.FIELD_WORDS.items()) + list(lexicon.INPUT_WORDS.items()):
            pos = window.rfind(word)
            if pos < 0:
                continue
            key = pos + len(word)
            kind = "field" if word in lexicon.FIELD_WORDS else "input"
            if best is None or key > best[0] or (key == best[0] and len(word) > len(best[2])):
                best = (key, kind + ":" + name, word)
        if best is None:
            if re.search(r"(投资|投入)", window):
                return ("input.project_investment", {})
            return None
        kind, name = best[1].split(":", 1)
        extra: dict[str, JSON] = {"_word": start + best[0] - len(best[2])}
        if kind == "input" and name == "project_investment" and re.search(r"设备\S{0,3}$", window[:best[0] - len(best[2])]):
            name = "equipment_investment"
            extra["_word"] = start + window.rfind("设备", 0, best[0])
        if kind == "input" and re.search(r"(机器人)", window[:best[0]]):
            name = "robot_investment"
        year = re.findall(r"(\d{4})年", window[:best[0]])
        if kind == "field":
            if increment:
                inc_name = {"revenue": "revenue_increment", "main_revenue": "revenue_increment",
                            "output_value": "output_value_increment",
                            "rd_expense": "rd_expense_increment"}.get(name)
                return ("input." + inc_name, extra) if inc_name else None
            if year and name not in lexicon.STATIC_FIELDS:
                extra["period"] = {"year": int(year[-1])}
            if re.search(r"本年度", window[:best[0]]) and name not in lexicon.STATIC_FIELDS:
                # 本年度 only: 当年度/当年 in an award clause is the year assessed (the default)
                extra["period"] = "this_year"
            return (name, extra)
        return ("input." + name, extra)

    def threshold_atoms(self) -> list[_Atom]:
        atoms: list[_Atom] = []
        t = self.text
        prev_field: tuple[str, dict[str, JSON]] | None = None
        prev_end = -1
        last_money_field: tuple[str, dict[str, JSON]] | None = None
        last_money_end = 0
        last_rate_field: tuple[str, dict[str, JSON]] | None = None
        for i, f in enumerate(self.figs):
            if self.roles.get(i) != "threshold" or self._is_excluded(f.start):
                if self.roles.get(i) != "other":
                    prev_field = None
                continue
            gap = t[prev_end:f.start] if prev_end >= 0 else ""
            continuing = prev_field is not None and re.fullmatch(
                r"\s*(\((不?含|不包括)[^)]{0,8}\))?\s*(及以上|以上|以下)?\s*[、,，至到\-—~～]?\s*(或|和|及)?\s*", gap or "x"
            ) is not None
            found = self.field_for(f)
            word_start = self.last_word_start if found is not None else f.start
            if found is None and continuing:
                found = prev_field
                word_start = f.start
            if found is None and f.kind == "rate" and last_rate_field is not None and re.search(
                    r"(占比|比例|比重|强度)\s*(达到|不低于|超过|高于|在)?\s*$", t[self._chunk_start(f.start):f.start]):
                found = last_rate_field  # ……且占比4%以上的: the ratio named in the rung before
            if found is None and f.kind == "money":
                if re.match(r"^[^,，。;；]{0,12}项目", t[f.end:]) and not re.search(r"(单体|单台|设备)", t[self._chunk_start(f.start):f.start]):
                    found = ("input.project_investment", {})
                elif last_money_field is not None and not self._names_own_measure(f) and (
                        not _REWARD_WORD.search(t[last_money_end:f.start]) or self._bare_comparator(f)):
                    # parallel thresholds (首次超过500万、首次超过200万) measure the same thing
                    found = last_money_field
            if found is None:
                prev_field = None
                prev_end = f.end
                continue
            name, extra = found
            node: dict[str, JSON] = {"field": name, "op": self.ops[i], "value": f.value}
            node.update(extra)
            post = re.match(r"\s*(\((不?含|不包括)[^)]{0,8}\))?\s*(及以上|以上|以下|及以下)?", t[f.end:])
            end = f.end + (post.end() if post else 0)
            atom = _Atom(node, word_start, end, group="threshold", fig_start=f.start)
            atom_fig = f.start
            atoms.append(atom)
            self.fig_atom[atom_fig] = atom
            prev_field = found
            prev_end = f.end
            if f.kind == "money":
                last_money_field = found
                last_money_end = f.end
            elif f.kind == "rate":
                last_rate_field = found
        return atoms

    def _bare_comparator(self, f: Figure) -> bool:
        """……首次超过25亿元的给予40万元，首次超过100亿元的给予300万元: a case that names only a
        comparator and a figure is the next rung of the ladder before it, so it measures the same
        thing even after the previous rung's reward words."""
        before = self.text[self._chunk_start(f.start):f.start]
        return re.fullmatch(r"\s*(对|对于|其中)?\s*(年度?|当年|全年)?\s*(首次|新)?\s*"
                            r"(超过|达到|突破|迈上|站上|跨上|达|在)?\s*", before) is not None

    def _names_own_measure(self, f: Figure) -> bool:
        """企业经济贡献400万元以上 after 营业收入2亿元以上: words of its own before a figure name
        another measure, so the earlier figure's field does not carry over to it."""
        before = self.text[max(self._chunk_start(f.start), f.start - 16):f.start]
        cut = max(before.rfind(c) for c in "、,，;；且及和")
        words = re.sub(r"(首次|分别|超过|达到|突破|迈上|站上|跨上|不低于|不少于|高于|大于|累计|企业|当年度|当年|年度|本年|上年|全年|"
                       r"在|为|的|年|达|满|实现)", "", before[cut + 1:])
        return len(re.findall(r"[\u4e00-\u9fff]", words)) >= 2

    def qualification_atoms(self) -> list[_Atom]:
        atoms: list[_Atom] = []
        t = self.text
        taken: list[tuple[int, int]] = []
        expanded = self._level_list_expansions()
        for start, end, code in expanded:
            if self._is_excluded(start):
                continue
            atoms.append(_Atom({"field": "qualifications", "op": "has", "value": code}, start, end,
                               group="qual"))
        for start, end, code in self._level_prefix_expansions():
            if self._is_excluded(start) or self._group_member(start) or any(
                    a.start < end and start < a.end for a in atoms):
                continue
            atoms.append(_Atom({"field": "qualifications", "op": "has", "value": code}, start, end,
                               group="qual"))
        exp_taken = [(a.start, a.end) for a in atoms]
        taken.extend(exp_taken)
        for alias, code in self.catalogue:
            if alias not in t:
                continue
            for m in re.finditer(re.escape(alias), t):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if self._is_excluded(m.start()):
                    continue
                before = t[max(0, m.start() - 4):m.start()]
                after = t[m.end():m.end() + 4]
                if re.search(r"(申报|申请|培育|争创|争取|推荐)$", before) or re.match(r"^(认定申报|培育)", after):
                    continue
                if self._group_member(m.start()):
                    continue
                if code == "above_scale" and re.match(r"^(战略|产业|服务业企业库|其他)", after):
                    continue
                if code == "above_scale" and (_BECOMING_BEFORE.search(t[max(0, m.start() - 6):m.start()])
                                              or _ENTERING_BEFORE.search(t[self._chunk_start(m.start()):m.start()])
                                              or re.match(r"^[^,，。;；]{0,6}库", t[m.end():m.end() + 8])):
                    continue  # 首次纳入规上库 / 新增规上企业: an event for the reviewer (check), not `has`
                taken.append((m.start(), m.end()))
                atoms.append(_Atom({"field": "qualifications", "op": "has", "value": code},
                                   m.start(), m.end(), group="qual"))
        for m in _DESIGNATION.finditer(t):
            start, end = m.start("name"), m.end("name")
            if any(s < end and start < e for s, e in taken) or self._is_excluded(start):
                continue
            code = _suggest_code(m.group("level") or "", m.group("kind"))
            taken.append((start, end))
            atoms.append(_Atom({"field": "qualifications", "op": "has", "value": code}, start, end,
                               group="qual"))
            if not any(p["code"] == code for p in self.proposed):
                self.proposed.append({"code": code, "name": m.group("name")})
        atoms.sort(key=lambda a: a.start)
        for a in atoms:
            code = a.node["value"]
            if code in lexicon.PROPOSED and not any(p["code"] == code for p in self.proposed):
                self.proposed.append({"code": code, "name": lexicon.PROPOSED[code][0]})
        return atoms

    def _level_list_expansions(self) -> list[tuple[int, int, str]]:
        """省、市级工业企业技术中心 names two designations: try each level with the tail."""
        out: list[tuple[int, int, str]] = []
        t = self.text
        level_word = {"国家": "国家级", "省": "省级", "市": "市级", "区": "区级", "县": "县级"}
        for m in _QUAL_LEVEL_LIST.finditer(t):
            tail = t[m.end():m.end() + 16]
            for level in (m.group(1), m.group(2)):
                candidate = level_word[level] + tail
                for alias, code in self.catalogue:
                    if candidate.startswith(alias):
                        out.append((m.start(), m.end() + len(alias) - len(level_word[level]), code))
                        break
        return out

    def _group_member(self, pos: int) -> bool:
        """国家级标杆企业(含国家智能制造示范工厂、…): a name inside 含(…) is a member of the group named
        before it, not a designation of its own."""
        return re.search(r"[(（]含[^)）]*$", self.text[max(0, pos - 30):pos]) is not None

    def _level_prefix_expansions(self) -> list[tuple[int, int, str]]:
        """首次入选省独角兽、潜在独角兽、瞪羚企业 / 获评为国家制造业单项冠军产品、服务型制造示范企业: the
        level before a list of designations covers every item until an item names a level of its own."""
        out: list[tuple[int, int, str]] = []
        t = self.text
        level_word = {"国家级": "国家级", "国家": "国家级", "省级": "省级", "省": "省级", "市级": "市级", "市": "市级"}
        for m in re.finditer(r"(?<![\u4e00-\u9fff]级)(国家级|国家|省级|省|市级)(?!级|、|和|及|或|委|政府|财政|有关|相关|[和及]以上|以上)", t):
            level = level_word[m.group(1)]
            end_of_list = re.search(r"[,，。;；:：(（]|的", t[m.end():])
            stop = m.end() + (end_of_list.start() if end_of_list else len(t) - m.end())
            pos = m.end()
            for seg in re.split(r"(、|和|及|或)", t[m.end():stop]):
                seg_start, pos = pos, pos + len(seg)
                if seg in ("、", "和", "及", "或"):
                    continue
                name = seg.strip()
                if not name:
                    continue
                if re.search(r"(国家|省|市级|区级|县级)", name):
                    break  # an item with a level of its own ends the prefix's reach
                core = re.sub(r"企业$", "", name)
                for candidate in (level + core, level + core + "企业", level.rstrip("级") + core + "企业"):
                    code = next((c for a, c in self.catalogue if a == candidate), None)
                    if code is not None:
                        out.append((m.start() if seg_start == m.end() else seg_start, seg_start + len(seg), code))
                        break
        return out

    def industry_atoms(self) -> list[_Atom]:
        atoms: list[_Atom] = []
        t = self.text
        taken: list[tuple[int, int]] = []
        for m in _INDUSTRIAL.finditer(t):
            if self._is_excluded(m.start()):
                continue
            nxt = t[m.end():m.end() + 8]
            codes = ["B", "C", "D", "I"] if nxt.startswith("和有关信息化") or nxt.startswith("和信息化") else ["B", "C", "D"]
            end = m.end() + (len("和有关信息化") if nxt.startswith("和有关信息化") else 0)
            taken.append((m.start(), end))
            for c in codes:
                atoms.append(_Atom({"field": "industry", "op": "within", "value": c}, m.start(), end,
                                   group="industry"))
        for word, codes in lexicon.INDUSTRY_WORDS + _standard_industry_words():
            if word not in t:
                continue
            for m in re.finditer(re.escape(word), t):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if self._is_excluded(m.start()):
                    continue
                after = t[m.end():m.end() + 6]
                before = t[max(0, m.start() - 6):m.start()]
                if word in ("批发", "零售", "住宿", "餐饮") and re.match(r"^(额|价|费|间夜)", after):
                    continue
                if word in ("制造业", "制造类") and re.search(r"(先进|现代|高端|智能)$", before):
                    continue
                if word == "制造业" and re.match(r"^(单项|隐形|中试|企业技术|高质量|项目|研发|集群)", after):
                    continue
                if re.search(r"(中试|单项冠军|隐形冠军)", t[m.start():m.end() + 8]):
                    continue
                if m.start() not in self.boundaries():
                    continue  # the tail of a longer word is not an industry name
                if re.match(r"^(部|局|厅|委|办|领域|基金|园区|集群)", after):
                    continue
                taken.append((m.start(), m.end()))
                for c in codes:
                    atoms.append(_Atom({"field": "industry", "op": "within", "value": c},
                                       m.start(), m.end(), group="industry"))
        # every mention stays (a case names its own industries where it stands); the clause's
        # conditions are deduplicated when they are put together
        return sorted(atoms, key=lambda a: a.start)

    def misc_atoms(self) -> list[_Atom]:
        atoms: list[_Atom] = []
        t = self.text
        for m in _SCALE_WORDS.finditer(t):
            if self._is_excluded(m.start()) or re.search(r"(型|特新|科技)$", t[max(0, m.start() - 2):m.start()]):
                continue
            atoms.append(_Atom(_scale_atom(m.group(0)), m.start(), m.end(), group="scale"))
            break
        m2 = re.search(r"(外商投资企业|外资企业|外商投资|外资项目)", t)
        if m2 and not self._is_excluded(m2.start()):
            atoms.append(_Atom({"field": "ownership", "op": "in", "value": ["foreign", "hmt"]},
                               m2.start(), m2.end(), group="ownership"))
        m3 = re.search(r"(国有企业|国有文化企业|省属|市属国有)", t)
        if m3 and not self._is_excluded(m3.start()) and not re.search(r"(国有资本收益|国有资产)", t[m3.start():m3.end() + 6]):
            atoms.append(_Atom({"field": "ownership", "op": "==", "value": "state"},
                               m3.start(), m3.end(), group="ownership"))
        m4 = re.search(r"民营企业", t)
        if m4 and not self._is_excluded(m4.start()):
            atoms.append(_Atom({"field": "ownership", "op": "==", "value": "private"},
                               m4.start(), m4.end(), group="ownership"))
        for word, flag in (("失信", "dishonest"), ("经营异常", "abnormal_operation"),
                           ("重大违法", "major_violation_3y")):
            m5 = re.search(rf"(未被?列入|无|没有|不得有|不存在)[^,，。;；]{{0,10}}{word}", t)
            if m5:
                atoms.append(_Atom({"field": "flags", "op": "not_has", "value": flag},
                                   m5.start(), m5.end(), group="flag"))
        m6 = re.search(r"纳税信用(?:等级)?(?:评价)?(?:为|达到|被评为)?\s*([ABM])\s*级(及以上|以上)?", t)
        if m6 and not self._is_excluded(m6.start()):
            grade = m6.group(1)
            if m6.group(2) and grade != "A":
                order = ["A", "B", "M"]
                node6: dict[str, JSON] = {"field": "tax_credit_rating", "op": "in",
                                          "value": order[:order.index(grade) + 1]}
            else:
                node6 = {"field": "tax_credit_rating", "op": "==", "value": grade}
            atoms.append(_Atom(node6, m6.start(), m6.end(), group="credit"))
        atoms.extend(self.growth_atoms())
        atoms.extend(self.comparison_atoms())
        atoms.extend(self.listing_atoms())
        atoms.extend(self.region_atoms())
        return atoms

    def comparison_atoms(self) -> list[_Atom]:
        """增速超过全区平均水平: a growth compared with an average no profile holds (a check)."""
        atoms: list[_Atom] = []
        for m in _ABOVE_AVERAGE.finditer(self.text):
            if not self._is_excluded(m.start()):
                atoms.append(_Atom({"check": m.group(0).strip()}, m.start(), m.end(), group="check"))
        return atoms

    def listing_atoms(self) -> list[_Atom]:
        """上市 / 新三板挂牌 as the `listed` field (RULES.md §2)."""
        t = self.text
        listed = _LISTED.search(t)
        neeq = re.search(r"新三板[^,，。;；]{0,4}挂牌|挂牌(公司|企业)|上市挂牌", t)
        if listed and not self._is_excluded(listed.start()):
            values = ["main", "chinext", "star", "bse"]
            if not re.search(r"境内(?!外)", listed.group(0)) or re.search(r"境外", t):
                values.append("overseas")
            if neeq:
                values.append("neeq")
            return [_Atom({"field": "listed", "op": "in", "value": values}, listed.start(), listed.end(),
                          group="listed")]
        if neeq and not self._is_excluded(neeq.start()) and "新三板" in neeq.group(0):
            return [_Atom({"field": "listed", "op": "==", "value": "neeq"}, neeq.start(), neeq.end(), group="listed")]
        return []

    def growth_atoms(self) -> list[_Atom]:
        """Conditions stated without a figure: 年均增长率为正, 保持正增长, 研发费用为零的企业不得享受."""
        atoms: list[_Atom] = []
        t = self.text
        for m in _AVERAGE_GROWTH.finditer(t):
            if not self._is_excluded(m.start()):
                atoms.append(_Atom({"field": "input.average_revenue_growth", "op": ">", "value": Decimal(0)},
                                   m.start(), m.end(), group="growth"))
        for m in _POSITIVE_GROWTH.finditer(t):
            if self._is_excluded(m.start()) or any(a.start <= m.start() < a.end for a in atoms):
                continue
            atoms.append(_Atom({"field": "revenue_growth", "op": ">", "value": Decimal(0)},
                               m.start(), m.end(), group="growth"))
        for m in _ZERO_EXCLUDED.finditer(t):
            name = lexicon.FIELD_WORDS.get(m.group("what"))
            if name is None:
                continue
            atoms.append(_Atom({"field": name, "op": ">", "value": Decimal(0)}, m.start(), m.end(), group="growth"))
        return atoms

    def region_atoms(self) -> list[_Atom]:
        """Only a requirement the clause states itself (在本市登记, 在X区注册设立)."""
        atoms: list[_Atom] = []
        t = self.text
        pattern = re.compile(
            r"在(?P<place>本市|本区|本县|我市|我区|我县|辖区|区内|本行政区域|本地|"
            r"[\u4e00-\u9fff]{2,12}?(?:市|区|县|实验区|开发区|高新区))(?:内)?(?:依法)?(?:新)?"
            r"(?:商事)?(?:注册|登记|生产经营|工商注册|注册设立|依法经营|从事经营活动|依法设立)"
        )
        for m in pattern.finditer(t):
            place = m.group("place")
            code: str | None = None
            if place.startswith(("本", "我", "辖", "区内")):
                code = self.context.region_code
            else:
                found = find_places(place, within=self.context.region_code)
                if found:
                    code = found[-1][2]
            if code:
                atoms.append(_Atom({"field": "region", "op": "within", "value": code},
                                   m.start(), m.end(), group="region"))
                break
        return atoms

    def subjects(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for m in _SUBJECT.finditer(self.text):
            s, e = m.span("s")
            if self._is_excluded(s):
                continue
            out.append((s, e))
        return out

    def check_atoms(self, explained: list[_Atom], subjects: list[tuple[int, int]],
                    has_reward: bool) -> list[_Atom]:
        t = self.text
        checks: list[_Atom] = []
        covered = [(a.start, a.end) for a in explained]
        spans: list[tuple[int, int]] = list(subjects)
        if not subjects and not has_reward:
            # condition-only clause: requirement sentences, split at 且/并
            for s, e in self.sentences:
                if self._is_excluded(s):
                    continue
                sentence = t[s:e]
                if not (_REQUIREMENT.search(sentence) or re.search(r"\d{4}年\d{1,2}月\d{1,2}日至", sentence)):
                    continue
                if re.search(r"(负责|解释|印发|执行|施行|会同)", sentence) and not re.search(r"(需|须|不适用)", sentence):
                    continue
                if re.search(r"(设立|安排)[^。]{0,20}资金|(材料|要件|申请表)", sentence):
                    continue
                pos = s
                for m in re.finditer(r"[,，]\s*(且|并)|;|；|，且|,且", sentence):
                    spans.append((pos, s + m.start()))
                    pos = s + m.end()
                spans.append((pos, e))
        split_spans: list[tuple[int, int]] = []
        for s, e in spans:
            split_spans.extend(self._event_segments(s, e) if (s, e) in subjects else [(s, e)])
        for s, e in split_spans:
            phrase = t[s:e]
            lead = re.match(r"^\s*(第[一二三四五六七八九十百零\d]{1,4}条|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、]|[(（][^)）]{1,3}[)）])?\s*", phrase)
            if lead:
                s += lead.end()
            phrase = t[s:e].rstrip("。;；,， ")
            e = s + len(phrase)
            residual = list(phrase)
            for cs, ce in covered:
                for k in range(max(cs, s), min(ce, e)):
                    residual[k - s] = " "
            rest = "".join(content_words("".join(residual)))
            # 年度缴纳入库税收总额达到2000万元以上: the words around a measure already drafted say nothing more
            rest = re.sub(r"(上一?年度|年度|当年|全年|缴纳|总额|达到|实际|累计|金额)", "", rest)
            has_event = _EVENT.search(phrase) is not None
            if len(rest) >= 4 or (has_event and (len(rest) >= 2 or any(s <= a.start < e for a in explained))):
                words = re.sub(r"[,，]\s*(一次性|每家|每户|分别|再|另|区财政|市财政|县财政|(省级|市级|区级|县级)(财政)?\s*(一次性)?)\s*$",
                               "", phrase.strip())
                if not words:
                    continue
                checks.append(_Atom({"check": words}, s, e, group="check"))
        return checks

    def _event_segments(self, s: int, e: int) -> list[tuple[int, int]]:
        """新引进商贸企业，年营收首次达到10亿元: who the enterprise is and what it has just become
        are two requirements a reviewer checks apart, so a subject whose comma-separated parts
        include an event (首次……, 新……) is one check per part, not one run-on check."""
        t = self.text
        parts: list[tuple[int, int]] = []
        pos = s
        depth = 0
        for k in range(s, e):
            ch = t[k]
            depth += ch in "(（"
            depth -= ch in ")）" and depth > 0
            if ch in ",，" and depth == 0:
                parts.append((pos, k))
                pos = k + 1
        parts.append((pos, e))
        parts = [(ps, pe) for ps, pe in parts if len("".join(content_words(t[ps:pe]))) >= 4]
        if len(parts) < 2 or not any(_BECOMING.search(t[ps:pe]) for ps, pe in parts):
            return [(s, e)]
        return parts

    # -- rewards ---------------------------------------------------------------------------------
    def reward_items(self) -> list[_Item]:
        t = self.text
        items: list[_Item] = []
        if _DISBURSEMENT.search(t):
            return []
        for si, (s, e) in enumerate(self.sentences):
            idx = [i for i, f in enumerate(self.figs) if s <= f.start < e]
            if not idx:
                continue
            only_caps = all(self.roles.get(i) not in ("rate", "amount", "unit") for i in idx)
            if only_caps and any(_cap_target(it.node) for it in items):
                continue  # a cap of its own sentence limits the item before it (see combine)
            items.extend(self._sentence_items(si, s, e, idx))
        return items

    def _subject_before(self, pos: int, s: int) -> tuple[int, int] | None:
        best = None
        for m in _SUBJECT.finditer(self.text, s, pos):
            best = m.span("s")
        return best

    def _base(self, start: int, rate_pos: int) -> dict[str, JSON]:
        """The base of a rate from the words between 按/按照/给予 and the rate."""
        t = self.text
        window = t[start:rate_pos]
        marks = list(re.finditer(r"(按照|按其|按|依据|给予|予以|部分|\+|＋)", window))
        phrase = window[marks[-1].end():] if marks else window
        phrase = phrase.strip("的 ,，*×")
        if not phrase and marks and marks[-1].group(0) in ("按", "按照", "按其"):
            # ……按设备投资额的10%给予补助；……的，按12%给予补助: a bare 按 keeps the base named before
            earlier = [f for f in self.figs if f.kind == "rate" and f.end <= start + marks[-1].start()
                       and self.roles.get(self.figs.index(f)) == "rate"]
            if earlier:
                f = earlier[-1]
                return self._base(self.sentences[self._sentence_of(f.start)][0], f.start)
        if not phrase:
            phrase = window[-12:]
        vocabulary = [(w, n, "input") for w, n in lexicon.INPUT_WORDS.items()]
        vocabulary += [(w, n, "field") for w, n in lexicon.FIELD_WORDS.items()]
        for word, name, kind in sorted(vocabulary, key=lambda p: -len(p[0])):
            if word not in phrase:
                continue
            if kind == "input":
                return {"input": name}
            if re.search(r"(增长|增量|新增|增加)", phrase):
                return {"input": name.replace("main_", "") + "_increment"}
            return {"field": name}
        return {"input": "declared_amount"}

    def _sentence_items(self, si: int, s: int, e: int, idx: list[int]) -> list[_Item]:
        t = self.text
        roles = self.roles
        out: list[_Item] = []
        rates = [i for i in idx if roles.get(i) == "rate"]
        amounts = [i for i in idx if roles.get(i) == "amount"]
        caps = [i for i in idx if roles.get(i) == "cap"]
        units = [i for i in idx if roles.get(i) == "unit"]
        sentence = t[s:e]
        if not (rates or amounts or caps):
            return out
        if not _REWARD_WORD.search(sentence) and not rates:
            return out
        ranked = self._rank_bands(si, s, amounts + caps)
        if ranked is not None:
            return [ranked]
        respectively = sentence.find("分别")
        pu_head = _PER_UNIT.search(t, s, e)
        if pu_head and respectively >= 0 and 0 <= s + respectively - pu_head.end() <= 12:
            respectively = -1  # 每入库一家企业或个体工商户分别给予…: per-unit amounts, not tiers
        if respectively < 0 and "分别" not in sentence:
            listed = self._listed_amounts(amounts + caps)
            if listed is not None:
                # 对获评省级和市级……一次性给予10万元、5万元奖励: a list of amounts pairs with the cases
                # listed before it as 分别 does, even when the word is left out
                respectively = listed - s
        if respectively < 0:
            parallel = self._parallel_lists(s, e, idx)
            if parallel is not None:
                return self._tiers(si, s, e, parallel, [i for i in rates if self.figs[i].start >= parallel],
                                   [i for i in amounts + caps if self.figs[i].start >= parallel], caps, units)
        if respectively >= 0:
            r_pos = s + respectively
            after_rates = [i for i in rates if self.figs[i].start > r_pos]
            after_amounts = [i for i in amounts + caps if self.figs[i].start > r_pos]
            before_rates = [i for i in rates if self.figs[i].start < r_pos]
            if len(before_rates) >= 2 and len(after_amounts) == len(before_rates) and not after_rates \
                    and re.search(r"(最高|上限|额度|不超过)", t[max(s, r_pos - 12):r_pos]):
                return self._rate_cap_pairs(si, s, before_rates, after_amounts)
            if len(after_rates) >= 2 or len(after_amounts) >= 2:
                return self._tiers(si, s, e, r_pos, after_rates, after_amounts, caps, units)
        # per-unit: 每满100万元给予10万元 / 每新增1人补贴2000元 / 间夜数*150元
        per_units = self._per_units(s, e, idx)
        used: set[int] = set()
        for pu in per_units:
            out.append(pu[0])
            used.update(pu[1])
        # rates
        reward_rates = [i for i in rates if i not in used]
        restated = self._restated_rates(si, s, e, reward_rates, caps)
        if restated is not None:
            out.append(restated)
            return out
        if reward_rates:
            nodes: list[dict[str, JSON]] = []
            spans: list[tuple[int, int]] = []
            prev = s
            for i in reward_rates:
                f = self.figs[i]
                base = self._base(max(prev, self._chunk_start(f.start) if nodes else s), f.start)
                if re.match(r"^\s*[、和]", t[prev:f.start]) and nodes and base == {"input": "declared_amount"}:
                    base = nodes[-1]["base"]
                nodes.append({"rate": f.value, "base": base})
                spans.append((f.start, f.end))
                prev = f.end
                used.add(i)
            cap_idx = [i for i in caps if i not in used]
            labelled = self._labelled_caps(s, cap_idx)
            if len(nodes) == 1 and labelled is not None:
                # 给予10%的补助，数字化车间补助最高200万元，智能工厂补助最高1000万元: one case per cap
                tiers_lc = [{"when": {"check": label}, "then": {**nodes[0], "cap": self.figs[c].value}}
                            for label, c in sorted(labelled, key=lambda p: -self.figs[p[1]].value)]
                out.append(_Item({"tiers": tiers_lc}, spans[0][0], self.figs[cap_idx[-1]].end, si,
                                 self._subject_before(spans[0][0], s), capped=True))
                return out
            per_ent = [i for i in cap_idx if _PER_ENTERPRISE.search(
                t[self._chunk_start(self.figs[i].start):self.figs[i].start])]
            if per_ent:
                cap_idx = per_ent + [i for i in cap_idx if i not in per_ent]
            cap = self.figs[cap_idx[0]].value if cap_idx else None
            if cap_idx:
                used.add(cap_idx[0])
            distinct = {repr(n) for n in nodes}
            if len(distinct) == 1:
                nodes = nodes[:1]
            if len(nodes) == 1:
                node = nodes[0]
                if cap is not None:
                    node["cap"] = cap
                out.append(_Item(node, spans[0][0], spans[0][1], si,
                                 self._subject_before(spans[0][0], s), capped=cap is not None,
                                 extra=_EXTRA_BEFORE.search(t[max(s, spans[0][0] - 24):spans[0][0]]) is not None))
            elif (by_size := self._rates_by_size(s, spans, nodes, cap)) is not None:
                out.append(_Item(by_size, spans[0][0], spans[-1][1], si, None, capped=cap is not None))
            else:
                node = {"sum": nodes}
                if cap is not None:
                    node = {"min": [node, {"fixed": cap}]}
                out.append(_Item(node, spans[0][0], spans[-1][1], si,
                                 self._subject_before(spans[0][0], s), capped=cap is not None))
            return out
        # amounts: the first is the item; later ones only when introduced as extra (再给予…)
        money = sorted([i for i in amounts + caps if i not in used], key=lambda i: self.figs[i].start)
        if out:
            # beside a per-unit item only a base amount stated on its own counts (基础奖补30万元)
            money = [i for i in money if self.roles.get(i) == "amount"]
        first = True
        prev_end = s
        for i in money:
            f = self.figs[i]
            pre = t[max(s, f.start - 14):f.start]
            case = None if first else _NEW_CASE.search(t, prev_end, f.end)
            if not first and not _EXTRA_BEFORE.search(pre) and case is None:
                continue
            if not _REWARD_CONTEXT.search(t[max(s, f.start - 30):min(e, f.end + 8)]):
                continue
            kind = "up_to" if roles.get(i) == "cap" or re.search(
                r"(最高|不超过|不高于|最多)[^,，。;；\d]{0,8}$", pre) else "fixed"
            item = _Item({kind: f.value}, f.start, f.end, si, self._subject_before(f.start, s),
                         extra=_EXTRA_BEFORE.search(t[max(s, f.start - 14):f.start]) is not None)
            if case is not None:
                # ……的给予40万元，首次超过100亿元的给予300万元: a second case in the same sentence
                item.seg_start = case.start() + 1
                if item.subject is None or item.subject[0] < item.seg_start:
                    item.subject = (item.seg_start, case.end())
                out[-1].seg_start = max(out[-1].seg_start, s)
            out.append(item)
            prev_end = f.end
            first = False
        return out

    def _rates_by_size(self, s: int, spans: list[tuple[int, int]], nodes: list[dict[str, JSON]],
                       cap: Decimal | None) -> dict[str, JSON] | None:
        """中小微企业按60%返还，大型企业按30%返还: each rate named after its own enterprise size is
        one case of alternatives (an enterprise has one size), never a sum."""
        words: list[str] = []
        prev = s
        for start, end in spans:
            found = [m.group(0) for m in _SCALE_WORDS.finditer(self.text, prev, start)]
            if len(found) != 1:
                return None
            words.append(found[0])
            prev = end
        values = [set(_scale_values(w)) for w in words]
        if any(values[i] & values[j] for i in range(len(values)) for j in range(i)):
            return None
        tiers: list[JSON] = []
        for word, node in sorted(zip(words, nodes, strict=True), key=lambda p: -p[1]["rate"]):  # type: ignore[operator]
            tiers.append({"when": _scale_atom(word), "then": {**node, "cap": cap} if cap is not None else node})
        self.case_subjects.extend((m.start(), m.end()) for m in _SCALE_WORDS.finditer(self.text, s, spans[-1][1]))
        return {"tiers": tiers}

    def _listed_amounts(self, money: list[int]) -> int | None:
        """Where a run of two or more amounts joined only by 、/和/及 starts (10万元、5万元), or None."""
        ordered = sorted(money, key=lambda i: self.figs[i].start)
        for a, b in zip(ordered, ordered[1:], strict=False):
            fa, fb = self.figs[a], self.figs[b]
            if re.fullmatch(r"\s*(、|和|及)\s*", self.text[fa.end:fb.start]):
                # the list starts at its verb (一次性给予10万元、5万元), which is no case's word
                verb = re.search(r"(一次性)?(给予|予以|奖励|补助|奖补)?(一次性)?(奖励|补助)?\s*$", self.text[:fa.start])
                return verb.start() if verb and verb.group(0) else fa.start - 1
        return None

    def _rank_bands(self, si: int, s: int, money: list[int]) -> _Item | None:
        """其中:1—5名各奖励20万元,6—10名各奖励10万元: a ladder of ranks, each rank band a tier with
        its own amount, never a sum."""
        t = self.text
        bands: list[tuple[str, int]] = []
        for i in sorted(money, key=lambda i: self.figs[i].start):
            f = self.figs[i]
            rank = re.search(r"(第)?(\d+)\s*[—\-~～至到]\s*(\d+)\s*名[^,，;；。\d]{0,8}$|(前|第)(\d+)名[^,，;；。\d]{0,8}$",
                             t[self._chunk_start(f.start):f.start])
            if rank is None:
                continue
            label = f"排名第{rank.group(2)}—{rank.group(3)}名" if rank.group(2) else f"排名{rank.group(4)}{rank.group(5)}名"
            bands.append((label, i))
        if len(bands) < 2:
            return None
        kind = {i: "up_to" if self.roles.get(i) == "cap" else "fixed" for _label, i in bands}
        tiers = [{"when": {"check": label}, "then": {kind[i]: self.figs[i].value}} for label, i in bands]
        start, end = self.figs[bands[0][1]].start, self.figs[bands[-1][1]].end
        return _Item({"tiers": tiers}, start, end, si, self._subject_before(start, s))

    def _restated_rates(self, si: int, s: int, e: int, rates: list[int], caps: list[int]) -> _Item | None:
        """按投资额的5%给予补助，投资额1亿元以上的按8%给予补助 / ……按10%给予奖励，其中……的项目，奖励比例
        提高到12%（按投资额的12%给予奖励）: a later case of the sentence restates the rate for a bigger or
        special case. It replaces the general rate (a tier above it), never adds to it."""
        if len(rates) < 2 or _CUMULATIVE.search(self.text):
            return None
        t = self.text
        cases: list[tuple[int, int]] = []
        for prev, cur in zip(rates, rates[1:], strict=False):
            between = t[self.figs[prev].end:self.figs[cur].start]
            cut = re.search(r"[,，;；]", between)
            if cut is None:
                return None
            case_start = self.figs[prev].end + cut.end()
            bigger = any(self.roles.get(j) == "threshold" and self.ops.get(j) in (">=", ">")
                         and case_start <= f.start < self.figs[cur].start for j, f in enumerate(self.figs)) \
                and re.search(r"的\s*[,，]?\s*(按|给予|奖励|补助)", between)
            upgrade = re.search(r"比例[^,，。;；\d]{0,4}(提高到|提高至|提高为|调整为)", between)
            special_group = re.match(r"\s*其中", t[case_start:]) and re.search(
                r"(的|项目|企业)\s*[,，]?\s*(按|给予)", between)
            if not (bigger or upgrade or special_group):
                return None
            case_end = self._chunk_start(self.figs[cur].start) if upgrade or special_group else self.figs[cur].start
            cases.append((case_start, max(case_start, case_end)))
        general_base = self._base(s, self.figs[rates[0]].start)
        cap_idx = [i for i in caps if self.figs[i].start > self.figs[rates[0]].start]
        cap = self.figs[cap_idx[-1]].value if cap_idx else None

        def node(i: int, start: int) -> dict[str, JSON]:
            base = self._base(start, self.figs[i].start)
            rate: dict[str, JSON] = {"rate": self.figs[i].value,
                                     "base": general_base if base == {"input": "declared_amount"} else base}
            if cap is not None:
                rate["cap"] = cap
            return rate
        def when(cs: int, ce: int) -> JSON:
            # thresholds only: the clause's other atoms are not drafted yet
            bounds = [dict(a.node) for a in sorted(self.fig_atom.values(), key=lambda a: a.fig_start)
                      if cs <= a.fig_start < ce]
            if bounds:
                return bounds[0] if len(bounds) == 1 else {"all": bounds}
            return {"check": re.sub(r"^(其中)?[,，]?\s*(对|对于)?", "", t[cs:ce]).strip(" ,，")}
        special = [{"when": when(cs, ce), "then": node(i, cs)}
                   for (cs, ce), i in zip(cases, rates[1:], strict=True)]
        special.sort(key=lambda tier: -tier["then"]["rate"])
        self.case_subjects.extend(cases)
        tiers = [*special, {"when": {"always": True}, "then": node(rates[0], s)}]
        start, end = self.figs[rates[0]].start, self.figs[rates[-1]].end
        return _Item({"tiers": tiers}, start, end, si, self._subject_before(start, s), capped=cap is not None)

    def _labelled_caps(self, s: int, cap_idx: list[int]) -> list[tuple[str, int]] | None:
        """Two or more caps, each in its own chunk led by the case it limits (X补助最高不超过…)."""
        if len(cap_idx) < 2:
            return None
        t = self.text
        out: list[tuple[str, int]] = []
        for i in cap_idx:
            chunk = t[self._chunk_start(self.figs[i].start):self.figs[i].start]
            m = re.match(r"^\s*(?P<label>[^,，。;；\d]{2,20}?)(奖励|补助|奖补|资助|补贴)?(资金)?(最高|上限|不超过)", chunk)
            if not m or _PER_ENTERPRISE.search(m.group("label")):
                return None
            out.append((m.group("label").strip(), i))
        return out if len({label for label, _ in out}) == len(out) else None

    def _rate_cap_pairs(self, si: int, s: int, rates: list[int], caps: list[int]) -> list[_Item]:
        """先导产业奖励10%、主导产业奖励8%，单个项目最高分别为400万元、300万元: each listed rate
        with its own cap, the label before each rate naming its case (alternatives, never a sum)."""
        t = self.text
        tiers: list[dict[str, JSON]] = []
        base = self._base(s, self.figs[rates[0]].start)
        for r, c in zip(rates, caps, strict=True):
            label = re.split(r"[、,，:：]|其中", t[s:self.figs[r].start])[-1]
            label = re.sub(r"(奖励|补助|奖补|给予|按)+$", "", label).strip()
            then: dict[str, JSON] = {"rate": self.figs[r].value, "base": base, "cap": self.figs[c].value}
            tiers.append({"when": {"check": label} if label else {"always": True}, "then": then})
        return [_Item({"tiers": tiers}, self.figs[rates[0]].start, self.figs[caps[-1]].end, si,
                      self._subject_before(self.figs[rates[0]].start, s), capped=True)]

    def _runs(self, idx: list[int], roles: tuple[str, ...]) -> list[list[int]]:
        """Runs of figures of the given roles joined only by 、/和/及/或 (a listed ladder)."""
        t = self.text
        runs: list[list[int]] = []
        for i in idx:
            if self.roles.get(i) not in roles:
                continue
            if runs and runs[-1][-1] == i - 1 and self.roles.get(i - 1) in roles and re.fullmatch(
                    r"\s*(\((不?含|不包括)[^)]{0,8}\))?\s*(及以上|以上)?\s*[、和及或]\s*",
                    t[self.figs[i - 1].end:self.figs[i].start]):
                runs[-1].append(i)
            else:
                runs.append([i])
        return [r for r in runs if len(r) >= 2]

    def _parallel_lists(self, s: int, e: int, idx: list[int]) -> int | None:
        """达到3000万元、5000万元、1亿元以上的，给予0.5%、1%、1.5%的奖励: two lists of the same
        length, thresholds then values, pair up in order (a ladder, never a sum). Returns the
        position where the values start."""
        thresholds = self._runs(idx, ("threshold",))
        values = self._runs(idx, ("rate", "amount", "cap"))
        for th in thresholds:
            for vs in values:
                if len(vs) == len(th) and self.figs[vs[0]].start > self.figs[th[-1]].end:
                    kinds = {self.figs[i].kind for i in vs}
                    if len(kinds) == 1:
                        return self.figs[vs[0]].start - 1
        return None

    def _per_units(self, s: int, e: int, idx: list[int]) -> list[tuple[_Item, list[int]]]:
        t = self.text
        out: list[tuple[_Item, list[int]]] = []
        for m in _PER_UNIT.finditer(t, s, e):
            if not m.group(1) and m.group(3) in ("家", "户", "个", "项", "名") and m.group(2) in ("一",):
                continue
            after = [i for i in idx if self.figs[i].start >= m.end()
                     and self.roles.get(i) in ("amount", "cap")]
            if not after:
                continue
            first = after[0]
            between = t[m.end():self.figs[first].start]
            if re.search(r"[。;；]", between) or len(between) > 40:
                continue
            values = [first]
            if "分别" in between or "分别" in t[m.start():m.end()]:
                for j in after[1:]:
                    if re.fullmatch(r"\s*[、和]\s*", t[self.figs[values[-1]].end:self.figs[j].start]):
                        values.append(j)
            caps = [i for i in idx if self.roles.get(i) == "cap" and i not in values
                    and self.figs[i].start > self.figs[values[-1]].end]
            unit_desc = m.group(3)
            base_name = _unit_base_name(t[max(s, m.start() - 12):m.start()], m.group(1) or "",
                                        m.group(2) or "1", unit_desc)
            nodes: list[dict[str, JSON]] = []
            for j, v in enumerate(values):
                node: dict[str, JSON] = {"per_unit": self.figs[v].value, "base": {"input": base_name + (f"_{j + 1}" if len(values) > 1 else "")}}
                if caps:
                    node["cap"] = self.figs[caps[0]].value
                nodes.append(node)
            used = list(values) + caps[:1]
            node_all: dict[str, JSON] = nodes[0] if len(nodes) == 1 else {"sum": nodes}
            out.append((_Item(node_all, m.start(), self.figs[values[-1]].end,
                              self._sentence_of(m.start()), self._subject_before(m.start(), s),
                              capped=bool(caps)), used))
        taken = {u for _it, us in out for u in us}
        for i in idx:
            f = self.figs[i]
            slash = re.match(r"\s*/\s*(千瓦时|度|平方米|立方米|吨|亩|人|名|辆|台|套|件|间夜|千瓦)", t[f.end:])
            if f.kind != "money" or self.roles.get(i) not in ("amount", "cap") or i in taken or slash is None:
                continue
            # 0.2元/千瓦时、1000元/人: an amount per unit (万元/户、万元/家 stay one enterprise's amount)
            unit = "千瓦时" if slash.group(1) == "度" else slash.group(1)
            node_u: dict[str, JSON] = {"per_unit": f.value, "base": {"input": _unit_base_name("", "", "1", unit)}}
            caps_u = [j for j in idx if self.roles.get(j) == "cap" and j != i and self.figs[j].start > f.end]
            if caps_u:
                node_u["cap"] = self.figs[caps_u[0]].value
            out.append((_Item(node_u, f.start, f.end + slash.end(), self._sentence_of(f.start),
                              self._subject_before(f.start, s), capped=bool(caps_u)), [i, *caps_u[:1]]))
        for m in _PER_ITEM.finditer(t, s, e):
            if m.group("noun") == "项目" and not m.group(0).startswith("按"):
                continue  # 评选5个项目，每个项目奖励50万元: each project is the applicant
            # 按每个产品最高50万元 / 每件给予2000元: an amount per declared item, never one lump
            after = [i for i in idx if self.figs[i].start >= m.end() and self.roles.get(i) in ("amount", "cap")
                     and i not in {u for _it, us in out for u in us}]
            if not after or re.search(r"[。;；,，]", t[m.end():self.figs[after[0]].start]) \
                    or len(t[m.end():self.figs[after[0]].start]) > 16:
                continue
            first = after[0]
            caps = [i for i in idx if self.roles.get(i) == "cap" and i != first and self.figs[i].start > self.figs[first].end]
            node_pi: dict[str, JSON] = {"per_unit": self.figs[first].value,
                                        "base": {"input": _ITEM_BASES.get(m.group("noun"), "items_count")}}
            if caps:
                node_pi["cap"] = self.figs[caps[0]].value
            out.append((_Item(node_pi, m.start(), self.figs[first].end, self._sentence_of(m.start()),
                              self._subject_before(m.start(), s), capped=bool(caps)), [first] + caps[:1]))
        for m in re.finditer(r"([\u4e00-\u9fff]{1,8})\s*[*×]\s*(\d+)\s*元", t[s:e]):
            fig_idx = [i for i in idx if self.figs[i].start == s + m.start(2)]
            if fig_idx:
                node = {"per_unit": self.figs[fig_idx[0]].value,
                        "base": {"input": _base_name(m.group(1)) if _base_name(m.group(1)) != "declared_amount"
                                 else "declared_units"}}
                before = t[self._chunk_start(s + m.start()):s + m.start()] + m.group(1)
                limit = re.search(r"(不超过|不高于|最高|上限)", before) is not None
                later_caps = [i for i in idx if self.roles.get(i) == "cap"
                              and self.figs[i].start > s + m.end()]
                if later_caps:
                    node["cap"] = self.figs[later_caps[0]].value
                out.append((_Item(node, s + m.start(), s + m.end(), self._sentence_of(s + m.start()),
                                  limit=limit), fig_idx + later_caps[:1]))
        return out

    def _tiers(self, si: int, s: int, e: int, r_pos: int, rates: list[int], amounts: list[int],
               caps: list[int], units: list[int]) -> list[_Item]:
        t = self.text
        values = rates if len(rates) >= 2 else sorted(amounts, key=lambda i: self.figs[i].start)
        # the list after 分别 is the run of values joined by 、/和
        run = [values[0]]
        for j in values[1:]:
            gap = t[self.figs[run[-1]].end:self.figs[j].start]
            if re.fullmatch(r"\s*[、和及,，]\s*[\u4e00-\u9fff]{0,6}\s*", gap) and not re.search(r"[。;；]", gap):
                run.append(j)
            else:
                break
        is_rate = len(rates) >= 2
        cap_candidates = [i for i in caps if i not in run]
        cap = self.figs[cap_candidates[0]].value if (is_rate and cap_candidates) else None
        between = t[r_pos:self.figs[run[0]].start]
        up_to = bool(re.search(r"(最高|不超过|不高于|最多)", between))
        thens: list[dict[str, JSON]] = []
        for j in run:
            f = self.figs[j]
            if is_rate:
                base = self._base(s, self.figs[run[0]].start)
                node: dict[str, JSON] = {"rate": f.value, "base": base}
                if cap is not None:
                    node["cap"] = cap
            else:
                node = {"up_to" if up_to else "fixed": f.value}
            thens.append(node)
        # the conditions listed before 分别
        thresholds = [i for i, f in enumerate(self.figs) if s <= f.start < r_pos
                      and self.roles.get(i) == "threshold"]
        ordered: list[tuple[JSON, dict[str, JSON]]] = []
        if len(thresholds) != len(run):
            lower = [i for i in thresholds if self.ops.get(i) in (">=", ">")]
            if len(lower) == len(run):
                thresholds = lower
        if len(thresholds) == len(run):
            if not self.fig_atom:
                self.threshold_atoms()
            atoms = self.fig_atom
            pairs = []
            for ti, then in zip(thresholds, thens, strict=True):
                f = self.figs[ti]
                atom = atoms.get(f.start)
                pairs.append((f.value, atom.node if atom else {"check": t[self._chunk_start(f.start):f.end]}, then))
            pairs.sort(key=lambda p: p[0], reverse=True)
            for k, (_v, when, then) in enumerate(pairs):
                if k == len(pairs) - 1 and "field" in when:
                    when = {"always": True}
                ordered.append((when, then))
        elif self._level_tiers(s, r_pos, run, thens) is not None:
            ordered = self._level_tiers(s, r_pos, run, thens) or []
        elif self._level_list_tiers(s, r_pos, thens) is not None:
            ordered = self._level_list_tiers(s, r_pos, thens) or []
        else:
            quals = [a for a in self.qualification_atoms() if s <= a.start < r_pos]
            if len({repr(q.node) for q in quals[-len(run):]}) < len(run):
                quals = []  # 首次认定的高企和重新认定的高企: the same code cannot tell the cases apart
            if len(quals) >= len(run):
                quals = quals[-len(run):] if len(quals) > len(run) else quals
                for q, then in zip(quals, thens, strict=True):
                    ordered.append((q.node, then))
            elif _value_labels(t, s, [self.figs[j].start for j in run]) is not None:
                # 分别给予一等奖30万元、二等奖20万元: each value carries its own label
                labels = _value_labels(t, s, [self.figs[j].start for j in run]) or []
                for label, then in zip(labels, thens, strict=True):
                    ordered.append(({"check": label}, then))
            else:
                subject = t[s:r_pos]
                parts = [p for p in re.split(r"[、,，]", subject) if p.strip()]
                if len(parts) < len(run):
                    parts = [p for p in re.split(r"[、,，和或]|及(?!以上)", subject) if p.strip()]
                parts = parts[-len(run):] if len(parts) >= len(run) else parts + [""] * (len(run) - len(parts))
                for p, then in zip(parts, thens, strict=True):
                    ordered.append(({"check": p.strip() or "按条款所列情形"}, then))
        node_t: dict[str, JSON] = {"tiers": [{"when": w, "then": th} for w, th in ordered]}
        first = self.figs[run[0]]
        each = re.search(r"每(?:个|项|件|一个|一项)(?P<noun>[\u4e00-\u9fff]{1,4}?)(?:一次性)?(?:给予|奖补|奖励|补助|资助)", between)
        if each and not is_rate:
            # 分别给予每个标准100万元、50万元，单个企业总额最高150万元: an amount per item of each listed
            # kind, which add up (an enterprise may lead both kinds), bounded by the enterprise's total
            noun = _ITEM_BASES.get(each.group("noun"), "items_count").removesuffix("_count")
            per_item: list[JSON] = [{"per_unit": self.figs[j].value, "base": {"input": f"{noun}_{k + 1}_count"}}
                                    for k, j in enumerate(run)]
            totals = [i for i in cap_candidates if self.figs[i].start > self.figs[run[-1]].end
                      and _PER_ENTERPRISE.search(t[self._chunk_start(self.figs[i].start):self.figs[i].start])]
            node_e: dict[str, JSON] = {"sum": per_item}
            if totals:
                node_e = {"min": [node_e, {"fixed": self.figs[totals[0]].value}]}
                self.roles[totals[0]] = "used_cap"
            return [_Item(node_e, first.start, self.figs[run[-1]].end, si, self._subject_before(r_pos, s),
                          capped=bool(totals))]
        return [_Item(node_t, first.start, self.figs[run[-1]].end, si,
                      self._subject_before(r_pos, s), capped=cap is not None)]

    def _level_list_tiers(self, s: int, r_pos: int,
                          thens: list[dict[str, JSON]]) -> list[tuple[JSON, dict[str, JSON]]] | None:
        """对新认定的国家级、省级X，分别给予A、B: the listed levels pair with the values in order."""
        t = self.text
        found = list(_LEVEL_LIST.finditer(t, s, r_pos))
        if not found:
            return None
        m = found[-1]
        if m is None:
            return None
        levels = re.findall(r"国家级|国家|省级|省|市级|市|区级|县级", m.group("levels"))
        if len(levels) != len(thens):
            return None
        kinds = [k for k in re.split(r"[、和或]", m.group("kinds")) if k]
        out: list[tuple[JSON, dict[str, JSON]]] = []
        word = {"国家": "国家级", "省": "省级", "市": "市级"}
        for level, then in zip(levels, thens, strict=True):
            level = word.get(level, level)
            nodes: list[JSON] = []
            for kind in kinds:
                code = next((c for a, c in self.catalogue if a == level + kind
                             or a == level.rstrip("级") + kind), None)
                nodes.append({"field": "qualifications", "op": "has", "value": code} if code
                             else {"check": level + kind})
            out.append((nodes[0] if len(nodes) == 1 else {"any": nodes}, then))
        return out

    def _level_tiers(self, s: int, r_pos: int, run: list[int],
                     thens: list[dict[str, JSON]]) -> list[tuple[JSON, dict[str, JSON]]] | None:
        """分别给予国家级100万元、省级50万元: each value names the level of one designation."""
        t = self.text
        levels = []
        for j in run:
            m = re.search(r"(国家级|省级|市级|区级|县级)\s*$", t[max(s, self.figs[j].start - 4):self.figs[j].start])
            if not m:
                return None
            levels.append(m.group(1))
        kinds = [m for m in _DESIGNATION.finditer(t, s, r_pos)]
        kind = kinds[-1].group("kind") if kinds else None
        if kind is None:
            for alias, _code in self.catalogue:
                if alias in t[s:r_pos]:
                    kind = re.sub(r"^(国家级|国家|省级|省|市级|市)", "", alias)
                    break
        if kind is None:
            return None
        out: list[tuple[JSON, dict[str, JSON]]] = []
        for level, then in zip(levels, thens, strict=True):
            code = next((c for a, c in self.catalogue if a == level + kind), None)
            if code is None:
                code = _suggest_code(level, kind) if kind in lexicon.DESIGNATION_KINDS else None
            if code is None:
                return None
            out.append(({"field": "qualifications", "op": "has", "value": code}, then))
        return out

    def combine(self, items: list[_Item]) -> dict[str, JSON] | None:
        """Apply caps stated in their own sentence, drop duplicates, join with sum; then a
        国家级的加倍 rider doubles each case of a 分别 list for the national level."""
        reward = self._combine(items)
        m = _DOUBLED_NATIONAL.search(self.text)
        if reward is None or m is None or "tiers" not in reward:
            return reward
        cases = reward["tiers"]
        if len(cases) < 2 or not all(len(c["then"]) == 1 and next(iter(c["then"])) in ("fixed", "up_to")
                                     for c in cases):
            return reward
        # 对列入省级绿色工厂、绿色产品名单的，分别给予50万元、15万元，列入国家级的加倍: every case
        # stays a benefit of its own (the list is of different things) with a national tier at
        # twice its amount above it.
        parts: list[JSON] = []
        for case in cases:
            kind, amount = next(iter(case["then"].items()))
            label = case["when"].get("check", "") if isinstance(case["when"], dict) else ""
            what = re.sub(r"^(对|列入|获评|认定为|获批)+|省级|省|的$", "", re.sub(r"\s+", "", label)).strip(" ,，")
            if not what:
                return reward  # a case named only by a designation code: leave the list as drafted
            # both tiers name their level, so the national tier never pays a provincial listing
            parts.append({"tiers": [{"when": {"check": f"列入国家级{what}"}, "then": {kind: amount * 2}},
                                    {"when": {"check": f"列入省级{what}"}, "then": case["then"]}]})
        return {"sum": parts}

    def _combine(self, items: list[_Item]) -> dict[str, JSON] | None:
        t = self.text
        if not items:
            return None
        # standalone caps: a cap figure in a sentence that produced no item of its own
        item_sentences = {it.sentence for it in items}
        self._caps_per_case(items, item_sentences)
        for i, f in enumerate(self.figs):
            if self.roles.get(i) != "cap":
                continue
            si = self._sentence_of(f.start)
            chunk = t[self._chunk_start(f.start):f.start]
            per_enterprise = _PER_ENTERPRISE.search(chunk)
            if per_enterprise:
                for it in items:
                    if not it.capped and _cap_target(it.node):
                        it.node = _apply_cap(it.node, f.value)
                        it.capped = True
                continue
            if si in item_sentences:
                continue
            targets = [it for it in items if it.sentence < si and not it.capped and _cap_target(it.node)]
            if not targets:
                continue
            target = targets[-1]
            target.node = _apply_cap(target.node, f.value)
            target.capped = True
        merged: list[_Item] = []
        for it in items:
            if it.limit and merged:
                prev = merged[-1]
                limit_node = {k: v for k, v in it.node.items() if k != "cap"}
                bounds: list[JSON] = [prev.node, limit_node]
                if "cap" in it.node:
                    bounds.append({"fixed": it.node["cap"]})
                prev.node = {"min": bounds}
                continue
            merged.append(it)
        fl = _FORMULA_LIMIT.search(t)
        if fl and merged and not re.search(r"\d", fl.group("what")):
            last = merged[-1]
            what = fl.group("what")
            last.node = {"min": [last.node, {"rate": Decimal(1), "base": {"input": _base_name(what)}}]}
        unique: list[_Item] = []
        seen: set[str] = set()
        for it in merged:
            key = repr(to_json(it.node))
            if key in seen and not it.extra:
                continue
            seen.add(key)
            unique.append(it)
        if len(unique) == 1:
            return unique[0].node
        banded = self._banded(unique)
        if banded is not None:
            return banded
        cases = self._level_cases(unique)
        if cases is not None:
            return cases
        exclusive = self._exclusive_cases(unique)
        if exclusive is not None:
            return exclusive
        if all(not it.extra for it in unique[1:]) and _same_formula(unique):
            # the same formula with different rates for different cases: alternatives
            return {"tiers": [{"when": self.subject_condition(it.subject) if it.subject else {"always": True},
                               "then": it.node} for it in unique]}
        parts: list[dict[str, JSON]] = []
        first_subject = unique[0].subject
        several_cases = first_subject is not None and all(it.seg_start >= 0 for it in unique[1:]) and len(unique) > 1
        for k, it in enumerate(unique):
            if (k > 0 or several_cases) and it.subject and (k == 0 or it.subject != first_subject):
                # one case of several in the clause: its amount only under its own condition
                when = self.subject_condition(it.subject)
                parts.append({"tiers": [{"when": when, "then": it.node}]})
            else:
                parts.append(it.node)
        return {"sum": parts}

    def _caps_per_case(self, items: list[_Item], item_sentences: set[int]) -> None:
        """给予10%的补助。其中：A项目最高补助5000万元，B项目最高3000万元；其他项目最高2000万元: a later
        sentence of caps each led by its case makes the one rate before it a tier per case (其他 the
        fallback), instead of the first cap bounding every project."""
        if len(items) != 1 or "rate" not in items[0].node or items[0].capped:
            return
        t = self.text
        for si, (s, e) in enumerate(self.sentences):
            if si in item_sentences or si < items[0].sentence or not re.match(r"\s*其中", t[s:e]):
                continue
            stop = t.find("。", s)
            end = len(t) if stop < 0 else stop  # 其中 runs to the full stop, across its ；
            if any(s <= it.start < end for it in items):
                continue
            cap_idx = [i for i, f in enumerate(self.figs) if self.roles.get(i) == "cap" and s <= f.start < end]
            labelled = self._labelled_caps(s, cap_idx)
            if labelled is None:
                continue
            tiers: list[JSON] = []
            for label, i in labelled:
                label = re.sub(r"^其中\s*[:：,，]?\s*", "", label)
                when: JSON = {"always": True} if label.startswith("其他") and (label, i) == labelled[-1] else {"check": label}
                tiers.append({"when": when, "then": {**items[0].node, "cap": self.figs[i].value}})
            items[0].node = {"tiers": tiers}
            items[0].capped = True
            for _label, i in labelled:
                self.roles[i] = "used_cap"
            return

    def _case_phrase(self, items: list[_Item], k: int) -> tuple[int, int]:
        """Where the k-th item's own case is worded: its subject, else the words between the
        previous item (or its sentence's start) and its amount."""
        it = items[k]
        if it.subject is not None:
            return it.subject
        start = self.sentences[it.sentence][0]
        if it.seg_start >= 0:
            start = max(start, it.seg_start)
        if k > 0 and items[k - 1].end <= it.start:
            start = max(start, items[k - 1].end)
        base = self.text.rfind("基础上", start, it.start)
        if base >= 0:
            # 在州级对……奖励5万元的基础上,县级对……: the level above's case is not this case's words
            start = base + len("基础上")
        return start, it.start

    def _exclusive_cases(self, items: list[_Item]) -> dict[str, JSON] | None:
        """Cases that cannot hold together are alternatives (tiers), never a sum:
        * each case names its own industries and no industry is in two cases (批发业企业奖励10万元；
          零售业、住宿业、餐饮业企业奖励5万元): an enterprise has one industry;
        * a later case restates the benefit for a special group (其中，对……的，叠加后给予35万元;
          ……的，奖励上限提高至500万元): the special case replaces the general one, which stays as
          the fallback tier."""
        if len(items) < 2 or _CUMULATIVE.search(self.text) or any(it.extra or it.limit for it in items):
            return None
        t = self.text
        phrases = [self._case_phrase(items, k) for k in range(len(items))]
        codes: list[set[str]] = []
        for s, e in phrases:
            found = {str(a.node["value"]) for a in self.all_atoms
                     if s <= a.start < e and a.node.get("field") == "industry"}
            codes.append(found)
        if all(codes) and all(not (codes[i] & codes[j]) for i in range(len(codes)) for j in range(i)):
            return {"tiers": [{"when": self._case_condition(s, e), "then": it.node}
                              for (s, e), it in zip(phrases, items, strict=True)]}
        sizes = [[m.group(0) for m in _SCALE_WORDS.finditer(t, s, e)] for s, e in phrases]
        if all(len(words) == 1 for words in sizes) and len({w[0] for w in sizes}) == len(items) and all(
                not set(_scale_values(a[0])) & set(_scale_values(b[0])) for i, a in enumerate(sizes) for b in sizes[:i]):
            # 中小微企业按60%返还，大型企业按30%返还: an enterprise has one size, so one rate applies
            self.case_subjects.extend(phrases)
            tiers_s = [{"when": _scale_atom(words[0]), "then": it.node} for words, it in zip(sizes, items, strict=True)]
            tiers_s.sort(key=lambda tier: -max(_amounts_of(tier["then"]) or [Decimal(0)]))
            return {"tiers": tiers_s}
        areas = [re.findall(r"([\u4e00-\u9fff、]{2,12}?)(?:地区|片区|区域)", t[s:e]) for s, e in phrases]
        if all(len(a) == 1 for a in areas) and len({a[0] for a in areas}) == len(items):
            # 珠三角地区每家企业120万元，粤东、粤西、粤北地区每家企业150万元: an enterprise is in one area
            self.case_subjects.extend(phrases)
            tiers_a = [{"when": {"check": f"{a[0]}地区企业"}, "then": it.node} for a, it in zip(areas, items, strict=True)]
            tiers_a.sort(key=lambda tier: -max(_amounts_of(tier["then"]) or [Decimal(0)]))
            return {"tiers": tiers_a}
        if self._escalation(items, phrases):
            upgrades_all = list(range(1, len(items)))
            special = [{"when": self._case_condition(*phrases[k]), "then": items[k].node} for k in upgrades_all]
            special.sort(key=lambda tier: -max(_amounts_of(tier["then"]) or [Decimal(0)]))
            self.case_subjects.extend(phrases[k] for k in upgrades_all)
            return {"tiers": [*special, {"when": {"always": True}, "then": items[0].node}]}
        kinds = [_BENEFICIARY.match(re.sub(r"^[\s,，;；]*(其中)?[,，]?\s*(对|对于)?", "", t[ps:pe])) for ps, pe in phrases]
        if all(kinds) and len({m.group(1) for m in kinds if m}) == len(items) and any(
                m.group(1) != "企业" for m in kinds if m):
            # 对事业单位……给予1000万元；对企业……给予最高500万元: one beneficiary is one kind of body
            tiers_b: list[JSON] = []
            for (ps, pe), it, kind in zip(phrases, items, kinds, strict=True):
                when = self._case_condition(ps, pe)
                if kind and kind.group(1) != "企业" and "check" not in json_dumps(when):
                    when = {"all": [*(when["all"] if "all" in when else [when]), {"check": f"属{kind.group(1)}"}]}
                tiers_b.append({"when": when, "then": it.node})
            return {"tiers": tiers_b}
        upgrades = [k for k in range(1, len(items))
                    if _UPGRADE.search(t[phrases[k][0]:items[k].end + 8])
                    or re.search(r"其中[,，]?\s*(对)?\s*$", t[max(0, phrases[k][0] - 6):phrases[k][0]])
                    # ……每户奖励20万元；属于战略性新兴工业的企业，每户奖励30万元: a subgroup of the case before
                    or re.match(r"^[\s,，;；]*(对|其中)?\s*属于", t[phrases[k][0]:phrases[k][1]])]
        if upgrades and 0 not in upgrades and items[0].subject is None or (
                upgrades and items[0].subject is not None
                and all(k in upgrades for k in range(1, len(items)))):
            special = [{"when": self._case_condition(*phrases[k]), "then": items[k].node}
                       for k in range(1, len(items))]
            # the special groups' words are their tiers' conditions, not the clause's
            self.case_subjects.extend(phrases[k] for k in range(1, len(items)))
            special.sort(key=lambda tier: -max(_amounts_of(tier["then"]) or [Decimal(0)]))
            return {"tiers": [*special, {"when": {"always": True}, "then": items[0].node}]}
        return None

    def _escalation(self, items: list[_Item], phrases: list[tuple[int, int]]) -> bool:
        """对技术改造项目……最高800万元；对投资额达到2亿元以上的项目……最高2500万元: the general
        case has no threshold, each later case adds a lower bound and pays more in the same form —
        a bigger project gets the bigger amount instead of both."""
        def lower_bounds(s: int, e: int) -> list[_Atom]:
            return [a for a in self.fig_atom.values()
                    if s <= a.fig_start < e and a.node.get("op") in (">=", ">")]
        if _BECOMING.search(self.text[phrases[0][0]:phrases[0][1]]) or "。" in self.text[items[0].end:items[-1].start]:
            return False  # a general case that is an event is its own benefit; 。 ends the measure
        if lower_bounds(*phrases[0]) or any(
                self.fig_atom.get(f.start) is not None for f in self.figs
                if phrases[0][0] <= f.start < phrases[0][1]):
            return False
        first_kind = next(iter(items[0].node))
        first_top = max(_amounts_of(items[0].node) or [Decimal(0)])
        for k in range(1, len(items)):
            if not lower_bounds(*phrases[k]) or next(iter(items[k].node)) != first_kind:
                return False
            if max(_amounts_of(items[k].node) or [Decimal(0)]) <= first_top:
                return False
        return True

    def _case_condition(self, s: int, e: int) -> JSON:
        phrase = self.text[s:e].strip(" ,，;；。")
        # the reward's own words before its amount (，每户一次性奖励) are no part of the case
        phrase = re.sub(r"[,，]?\s*(每户|每家|单家)?(可获得)?(一次性)?(给予|予以|奖励|补助|奖补)*$", "", phrase) or phrase
        atoms = [a for a in self.all_atoms if s <= a.start < e]
        combined = _combine_atoms(atoms)
        if combined is not None:
            if not any(a.node.get("field") == "industry" for a in atoms) and len(phrase) > 2 * sum(
                    a.end - a.start for a in atoms) + 8:
                return {"all": [*(combined["all"] if "all" in combined else [combined]), {"check": phrase}]}
            return combined
        return {"check": re.sub(r"^(其中|对)+", "", phrase).strip(" ,，") or phrase}

    def _level_cases(self, items: list[_Item]) -> dict[str, JSON] | None:
        """其中获省级称号的奖励10万元，获国家级称号的奖励30万元: cases told apart by their level (in one
        sentence, or one sentence each) are alternatives (tiers, highest amount first), never a sum."""
        several = len({it.sentence for it in items}) > 1
        if len(items) < 2 or any(it.extra for it in items) or several and (
                _CUMULATIVE.search(self.text) or len({it.sentence for it in items}) != len(items)):
            return None
        t = self.text
        labels: list[str] = []
        for k, it in enumerate(items):
            # 对认定为国家级……的，给予50万元；对认定为省级……的，给予20万元: one case per sentence
            own_start = self.sentences[it.sentence][0] if several else (self._chunk_start(it.start) if k == 0 else -1)
            start = it.seg_start if it.seg_start >= 0 else own_start
            if start < 0:
                return None
            phrase = t[start:it.start]
            if _level_of(phrase) is None:
                return None
            labels.append(re.sub(r"(给予|予以|奖励|补助|一次性)+$", "",
                                 re.sub(r"^(\d+[.、．]\s*)?(其中|对)", "", phrase.strip(" ,，")).strip()).strip(" ,，"))
        if len({_level_of(lb) for lb in labels}) != len(labels):
            return None
        pairs = sorted(zip(labels, items, strict=True), key=lambda p: -max(_amounts_of(p[1].node) or [Decimal(0)]))
        return {"tiers": [{"when": {"check": label}, "then": it.node} for label, it in pairs]}

    def _banded(self, items: list[_Item]) -> dict[str, JSON] | None:
        """Sentences that each start with a band of one measure (展览面积A以上的…;B以上的…): a
        ladder of alternatives, each band a tier with its own amount, never a sum. A measure the
        extractor cannot name still bands (the same kind of figure, compared in each sentence)."""
        if _CUMULATIVE.search(self.text):
            return None  # 可兼得/可叠加: the policy says the amounts add up
        groups: dict[int, list[_Item]] = {}
        for it in items:
            groups.setdefault(it.seg_start if it.seg_start >= 0 else self.sentences[it.sentence][0], []).append(it)
        if len(groups) < 2:
            return None
        keyed: list[tuple[int, list[_Item], dict[str, list[tuple[int, Figure]]]]] = []
        for s, members in groups.items():
            first = min(m.start for m in members)
            measures: dict[str, list[tuple[int, Figure]]] = {}
            for i, f in enumerate(self.figs):
                if s <= f.start < first and self.roles.get(i) == "threshold":
                    atom = self.fig_atom.get(f.start)
                    if atom:
                        measures.setdefault(str(atom.node["field"]), []).append((i, f))
                    # the same kind of figure (money, rate …) is one measure when names differ
                    measures.setdefault("?" + f.kind, []).append((i, f))
            if not measures:
                return None
            keyed.append((s, members, measures))
        common = set(keyed[0][2])
        for _si, _m, measures in keyed[1:]:
            common &= set(measures)
        if not common:
            return None
        key = sorted(common, key=lambda k: (k.startswith("?"), k))[0]  # a named field before "?kind"
        bands: list[tuple[Decimal, JSON, JSON]] = []
        for _s, members, measures in keyed:
            lows = [(i, f) for i, f in measures[key] if self.ops.get(i) in (">=", ">")]
            low = min(lows, key=lambda p: p[1].value) if lows else None
            value = low[1].value if low else Decimal(0)
            when: JSON = None
            if low is not None:
                # the band's own bounds and companion thresholds (研发费用500万—1000万且研发强度3%)
                s_band = _s
                first_item = min(m.start for m in members)
                band_atoms = [dict(a.node) for a in sorted(self.fig_atom.values(), key=lambda a: a.fig_start)
                              if s_band <= a.fig_start < first_item]
                atom = self.fig_atom.get(low[1].start)
                if atom is None:
                    band_atoms.append({"check": self.text[self._chunk_start(low[1].start):
                                                          self._chunk_end(low[1].end)].strip()})
                when = band_atoms[0] if len(band_atoms) == 1 else {"all": band_atoms}
            node: JSON = members[0].node if len(members) == 1 else {"sum": [m.node for m in members]}
            bands.append((value, when, node))
        if len({b[0] for b in bands}) != len(bands):
            return None  # not a ladder: two sentences at the same level are different benefits
        bands.sort(key=lambda b: b[0], reverse=True)
        if key.startswith("?") and not _monotone_ladder([b[2] for b in bands]):
            return None  # unnamed measures only band when the money climbs with the threshold
        for s, members, _measures in keyed:
            first = min(m.start for m in members)
            self.band_positions.update(a.fig_start for a in self.fig_atom.values() if s <= a.fig_start < first)
        tiers = []
        for _value, when, node in bands:
            tiers.append({"when": {"always": True} if when is None else when, "then": node})
        return {"tiers": tiers}

    def subject_condition(self, subject: tuple[int, int]) -> JSON:
        s, e = subject
        phrase = self.text[s:e].strip()
        atoms = [a for a in self.all_atoms if s <= a.start < e]
        combined = _combine_atoms(atoms)  # industries and designations of one list are any-of
        nodes: list[JSON] = [] if combined is None else (list(combined["all"]) if "all" in combined else [combined])
        if not nodes or len(phrase) > 2 * sum(a.end - a.start for a in atoms) + 8:
            nodes.append({"check": phrase})
        return nodes[0] if len(nodes) == 1 else {"all": nodes}

    def none_reward(self) -> dict[str, JSON] | None:
        t = self.text
        for s, e in self.sentences:
            sentence = t[s:e]
            if self.heading[0] < e and s < self.heading[1]:
                continue  # the clause's own heading names a topic, not the benefit
            if _NOT_A_BENEFIT.search(sentence):
                continue  # 就高不重复, 否则退还, 审议后报批, 清单管理: rules about benefits, not one
            money_free = not any(f.kind in ("money", "rate") for f in self.figs)
            if any(w in sentence for w in lexicon.NONE_BENEFIT) or _OTHER_BENEFIT.search(sentence) or (
                    money_free and _UNQUANTIFIED.search(sentence) and not re.search(r"(系数|折算)", t)):
                if re.search(r"(不得|禁止|严禁)", sentence) and not re.search(r"(免征|优先)", sentence):
                    continue
                words = sentence.strip().rstrip("。;；")
                words = re.sub(r"^\s*(第[^条]{1,4}条|[(（][^)）]{1,4}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])", "", words)
                self.span("reward", "reward.none", s, e)
                return {"none": words}
        return None

    def none_beside_money(self, items: list[_Item]) -> dict[str, JSON] | None:
        """A sentence granting a non-monetary benefit next to money items (可享受…优惠政策)."""
        t = self.text
        money_sentences = {it.sentence for it in items}
        for si, (s, e) in enumerate(self.sentences):
            if si in money_sentences or self._is_excluded(s):
                continue
            sentence = t[s:e]
            if any(s <= f.start < e and self.roles.get(i) in ("amount", "rate", "cap", "unit")
                   for i, f in enumerate(self.figs)):
                continue
            if re.search(r"由各[^,，。;；]{0,6}(研究|自行|另行|制定)", sentence):
                continue  # left to each lower government's own policy: nothing this clause gives
            if re.search(r"(可享受|给予[^,，。;；]{0,12}(政策支持|支持|配套)|免征|优先供地)", sentence):
                self.span("reward", "reward.none", s, e)
                return {"none": sentence.strip().rstrip("。;；")}
        return None

    def lead_subject(self) -> tuple[int, int] | None:
        """Without 对……的, the words before the benefit verb name who benefits."""
        t = self.text
        for s, e in self.sentences:
            if self._is_excluded(s):
                continue
            sentence = t[s:e]
            m = re.search(r"(给予|予以|免征|减征|免缴|按照|按其|按(?=\d|[^照其])|优先|可申请|可享受|可由|由[^,，。]{0,8}(财政|基金)|奖励|补助|最高|可抵扣|抵扣|返还)", sentence)
            if not m:
                continue
            lead = re.match(r"^\s*(第[一二三四五六七八九十百零\d]{1,4}条|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、]|[(（][^)）]{1,4}[)）])?\s*", sentence)
            begin = s + (lead.end() if lead else 0)
            end = s + m.start()
            lead_text = t[begin:end]
            if re.search(r"^(奖补|补助|奖励|资助|补贴)|(金额|标准|额度)\s*[:：为是]?\s*[,，]?\s*$", lead_text):
                return None
            if end - begin >= 4:
                return (begin, end)
            return None
        return None



    # -- mode, window, departments ---------------------------------------------------------------
    def mode(self) -> tuple[str | None, tuple[int, int] | None]:
        t = self.text
        for pattern, mode in ((_MODE_FREE, "免申即享"), (_MODE_INSTANT, "即申即享")):
            m = pattern.search(t)
            if m:
                return mode, m.span()
        for m in _MODE_REVIEW.finditer(t):
            if m.group(0) == "申报" and (
                    re.match(r"^[^,，。;；]{0,30}(称号|商标|名录|荣誉)", t[m.end():])
                    or re.match(r"^并(获批|获得|取得)", t[m.end():])
                    or re.search(r"(统计数据|数据)\s*$", t[max(0, m.start() - 6):m.start()])):
                # 申报称号 / 申报并获批的商标 / 统计数据申报: applying for a title, a trademark or filing
                # statistics is not how this benefit is granted (the set's README)
                continue
            return "申报审核", m.span()
        return None, None


# A designation outside the catalogue: awarded (获评/认定为/入选…) and named by a known kind.
_DESIGNATION = re.compile(
    r"(?:获评|评为|认定为|认定的|入选|列入|获批|新获|获得|授予)(?:为)?[“\"]?"
    r"(?P<name>(?P<level>国家级|国家|省级|省|市级|市|区级|县级)?[\u4e00-\u9fff]{0,10}?"
    r"(?P<kind>" + "|".join(sorted(lexicon.DESIGNATION_KINDS, key=len, reverse=True)) + r"))"
)


def _value_labels(text: str, start: int, positions: list[int]) -> list[str] | None:
    """The short label right before each listed value (一等奖30万元、二等奖20万元), if all have one."""
    labels: list[str] = []
    for pos in positions:
        before = re.split(r"[、,，]|给予|分别", text[start:pos])[-1].strip()
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,6}", before):
            return None
        labels.append(before)
    return labels if len(set(labels)) == len(labels) else None


def _suggest_code(level: str, kind: str) -> str:
    suffix = {"国家级": "_nat", "国家": "_nat", "省级": "_prov", "省": "_prov", "市级": "_city",
              "市": "_city", "区级": "_county", "县级": "_county"}.get(level, "")
    return lexicon.DESIGNATION_KINDS[kind] + suffix


def _PER_UNIT_HEAD(text: str, f: Figure) -> bool:
    """A money figure directly after 每/每满/每新增 is the size of a unit, not an amount."""
    pre = text[max(0, f.start - 8):f.start]
    return re.search(r"每\s*(新增|满|增加|同比增加|同比增长|引进)?\s*$", pre) is not None


def _unit_base_name(before: str, verb: str, count: str, unit: str) -> str:
    words = {"人": "persons", "名": "persons", "家": "enterprises", "户": "enterprises",
             "平方米": "sqm", "立方米": "cubic_metres", "亩": "mu", "间夜": "room_nights", "台": "units", "套": "sets", "吨": "tonnes",
             "千瓦": "kw", "千瓦时": "kwh", "辆": "vehicles", "个": "items", "项": "items", "万元": "10k_yuan", "亿元": "100m_yuan",
             "元": "yuan", "万美元": "10k_usd", "亿美元": "100m_usd", "美元": "usd"}
    unit_word = words.get(unit, "units")
    prefix = "new_" if verb in ("新增", "增加", "同比增加", "同比增长", "引进", "招用", "吸纳") else ""
    if verb == "满" or unit in ("万元", "亿元", "元", "万美元", "亿美元", "美元", "平方米"):
        return f"{prefix}full_{count}_{unit_word}_units"
    return f"{prefix}{unit_word}_count"


def _amounts_of(node: JSON) -> list[Decimal]:
    if isinstance(node, dict):
        out = [v for k, v in node.items() if k in ("fixed", "up_to", "cap") and isinstance(v, Decimal)]
        for k, v in node.items():
            if k != "when":
                out.extend(_amounts_of(v))
        return out
    if isinstance(node, list):
        return [a for v in node for a in _amounts_of(v)]
    return []


def _monotone_ladder(nodes: list[JSON]) -> bool:
    """Rewards of one kind whose amounts fall as the bands fall (highest band first)."""
    kinds = {next(iter(n)) for n in nodes if isinstance(n, dict) and n}
    if len(kinds) != 1:
        return False
    kind = next(iter(kinds))
    if kind not in ("fixed", "up_to", "rate", "per_unit"):
        return False
    values = [n[kind] for n in nodes]
    return all(a >= b for a, b in zip(values, values[1:], strict=False))


def _same_formula(items: list[_Item]) -> bool:
    kinds = set()
    bases = set()
    for it in items:
        node = it.node
        key = "rate" if "rate" in node else "per_unit" if "per_unit" in node else None
        if key is None:
            return False
        kinds.add(key)
        bases.add(repr(node.get("base")))
    return len(kinds) == 1 and len(bases) == 1


def _base_name(words: str) -> str:
    for word, name in sorted(lexicon.INPUT_WORDS.items(), key=lambda p: -len(p[0])):
        if word in words:
            return name
    for word, name in (("财政贡献", "fiscal_contribution"), ("留成", "local_retained_tax"),
                       ("税收", "tax_contribution")):
        if word in words:
            return name + ("_last_year" if re.search(r"上(一)?年", words) else "")
    return "declared_amount"


def _cap_target(node: dict[str, JSON]) -> bool:
    """Whether a later 最高/不超过 sentence can limit this reward (formula-based amounts)."""
    if "rate" in node or "per_unit" in node:
        return "cap" not in node
    if "sum" in node:
        return any(_cap_target(n) for n in node["sum"])
    if "tiers" in node:
        return any(_cap_target(t["then"]) for t in node["tiers"])
    return False


def _apply_cap(node: dict[str, JSON], cap: Decimal) -> dict[str, JSON]:
    if "rate" in node or "per_unit" in node:
        if "cap" not in node:
            node = dict(node)
            node["cap"] = cap
        return node
    if "tiers" in node:
        tiers = []
        for tier in node["tiers"]:
            tiers.append({"when": tier["when"], "then": _apply_cap(tier["then"], cap)})
        return {"tiers": tiers}
    if "sum" in node:
        return {"min": [node, {"fixed": cap}]}
    return node


def _standard_industry_words() -> list[tuple[str, list[str]]]:
    global _STANDARD
    if _STANDARD is None:
        from cnstd import industries

        words: list[tuple[str, list[str]]] = []
        for ind in industries.all_industries():
            if ind.level in ("section", "major") and len(ind.name) >= 4 and ind.name.endswith("业"):
                words.append((ind.name, [ind.code]))
                plain = ind.name.replace("、", "")
                if plain != ind.name:
                    words.append((plain, [ind.code]))
        words.sort(key=lambda p: len(p[0]), reverse=True)
        _STANDARD = words
    return _STANDARD


_STANDARD: list[tuple[str, list[str]]] | None = None


def _combine_atoms(atoms: list[_Atom]) -> JSON | None:
    nodes: list[JSON] = []
    groups: dict[str, list[_Atom]] = {}
    order: list[str] = []
    for a in sorted(atoms, key=lambda a: a.start):
        if a.group in ("industry", "qual"):
            if a.group not in groups:
                groups[a.group] = []
                order.append(a.group)
            groups[a.group].append(a)
        else:
            order.append(str(id(a)))
            groups[str(id(a))] = [a]
    for key in order:
        members = groups[key]
        if len(members) == 1:
            nodes.append(members[0].node)
        elif key == "qual" and not _all_required(members):
            nodes.append({"any": [m.node for m in members]})
        elif key == "qual":
            nodes.extend(m.node for m in members)
        else:
            nodes.append({"any": [m.node for m in members]})
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return {"all": nodes}


def _all_required(members: list[_Atom]) -> bool:
    # 规上 + 高企 together (规模以上企业首次认定为高新技术企业) are both required; a list of
    # designations of one kind (单项冠军、小巨人、隐形冠军) is alternatives.
    codes = {m.node["value"] for m in members}
    return "above_scale" in codes and len(codes) == 2


def extract_clause(text: str, *, context: ClauseContext | None = None,
                   catalogue: Mapping[str, Sequence[str]] | None = None) -> Draft:
    """Draft the conditions, reward and mode of one clause (see module docstring)."""
    ctx = context or ClauseContext()
    ex = _Extractor(text, ctx, catalogue)
    ex.classify()
    thresholds = ex.threshold_atoms()
    quals = ex.qualification_atoms()
    industries = ex.industry_atoms()
    misc = ex.misc_atoms()
    items = ex.reward_items()
    ex.all_atoms = thresholds + quals + industries + misc
    draft = Draft()
    if _CROSS_CAP.search(ex.text) and all("up_to" in it.node for it in items):
        items = []  # 该项奖励最高为…: caps the sibling items, gives nothing itself
    reward = ex.combine(items)
    tier_thresholds = _tier_threshold_positions(ex, items) | ex.band_positions
    kept_thresholds = _min_of_tier_lists(thresholds, tier_thresholds)
    explained = kept_thresholds + quals + industries + misc
    if reward is not None:
        extra_none = ex.none_beside_money(items)
        if extra_none is not None:
            reward = {"sum": ([*reward["sum"]] if "sum" in reward else [reward]) + [extra_none]}
    if reward is None and not _CROSS_CAP.search(ex.text):
        reward = ex.none_reward()
    for k, it in enumerate(items):
        ex.span("reward", f"reward#{k}", it.start, it.end)
    if reward is not None and _cap_target(reward):
        for sibling in ctx.siblings:
            cap = _cross_clause_cap(sibling)
            if cap is not None:
                reward = _apply_cap(reward, cap)
                break
    extra_subjects = [it.subject for k, it in enumerate(items)
                      if it.extra and it.subject and any(not p.extra for p in items[:k])
                      and it.start - it.subject[1] <= 16]
    extra_subjects += ex.case_subjects
    if extra_subjects:
        # 再给予/另行奖励: a bonus on top; its extra condition belongs to the bonus, not the item
        def outside(a: _Atom) -> bool:
            return not any(s <= a.start < e for s, e in extra_subjects)
        explained = [a for a in explained if outside(a)]
        thresholds = [a for a in thresholds if outside(a)]
        quals = [a for a in quals if outside(a)]
        industries = [a for a in industries if outside(a)]
        misc = [a for a in misc if outside(a)]
    subjects = [sj for sj in ex.subjects() if sj not in extra_subjects]
    if not subjects and reward is not None:
        lead = ex.lead_subject()
        if lead is not None and not any(s <= lead[0] < e for s, e in extra_subjects):
            # a lead that is one case's words (中小微企业按60%……) stays with that case's tier
            subjects = ex._chunks(lead[0], lead[1])
    checks = ex.check_atoms(thresholds + quals + industries + misc, subjects, reward is not None)
    atoms = _dedupe_atoms(explained + checks)
    conditions = _combine_atoms(atoms)
    for k, a in enumerate(sorted(atoms, key=lambda a: a.start)):
        ex.span("atom", f"conditions#{k}", a.start, a.end)
        ref = ex.ref(a.start, a.end)
        if ref is not None:
            a.node["ref"] = ref
    draft.conditions = conditions
    draft.reward = reward
    mode, mode_span = ex.mode()
    if mode is None and ctx.inherited_mode and (reward is not None or conditions is not None):
        mode = ctx.inherited_mode
    elif mode_span is not None:
        ex.span("mode", "mode", mode_span[0], mode_span[1])
    draft.mode = mode
    _procedure_details(ex, draft)
    draft.spans = ex.spans
    draft.proposed_qualifications = ex.proposed
    _unmodelled(ex, draft)
    _assess(draft, inherited=mode_span is None and draft.mode is not None)
    return draft


_UNMODELLED = re.compile(r"(一事一议|综合发展指数|综合评价(结果|得分|排名)|按(得分|评分)(排名|高低)|竞争性分配)")


def _unmodelled(ex: _Extractor, draft: Draft) -> None:
    """一事一议 / 综合发展指数: the amount comes from a deliberation or an index the language cannot
    compute. The draft says so (and its reward gets the lowest confidence) instead of inventing a
    formula; only a limit the text states itself (最高不超过20%) stays as the reward."""
    m = _UNMODELLED.search(ex.text)
    if m is None:
        return
    draft.unmodelled = f"金额取决于“{m.group(0)}”，规则语言无法计算，请专员按原文确定"


def _input_names(node: JSON) -> list[str]:
    names: list[str] = []
    if isinstance(node, dict):
        name = node.get("field")
        if isinstance(name, str) and name.startswith("input."):
            names.append(name[len("input."):])
        base = node.get("input")
        if isinstance(base, str):
            names.append(base)
        for value in node.values():
            names.extend(_input_names(value))
    elif isinstance(node, list):
        for value in node:
            names.extend(_input_names(value))
    return list(dict.fromkeys(names))


def _reward_parts(node: JSON) -> int:
    if isinstance(node, dict) and "sum" in node:
        return sum(_reward_parts(n) for n in node["sum"])
    return 1


def _has_check_tier(node: JSON) -> bool:
    if isinstance(node, dict):
        if "tiers" in node and any("check" in json_dumps(t.get("when")) for t in node["tiers"]):
            return True
        return any(_has_check_tier(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_check_tier(v) for v in node)
    return False


def json_dumps(node: JSON) -> str:
    return json.dumps(to_json(node), ensure_ascii=False)


def _assess(draft: Draft, *, inherited: bool) -> None:
    """A confidence per drafted element, from what the extractor knows it guessed."""
    doubts: list[Doubt] = []
    unknown = [n for n in _input_names(draft.conditions) + _input_names(draft.reward) if declared_figure(n) is None]
    draft.unknown_inputs = list(dict.fromkeys(unknown))
    if draft.reward is not None or draft.unmodelled:
        conf, reasons = 0.9, []
        reward = draft.reward
        if draft.unmodelled:
            conf, reasons = 0.2, [draft.unmodelled]
        if reward is not None:
            reward_inputs = _input_names(reward)
            if "declared_amount" in reward_inputs:
                conf = min(conf, 0.3)
                reasons.append("计算基数没有认出是哪一项申报数，请指定")
            bad = [n for n in reward_inputs if declared_figure(n) is None and n != "declared_amount"]
            if bad:
                conf = min(conf, 0.4)
                reasons.append("计算基数不在申报数词表中：" + "、".join(bad) + "，请改为已有名称或补充词表")
            if _reward_parts(reward) >= 3:
                conf = min(conf, 0.5)
                reasons.append("多项金额相加，请核对原文是否允许同时享受")
            if _has_check_tier(reward):
                conf = min(conf, 0.6)
                reasons.append("分档条件含需人工判断的情形")
            if "none" in reward:
                conf = min(conf, 0.7)
                reasons.append("非资金待遇或金额未量化")
        doubts.append(Doubt("reward", "奖补标准", conf, reasons))
    atoms = _flat_atoms(draft.conditions)
    for k, atom in enumerate(atoms):
        conf, reasons = 0.9, []
        if "check" in atom:
            conf, reasons = 0.6, ["需人工判断的条件：" + str(atom["check"])[:40]]
        name = str(atom.get("field", ""))
        if name.startswith("input.") and declared_figure(name[len("input."):]) is None:
            conf = min(conf, 0.4)
            reasons.append("申报数名称不在词表中：" + name[len("input."):] + "，请改为已有名称或补充词表")
        doubts.append(Doubt(f"conditions#{k}", "申报条件", conf, reasons))
    if draft.mode is not None:
        doubts.append(Doubt("mode", "兑现方式", 0.7 if inherited else 0.9,
                            ["从同一文件的申报程序条款继承"] if inherited else []))
    doubts.sort(key=lambda d: d.confidence)
    draft.doubts = doubts


def _flat_atoms(node: JSON) -> list[dict[str, JSON]]:
    if not isinstance(node, dict):
        return []
    if "all" in node or "any" in node:
        children = node.get("all") or node.get("any") or []
        return [a for child in children for a in _flat_atoms(child)]
    if "not" in node:
        return _flat_atoms(node["not"])
    if "field" in node or "check" in node:
        return [node]
    return []


@lru_cache(maxsize=8192)
def _cross_clause_cap(text: str) -> Decimal | None:
    """A sibling clause that only caps "该项奖励" (每家企业该项奖励最高为1000万元)."""
    norm, _ = normalize(text)
    if not _CROSS_CAP.search(norm) or len(norm) > 60:
        return None
    money = [f for f in figures(norm) if f.kind == "money"]
    return money[0].value if len(money) == 1 else None


def _dedupe_atoms(atoms: list[_Atom]) -> list[_Atom]:
    seen: set[str] = set()
    out: list[_Atom] = []
    for a in sorted(atoms, key=lambda a: a.start):
        key = repr(to_json({k: v for k, v in a.node.items() if k != "ref"}))
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


def _tier_threshold_positions(ex: _Extractor, items: list[_Item]) -> set[int]:
    positions: set[int] = set()
    for it in items:
        if "tiers" in it.node:
            s = ex.sentences[it.sentence][0]
            for f in ex.figs:
                if s <= f.start < it.start:
                    positions.add(f.start)
    return positions


def _min_of_tier_lists(atoms: list[_Atom], tier_positions: set[int]) -> list[_Atom]:
    """Thresholds listed for tiers become one condition: the lowest tier's threshold."""
    keep = [a for a in atoms if a.fig_start not in tier_positions]
    listed = [a for a in atoms if a.fig_start in tier_positions]
    lows: dict[str, _Atom] = {}
    highs: dict[str, _Atom] = {}
    for a in listed:
        name = str(a.node["field"])
        if a.node["op"] in (">=", ">"):
            if name not in lows or a.node["value"] < lows[name].node["value"]:
                lows[name] = a
        elif name not in highs or a.node["value"] > highs[name].node["value"]:
            highs[name] = a
    # an upper bound belongs to the clause only when no band starts at or above it (an open top
    # band 3000万元以上 beside 1000万元至3000万元 leaves the clause without an upper bound)
    tops = {name: max(a.node["value"] for a in listed if a.node["field"] == name and a.node["op"] in (">=", ">"))
            for name in lows}
    return keep + list(lows.values()) + [a for name, a in highs.items()
                                         if name not in tops or a.node["value"] > tops[name]]


_WINDOW = re.compile(
    r"(申报时间|受理时间|申报期限|申报截止时间|申请时间)[为:：\s]*"
    r"(?P<a>\d{4}年\d{1,2}月\d{1,2}日)(?:[^至到—-]{0,4}(?:至|到|—|-)(?P<b>\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日))?"
    r"|(?P<c>\d{4}年\d{1,2}月\d{1,2}日)前(?:申报|提交|报送|申请)"
)
_MATERIALS = re.compile(
    r"(申报材料|申报要件|申请材料|提交材料|所需材料|(?:提交|报送|提供)[^。:：]{0,6}(?:材料|资料))[^:：。]{0,6}[:：](?P<list>[^。]+)"
)
_REVIEWER = re.compile(r"(?:经|由)?(?P<d>[\u4e00-\u9fff]{2,14}?(?:局|委|办|部门|厅|管委会|委员会|中心))(?:初审|审核|评审|审定|核实|推荐)")
_PAYER = re.compile(r"(?:由)?(?P<d>[\u4e00-\u9fff]{1,12}?财政(?:局|厅)?)(?:拨付|兑现|给予|下达|按)")


def _iso(text: str, year_hint: int | None = None) -> str | None:
    m = re.match(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", text)
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else year_hint
    if year is None:
        return None
    return f"{year:04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _procedure_details(ex: _Extractor, draft: Draft) -> None:
    t = ex.text
    m = _WINDOW.search(t)
    if m:
        if m.group("a"):
            start = _iso(m.group("a"))
            year = int(m.group("a")[:4])
            end = _iso(m.group("b"), year) if m.group("b") else None
            draft.window = {k: v for k, v in (("from", start), ("to", end)) if v}
        else:
            end = _iso(m.group("c"))
            draft.window = {"to": end} if end else None
        ex.span("window", "window", m.start(), m.end())
    mm = _MATERIALS.search(t)
    if mm:
        for item in re.split(r"[、;；,，]", mm.group("list")):
            item = item.strip().rstrip("等")
            if item:
                draft.materials.append(item)
        ex.span("material", "materials", mm.start("list"), mm.end("list"))
    for r in _REVIEWER.finditer(t):
        d = re.sub(r"^(报送|报|经|由|提交|再由|并)", "", r.group("d"))
        if d not in draft.reviewing_departments:
            draft.reviewing_departments.append(d)
            ex.span("department", "reviewing_departments", r.start("d"), r.end("d"))
    p = _PAYER.search(t)
    if p:
        draft.paying_department = p.group("d")
        ex.span("department", "paying_department", p.start("d"), p.end("d"))


@lru_cache(maxsize=8192)
def _normalized(text: str) -> str:
    return normalize(text)[0]


_PROCEDURE_HEAD = re.compile(
    r"^\s*(\S{0,6}[.、)）]\s*)?(申办流程|申报程序|办理流程|办理程序|兑现方式|兑付方式|申报方式|申报流程|兑现程序|申请程序)"
)
_GUIDE_TITLE = re.compile(r"(申报指南|申报通知|申报工作的通知|组织申报)")


def inherited_mode(*, doc_title: str | None, clause_texts: Sequence[str]) -> str | None:
    """The mode a document's procedure section gives to clauses that do not state one.

    A clause headed 申办流程/申报程序 (or one that only says 非申即享) states the procedure
    of the items around it; a 申报指南 title means every item is applied for and reviewed.
    """
    for text in clause_texts:
        norm = _normalized(text)
        if _PROCEDURE_HEAD.search(norm) or (
            _MODE_FREE.search(norm) and not figures(norm)
        ):
            for pattern, mode in ((_MODE_FREE, "免申即享"), (_MODE_INSTANT, "即申即享"),
                                  (_MODE_REVIEW, "申报审核")):
                if pattern.search(norm):
                    return mode
    if doc_title:
        title, _ = normalize(doc_title)
        if _GUIDE_TITLE.search(title):
            return "申报审核"
    return None
