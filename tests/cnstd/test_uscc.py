import pytest

from cnstd.regions import is_known_region
from cnstd.uscc import (
    USCC_CHARSET,
    CodeCheck,
    org_check_char,
    uscc_check_char,
    uscc_org_code,
    uscc_region_code,
    validate_org_code,
    validate_uscc,
)


def test_known_valid_code_passes() -> None:
    assert validate_uscc("91110108551385082Q") == CodeCheck("91110108551385082Q", True, True, "Q", None)


def test_standard_printed_example_is_flagged_not_rejected() -> None:
    result = validate_uscc("91350100M000100Y4Z")
    assert result.format_ok is True
    assert result.check_ok is False
    assert result.expected_check == "3"
    assert result.message == "校验码应为3"
    assert validate_uscc("91350100M000100Y43").ok


def test_check_char_is_computed_from_the_weighted_sum() -> None:
    # Σ value·weight = 999 for this code; 999 mod 31 = 7; 31 − 7 = 24 → "Q"
    assert uscc_check_char("91110108551385082") == "Q"
    assert USCC_CHARSET[24] == "Q"


def test_remainder_zero_maps_to_check_char_zero() -> None:
    # Find a body whose weighted sum is a multiple of 31 by varying position 17.
    for last in USCC_CHARSET:
        body = "9135010000000000" + last
        if uscc_check_char(body) == "0":
            assert validate_uscc(body + "0").ok
            break
    else:  # pragma: no cover - arithmetic guarantees one of the 31 values hits 0
        pytest.fail("no body found")


def test_blanks_and_lower_case_are_repaired_before_checking() -> None:
    result = validate_uscc(" 91110108 551385082q ")
    assert result.ok and result.code == "91110108551385082Q"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "为空"),
        ("91110108551385082", "应为18位，实际为17位"),
        ("91110108551385082QQ", "应为18位，实际为19位"),
        ("91110108551385O82Q", "“O”"),
        ("9111010855138508IQ", "“I”"),
        ("911101085513850SZQ", "“S”、“Z”"),
        ("91110108551385082-", "“-”"),
        ("911101085513850-2Q", "“-”"),
        ("911A0108551385082Q", "第3至8位应为行政区划代码"),
    ],
)
def test_wrong_format_is_rejected_with_a_chinese_message(code: str, fragment: str) -> None:
    result = validate_uscc(code)
    assert result.format_ok is False and result.check_ok is False
    assert result.expected_check is None
    assert result.message is not None and fragment in result.message


def test_letters_are_allowed_in_the_first_two_positions() -> None:
    for first2 in ("A1", "N2", "Y1", "51", "93"):
        body = first2 + "350100MA2XY0T8L"
        assert len(body) == 17
        code = body + uscc_check_char(body)
        assert validate_uscc(code).ok, code


def test_region_code_is_characters_three_to_eight() -> None:
    assert uscc_region_code("91350100M000100Y43") == "350100"
    assert uscc_org_code("91110108551385082Q") == "551385082"
    with pytest.raises(ValueError, match="过短"):
        uscc_region_code("9135")


def test_region_of_an_old_code_issued_under_an_abolished_county_is_still_known() -> None:
    body = "91350522" + "MA0000001"
    code = body + uscc_check_char(body)
    assert validate_uscc(code).ok
    assert is_known_region(uscc_region_code(code))


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="17"):
        uscc_check_char("123")
    with pytest.raises(ValueError, match="不允许"):
        uscc_check_char("9111010855138508O")


def test_org_code_known_value_and_x_check() -> None:
    # 55138508-2 is the organisation code inside 91110108551385082Q
    assert validate_org_code("55138508-2").ok
    assert validate_org_code("551385082").ok
    for body in ("00000001", "12345678", "D2143569", "MA2XY0T8"):
        check = org_check_char(body)
        assert check in "0123456789X"
        assert validate_org_code(body + check).ok


def test_org_check_value_ten_is_x_and_eleven_is_zero() -> None:
    # 0000000d: weighted sum = 2d, so 11 − 2d mod 11 → d=5: 11−10=1; find both special values.
    checks = {org_check_char(f"0000000{d}") for d in range(10)} | {org_check_char(f"000000{d}0") for d in range(10)}
    assert "X" in checks and "0" in checks
    assert org_check_char("00000000") == "0"


def test_org_code_wrong_check_is_flagged_with_the_expected_character() -> None:
    result = validate_org_code("55138508-3")
    assert (result.format_ok, result.check_ok, result.expected_check) == (True, False, "2")
    assert result.message == "校验码应为2"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("", "为空"), ("5513850", "应为9位"), ("5513850#2", "“#”"), ("55138508Y", "数字或X")],
)
def test_org_code_wrong_format_is_rejected(code: str, fragment: str) -> None:
    result = validate_org_code(code)
    assert not result.format_ok
    assert result.message is not None and fragment in result.message
