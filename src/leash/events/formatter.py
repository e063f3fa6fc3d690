"""`label` and `summary` of an event, worded as Unleash's markdown event formatter words them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

B = "**"

Event = dict[str, Any]


def _get(event: Event, *path: str) -> str:
    value: Any = event
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return "" if value is None else str(value)


class Formatter:
    def __init__(self, *, unleash_url: str) -> None:
        self.url = unleash_url.rstrip("/")

    def feature(self, event: Event) -> str:
        name = event.get("featureName")
        if not name:
            return ""
        return f"[{name}]({self.url}/projects/{event.get('project') or ''}/features/{name})"

    def project(self, event: Event) -> str:
        project = event.get("project")
        return f"[{project}]({self.url}/projects/{project})" if project else ""

    @staticmethod
    def strategy_title(event: Event) -> str:
        for key in ("preData", "data"):
            if _get(event, key, "title"):
                return _get(event, key, "title")
        return _get(event, "preData", "name") or _get(event, "data", "name")

    def strategy_change(self, event: Event) -> str:
        data = event.get("data") or {}
        pre = event.get("preData") or {}
        name = (data or pre).get("name")
        env = event.get("environment") or ""
        head = f"by updating strategy {B}{self.strategy_title(event)}{B} in {B}{env}{B}"
        parts: list[str] = []
        if name == "flexibleRollout":
            old, new = pre.get("parameters") or {}, data.get("parameters") or {}
            for key, suffix in (("stickiness", ""), ("rollout", "%"), ("groupId", "")):
                before, after = old.get(key), new.get(key)
                if before != after:
                    parts.append(
                        f" {key} to {after}{suffix}"
                        if not before
                        else f" {key} from {before}{suffix} to {after}{suffix}"
                    )
        if name in ("flexibleRollout", "default", "remoteAddress", "applicationHostname"):
            parts.append(_constraints_change(pre.get("constraints"), data.get("constraints")))
            parts.append(_segments_change(pre.get("segments"), data.get("segments")))
        return head + ";".join(part for part in parts if part)

    def format(self, event: Event) -> tuple[str, str]:
        user = event.get("createdBy") or ""
        feature = self.feature(event)
        project = self.project(event)
        env = _get(event, "environment")
        templates: dict[str, tuple[str, Callable[[], str]]] = {
            "api-token-created": (
                "API token created",
                lambda: f"{B}{user}{B} created API token {B}{_get(event, 'data', 'username')}{B}",
            ),
            "api-token-deleted": (
                "API token deleted",
                lambda: (
                    f"{B}{user}{B} deleted API token {B}{_get(event, 'preData', 'username')}{B}"
                ),
            ),
            "segment-created": (
                "Segment created",
                lambda: f"{B}{user}{B} created segment {B}{_get(event, 'data', 'name')}{B}",
            ),
            "segment-updated": (
                "Segment updated",
                lambda: f"{B}{user}{B} updated segment {B}{_get(event, 'preData', 'name')}{B}",
            ),
            "segment-deleted": (
                "Segment deleted",
                lambda: f"{B}{user}{B} deleted segment {B}{_get(event, 'preData', 'name')}{B}",
            ),
            "user-created": (
                "User created",
                lambda: f"{B}{user}{B} created user {B}{_get(event, 'data', 'name')}{B}",
            ),
            "user-updated": (
                "User updated",
                lambda: f"{B}{user}{B} updated user {B}{_get(event, 'preData', 'name')}{B}",
            ),
            "user-deleted": (
                "User deleted",
                lambda: f"{B}{user}{B} deleted user {B}{_get(event, 'preData', 'name')}{B}",
            ),
            "feature-created": (
                "Flag created",
                lambda: f"{B}{user}{B} created {B}{feature}{B} in project {B}{project}{B}",
            ),
            "feature-deleted": (
                "Flag deleted",
                lambda: (
                    f"{B}{user}{B} deleted {B}{_get(event, 'featureName')}{B} "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-archived": (
                "Flag archived",
                lambda: (
                    f"{B}{user}{B} archived {B}{_get(event, 'featureName')}{B} "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-revived": (
                "Flag revived",
                lambda: f"{B}{user}{B} revived {B}{feature}{B} in project {B}{project}{B}",
            ),
            "feature-metadata-updated": (
                "Flag metadata updated",
                lambda: f"{B}{user}{B} updated {B}{feature}{B} metadata in project {B}{project}{B}",
            ),
            "feature-stale-on": (
                "Flag marked as stale",
                lambda: f"{B}{user}{B} marked {B}{feature}{B} as stale in project {B}{project}{B}",
            ),
            "feature-stale-off": (
                "Flag stale marking removed",
                lambda: (
                    f"{B}{user}{B} removed the stale marking on {B}{feature}{B} "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-environment-enabled": (
                "Flag enabled",
                lambda: (
                    f"{B}{user}{B} enabled {B}{feature}{B} for the {B}{env}{B} environment "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-environment-disabled": (
                "Flag disabled",
                lambda: (
                    f"{B}{user}{B} disabled {B}{feature}{B} for the {B}{env}{B} environment "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-environment-variants-updated": (
                "Flag variants updated",
                lambda: (
                    f"{B}{user}{B} updated variants for {B}{feature}{B} for the {B}{env}{B} "
                    f"environment in project {B}{project}{B}"
                ),
            ),
            "feature-strategy-add": (
                "Flag strategy added",
                lambda: (
                    f"{B}{user}{B} added strategy {B}{self.strategy_title(event)}{B} to "
                    f"{B}{feature}{B} for the {B}{env}{B} environment in project {B}{project}{B}"
                ),
            ),
            "feature-strategy-remove": (
                "Flag strategy removed",
                lambda: (
                    f"{B}{user}{B} removed strategy {B}{self.strategy_title(event)}{B} from "
                    f"{B}{feature}{B} for the {B}{env}{B} environment in project {B}{project}{B}"
                ),
            ),
            "feature-strategy-update": (
                "Flag strategy updated",
                lambda: (
                    f"{B}{user}{B} updated {B}{feature}{B} in project {B}{project}{B} "
                    f"{self.strategy_change(event)}"
                ),
            ),
            "feature-tagged": (
                "Flag tagged",
                lambda: (
                    f"{B}{user}{B} tagged {B}{feature}{B} with "
                    f"{B}{_get(event, 'data', 'type')}:{_get(event, 'data', 'value')}{B} "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-untagged": (
                "Flag untagged",
                lambda: (
                    f"{B}{user}{B} untagged {B}{feature}{B} with "
                    f"{B}{_get(event, 'preData', 'type')}:{_get(event, 'preData', 'value')}{B} "
                    f"in project {B}{project}{B}"
                ),
            ),
            "feature-project-change": (
                "Flag moved to a new project",
                lambda: (
                    f"{B}{user}{B} moved {B}{feature}{B} from "
                    f"{B}{_get(event, 'data', 'oldProject')}{B} to {B}{project}{B}"
                ),
            ),
            "project-created": (
                "Project created",
                lambda: f"{B}{user}{B} created project {B}{project}{B}",
            ),
            "project-deleted": (
                "Project deleted",
                lambda: f"{B}{user}{B} deleted project {B}{_get(event, 'project')}{B}",
            ),
            "context-field-created": (
                "Context field created",
                lambda: f"{B}{user}{B} created context field {B}{_get(event, 'data', 'name')}{B}",
            ),
            "context-field-updated": (
                "Context field updated",
                lambda: (
                    f"{B}{user}{B} updated context field {B}{_get(event, 'preData', 'name')}{B}"
                ),
            ),
            "context-field-deleted": (
                "Context field deleted",
                lambda: (
                    f"{B}{user}{B} deleted context field {B}{_get(event, 'preData', 'name')}{B}"
                ),
            ),
        }
        found = templates.get(str(event.get("type")))
        if found is None:
            kind = event.get("type")
            return str(kind), f"{B}{user}{B} triggered {B}{kind}{B}"
        label, text = found
        return label, text()


_OPERATORS = {
    "IN": "is one of",
    "NOT_IN": "is not one of",
    "STR_CONTAINS": "is a string that contains",
    "STR_STARTS_WITH": "is a string that starts with",
    "STR_ENDS_WITH": "is a string that ends with",
    "NUM_EQ": "is a number equal to",
    "NUM_GT": "is a number greater than",
    "NUM_GTE": "is a number greater than or equal to",
    "NUM_LT": "is a number less than",
    "NUM_LTE": "is a number less than or equal to",
    "DATE_BEFORE": "is a date before",
    "DATE_AFTER": "is a date after",
    "SEMVER_EQ": "is a SemVer equal to",
    "SEMVER_GT": "is a SemVer greater than",
    "SEMVER_LT": "is a SemVer less than",
}


def _constraints_text(constraints: list[dict[str, Any]] | None) -> str:
    if not constraints:
        return "empty set of constraints"

    def one(constraint: dict[str, Any]) -> str:
        if "value" in constraint:
            value = constraint["value"]
        else:
            value = "(" + ",".join(str(v) for v in constraint.get("values") or []) + ")"
        operator = _OPERATORS.get(constraint.get("operator", ""), constraint.get("operator"))
        negation = "not " if constraint.get("inverted") else ""
        return f"{constraint.get('contextName')} {negation}{operator} {value}"

    return "[" + ", ".join(one(c) for c in constraints) + "]"


def _constraints_change(old: Any, new: Any) -> str:
    before, after = _constraints_text(old), _constraints_text(new)
    return "" if before == after else f" constraints from {before} to {after}"


def _segments_change(old: Any, new: Any) -> str:
    def text(segments: Any) -> str:
        if not segments:
            return "empty set of segments"
        return "(" + ",".join(str(s) for s in segments) + ")"

    before, after = text(old), text(new)
    return "" if before == after else f" segments from {before} to {after}"
