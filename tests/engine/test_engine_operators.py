"""Constraint operators, one behaviour per test (each checked against yggdrasil-engine 2.0.0)."""

from __future__ import annotations

from typing import Any

from leash.engine import compile_state


def _on(constraint: dict[str, Any], context: dict[str, Any], *, fallback: bool = False) -> bool:
    """One flag, one default strategy holding ``constraint``; optionally a plain default too."""
    strategies: list[dict[str, Any]] = [{"name": "default", "constraints": [constraint]}]
    if fallback:
        strategies.append({"name": "default"})
    state = {"version": 2, "features": [{"name": "f", "enabled": True, "strategies": strategies}]}
    return compile_state(state).is_enabled("f", context)


def _prop(value: str) -> dict[str, Any]:
    return {"properties": {"p": value}}


def _c(operator: str, **kw: Any) -> dict[str, Any]:
    return {"contextName": "p", "operator": operator, **kw}


# IN / NOT_IN


def test_in__exact_match__true() -> None:
    assert _on(_c("IN", values=["a", "b"]), _prop("b"))


def test_in__missing_value__false() -> None:
    assert not _on(_c("IN", values=["a"]), {})


def test_in__case_insensitive_flag_ignored__false() -> None:
    assert not _on(_c("IN", values=["A"], caseInsensitive=True), _prop("a"))


def test_in__numeric_looking_values_compare_as_strings__false() -> None:
    assert not _on(_c("IN", values=["1"]), _prop("1.0"))


def test_in__values_not_trimmed__false() -> None:
    assert not _on(_c("IN", values=[" a "]), _prop("a"))


def test_not_in__missing_value__true() -> None:
    assert _on(_c("NOT_IN", values=["a"]), {})


def test_not_in__null_property__true() -> None:
    assert _on(_c("NOT_IN", values=["a"]), {"properties": {"p": None}})


def test_not_in__inverted_matching_value__true() -> None:
    assert _on(_c("NOT_IN", values=["a"], inverted=True), _prop("a"))


def test_in__inverted_missing_value__true() -> None:
    assert _on(_c("IN", values=["a"], inverted=True), {})


def test_in__no_values__false() -> None:
    assert not _on(_c("IN"), _prop("a"))


def test_not_in__no_values__true() -> None:
    assert _on(_c("NOT_IN", values=[]), _prop("a"))


def test_in__value_ending_in_backslash__whole_flag_off() -> None:
    assert not _on(_c("IN", values=["a\\"]), _prop("a\\"), fallback=True)


def test_in__value_with_double_quote__matches() -> None:
    assert _on(_c("IN", values=['a"b']), _prop('a"b'))


# STR_*


def test_str_starts_with__prefix__true() -> None:
    assert _on(_c("STR_STARTS_WITH", values=["x", "ab"]), _prop("abc"))


def test_str_ends_with__case_insensitive__true() -> None:
    assert _on(_c("STR_ENDS_WITH", values=["BC"], caseInsensitive=True), _prop("abc"))


def test_str_ends_with__case_sensitive_by_default__false() -> None:
    assert not _on(_c("STR_ENDS_WITH", values=["BC"]), _prop("abc"))


def test_str_contains__inverted_non_matching__true() -> None:
    assert _on(_c("STR_CONTAINS", values=["zz"], inverted=True), _prop("abc"))


def test_str_contains__missing_value__false() -> None:
    assert not _on(_c("STR_CONTAINS", values=["a"]), {})


def test_str_contains__empty_string_value__matches_anything() -> None:
    assert _on(_c("STR_CONTAINS", values=[""]), _prop("a"))


def test_str_contains__no_values__whole_flag_off() -> None:
    assert not _on(_c("STR_CONTAINS", values=[]), _prop("a"), fallback=True)


# NUM_*


def test_num_eq__integer_and_decimal__true() -> None:
    assert _on(_c("NUM_EQ", value="12"), _prop("12.0"))


def test_num_eq__within_epsilon__true() -> None:
    assert _on(_c("NUM_EQ", value="0.3"), _prop("0.30000000000000004"))


def test_num_gt__greater__true() -> None:
    assert _on(_c("NUM_GT", value="5"), _prop("6"))


def test_num_gt__equal__false() -> None:
    assert not _on(_c("NUM_GT", value="5"), _prop("5"))


def test_num_gte__equal__true() -> None:
    assert _on(_c("NUM_GTE", value="5"), _prop("5"))


def test_num_lt__negative__true() -> None:
    assert _on(_c("NUM_LT", value="-3"), _prop("-4.0"))


def test_num_lte__greater__false() -> None:
    assert not _on(_c("NUM_LTE", value="3"), _prop("3.5"))


def test_num_gt__context_not_a_number__false() -> None:
    assert not _on(_c("NUM_GT", value="5"), _prop("six"))


def test_num_gt__context_with_whitespace__false() -> None:
    assert not _on(_c("NUM_GT", value="5"), _prop(" 6"))


def test_num_gt__context_with_exponent__true() -> None:
    assert _on(_c("NUM_GT", value="5"), _prop("1e1"))


def test_num_eq__value_not_a_number__whole_flag_off() -> None:
    assert not _on(_c("NUM_EQ", value="abc", inverted=True), _prop("1"), fallback=True)


def test_num_gt__version_shaped_value__compares_versions() -> None:
    assert _on(_c("NUM_GT", value="1.2.3"), _prop("1.10.0"))


# DATE_*


def test_date_after__later__true() -> None:
    c = {"contextName": "currentTime", "operator": "DATE_AFTER", "value": "2022-01-01T00:00:00Z"}
    assert _on(c, {"currentTime": "2022-01-01T00:00:01Z"})


def test_date_after__equal__false() -> None:
    c = {"contextName": "currentTime", "operator": "DATE_AFTER", "value": "2022-01-01T00:00:00Z"}
    assert not _on(c, {"currentTime": "2022-01-01T00:00:00Z"})


def test_date_before__offset_honoured__true() -> None:
    c = _c("DATE_BEFORE", value="2022-01-01T00:00:00+01:00")
    assert _on(c, _prop("2021-12-31T22:59:59Z"))


def test_date_before__offset_honoured__false() -> None:
    c = _c("DATE_BEFORE", value="2022-01-01T00:00:00+01:00")
    assert not _on(c, _prop("2021-12-31T23:00:00Z"))


def test_date_after__no_current_time__uses_now() -> None:
    c = {"contextName": "currentTime", "operator": "DATE_AFTER", "value": "2020-01-01T00:00:00Z"}
    assert _on(c, {})


def test_date_before__no_current_time__uses_now() -> None:
    c = {"contextName": "currentTime", "operator": "DATE_BEFORE", "value": "2020-01-01T00:00:00Z"}
    assert not _on(c, {})


def test_date_after__missing_property__false() -> None:
    assert not _on(_c("DATE_AFTER", value="2020-01-01T00:00:00Z"), {})


def test_date_after__context_milliseconds__compared() -> None:
    c = _c("DATE_AFTER", value="2022-01-01T00:00:00.000Z")
    assert _on(c, _prop("2022-01-01T00:00:00.001Z"))


def test_date_after__context_without_offset__false() -> None:
    assert not _on(_c("DATE_AFTER", value="2020-01-01T00:00:00Z"), _prop("2022-01-01T00:00:00"))


def test_date_after__value_without_offset__whole_flag_off() -> None:
    c = _c("DATE_AFTER", value="2020-01-01T00:00:00", inverted=True)
    assert not _on(c, _prop("2022-01-01T00:00:00Z"), fallback=True)


# SEMVER_*


def test_semver_eq__equal__true() -> None:
    assert _on(_c("SEMVER_EQ", value="1.2.3"), _prop("1.2.3"))


def test_semver_eq__build_metadata_ignored__true() -> None:
    assert _on(_c("SEMVER_EQ", value="1.2.3"), _prop("1.2.3+build.7"))


def test_semver_gt__prerelease_lower_than_release__true() -> None:
    assert _on(_c("SEMVER_GT", value="1.0.0-rc.1"), _prop("1.0.0"))


def test_semver_lt__prerelease_lower_than_release__true() -> None:
    assert _on(_c("SEMVER_LT", value="1.0.0"), _prop("1.0.0-rc.1"))


def test_semver_lt__alpha_lower_than_alpha_1__true() -> None:
    assert _on(_c("SEMVER_LT", value="1.0.0-alpha.1"), _prop("1.0.0-alpha"))


def test_semver_gt__numeric_prerelease_identifiers_compare_numerically__true() -> None:
    assert _on(_c("SEMVER_GT", value="1.0.0-beta.2"), _prop("1.0.0-beta.11"))


def test_semver_gte__equal__true() -> None:
    assert _on(_c("SEMVER_GTE", value="2.0.0"), _prop("2.0.0"))


def test_semver_lte__greater__false() -> None:
    assert not _on(_c("SEMVER_LTE", value="2.0.0"), _prop("2.0.1"))


def test_semver_eq__v_prefixed_context__false() -> None:
    assert not _on(_c("SEMVER_EQ", value="1.2.3"), _prop("v1.2.3"))


def test_semver_eq__v_prefixed_value__false_even_inverted() -> None:
    assert not _on(_c("SEMVER_EQ", value="v1.2.3", inverted=True), _prop("1.2.3"))


def test_semver_gte__v_prefixed_value__only_that_strategy_false() -> None:
    assert _on(_c("SEMVER_GTE", value="v1.2.3"), _prop("1.2.3"), fallback=True)


def test_semver_eq__number_shaped_value__compares_numbers() -> None:
    assert _on(_c("SEMVER_EQ", value="1.2"), _prop("1.20"))


# REGEX


def test_regex__found_anywhere__true() -> None:
    assert _on(_c("REGEX", value="b+"), _prop("abbbc"))


def test_regex__anchored__false() -> None:
    assert not _on(_c("REGEX", value="^b"), _prop("abc"))


def test_regex__case_insensitive__true() -> None:
    assert _on(_c("REGEX", value="^abc$", caseInsensitive=True), _prop("AbC"))


def test_regex__inline_flag__true() -> None:
    assert _on(_c("REGEX", value="(?i)^abc$"), _prop("ABC"))


def test_regex__invalid_pattern__false() -> None:
    assert not _on(_c("REGEX", value="(unclosed"), _prop("(unclosed"))


def test_regex__invalid_pattern_inverted__true() -> None:
    assert _on(_c("REGEX", value="(unclosed", inverted=True), _prop("x"))


def test_regex__lookahead_unsupported__false() -> None:
    assert not _on(_c("REGEX", value="^(?=a)a$"), _prop("a"))


def test_regex__missing_value__false() -> None:
    assert not _on(_c("REGEX", value="a"), {})


def test_regex__posix_class__true() -> None:
    assert _on(_c("REGEX", value="^[[:alpha:]]+$"), _prop("Alpha"))


# IN_CIDR


def test_in_cidr__ipv4_in_range__true() -> None:
    c = {"contextName": "remoteAddress", "operator": "IN_CIDR", "values": ["10.0.0.0/8"]}
    assert _on(c, {"remoteAddress": "10.1.2.3"})


def test_in_cidr__ipv6_in_range__true() -> None:
    c = {"contextName": "remoteAddress", "operator": "IN_CIDR", "values": ["2001:db8::/32"]}
    assert _on(c, {"remoteAddress": "2001:db8::1"})


def test_in_cidr__invalid_entries_skipped__true() -> None:
    c = {"contextName": "remoteAddress", "operator": "IN_CIDR", "values": ["x", "1.2.3.4"]}
    assert _on(c, {"remoteAddress": "1.2.3.4"})


def test_in_cidr__ipv6_zone_id__false() -> None:
    c = {"contextName": "remoteAddress", "operator": "IN_CIDR", "values": ["fe80::/10"]}
    assert not _on(c, {"remoteAddress": "fe80::1%eth0"})


def test_in_cidr__prefix_with_plus_sign__accepted() -> None:
    c = {"contextName": "remoteAddress", "operator": "IN_CIDR", "values": ["10.0.0.0/+8"]}
    assert _on(c, {"remoteAddress": "10.9.9.9"})


# unknown operator, context lookup


def test_unknown_operator__whole_flag_off_even_with_other_strategy() -> None:
    assert not _on(_c("NOT_AN_OPERATOR", values=["a"], inverted=True), _prop("b"), fallback=True)


def test_context__standard_field_read_from_properties_when_absent__true() -> None:
    c = {"contextName": "environment", "operator": "IN", "values": ["prod"]}
    assert _on(c, {"properties": {"environment": "prod"}})


def test_context__custom_field_at_top_level__read() -> None:
    assert _on(_c("IN", values=["x"]), {"p": "x"})


def test_context__non_string_value__stringified() -> None:
    assert _on(_c("NUM_GT", value="5"), {"properties": {"p": 7}})
