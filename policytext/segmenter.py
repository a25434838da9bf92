"""Word segmentation with jieba and a policy-term user dictionary.

A private ``jieba.Tokenizer`` (never the global one, never paddle) loads the default dictionary
plus ``data/policy_terms.txt`` and every term of :mod:`policytext.lexicon`, so designations,
profile fields and industry names come out as single words.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import jieba

from policytext import lexicon

USER_DICT = Path(__file__).with_name("data") / "policy_terms.txt"

# Words that never carry a requirement on their own (connectives, generic nouns, markers).
STOPWORDS = frozenset(
    "的 地 得 了 和 与 及 或 或者 以及 并 并且 且 对 对于 其 在 为 是 被 经 由 从 将 按 按照 等 "
    "企业 公司 单位 机构 个体 上述 相应 有关 相关 以上 以下 含 不含 本数 下同 年度 上年度 "
    "上一年度 当年 每年 要求 条件 门槛 申报 标准 符合 规定 按规定 达到 超过 不低于 不超过 "
    "首次 新 获评 认定 重新 直接 通过 的企业 一 家 每家 给予 予以 可 可以 符合条件 满足条件 "
    "分别 每届 每户 每个 每年 每次 一次性 另行 再 同时 其中 "
    "符合条件的".split()
)


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(USER_DICT))
    terms: set[str] = set(lexicon.FIELD_WORDS) | set(lexicon.INPUT_WORDS)
    terms |= {word for word, _codes in lexicon.INDUSTRY_WORDS}
    for aliases in lexicon.QUALIFICATIONS.values():
        terms |= set(aliases)
    for _name, aliases in lexicon.PROPOSED.values():
        terms |= set(aliases)
    for term in sorted(terms):
        if len(term) >= 2 and not any(ch in term for ch in "“”\"、"):
            tk.add_word(term, freq=50)
    return tk


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word of ``text``."""
    return [(w, s, e) for w, s, e in tokenizer().tokenize(text)]


@lru_cache(maxsize=4096)
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(_content(text))


def content_words(text: str) -> list[str]:
    """The words of ``text`` that can state a requirement (no stopwords, digits or punctuation)."""
    return list(_content_words(text))


def _content(text: str) -> list[str]:
    out: list[str] = []
    for word, _s, _e in tokens(text):
        w = word.strip()
        if not w or w in STOPWORDS:
            continue
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in w):
            continue
        if all(ch in "万亿元" for ch in w):
            continue
        out.append(w)
    return out
