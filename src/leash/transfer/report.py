"""What a transfer did: per kind of thing, how many were created, updated, unchanged or
removed, and everything it could not carry, with the reason."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "removed")


@dataclass
class Report:
    outcomes: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    )
    not_carried: list[tuple[str, str]] = field(default_factory=list)
    # Printed once: secrets of API tokens made anew, reset links of users.
    printed_once: list[str] = field(default_factory=list)
    # Emails of users created, who need a reset link to log in.
    created_users: list[str] = field(default_factory=list)
    created_without_email: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.outcomes[kind][outcome] += n

    def skip(self, what: str, why: str) -> None:
        self.not_carried.append((what, why))

    def changed(self) -> bool:
        return any(
            counts["created"] or counts["updated"] or counts["removed"]
            for counts in self.outcomes.values()
        )

    def render(self, *, dry_run: bool = False) -> str:
        lines = ["leash: would change (dry run, nothing written):" if dry_run else "leash: done:"]
        width = max((len(kind) for kind in self.outcomes), default=0)
        for kind in sorted(self.outcomes):
            counts = self.outcomes[kind]
            shown = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
            lines.append(f"  {kind.ljust(width)}  {shown or 'nothing'}")
        if self.not_carried:
            lines.append(f"not carried ({len(self.not_carried)}):")
            lines.extend(f"  {what}: {why}" for what, why in self.not_carried)
        else:
            lines.append("not carried: nothing")
        if self.printed_once and not dry_run:
            lines.append("shown only this once:")
            lines.extend(f"  {line}" for line in self.printed_once)
        return "\n".join(lines)
