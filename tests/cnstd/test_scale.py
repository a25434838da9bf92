from decimal import Decimal

import pytest

from cnstd.scale import SCALE_INPUTS, SCALE_ROWS, enterprise_scale, scale_row

WAN = Decimal(10000)

# One representative 小类 for every row of the table in 国统字〔2017〕213号.
ROW_SAMPLE_CODE = {
    "agriculture": "0111",
    "industry": "3971",
    "construction": "4710",
    "wholesale": "5110",
    "retail": "5211",
    "transport": "5411",
    "warehousing": "5920",
    "postal": "6010",
    "accommodation": "6110",
    "catering": "6210",
    "telecom": "6311",
    "software": "6511",
    "real_estate_development": "7010",
    "property_management": "7020",
    "leasing_business": "7111",
    "other": "7310",
}
TIERS = ("large", "medium", "small")
BELOW = {"large": "medium", "medium": "small", "small": "micro"}


def _inputs_at(row_key: str, tier_index: int, shift: dict[str, Decimal]) -> dict[str, Decimal | None]:
    row = next(r for r in SCALE_ROWS if r.key == row_key)
    values: dict[str, Decimal | None] = {"employees": None, "revenue": None, "total_assets": None}
    for name, bounds in row.bounds:
        bound = Decimal(bounds[tier_index])
        value = bound if name == "employees" else bound * WAN
        values[name] = value - shift.get(name, Decimal(0))
    return values


def test_the_table_has_every_row_of_the_2017_notice() -> None:
    assert [r.key for r in SCALE_ROWS] == list(ROW_SAMPLE_CODE)
    for key, code in ROW_SAMPLE_CODE.items():
        row = scale_row(code)
        assert row is not None and row.key == key


@pytest.mark.parametrize("row_key", list(ROW_SAMPLE_CODE))
@pytest.mark.parametrize("tier_index", [0, 1, 2])
def test_every_bound_met_exactly_gives_that_tier(row_key: str, tier_index: int) -> None:
    values = _inputs_at(row_key, tier_index, {})
    assert enterprise_scale(industry=ROW_SAMPLE_CODE[row_key], **values) == TIERS[tier_index]


@pytest.mark.parametrize("row_key", list(ROW_SAMPLE_CODE))
@pytest.mark.parametrize("tier_index", [0, 1, 2])
def test_one_unit_below_any_single_bound_drops_one_tier(row_key: str, tier_index: int) -> None:
    row = next(r for r in SCALE_ROWS if r.key == row_key)
    for name, _ in row.bounds:
        # one person below, or one yuan below the 万元 bound
        values = _inputs_at(row_key, tier_index, {name: Decimal(1)})
        got = enterprise_scale(industry=ROW_SAMPLE_CODE[row_key], **values)
        assert got == BELOW[TIERS[tier_index]], (row_key, name)


@pytest.mark.parametrize(
    ("row_key", "expected"),
    [
        ("agriculture", (("revenue", (20000, 500, 50)),)),
        ("industry", (("employees", (1000, 300, 20)), ("revenue", (40000, 2000, 300)))),
        ("construction", (("revenue", (80000, 6000, 300)), ("total_assets", (80000, 5000, 300)))),
        ("wholesale", (("employees", (200, 20, 5)), ("revenue", (40000, 5000, 1000)))),
        ("retail", (("employees", (300, 50, 10)), ("revenue", (20000, 500, 100)))),
        ("transport", (("employees", (1000, 300, 20)), ("revenue", (30000, 3000, 200)))),
        ("warehousing", (("employees", (200, 100, 20)), ("revenue", (30000, 1000, 100)))),
        ("postal", (("employees", (1000, 300, 20)), ("revenue", (30000, 2000, 100)))),
        ("accommodation", (("employees", (300, 100, 10)), ("revenue", (10000, 2000, 100)))),
        ("catering", (("employees", (300, 100, 10)), ("revenue", (10000, 2000, 100)))),
        ("telecom", (("employees", (2000, 100, 10)), ("revenue", (100000, 1000, 100)))),
        ("software", (("employees", (300, 100, 10)), ("revenue", (10000, 1000, 50)))),
        ("real_estate_development", (("revenue", (200000, 1000, 100)), ("total_assets", (10000, 5000, 2000)))),
        ("property_management", (("employees", (1000, 300, 100)), ("revenue", (5000, 1000, 500)))),
        ("leasing_business", (("employees", (300, 100, 10)), ("total_assets", (120000, 8000, 100)))),
        ("other", (("employees", (300, 100, 10)),)),
    ],
)
def test_row_thresholds_are_the_official_figures(row_key: str, expected: object) -> None:
    row = next(r for r in SCALE_ROWS if r.key == row_key)
    assert row.bounds == expected


def test_conformance_industrial_firm_medium_by_revenue_but_under_300_staff_is_small() -> None:
    assert enterprise_scale(industry="3971", employees=180, revenue=Decimal(36_000_000), total_assets=None) == "small"


def test_large_by_staff_but_small_by_revenue_drops_to_small() -> None:
    assert enterprise_scale(industry="3971", employees=5000, revenue=Decimal(5_000_000), total_assets=None) == "small"


def test_below_every_small_bound_is_micro() -> None:
    assert enterprise_scale(industry="3971", employees=3, revenue=Decimal(100_000), total_assets=None) == "micro"
    assert enterprise_scale(industry="3971", employees=0, revenue=Decimal(0), total_assets=None) == "micro"


def test_agriculture_needs_only_revenue() -> None:
    assert enterprise_scale(industry="A", employees=None, revenue=Decimal(5_000_000), total_assets=None) == "medium"
    assert SCALE_INPUTS("0111") == {"revenue"}


def test_a_missing_input_the_row_uses_makes_the_size_unknown() -> None:
    assert enterprise_scale(industry="3971", employees=None, revenue=Decimal(36_000_000), total_assets=None) is None
    assert enterprise_scale(industry="4710", employees=10, revenue=Decimal(10**9), total_assets=None) is None
    assert enterprise_scale(industry=None, employees=10, revenue=Decimal(10**9), total_assets=Decimal(1)) is None


@pytest.mark.parametrize(
    ("code", "inputs"),
    [
        ("3971", {"employees", "revenue"}),
        ("C", {"employees", "revenue"}),
        ("4710", {"revenue", "total_assets"}),
        ("7010", {"revenue", "total_assets"}),
        ("7111", {"employees", "total_assets"}),
        ("L", {"employees", "total_assets"}),
        ("7310", {"employees"}),
        ("85", {"employees"}),
        (None, set()),
    ],
)
def test_scale_inputs_names_exactly_the_inputs_of_the_row(code: str | None, inputs: set[str]) -> None:
    assert SCALE_INPUTS(code) == inputs


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("5910", "transport"),  # 装卸搬运 is in the 交通运输业 note
        ("5990", "warehousing"),
        ("7030", "other"),  # 房地产中介服务
        ("7090", "other"),
        ("8521", "other"),  # 社会工作
        ("C3971", "industry"),
        ("06", "industry"),
        ("65", "software"),
        ("63", "telecom"),
    ],
)
def test_industry_codes_map_to_the_rows_named_in_the_notice_notes(code: str, key: str) -> None:
    row = scale_row(code)
    assert row is not None and row.key == key


@pytest.mark.parametrize(
    "code",
    ["5311", "53", "6620", "J", "8411", "84", "8310", "9110", "9700", "7040",  # outside the notice
     "F", "59", "K", "G", "I", "Q",  # too coarse: more than one row possible
     "9999", "bad"],
)
def test_industries_outside_the_notice_or_too_coarse_have_no_size(code: str) -> None:
    assert scale_row(code) is None
    assert SCALE_INPUTS(code) == set()
    assert enterprise_scale(industry=code, employees=5000, revenue=Decimal(10**10), total_assets=Decimal(10**10)) is None


def test_fractional_money_just_under_a_bound_is_not_rounded_up() -> None:
    assert (
        enterprise_scale(industry="0111", employees=None, revenue=Decimal("4999999.99"), total_assets=None)
        == "small"
    )
