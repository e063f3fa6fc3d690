"""Every case of every client-specification file, through the engine, with exact results.

The shared suite (../shared/client-specification) is vendored in tests/engine/client-specification
so it runs wherever the repository is cloned; when ../shared is present too, the copy must equal
it. The shared suite lacks some upstream files; tests/engine/specs holds leash's own files in the
same format, each expectation checked against yggdrasil.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from leash.engine import Engine
from leash.engine.spec import Case, cases, run_case

SHARED = Path(__file__).parent / "client-specification" / "specifications"
UPSTREAM = Path(__file__).parents[2] / ".." / "shared" / "client-specification" / "specifications"
OWN = Path(__file__).parent / "specs"


def _files(directory: Path) -> list[Path]:
    index = directory / "index.json"
    if index.exists():
        return [directory / name for name in json.loads(index.read_text())]
    return sorted(directory.glob("*.json"))


def _params(directory: Path) -> list[Any]:
    params = []
    for path in _files(directory):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for case in cases(path, spec):
            params.append(pytest.param(path, case, id=f"{case.file}:{case.description}"))
    return params


@functools.cache
def _engine(path: Path) -> Engine:
    engine = Engine(hostname="leash-spec-runner.invalid")
    engine.take_state(json.loads(path.read_text(encoding="utf-8"))["state"])
    return engine


@pytest.mark.parametrize(("path", "case"), _params(SHARED))
def test_shared_client_specification(path: Path, case: Case) -> None:
    assert run_case(_engine(path), case).got == case.expected


@pytest.mark.parametrize(("path", "case"), _params(OWN))
def test_leash_specification(path: Path, case: Case) -> None:
    assert run_case(_engine(path), case).got == case.expected


def test_shared_index_lists_every_file() -> None:
    listed = set(json.loads((SHARED / "index.json").read_text()))
    assert listed == {p.name for p in SHARED.glob("*.json")} - {"index.json"}


@pytest.mark.skipif(not UPSTREAM.is_dir(), reason="../shared/client-specification is absent")
def test_vendored_copy__equals_shared_client_specification() -> None:
    def contents(directory: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in directory.glob("*.json")}

    assert contents(SHARED) == contents(UPSTREAM)
