"""Question reading and clause ranking of 问政策, without a database."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from huiqi.ask.answers import BadQuestion, about_self, clean_question
from huiqi.ask.retrieval import ClauseIndex, applies_in, places_in
from huiqi.policies.search import question_concepts, tokens


def _index(docs: dict[int, tuple[str, str]]) -> ClauseIndex:
    """An index over {item id: (region, text)} built with the 政策库 tokenizer."""
    ids = sorted(docs)
    postings: dict[str, list[tuple[int, int]]] = {}
    lengths = []
    for pk in ids:
        words = tokens(docs[pk][1])
        lengths.append(len(words))
        for word in set(words):
            postings.setdefault(word, []).append((pk, words.count(word)))

    def load(terms: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
        return {t: postings[t] for t in terms if t in postings}

    return ClauseIndex(version=1, item_ids=np.array(ids), lengths=np.array(lengths, dtype=float),
                       regions=[docs[pk][0] for pk in ids], load_postings=load)


LIBRARY = {
    1: ("350500", "对上年度营业收入增长10%以上的规模以上工业企业给予增产增效奖励"),
    2: ("350100", "对国家级专精特新小巨人企业给予市级配套奖励25万元"),
    3: ("350582", "对鞋服企业购置智能化生产设备给予补助，与市级技术改造补助不重复享受"),
    4: ("350100", "工业企业技术改造项目设备投资1000万元以上的按8%给予补助"),
    5: ("350200", "对科技型中小企业研发费用给予补助"),
}
# Clauses on other subjects, so that word weights are those of a library, not of five clauses.
LIBRARY.update({100 + n: ("350900", f"对第{n}批入驻园区的物流企业给予仓储租金奖励") for n in range(30)})


def test_a_synonym_in_the_question_finds_the_clause_that_uses_the_other_word() -> None:
    hits = _index(LIBRARY).rank(question_concepts("规上企业营收增长有奖励吗"))
    assert hits and hits[0].item_id == 1
    concepts = question_concepts("研发投入")
    assert any("费用" in c for c in concepts), "研发投入 should also search 研发费用"


def test_traditional_characters_are_read_as_simplified() -> None:
    assert question_concepts("專精特新企業獎勵") == question_concepts("专精特新企业奖励")
    assert _index(LIBRARY).rank(question_concepts("小巨人企業獎勵"))[0].item_id == 2


def test_amounts_and_question_words_are_not_searched() -> None:
    terms = {t for c in question_concepts("我们公司研发费用一千万以上能拿多少钱？") for t in c}
    assert "研发" in terms
    assert not terms & {"一千万", "千万", "我们", "公司", "多少", "钱"}


def test_a_question_the_library_does_not_speak_of_gets_no_clause() -> None:
    assert _index(LIBRARY).rank(question_concepts("公司注册地址怎么变更")) == []
    assert _index(LIBRARY).rank(question_concepts("能申请哪些补助？")) == [], "补助 alone names no policy"


def test_a_place_named_in_the_question_puts_that_place_s_clauses_first() -> None:
    index = _index(LIBRARY)
    concepts = question_concepts("技改补助")
    assert places_in("晋江的技改补助") == ["350582"]
    assert index.rank(concepts, places=["350582"])[0].item_id == 3
    assert index.rank(concepts, places=["350100"])[0].item_id == 4
    assert applies_in("350500", "350582") and applies_in("350582", "350500") and not applies_in("350100", "350582")


def test_postings_of_items_published_after_the_index_was_built_are_ignored() -> None:
    index = _index(LIBRARY)
    late = {"奖励": [(1, 1), (99, 5)]}
    index.load_postings = lambda terms: {t: late.get(t, []) for t in terms}
    positions, _tfs = index.postings(["奖励"])["奖励"]
    assert [int(index.item_ids[p]) for p in positions] == [1]


def test_bad_questions_get_a_message_in_chinese() -> None:
    for raw in ("", "   ", "<b></b>"):
        with pytest.raises(BadQuestion, match="请输入您的问题"):
            clean_question(raw)
    with pytest.raises(BadQuestion, match="问题太长"):
        clean_question("专精特新" * 2500)
    assert clean_question("<script>alert(1)</script>专精特新奖励") == "alert(1)专精特新奖励"


def test_questions_about_the_asker_s_own_enterprise_are_recognised() -> None:
    assert about_self("我们公司能申请哪些？") and about_self("本企业符合吗") and about_self("我能拿多少")
    assert not about_self("专精特新企业有什么奖励")
