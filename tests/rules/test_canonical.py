"""Canonical JSON and rules_version: the same rule written differently hashes the same."""

from __future__ import annotations

import hashlib

from rules.canonical import canonical_json, rules_version


def test_numbers_written_three_ways_canonicalise_the_same() -> None:
    forms = [{"field": "revenue", "op": ">=", "value": v} for v in (20000000, "20000000", 2e7, "2e7", "20000000.00")]
    assert len({canonical_json(f) for f in forms}) == 1
    assert canonical_json(forms[0]) == '{"field":"revenue","op":">=","value":20000000}'


def test_keys_are_sorted_and_there_is_no_whitespace() -> None:
    assert canonical_json({"b": [1, 2], "a": {"d": "x y", "c": None}}) == '{"a":{"c":null,"d":"x y"},"b":[1,2]}'


def test_region_codes_stay_strings() -> None:
    assert canonical_json({"field": "region", "op": "within", "value": "350500"}) == \
        '{"field":"region","op":"within","value":"350500"}'


def test_reward_money_and_rates_are_normalised() -> None:
    assert canonical_json({"rate": "0.050", "base": {"field": "rd_expense"}, "cap": "1e6"}) == \
        '{"base":{"field":"rd_expense"},"cap":1000000,"rate":0.05}'


def test_chinese_text_is_kept_as_utf8() -> None:
    assert canonical_json({"check": "符合主导产业"}) == '{"check":"符合主导产业"}'


def test_rules_version_is_the_sha256_of_conditions_and_reward() -> None:
    cond = {"field": "revenue", "op": ">=", "value": "2e7"}
    reward = {"fixed": 500000}
    expected = hashlib.sha256(
        b'{"conditions":{"field":"revenue","op":">=","value":20000000},"reward":{"fixed":500000}}'
    ).hexdigest()
    assert rules_version(cond, reward) == expected
    assert rules_version(cond, {"fixed": 500001}) != expected
