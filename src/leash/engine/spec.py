"""Run Unleash client-specification files against the engine.

    python -m leash.engine.spec FILE_OR_DIR...

Prints each failing case (file, description, expected, got), then ``N passed, M failed``;
exits non-zero when anything failed. A directory means its ``*.json`` files but ``index.json``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leash.engine.engine import Engine
from leash.engine.errors import StateError


@dataclass(frozen=True, slots=True)
class Case:
    file: str
    kind: str  # "tests" (is_enabled) or "variantTests" (get_variant)
    description: str
    toggle_name: str
    context: dict[str, Any]
    expected: Any


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    got: Any

    @property
    def passed(self) -> bool:
        return bool(self.got == self.case.expected)


def spec_files(paths: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(p for p in sorted(path.glob("*.json")) if p.name != "index.json")
        else:
            files.append(path)
    return files


def load_spec(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        spec = json.load(fh)
    if not isinstance(spec, dict) or "state" not in spec:
        raise StateError(f"{path} is not a client-specification file")
    return spec


def cases(path: Path, spec: dict[str, Any]) -> Iterator[Case]:
    for kind in ("tests", "variantTests"):
        for item in spec.get(kind) or []:
            yield Case(
                file=path.name,
                kind=kind,
                description=str(item.get("description", "")),
                toggle_name=str(item["toggleName"]),
                context=dict(item.get("context") or {}),
                expected=item.get("expectedResult"),
            )


def run_case(engine: Engine, case: Case) -> Outcome:
    if case.kind == "tests":
        return Outcome(case, engine.is_enabled(case.toggle_name, case.context))
    return Outcome(case, engine.get_variant(case.toggle_name, case.context))


def run_file(path: Path, *, hostname: str | None = None) -> list[Outcome]:
    spec = load_spec(path)
    engine = Engine(hostname=hostname)
    engine.take_state(spec["state"])
    return [run_case(engine, case) for case in cases(path, spec)]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m leash.engine.spec FILE_OR_DIR...", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in spec_files(args):
        try:
            outcomes = run_file(path)
        except (OSError, ValueError) as exc:
            # A file that cannot be loaded fails as one case: its cases cannot be counted.
            print(f"FAIL {path.name}: cannot load: {exc}")
            failed += 1
            continue
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            case = outcome.case
            print(
                f"FAIL {case.file}: {case.description} [{case.toggle_name}]\n"
                f"  expected: {json.dumps(case.expected, ensure_ascii=False)}\n"
                f"  got:      {json.dumps(outcome.got, ensure_ascii=False)}"
            )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
