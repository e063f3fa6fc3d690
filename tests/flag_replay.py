"""Replays a list of admin, client and frontend API calls and normalises the answers, so one
script runs against the reference Unleash (to record a fixture) and against leash (to compare
with it). Strategy ids are captured by name and shown as placeholders; error ids and
timestamps are replaced."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import httpx

from support import ADMIN, CLIENT, FRONTEND

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
HEADERS = {"admin": ADMIN, "client": CLIENT, "frontend": FRONTEND}


class Step(TypedDict):
    label: str
    method: str
    path: str
    body: NotRequired[Any]
    auth: NotRequired[str]
    # Remember strategy ids of the answer under these names: {name: [keys...]}.
    capture: NotRequired[dict[str, list[str | int]]]
    # Keep only these flags of a client or frontend answer ("features" or "toggles").
    flags: NotRequired[list[str]]
    # Keep only these entries of a list answer (parent options).
    only: NotRequired[list[str]]
    # Keep only these keys of an object answer.
    keys: NotRequired[list[str]]


def _substitute(value: Any, ids: dict[str, str]) -> Any:
    text = json.dumps(value)
    for name, found in ids.items():
        text = text.replace("{" + name + "}", found)
    return json.loads(text)


def _dig(value: Any, keys: list[str | int]) -> Any:
    for key in keys:
        value = value[key]
    return value


def normalise(value: Any, ids: dict[str, str]) -> Any:
    names = {found: f"<{name}>" for name, found in ids.items()}
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "id" and isinstance(item, str) and item not in names:
                out[key] = "<id>"
            elif key in ("createdAt", "enteredStageAt", "lastSeenAt") and isinstance(item, str):
                out[key] = "<stamp>"
            else:
                out[key] = normalise(item, ids)
        return out
    if isinstance(value, list):
        return [normalise(item, ids) for item in value]
    if isinstance(value, str):
        for found, placeholder in names.items():
            value = value.replace(found, placeholder)
        return STAMP.sub("<stamp>", value)
    return value


def _select(body: Any, step: Step) -> Any:
    if "flags" in step and isinstance(body, dict):
        listed: list[Any] = body.get("features") or body.get("toggles") or []
        return sorted(
            (item for item in listed if item["name"] in step["flags"]),
            key=lambda item: str(item["name"]),
        )
    if "only" in step and isinstance(body, list):
        return [item for item in body if item in step["only"]]
    if "keys" in step and isinstance(body, dict):
        return {key: body.get(key) for key in step["keys"]}
    return body


def run(
    http: httpx.Client, steps: list[Step], *, before: Callable[[Step], None] | None = None
) -> list[dict[str, Any]]:
    ids: dict[str, str] = {}
    answers: list[dict[str, Any]] = []
    for step in steps:
        if before is not None:
            before(step)
        path = _substitute(step["path"], ids)
        kwargs: dict[str, Any] = {"headers": HEADERS[step.get("auth", "admin")]}
        if "body" in step:
            kwargs["json"] = _substitute(step["body"], ids)
        response = http.request(step["method"], path, **kwargs)
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = response.text
        for name, keys in step.get("capture", {}).items():
            ids[name] = str(_dig(body, keys))
        if isinstance(body, dict) and "events" in body and path.startswith("/api/admin/search"):
            volatile = {"id", "createdAt", "createdBy", "createdByUserId", "groupId", "groupType"}
            volatile |= {"label", "summary"}
            body = [
                {k: v for k, v in event.items() if k not in volatile}
                for event in reversed(body["events"])
            ]
        answers.append(
            {
                "label": step["label"],
                "status": response.status_code,
                "body": normalise(_select(body, step), ids),
            }
        )
    return answers


def load(path: Path) -> list[dict[str, Any]]:
    recorded: list[dict[str, Any]] = json.loads(path.read_text())
    return recorded


def save(path: Path, answers: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n")


def compare(
    got: list[dict[str, Any]], recorded: list[dict[str, Any]], *, differs: dict[str, Any]
) -> None:
    assert [a["label"] for a in got] == [a["label"] for a in recorded]
    for mine, theirs in zip(got, recorded, strict=True):
        expected = differs.get(mine["label"], theirs)
        if isinstance(mine["body"], list) and isinstance(expected["body"], list):
            for i, (a, b) in enumerate(zip(mine["body"], expected["body"], strict=False)):
                assert a == b, f"{mine['label']} [{i}]:\n leash {a}\n 8.2   {b}"
        assert (mine["status"], mine["body"]) == (expected["status"], expected["body"]), (
            f"{mine['label']}:\n leash {mine['status']} {mine['body']}\n"
            f" 8.2   {expected['status']} {expected['body']}"
        )
