"""The constraint operators: the one list of them, which the admin API's rules derive from."""

from __future__ import annotations

from typing import Final

# Grouped as the engine evaluates them, each group in the order Unleash's OpenAPI enum lists it.
LIST: Final = ("NOT_IN", "IN")
STRING: Final = ("STR_ENDS_WITH", "STR_STARTS_WITH", "STR_CONTAINS")
NUMBER: Final = ("NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE")
DATE: Final = ("DATE_AFTER", "DATE_BEFORE")
SEMVER: Final = ("SEMVER_EQ", "SEMVER_GT", "SEMVER_LT", "SEMVER_GTE", "SEMVER_LTE")
REGEX: Final = "REGEX"
IN_CIDR: Final = "IN_CIDR"

# What Unleash 8.x's admin API accepts, in its OpenAPI enum's order.
UNLEASH: Final = (*LIST, *STRING, *NUMBER, *DATE, *SEMVER, REGEX)
# yggdrasil also evaluates IN_CIDR, which Unleash's admin API refuses.
ALL: Final = frozenset((*UNLEASH, IN_CIDR))
