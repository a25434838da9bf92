import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnstd.text import convert_with_map, normalize, normalize_punctuation, to_simplified


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("臺灣省財政廳", "台湾省财政厅"),
        ("企業補貼", "企业补贴"),
        ("頭髮和發展", "头发和发展"),
        ("皇后與後來", "皇后与后来"),
        ("高新技術企業認定", "高新技术企业认定"),
        ("已经是简体", "已经是简体"),
        ("", ""),
    ],
)
def test_to_simplified_uses_opencc_t2s(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２４年", "2024年"),
        ("ＡＢＣ公司", "ABC公司"),
        ("增长５％以上", "增长5%以上"),
        ("企业,个体户;合作社:", "企业，个体户；合作社："),
        ("(一)研发投入", "（一）研发投入"),
        ("第三条(1)企业", "第三条（1）企业"),
        ("奖励3,000元", "奖励3,000元"),
        ("10:30前", "10:30前"),
        ("f(x) = a, b", "f(x) = a, b"),
        ("是否符合?", "是否符合？"),
        ("，。；：（）、“”《》", "，。；：（）、“”《》"),
        ("第一条\u3000总则", "第一条 总则"),
        ("1.5万元", "1.5万元"),
    ],
)
def test_normalize_punctuation_keeps_chinese_punctuation_and_fixes_width(text: str, expected: str) -> None:
    assert normalize_punctuation(text) == expected


def test_parentheses_are_converted_as_a_pair() -> None:
    # ")" alone follows Latin text but its "(" follows Chinese: both become full-width.
    assert normalize_punctuation("企业(ABC)") == "企业（ABC）"
    assert normalize_punctuation("an (English) aside") == "an (English) aside"


def test_normalize_maps_every_output_character_to_its_source() -> None:
    source = "臺灣省(試點)企業,補貼２０％"
    out, index = normalize(source)
    assert out == "台湾省（试点）企业，补贴20%"
    assert index == list(range(len(source)))


def test_length_changing_conversion_falls_back_to_character_mapping() -> None:
    # OpenCC's s2twp turns the 2-character phrase U盘 into 3 characters; t2s never changes length,
    # so the fallback is exercised with this real converter.
    s2twp = opencc.OpenCC("s2twp").convert
    out, index = convert_with_map("插入U盘后", s2twp)
    assert len(out) == len(index)
    assert out == "插入U盤後"
    assert index == [0, 1, 2, 3, 4]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="臺灣企業補貼財政廳后發,;:()（），。０１２ＡＢab 12%．", max_size=40))
def test_normalize_index_is_total_and_monotonic(text: str) -> None:
    out, index = normalize(text)
    assert len(out) == len(index)
    assert index == sorted(index)
    assert all(0 <= i < len(text) for i in index)
    assert out == normalize_punctuation(to_simplified(text))
