"""Text normalisation for policy documents, keeping a map back to the original characters.

Spans in the rules language point into the *original* clause text, while extraction works on the
normalised text; ``normalize`` therefore returns, for every output character, the index of the
input character it came from.

Punctuation choice: Chinese punctuation is the norm in policy text, so half-width ``, ; : ( ) ? !``
written inside Chinese are turned into their full-width forms (``，；：（）？！``) and the extractor's
patterns need to match one form only. Inside numbers and Latin text they stay half-width:
``3,000``, ``10:30``, ``f(x)``. Full-width ASCII letters, digits and symbols other than Chinese
punctuation become half-width (``２０２４`` → ``2024``, ``％`` → ``%``), and the ideographic space
becomes a plain space. ``.`` and straight quotes are left alone: ``1.`` numbering and decimals make a
full stop too ambiguous, and quote pairing is not needed by any consumer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

# Chinese punctuation that is kept as it is, even though some of it sits in the full-width block.
_CHINESE_PUNCT = set("，。；：？！（）【】《》〈〉、“”‘’「」『』—…·〔〕")
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese with OpenCC ``t2s`` (phrase-aware)."""
    if not text:
        return text
    result: str = _converter().convert(text)
    return result


def _is_chinese(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FFFF
        or 0x3000 < code <= 0x303F
        or ch in _CHINESE_PUNCT
    )


def _width_char(ch: str) -> str:
    code = ord(ch)
    if ch == "\u3000":
        return " "
    if 0xFF01 <= code <= 0xFF5E and ch not in _CHINESE_PUNCT:
        return chr(code - 0xFEE0)
    return ch


def _neighbour(chars: list[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def normalize_punctuation(text: str) -> str:
    """Same length as ``text``: every character maps to exactly one character (see module doc)."""
    chars = [_width_char(ch) for ch in text]
    out = list(chars)

    def chinese_at(i: int, step: int) -> bool:
        n = _neighbour(chars, i, step)
        return bool(n) and _is_chinese(n)

    for i, ch in enumerate(chars):
        if ch in _TO_FULL:
            prev, nxt = _neighbour(chars, i, -1), _neighbour(chars, i, 1)
            if prev.isdigit() and nxt.isdigit():
                continue  # 3,000 and 10:30 stay as numbers
            if chinese_at(i, -1) or chinese_at(i, 1):
                out[i] = _TO_FULL[ch]

    # Parentheses are converted in pairs so that a clause never ends up with "（…)".
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            if chinese_at(j, -1) or chinese_at(j, 1) or chinese_at(i, -1) or chinese_at(i, 1):
                out[j], out[i] = "（", "）"
    return "".join(out)


def convert_with_map(text: str, convert: Callable[[str], str]) -> tuple[str, list[int]]:
    """Apply a character converter and map each output character to its input index. When the
    whole-text conversion keeps the length (t2s always does in OpenCC 1.4's tables) the map is the
    identity; otherwise the text is converted character by character, losing phrase context but
    never the positions."""
    converted = convert(text)
    if len(converted) == len(text):
        return converted, list(range(len(text)))
    pieces: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        piece = convert(ch)
        pieces.append(piece)
        index.extend([i] * len(piece))
    return "".join(pieces), index


def normalize(text: str) -> tuple[str, list[int]]:
    """Simplified characters and normalised punctuation, with ``index[k]`` = position in ``text``
    of the character that produced output character ``k``."""
    simplified, index = convert_with_map(text, to_simplified)
    return normalize_punctuation(simplified), index
