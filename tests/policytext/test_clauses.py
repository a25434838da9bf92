from __future__ import annotations

from pathlib import Path

from policytext import read_document, segment


def _paths(path: Path) -> list[str]:
    return [c.path for c in segment(read_document(path).text)]


def test_every_clause_span_is_its_text_in_the_document(docs_dir: Path) -> None:
    for path in sorted(docs_dir.glob("*.txt")):
        doc = read_document(path)
        clauses = segment(doc.text)
        assert clauses, path.name
        assert len({c.path for c in clauses}) == len(clauses), path.name
        for clause in clauses:
            assert doc.text[clause.start:clause.end] == clause.text


def test_heading_lines_are_context_not_clauses(docs_dir: Path) -> None:
    clauses = segment(read_document(docs_dir / "guofa_2018_39_cujin_jiuye.txt").text)
    assert [c.path for c in clauses][:3] == ["一、(一)", "一、(二)", "二、(三)"]
    assert len(clauses) == 15
    assert clauses[0].headings == ["一、坚持实施就业优先战略"] or clauses[0].headings[0].startswith("一、")
    # the 落款 (issuer and date) is not part of the last clause
    assert "2018年11月16日" not in clauses[-1].text


def test_restarted_numbering_starts_a_new_part(docs_dir: Path) -> None:
    clauses = segment(read_document(docs_dir / "guobanfa_2018_124_wenhua_qiye.txt").text)
    paths = [c.path for c in clauses]
    assert "第一部分·七、(二十三)" in paths
    second = next(c for c in clauses if c.path == "第二部分·一、(二)")
    assert second.text.startswith("(二)对电影制片企业")
    # the second regulation's title and preamble do not leak into the first part's last clause
    last_first = [c for c in clauses if c.part == "第一部分"][-1]
    assert "进一步支持文化企业发展的规定" not in last_first.text


def test_unnumbered_question_and_answer_page_splits_into_paragraphs(docs_dir: Path) -> None:
    clauses = segment(read_document(docs_dir / "yishui_policy_qa_2022.txt").text)
    assert [c.path for c in clauses] == ["第1段", "第2段", "第3段", "第4段"]
    assert clauses[1].text.startswith("对项目设备实际投资达到500万元")


def test_unnumbered_body_lines_belong_to_the_clause_above(docs_dir: Path) -> None:
    clauses = segment(read_document(docs_dir / "pingtan_lanzongguanban_2021_95.txt").text)
    assert [c.path for c in clauses] == ["一、(一)", "一、(二)", "二、", "三、(一)", "三、(二)", "三、(三)"]
    assert "社零增量奖励" in clauses[2].text


def test_paragraphs_squashed_into_one_line_are_still_split() -> None:
    text = "第一条 鼓励展览举办 对展览面积6000平方米及以上的展览给予奖补。(一)展览培育 每届给予20万元。(二)规模奖励 每届给予30万元。第二条 会议 对会议给予奖补。"
    clauses = segment(read_document(text.encode(), filename="a.txt").text)
    assert [c.path for c in clauses] == ["第一条", "第一条(一)", "第一条(二)", "第二条"]


def test_mixed_numbering_styles_nest_by_first_appearance() -> None:
    text = "\n".join([
        "一、支持企业创新",
        "(一)研发奖励",
        "1.对研发投入给予补助。",
        "(1)首次认定的给予10万元。",
        "①另行奖励5万元。",
        "2、对新认定的给予奖励。",
        "二、附则",
        "本办法自印发之日起施行。",
    ])
    clauses = segment(read_document(text.encode(), filename="a.txt").text)
    assert [c.path for c in clauses] == [
        "一、(一)1.", "一、(一)1.(1)", "一、(一)1.(1)①", "一、(一)2.", "二、",
    ]
    assert clauses[1].headings[:2] == ["一、支持企业创新", "(一)研发奖励"]
