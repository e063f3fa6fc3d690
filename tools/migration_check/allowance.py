"""What Unleash 8.2's own export/import loses, as compare.py names it: the allowance by which a
copy made through the export/import API is judged ("as Unleash-into-Unleash is judged").

Measured with unleash_to_unleash.py (README.md): the export format carries no archived flag, no
context field used only inside segments, no context-field order (sortOrder comes back 0) and
no strategy order (imported strategies all get sortOrder 0, so a flag with two or more
strategies in an environment may evaluate differently, and so may the flags depending on it);
tags only archived flags carried are gone with them. Everything else must agree.
Computed from the source's admin views, so it holds for any source, not only the seeded one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.migration_check.compare import AdminViews, Section

BUILT_IN_CONTEXT = frozenset(
    {"environment", "userId", "appName", "currentTime", "sessionId", "remoteAddress"}
)


@dataclass
class Allowance:
    whole: set[str] = field(default_factory=set)  # units that may differ in any way
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unit -> allowed paths
    evaluation: set[str] = field(default_factory=set)  # "<environment> <flag>"

    def allows(self, difference: str) -> bool:
        """`difference` as compare.Section lists it: '<unit>: <detail>'."""
        unit, _, detail = difference.partition(": ")
        if unit in self.whole:
            return True
        if " context #" in unit:
            return unit.split(" context #", 1)[0] in self.evaluation
        return any(detail.startswith(path) for path in self.paths.get(unit, ()))


def ordered_environments(flag: dict[str, object]) -> list[tuple[int, str]]:
    """(index in the normalized view, environment) of the environments with 2+ strategies."""
    out: list[tuple[int, str]] = []
    environments = flag.get("environments", [])
    assert isinstance(environments, list)
    for index, environment in enumerate(environments):
        if len(environment.get("strategies", [])) >= 2:
            out.append((index, str(environment["name"])))
    return out


def export_import_allowance(source: AdminViews, *, environments: tuple[str, ...]) -> Allowance:
    allowance = Allowance(whole={"context field order"})
    live_tags: set[str] = set()
    used_context: set[str] = set()
    reordered: dict[str, set[str]] = {}  # flag -> environments whose strategy order may change
    for name, flag in source.flags.items():
        if flag.get("archived"):
            allowance.whole.add(f"flag {name}")
            continue
        live_tags |= {f"{t['type']}:{t['value']}" for t in flag.get("tags", [])}
        for environment in flag.get("environments", []):
            for strategy in environment.get("strategies", []):
                used_context |= {c["contextName"] for c in strategy.get("constraints", [])}
                used_context.add(str(strategy.get("parameters", {}).get("stickiness", "")))
        ordered = ordered_environments(flag)
        if ordered:
            reordered[name] = {env for _, env in ordered}
            allowance.paths[f"flag {name}"] = tuple(
                f".environments[{index}].strategies" for index, _ in ordered
            )
    for key in source.tags:
        if key not in live_tags:
            allowance.whole.add(f"tag {key}")
    for context_field in source.context_fields:
        name = context_field["name"]
        if name in BUILT_IN_CONTEXT:
            continue
        if name in used_context:
            allowance.paths[f"context field {name}"] = (".sortOrder",)
        else:
            allowance.whole.add(f"context field {name}")
    # a child's answer follows its parent's variant
    children: dict[str, set[str]] = {}
    for name, flag in source.flags.items():
        for dependency in flag.get("dependencies", []):
            children.setdefault(dependency["feature"], set()).add(name)
    for name, envs in reordered.items():
        for environment in envs & set(environments):
            for mode in ("inline", "segments"):
                allowance.paths[f"{environment} {mode} feature {name}"] = (".strategies",)
            allowance.evaluation.add(f"{environment} {name}")
            allowance.evaluation |= {f"{environment} {c}" for c in children.get(name, set())}
    return allowance


def outside(sections: list[Section], allowance: Allowance) -> list[str]:
    """The differences the allowance does not explain (none: as good as Unleash-into-Unleash)."""
    return [d for s in sections for d in s.differences if not allowance.allows(d)]
