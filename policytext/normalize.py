"""Text normalisation with an offset map back to the original text.

Traditional characters become simplified, full-width ASCII becomes half-width (the pages the
platform reads mix both), the ideographic space becomes a plain space, and pinyin residue left
by some mirror sites (``工業(yè)``) is dropped, and a PDF line break inside a number is joined
(inside a run of words too, for a clause: ``join_words``). Every output character remembers the index of the
original character it came from, so spans found in the normalised text can be shown in the
original document.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_PINYIN_RESIDUE = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?=[^)]{0,8}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
    r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"
)


_BROKEN_FIGURE = re.compile(r"(?<=[\d.万亿])([ \t]*\r?\n[ \t]*)(?=[\d万亿千元%])(?!\d{1,2}[.、)）])")
# a PDF hard wrap inside a run of words (生产性设\n备投资): one line break between two characters
# of text; a blank line or a line that starts a numbered item stays
_BROKEN_WORD = re.compile(r"(?<=[\u4e00-\u9fff“”])([ \t]*\r?\n[ \t]*)(?=[\u4e00-\u9fff“”])"
                          r"(?![一二三四五六七八九十]+[、.．])")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _fold_width(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000 or code == 0x00A0:
        return " "
    return ch


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length whenever OpenCC allows it."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: fall back to char-by-char so offsets stay 1:1.
    out = []
    for ch in text:
        c = _converter().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def normalize(text: str, *, join_words: bool = False) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, the original index."""
    simplified = to_simplified(text)
    folded = "".join(_fold_width(ch) for ch in simplified)
    keep = [True] * len(folded)
    for m in _PINYIN_RESIDUE.finditer(folded):
        for i in range(m.start(), m.end()):
            keep[i] = False
    for m in _BROKEN_WORD.finditer(folded) if join_words else ():
        # only inside one clause: a document's lines (title, headings) are its structure
        for i in range(m.start(1), m.end(1)):
            keep[i] = False
    for m in _BROKEN_FIGURE.finditer(folded):
        # a PDF line break inside a number or between a number and its unit (500\n万元, 5\n00)
        for i in range(m.start(1), m.end(1)):
            keep[i] = False
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(folded):
        if keep[i] and ch != "\r":
            chars.append(ch)
            index.append(i)
    return "".join(chars), index


def join_wrapped_words(text: str) -> tuple[str, list[int]]:
    """Join the PDF line breaks inside runs of words of an already normalised clause."""
    drop = {i for m in _BROKEN_WORD.finditer(text) for i in range(m.start(1), m.end(1))}
    index = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in index), index


def map_span(index: list[int], start: int, end: int, original_length: int) -> tuple[int, int]:
    """Map a normalised [start, end) span to the original text."""
    if not index:
        return (0, 0)
    if start >= len(index):
        return (original_length, original_length)
    o_start = index[start]
    o_end = index[end - 1] + 1 if end > start else o_start
    return (o_start, o_end)
