"""The tag scenario recorded from Unleash 8.2.0 (record_tags.py) and replayed on leash
(test_tags_reference.py): the flags it needs, then each request in order, each named for its
fixture. Every name starts with PREFIX, so recording on a shared reference touches nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

PREFIX = "h2-tags-"
P = PREFIX
F1, F2 = P + "f1", P + "f2"
FLAGS = (F1, F2)
COLOR = P + "color"
ODD = P + "a b/c:d"  # a value with a space, a slash and a colon
PADDED = " " + P + "sp "  # a flag's tag is stored untrimmed


def enc(text: str) -> str:
    return quote(text, safe="")


@dataclass(frozen=True)
class Step:
    name: str
    method: str
    path: str
    body: Any = None
    raw: str | None = None
    content_type: str = "application/json"


TYPES = "/api/admin/tag-types"
TAGS = "/api/admin/tags"


def flag_tags(flag: str) -> str:
    return f"/api/admin/features/{flag}/tags"


BULK = "/api/admin/projects/default/tags"


def _bulk(features: list[str], added: list[dict[str, Any]], removed: list[dict[str, Any]]) -> Any:
    return {"features": features, "tags": {"addedTags": added, "removedTags": removed}}


def simple(value: str) -> dict[str, str]:
    return {"type": "simple", "value": value}


STEPS: tuple[Step, ...] = (
    # -- tag types --
    Step("tag-types-initial", "GET", TYPES),
    Step(
        "create-tag-type",
        "POST",
        TYPES,
        {"name": COLOR, "description": "Colors", "icon": "palette", "color": "#ff0000"},
    ),
    Step("create-tag-type-minimal", "POST", TYPES, {"name": P + "plain"}),
    Step(
        "create-tag-type-nulls",
        "POST",
        TYPES,
        {"name": P + "nulls", "description": None, "icon": None, "color": None},
    ),
    Step("create-tag-type-duplicate", "POST", TYPES, {"name": COLOR}),
    Step("create-tag-type-not-url-friendly", "POST", TYPES, {"name": "h2 tags bad"}),
    Step("create-tag-type-too-short", "POST", TYPES, {"name": "h"}),
    Step("create-tag-type-too-long", "POST", TYPES, {"name": P + "x" * 50}),
    Step("create-tag-type-empty-name", "POST", TYPES, {"name": ""}),
    Step("create-tag-type-number-name", "POST", TYPES, {"name": 1}),
    Step("create-tag-type-missing-name", "POST", TYPES, {}),
    Step("create-tag-type-extra-property", "POST", TYPES, {"name": P + "extra", "other": 1}),
    Step("create-tag-type-bad-color", "POST", TYPES, {"name": P + "bad-color", "color": "red"}),
    Step("create-tag-type-empty-color", "POST", TYPES, {"name": P + "bad-color", "color": ""}),
    Step("create-tag-type-not-object", "POST", TYPES, []),
    Step("create-tag-type-text-body", "POST", TYPES, raw="name=x", content_type="text/plain"),
    Step("validate-tag-type", "POST", TYPES + "/validate", {"name": P + "new"}),
    Step(
        "validate-tag-type-with-fields",
        "POST",
        TYPES + "/validate",
        {"name": P + "new", "description": "d", "icon": None, "color": "#00FF00"},
    ),
    Step("validate-tag-type-taken", "POST", TYPES + "/validate", {"name": "simple"}),
    Step("validate-tag-type-too-short", "POST", TYPES + "/validate", {"name": "a"}),
    Step("validate-tag-type-missing-name", "POST", TYPES + "/validate", {}),
    Step("get-tag-type", "GET", f"{TYPES}/{COLOR}"),
    Step("get-tag-type-minimal", "GET", f"{TYPES}/{P}plain"),
    Step("get-tag-type-nulls", "GET", f"{TYPES}/{P}nulls"),
    Step("get-tag-type-missing", "GET", f"{TYPES}/{P}missing"),
    Step("update-tag-type", "PUT", f"{TYPES}/{COLOR}", {"description": "Colours"}),
    Step("get-tag-type-updated", "GET", f"{TYPES}/{COLOR}"),
    Step(
        "update-tag-type-all",
        "PUT",
        f"{TYPES}/{COLOR}",
        {"description": "All", "icon": "i", "color": "#0000FF"},
    ),
    Step("update-tag-type-null-icon", "PUT", f"{TYPES}/{P}plain", {"icon": None}),
    Step("update-tag-type-bad-color", "PUT", f"{TYPES}/{COLOR}", {"color": "blue"}),
    Step("update-tag-type-short-name", "PUT", f"{TYPES}/h", {"description": "x"}),
    Step("update-tag-type-unfriendly-name", "PUT", f"{TYPES}/a%20b", {"description": "x"}),
    Step("update-tag-type-missing", "PUT", f"{TYPES}/{P}missing", {"description": "x"}),
    Step("update-tag-type-not-object", "PUT", f"{TYPES}/{COLOR}", []),
    Step("get-tag-type-all-updated", "GET", f"{TYPES}/{COLOR}"),
    Step("get-tag-type-missing-after-update", "GET", f"{TYPES}/{P}missing"),
    Step("get-tag-type-null-icon", "GET", f"{TYPES}/{P}plain"),
    Step("tag-types-listed", "GET", TYPES),
    # -- tags --
    Step("create-tag", "POST", TAGS, {"type": COLOR, "value": P + "red"}),
    Step("create-tag-trimmed", "POST", TAGS, {"type": COLOR, "value": "  " + P + "blue  "}),
    Step("create-tag-duplicate", "POST", TAGS, {"type": COLOR, "value": P + "red"}),
    Step("create-tag-duplicate-padded", "POST", TAGS, {"type": COLOR, "value": P + "blue "}),
    Step(
        "create-tag-with-color",
        "POST",
        TAGS,
        {"type": "simple", "value": P + "s1", "color": "#123456"},
    ),
    Step("create-tag-odd-value", "POST", TAGS, {"type": COLOR, "value": ODD}),
    Step("create-tag-too-short", "POST", TAGS, {"type": COLOR, "value": "x"}),
    Step("create-tag-short-padded", "POST", TAGS, {"type": COLOR, "value": " x "}),
    Step("create-tag-too-long", "POST", TAGS, {"type": COLOR, "value": P + "x" * 50}),
    Step("create-tag-type-unfriendly", "POST", TAGS, {"type": "a b", "value": P + "v"}),
    Step("create-tag-type-short", "POST", TAGS, {"type": "a", "value": P + "v"}),
    Step("create-tag-missing-type", "POST", TAGS, {"value": P + "v"}),
    Step("create-tag-missing-value", "POST", TAGS, {"type": COLOR}),
    Step("create-tag-extra-property", "POST", TAGS, {"type": COLOR, "value": P + "v", "x": 1}),
    Step("create-tag-bad-color", "POST", TAGS, {"type": COLOR, "value": P + "v", "color": "x"}),
    Step("get-tags-by-type", "GET", f"{TAGS}/{COLOR}"),
    Step("get-tags-by-type-missing", "GET", f"{TAGS}/{P}missing"),
    Step("get-tag", "GET", f"{TAGS}/{COLOR}/{P}red"),
    Step("get-tag-odd-value", "GET", f"{TAGS}/{COLOR}/{enc(ODD)}"),
    Step("get-tag-missing", "GET", f"{TAGS}/{COLOR}/{P}missing"),
    Step("get-tags", "GET", TAGS),
    Step("delete-tag", "DELETE", f"{TAGS}/{COLOR}/{enc(ODD)}"),
    Step("delete-tag-missing", "DELETE", f"{TAGS}/{COLOR}/{P}never"),
    Step("get-tag-deleted", "GET", f"{TAGS}/{COLOR}/{enc(ODD)}"),
    # -- flags' tags --
    Step("list-flag-tags-empty", "GET", flag_tags(F1)),
    Step("list-flag-tags-missing-flag", "GET", flag_tags(P + "nope")),
    Step("add-tag", "POST", flag_tags(F1), {"type": COLOR, "value": P + "red"}),
    Step("add-tag-again", "POST", flag_tags(F1), {"type": COLOR, "value": P + "red"}),
    Step(
        "add-tag-new",
        "POST",
        flag_tags(F1),
        {"type": "simple", "value": P + "new", "color": "#ffffff"},
    ),
    Step("add-tag-padded", "POST", flag_tags(F1), simple(PADDED)),
    Step("add-tag-unknown-type", "POST", flag_tags(F1), {"type": P + "nope", "value": P + "x"}),
    Step("add-tag-missing-flag", "POST", flag_tags(P + "nope"), simple(P + "x")),
    Step("add-tag-too-short", "POST", flag_tags(F1), simple("x")),
    Step("add-tag-type-unfriendly", "POST", flag_tags(F1), {"type": "s t", "value": P + "x"}),
    Step("add-tag-missing-value", "POST", flag_tags(F1), {"type": "simple"}),
    Step("list-flag-tags", "GET", flag_tags(F1)),
    Step("remove-tag", "DELETE", f"{flag_tags(F1)}/simple/{enc(PADDED)}"),
    Step("remove-tag-not-there", "DELETE", f"{flag_tags(F1)}/simple/{P}never"),
    Step("remove-tag-missing-flag", "DELETE", f"{flag_tags(P + 'nope')}/simple/{P}new"),
    Step("list-flag-tags-after-remove", "GET", flag_tags(F1)),
    Step(
        "update-tags",
        "PUT",
        flag_tags(F1),
        {"addedTags": [simple(P + "u1")], "removedTags": [simple(P + "new")]},
    ),
    Step("update-tags-nothing", "PUT", flag_tags(F1), {"addedTags": [], "removedTags": []}),
    Step(
        "update-tags-unknown-type",
        "PUT",
        flag_tags(F1),
        {"addedTags": [{"type": P + "nope", "value": P + "u2"}], "removedTags": []},
    ),
    Step(
        "update-tags-missing-flag-nothing",
        "PUT",
        flag_tags(P + "nope"),
        {"addedTags": [], "removedTags": []},
    ),
    Step(
        "update-tags-missing-flag",
        "PUT",
        flag_tags(P + "nope"),
        {"addedTags": [simple(P + "u1")], "removedTags": []},
    ),
    Step(
        "update-tags-missing-flag-removal",
        "PUT",
        flag_tags(P + "nope"),
        {"addedTags": [], "removedTags": [simple(P + "u1")]},
    ),
    Step(
        "update-tags-too-short",
        "PUT",
        flag_tags(F1),
        {"addedTags": [simple("x")], "removedTags": []},
    ),
    Step("update-tags-missing-removed", "PUT", flag_tags(F1), {"addedTags": []}),
    Step("bulk-tags", "PUT", BULK, _bulk([F1, F2], [simple(P + "b1")], [simple(P + "u1")])),
    Step("list-flag-tags-after-bulk", "GET", flag_tags(F1)),
    Step("list-other-flag-tags-after-bulk", "GET", flag_tags(F2)),
    Step(
        "bulk-tags-other-project",
        "PUT",
        f"/api/admin/projects/{P}noproj/tags",
        _bulk([F1], [simple(P + "b2")], []),
    ),
    Step(
        "bulk-tags-unknown-type",
        "PUT",
        BULK,
        _bulk([F1], [{"type": P + "nope", "value": P + "b2"}], []),
    ),
    Step("bulk-tags-no-flags", "PUT", BULK, _bulk([], [simple(P + "b3")], [])),
    Step(
        "bulk-tags-missing-flag-removal", "PUT", BULK, _bulk([P + "nope"], [], [simple(P + "b1")])
    ),
    Step("bulk-tags-empty-flag-name", "PUT", BULK, _bulk([""], [], [])),
    Step("bulk-tags-missing-tags", "PUT", BULK, {"features": [F1]}),
    Step("simple-tags-listed", "GET", f"{TAGS}/simple"),
    # -- what deleting types and tags does to flags --
    Step("delete-tag-type", "DELETE", f"{TYPES}/{COLOR}"),
    Step("list-flag-tags-after-type-delete", "GET", flag_tags(F1)),
    Step("get-tags-by-type-after-type-delete", "GET", f"{TAGS}/{COLOR}"),
    Step("delete-tag-type-missing", "DELETE", f"{TYPES}/{COLOR}"),
    Step("delete-tag-of-flags", "DELETE", f"{TAGS}/simple/{P}b1"),
    Step("list-other-flag-tags-after-tag-delete", "GET", flag_tags(F2)),
)
