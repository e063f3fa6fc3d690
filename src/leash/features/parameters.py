"""Strategy parameters leash refuses at write time.

Unleash 8.2 stores any string as a strategy parameter ("150", "abc", a rollout of 4,400 digits)
and leaves it to each SDK to make sense of it. leash is deliberately stricter: a value that
cannot be a real rollout or address list is worse than useless on a flag server, because a
stored value no engine can compile once stopped every later rebuild of its environment's
snapshot, so even a kill switch turned off afterwards never reached the SDKs (rebuilds now
isolate such a flag; the values are still refused). A rollout of "50.5" or an address list of
"10.0.0.1 10.0.0.2" would be silently off in the SDKs' engine (yggdrasil), so such values get a
400 (in Unleash's BadDataError body) that says what is wrong, and change nothing. Values
Unleash itself writes (the toggle-on default "100", numbers sent as numbers) pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from leash.engine.values import rule_ip_network
from leash.errors import BadDataError

# Room for hundreds of addresses in one list; a request body is capped at 100 KiB anyway, this
# keeps any single value far below what a snapshot should carry per strategy.
MAX_VALUE_LENGTH = 10_000
MAX_NAME_LENGTH = 100
# The longest IP or CIDR text there is: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128".
_MAX_IP_ENTRY_LENGTH = 49
_SHOWN = 40


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "..."


def _percentage(key: str, value: str) -> None:
    # Checked as text first: int() of a long digit string is slow, and past 4,300 digits fails.
    if not (0 < len(value) <= 3 and value.isascii() and value.isdigit() and int(value) <= 100):
        raise BadDataError.single(
            f'The strategy parameter "{key}" must be a whole number from 0 to 100. '
            f'You sent "{_shown(value)}".'
        )


def _ip_list(key: str, value: str) -> None:
    for part in value.split(","):
        entry = part.strip()
        if entry == "":
            continue
        if len(entry) > _MAX_IP_ENTRY_LENGTH or rule_ip_network(entry) is None:
            raise BadDataError.single(
                f'The strategy parameter "{key}" must be a comma-separated list of IP addresses '
                f'and CIDR ranges. "{_shown(entry)}" is neither.'
            )


Check = Callable[[str, str], None]

# What each built-in strategy's parameters must hold; parameters not named here are free text.
_RULES: Mapping[str, Mapping[str, Check]] = {
    "flexibleRollout": {"rollout": _percentage},
    "gradualRolloutRandom": {"percentage": _percentage},
    "gradualRolloutSessionId": {"percentage": _percentage},
    "gradualRolloutUserId": {"percentage": _percentage},
    "remoteAddress": {"IPs": _ip_list},
}


def check(*, strategy_name: str | None, parameters: Mapping[str, str]) -> None:
    """Refuse (400) parameters that cannot be a real value for `strategy_name`."""
    rules = _RULES.get(strategy_name or "", {})
    for key, value in parameters.items():
        if len(key) > MAX_NAME_LENGTH:
            raise BadDataError.single(
                f"Strategy parameter names may be at most {MAX_NAME_LENGTH} characters long. "
                f'You sent "{_shown(key)}".'
            )
        if len(value) > MAX_VALUE_LENGTH:
            raise BadDataError.single(
                f'The strategy parameter "{key}" may be at most {MAX_VALUE_LENGTH} characters '
                f"long. You sent {len(value)}."
            )
        rule = rules.get(key)
        if rule is not None:
            rule(key, value)
