"""Document-level metadata: title, 文号, issuer, date, validity and region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an

from policytext.places import find_places, most_specific

_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*(\d{1,4})\s*号"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE_LINE = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")
_PAGE_DATE = re.compile(r"(发布日期|发文日期|成文日期|发表时间|发布时间|印发日期|日期)\s*[:：|]\s*\|?\s*"
                        r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2})")
_PAGE_ISSUER = re.compile(r"(发布机构|发文机关|发文单位|发文部门)\s*[:：|]\s*\|?\s*([^|\s]{2,40})")
_PAGE_TITLE = re.compile(r"标\s*题\s*[:：|]\s*\|?\s*([^|\s]{4,120})")
_TITLE_END = re.compile(r"(通知|意见|办法|规定|措施|细则|方案|决定|条例|指南|解读|政策|公告|问答|清单|计划|答复|\?|？)$")
_ISSUER_WORDS = re.compile(r"(人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|管委会|管理委员会|委员会|局|厅|委|部|署|院|领导小组办公室)$")
_VALID_YEARS = re.compile(r"自\s*(\d{4}年\d{1,2}月\d{1,2}日|印发之日|发布之日)\s*起\s*(施行|实施|执行)[^。]{0,6}?有效期\s*([一二两三四五六七八九十\d]{1,3})\s*年")
_VALID_RANGE = re.compile(r"(有效期|适用期间|实施期限|执行期限|施行期限)\s*(为|是|:)?\s*(自)?\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*(起)?\s*(至|到|—|-)\s*(\d{4}年\d{1,2}月\d{1,2}日)")
_VALID_UNTIL = re.compile(r"有效期至\s*(\d{4}年\d{1,2}月\d{1,2}日)")


@dataclass
class DocumentMetadata:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    region_code: str | None = None


def _to_date(text: str) -> date | None:
    m = _DATE.search(text) or _ISO_DATE.search(text)
    if not m:
        m2 = re.search(r"(\d{4})[年-](\d{1,2})[月-](\d{1,2})", text)
        if not m2:
            return None
        m = m2
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def normalize_doc_number(raw: str) -> str:
    """``X政文[2024]12号`` / ``(2024)`` / ``【2024】`` → ``X政文〔2024〕12号``."""
    m = _DOC_NUMBER.search(raw)
    if not m:
        return raw.strip()
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


def _lines(text: str) -> list[str]:
    return text.split("\n")


_NOISE_LINE = re.compile(r"(>|浏览|字体|来源[:：]|索\s*引\s*号|\||扫一扫|打印|关闭|首页)")


def _title(lines: list[str]) -> str | None:
    """The first run of 1–3 short unpunctuated lines that reads like a title.

    Titles broken over 2–3 lines (HTML ``<br>``) are joined; a 文号 on the same line is dropped.
    """
    candidates = lines[:30]
    for i, line in enumerate(candidates):
        s = line.strip()
        if not s or _NOISE_LINE.search(s):
            continue
        parts: list[str] = []
        for follow in candidates[i:i + 3]:
            f = _DOC_NUMBER.sub("", follow).strip()
            if not f or _NOISE_LINE.search(f) or re.search(r"[，。;；]", f) or len(f) > 70:
                break
            if f.endswith((":", "：")):
                break
            parts.append(f)
            if _TITLE_END.search(f):
                return "".join(parts)
    for line in lines[:40]:
        m = _PAGE_TITLE.search(line)
        if m:
            return m.group(1).strip()
    return None


def _signature(lines: list[str]) -> tuple[str | None, date | None]:
    """The 落款: an issuer line right above a date line near the end of the document."""
    for i in range(len(lines) - 1, -1, -1):
        m = _DATE_LINE.match(lines[i])
        if m:
            issued = _to_date(lines[i])
            issuer = None
            if i > 0:
                prev = lines[i - 1].strip()
                if prev and len(prev) <= 40 and not re.search(r"[，。,;；:：]", prev):
                    issuer = re.sub(r"\s+", "、", prev)
            return issuer, issued
    return None, None


def _issuer_from_title(title: str | None) -> str | None:
    if not title or "关于" not in title:
        return None
    head = title.split("关于", 1)[0].strip()
    if not head or not _ISSUER_WORDS.search(head):
        return None
    return re.sub(r"\s+", "、", head)


def _validity(text: str, issued: date | None) -> tuple[date | None, date | None]:
    m = _VALID_RANGE.search(text)
    if m:
        return _to_date(m.group(4)), _to_date(m.group(7))
    m = _VALID_YEARS.search(text)
    if m:
        start = _to_date(m.group(1)) or issued
        token = m.group(3)
        years = int(token) if token.isdigit() else int(cn2an.cn2an(token, "smart"))
        if start is None:
            return None, None
        try:
            end = start.replace(year=start.year + years) - timedelta(days=1)
        except ValueError:  # 29 February
            end = start.replace(year=start.year + years, day=28)
        return start, end
    m = _VALID_UNTIL.search(text)
    if m:
        return None, _to_date(m.group(1))
    return None, None


def extract_metadata(text: str) -> DocumentMetadata:
    """Read the metadata of a document from its normalised text."""
    lines = _lines(text)
    meta = DocumentMetadata()
    meta.title = _title(lines)
    head = "\n".join(lines[:40])
    m = _DOC_NUMBER.search(head)
    if m:
        meta.doc_number = normalize_doc_number(m.group(0))
    page_issuer = _PAGE_ISSUER.search(head)
    sig_issuer, sig_date = _signature(lines)
    meta.issuer = (
        (page_issuer.group(2).strip() if page_issuer else None)
        or sig_issuer
        or _issuer_from_title(meta.title)
    )
    page_date = _PAGE_DATE.search(head)
    meta.issued_on = sig_date or (_to_date(page_date.group(2)) if page_date else None)
    meta.valid_from, meta.valid_to = _validity(text, meta.issued_on)
    meta.region_code = region_of(issuer=meta.issuer, title=meta.title, doc_number=meta.doc_number)
    return meta


def region_of(*, issuer: str | None, title: str | None, doc_number: str | None = None) -> str | None:
    """GB/T 2260 code of the place the document applies to, from issuer and title place names.

    国务院 and national ministries give None (no national code). Zones map to their city.
    """
    for source in (issuer, title):
        if not source:
            continue
        found = find_places(source)
        if found:
            codes = [code for _, _, code in found]
            return most_specific(codes)
    return None
