from __future__ import annotations

from datetime import date
from pathlib import Path

from policytext import extract_metadata, normalize_doc_number, read_document


def test_title_broken_over_lines_is_joined_and_signature_gives_issuer_and_date(docs_dir: Path) -> None:
    meta = extract_metadata(read_document(docs_dir / "guofa_2018_39_cujin_jiuye.txt").text)
    assert meta.title == "国务院关于做好当前和今后一个时期促进就业工作的若干意见"
    assert meta.doc_number == "国发〔2018〕39号"
    assert meta.issuer == "国务院"
    assert meta.issued_on == date(2018, 11, 16)
    assert meta.region_code is None  # national documents have no GB/T 2260 code


def test_page_metadata_lines_give_issuer_date_and_county(docs_dir: Path) -> None:
    meta = extract_metadata(read_document(docs_dir / "yishui_policy_qa_2022.txt").text)
    assert meta.issuer == "沂水县工业和信息化局"
    assert meta.issued_on == date(2022, 3, 1)
    assert meta.region_code == "371323"


def test_doc_number_variants_are_normalised_to_hexagonal_brackets() -> None:
    assert normalize_doc_number("泉政文[2024]12号") == "泉政文〔2024〕12号"
    assert normalize_doc_number("厦海政(2018)69号") == "厦海政〔2018〕69号"
    assert normalize_doc_number("岚综管办【2021】 95 号") == "岚综管办〔2021〕95号"


def test_validity_in_years_from_the_effective_date() -> None:
    text = "某市关于支持企业发展的若干措施\n一、给予奖励。\n本措施自2024年3月1日起施行，有效期3年。"
    meta = extract_metadata(read_document(text.encode(), filename="a.txt").text)
    assert meta.valid_from == date(2024, 3, 1)
    assert meta.valid_to == date(2027, 2, 28)


def test_validity_as_a_date_range(docs_dir: Path) -> None:
    meta = extract_metadata(read_document(docs_dir / "pingtan_lanzongguanban_2021_95.txt").text)
    assert (meta.valid_from, meta.valid_to) == (date(2021, 1, 1), date(2022, 12, 31))
    assert meta.doc_number == "岚综管办〔2021〕95号"
    assert meta.title == "平潭综合实验区限上商贸业提质增效奖励办法"
    assert meta.region_code == "350128"


def test_development_zone_maps_to_its_city() -> None:
    text = "泉州经济技术开发区管委会关于印发惠企政策的通知\n泉开管〔2021〕25号\n一、给予奖励。"
    meta = extract_metadata(read_document(text.encode(), filename="a.txt").text)
    assert meta.region_code == "350500"
    assert meta.doc_number == "泉开管〔2021〕25号"
    assert meta.issuer == "泉州经济技术开发区管委会"
