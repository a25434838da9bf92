"""Split a policy document into clauses: the smallest numbered units that carry content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN_DIGITS = "零〇一二两三四五六七八九十百"
_CN = f"[{_CN_DIGITS}]{{1,4}}"

# Marker kinds, each a regex that must match at the start of a unit. The hierarchy of kinds is
# not fixed (documents mix them), so levels come from the order in which kinds first appear.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("article", re.compile(rf"第({_CN}|\d{{1,3}})条")),
    ("cn", re.compile(rf"({_CN})[、.．]")),
    ("paren_cn", re.compile(rf"[(（]({_CN})[)）]")),
    ("paren_num", re.compile(r"[(（](\d{1,2})[)）]")),
    ("num", re.compile(r"(\d{1,2})(?:[、．]|\.(?!\d))")),
    ("circled", re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_DATE_LINE = re.compile(r"^\s*\d{4}年\d{1,2}月\d{1,2}日\s*$")
_END_LINE = re.compile(r"^\s*[(（]?(此件公开发布|此件主动公开|此件依申请公开|此件不公开)[)）]?\s*$")
_PREAMBLE_LINE = re.compile(r"(制定|提出|如下|以下)[^。]{0,20}[:：]\s*$")
_TITLE_LINE = re.compile(r"^[^，,。;；:：]{4,40}(规定|办法|细则|措施|意见|通知|方案)\s*$")
# Mid-line markers: paragraphs squashed into one line still start a new unit after a
# sentence end or a blank.
_INLINE_BREAK = re.compile(
    rf"(?<=[。;；:： ])\s*(?=(第({_CN}|\d{{1,3}})条|[(（]({_CN}|\d{{1,2}})[)）]|{_CN}、|"
    r"\d{1,2}(?:[、．]|\.(?!\d))[\u4e00-\u9fff“\"]|[①②③④⑤⑥⑦⑧⑨⑩]))"
)


def _cn_value(token: str) -> int:
    if token in _CIRCLED:
        return _CIRCLED.index(token) + 1
    if token.isascii() and token.isdigit():
        return int(token)
    import cn2an

    try:
        return int(cn2an.cn2an(token.replace("〇", "零"), "smart"))
    except (ValueError, KeyError):
        return 0


def _cn_numeral(n: int) -> str:
    import cn2an

    return str(cn2an.an2cn(n))


@dataclass
class Clause:
    """One clause. ``start``/``end`` index the document's normalised text."""

    path: str
    label: str
    text: str
    start: int
    end: int
    headings: list[str] = field(default_factory=list)
    part: str = ""


@dataclass
class _Unit:
    kind: str
    value: int
    label: str
    start: int
    end: int
    depth: int = 0
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    part: str = ""


def _match_marker(text: str, pos: int) -> tuple[str, int, str, int] | None:
    for kind, pattern in _MARKERS:
        m = pattern.match(text, pos)
        if m:
            label = m.group(0)
            if kind in ("paren_cn", "paren_num"):
                label = "(" + m.group(1) + ")"
            elif kind == "num":
                # "1、" and "1." are the same level; the period form is the canonical label
                label = m.group(1) + "."
                # a bare number followed by a unit or digit is a figure, not a marker
                if re.match(r"\s*(万|亿|元|%|年|月|日|个|家|人|倍)", text[m.end():m.end() + 2]):
                    return None
            elif kind == "cn":
                if m.group(0).endswith((".", "．")):
                    label = m.group(1) + "、"
            return kind, _cn_value(m.group(1)), label, m.end()
    return None


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _content_length(s: str) -> int:
    return len(re.sub(r"\s", "", s))


def segment(text: str) -> list[Clause]:
    """Segment normalised document text into clauses (see module docstring)."""
    starts: list[tuple[int, str, int, str, int]] = []  # (pos, kind, value, label, body_pos)
    stops: list[int] = []  # positions where unit text must end (落款, preamble, titles)
    previous: tuple[int, int] | None = None
    for ls, le in _line_spans(text):
        if _DATE_LINE.match(text[ls:le]) and previous is not None:
            prev = text[previous[0]:previous[1]].strip()
            # the issuer line of a 落款 sits right above the date
            if prev and len(prev) <= 40 and not re.search(r"[，。,;；:：]", prev):
                stops.append(previous[0])
        if text[ls:le].strip():
            previous = (ls, le)
        line = text[ls:le]
        stripped = line.strip()
        if not stripped:
            continue
        lead = ls + (len(line) - len(line.lstrip()))
        candidates = [lead] + [ls + m.end() for m in _INLINE_BREAK.finditer(line)]
        matched_any = False
        for pos in candidates:
            found = _match_marker(text, pos)
            if found:
                kind, value, label, body = found
                starts.append((pos, kind, value, label, body))
                matched_any = True
        if not matched_any and (
            _DATE_LINE.match(line) or _END_LINE.match(line)
            or _PREAMBLE_LINE.search(line) or _TITLE_LINE.match(line)
        ):
            stops.append(ls)
    if not starts:
        return _paragraph_clauses(text)

    units: list[_Unit] = []
    stop_iter = sorted(stops)
    for i, (pos, kind, value, label, _body) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        for s in stop_iter:
            if pos < s < end:
                end = s
                break
        units.append(_Unit(kind=kind, value=value, label=label, start=pos, end=end))
    _trim_signature(text, units)

    # Build the hierarchy from the order in which marker kinds appear.
    stack: list[int] = []
    part_no = 1
    top_kind = units[0].kind
    last_top_value = 0
    seen_top = False
    for idx, unit in enumerate(units):
        if unit.kind == top_kind:
            if seen_top and unit.value == 1 and last_top_value >= 1:
                part_no += 1
            last_top_value = unit.value
            seen_top = True
        unit.part = str(part_no)
        while stack and units[stack[-1]].kind != unit.kind and unit.kind in [
            units[j].kind for j in stack
        ]:
            stack.pop()
        if stack and units[stack[-1]].kind == unit.kind:
            stack.pop()
        if unit.kind == top_kind:
            stack.clear()
        if stack:
            unit.parent = stack[-1]
            units[stack[-1]].children.append(idx)
        stack.append(idx)

    multi_part = part_no > 1
    clauses: list[Clause] = []
    for idx, unit in enumerate(units):
        own_end = units[unit.children[0]].start if unit.children else unit.end
        own = text[unit.start:own_end].rstrip()
        own_end = unit.start + len(own)
        own_body = own[len(unit.label):] if own.startswith(unit.label) else own
        is_heading_only = (
            "。" not in own_body and ";" not in own_body and _content_length(own_body) <= 40
        )
        if unit.children and is_heading_only:
            continue
        if not unit.children and _content_length(own_body) == 0:
            continue
        chain: list[_Unit] = []
        p: int | None = idx
        while p is not None:
            chain.append(units[p])
            p = units[p].parent
        chain.reverse()
        path = "".join(u.label for u in chain)
        headings = [text[u.start:(units[u.children[0]].start if u.children else u.end)].strip()
                    for u in chain[:-1]]
        part = ""
        if multi_part:
            part = "第" + _cn_numeral(int(unit.part)) + "部分"
            path = part + "·" + path
        clauses.append(Clause(path=path, label=unit.label, text=own, start=unit.start,
                              end=own_end, headings=headings, part=part))
    _dedupe_paths(clauses)
    return clauses


def _trim_signature(text: str, units: list[_Unit]) -> None:
    """Drop a trailing 落款 (issuer line + date line) from the last unit."""
    if not units:
        return
    last = units[-1]
    chunk = text[last.start:last.end]
    lines = chunk.split("\n")
    for i, line in enumerate(lines):
        if i > 0 and _DATE_LINE.match(line):
            cut = i
            if cut > 1 and _content_length(lines[cut - 1]) <= 30 and not re.search(
                r"[。，,;；]", lines[cut - 1]
            ):
                cut -= 1
            last.end = last.start + len("\n".join(lines[:cut]))
            return


def _paragraph_clauses(text: str) -> list[Clause]:
    """A document without numbering: every substantial paragraph is a clause."""
    clauses: list[Clause] = []
    n = 0
    for ls, le in _line_spans(text):
        line = text[ls:le]
        if _content_length(line) < 20 or not re.search(r"[，,。]", line):
            continue
        if "|" in line or _DATE_LINE.match(line):
            continue
        n += 1
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        clauses.append(Clause(path=f"第{n}段", label=f"第{n}段", text=body,
                              start=ls + lead, end=ls + lead + len(body)))
    return clauses


def _dedupe_paths(clauses: list[Clause]) -> None:
    seen: dict[str, int] = {}
    for clause in clauses:
        if clause.path in seen:
            seen[clause.path] += 1
            clause.path = f"{clause.path}#{seen[clause.path]}"
        else:
            seen[clause.path] = 1
