"""Unleash's Joi rules for the client-features query (`tag`, `project`, `namePrefix`)."""

from __future__ import annotations

import json
from urllib.parse import quote

import re2

from leash.errors import BadDataError

# Unanchored, as Unleash's /\w+:.+/ (JavaScript's \w is ASCII only, as RE2's). RE2 because
# Python's re retries \w+ from every start of a long run of word characters: quadratic.
TAG_PATTERN = re2.compile(r"\w+:.+")
NAME_MAX_LENGTH = 100


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _url_friendly(name: str) -> bool:
    # encodeURIComponent leaves exactly these characters alone.
    return quote(name, safe="-_.!~*'()") == name and name not in (".", "..")


def _project_problem(label: str, name: str) -> str | None:
    if name == "":
        return f'"{label}" is not allowed to be empty.'
    if not _url_friendly(name):
        return f'"{label}" must be URL friendly. You provided {_shown(name)}.'
    if len(name) > NAME_MAX_LENGTH:
        return (
            f'"{label}" length must be less than or equal to {NAME_MAX_LENGTH} characters long. '
            f"You provided {_shown(name)}."
        )
    return None


def check_query(
    *, tag: list[str] | None, project: list[str] | None, name_prefix: str | None
) -> None:
    """Raise Unleash's 400 (every problem listed, no error id) for a malformed query."""
    details: list[str] = []
    # A single empty parameter reaches Joi as "" rather than a list.
    if tag == [""]:
        details.append('"tag" must be an array.')
    else:
        for index, item in enumerate(tag or []):
            if not TAG_PATTERN.search(item):
                details.append(
                    f'"tag[{index}]" with value {_shown(item)} fails to match the tag pattern. '
                    f"You provided {_shown(item)}."
                )
    if project == [""]:
        details.append('"project" must be an array.')
    elif project:
        problems = [_project_problem(f"project[{i}]", name) for i, name in enumerate(project)]
        details.extend(problem for problem in problems if problem is not None)
        if all(problem is not None for problem in problems):
            details.append(
                f'"project" does not contain 1 required value(s). You provided {_shown(project)}.'
            )
    if name_prefix == "":
        details.append('"namePrefix" is not allowed to be empty.')
    if details:
        raise BadDataError.many([{"message": message} for message in details], with_id=False)
