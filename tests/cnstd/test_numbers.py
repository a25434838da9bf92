from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnstd.numbers import format_wan, parse_amount, parse_number, parse_ratio


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1200", "1200"),
        ("一千二百", "1200"),
        ("一千二", "1200"),
        ("三百五", "350"),
        ("一百零五", "105"),
        ("一千零二十", "1020"),
        ("十", "10"),
        ("十五", "15"),
        ("零", "0"),
        ("两千", "2000"),
        ("壹仟贰佰", "1200"),
        ("二〇二四", "2024"),
        ("三点五", "3.5"),
        ("1.5万", "15000"),
        ("1.15万", "11500"),
        ("1万2千", "12000"),
        ("两万五", "25000"),
        ("百万", "1000000"),
        ("1亿2000万", "120000000"),
        ("一亿零五百万", "105000000"),
        ("一万亿", "1000000000000"),
        ("１２００", "1200"),
        ("１．５万", "15000"),
        ("3,000", "3000"),
        ("1,234,567.5", "1234567.5"),
        (" 12 ", "12"),
        ("负五", "-5"),
        ("-3.25", "-3.25"),
    ],
)
def test_parse_number_reads_arabic_chinese_and_mixed_forms(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


def test_parse_number_is_exact_where_floats_are_not() -> None:
    result = parse_number("1.15万")
    assert result == Decimal("11500") and str(result) == "11500"
    assert str(parse_number("0.1亿")) == "10000000"


@pytest.mark.parametrize(
    "text", ["", "abc", "万", "一二千", "千百", "一百十", "十十", "1,5", "1..2", "3点", "五万六万", "1万20000"]
)
def test_parse_number_rejects_garbage_with_a_chinese_message(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的数字"):
        parse_number(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_agrees_with_cn2an_on_chinese_numerals(n: int) -> None:
    assert parse_number(cn2an.an2cn(n)) == n
    assert parse_number(cn2an.an2cn(n, "up")) == n


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("2000万元", "20000000"),
        ("1.5亿元", "150000000"),
        ("五十万元", "500000"),
        ("3,000元", "3000"),
        ("0.5亿", "50000000"),
        ("2000万", "20000000"),
        ("人民币100万元", "1000000"),
        ("￥3,000", "3000"),
        ("１，５００万元", "15000000"),
        ("一千二百万元", "12000000"),
        ("5000元整", "5000"),
        ("12.34元", "12.34"),
    ],
)
def test_parse_amount_gives_yuan(text: str, yuan: str) -> None:
    assert parse_amount(text) == Decimal(yuan)


@pytest.mark.parametrize("text", ["", "元", "万元", "2000美元", "USD100", "很多钱", "约2000万元"])
def test_parse_amount_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的金额"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("5%", "0.05"),
        ("５％", "0.05"),
        ("12.5%", "0.125"),
        ("百分之十", "0.1"),
        ("百分之12.5", "0.125"),
        ("百分之一百", "1"),
        ("6‰", "0.006"),
        ("千分之五", "0.005"),
        ("万分之三", "0.0003"),
        ("三成", "0.3"),
        ("三成五", "0.35"),
        ("3个百分点", "0.03"),
        ("0.05", "0.05"),
    ],
)
def test_parse_ratio_gives_a_fraction(text: str, ratio: str) -> None:
    assert parse_ratio(text) == Decimal(ratio)


@pytest.mark.parametrize("text", ["", "%", "百分之", "5%%", "百分之abc", "成", "大约一半"])
def test_parse_ratio_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的比例"):
        parse_ratio(text)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("15000000", "1,500 万元"),
        ("150000000", "15,000 万元"),
        ("10000", "1 万元"),
        ("12345600", "1,234.56 万元"),
        ("5000", "5,000 元"),
        ("5000.5", "5,000.50 元"),
        ("9999.99", "9,999.99 元"),
        ("0", "0 元"),
        ("-15000000", "-1,500 万元"),
    ],
)
def test_format_wan_for_display(amount: str, shown: str) -> None:
    assert format_wan(Decimal(amount)) == shown


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**11))
def test_format_wan_round_trips_through_parse_amount(n: int) -> None:
    assert parse_amount(format_wan(Decimal(n)).replace(" ", "")) == n
