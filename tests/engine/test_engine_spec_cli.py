"""python -m leash.engine.spec: exit code and summary line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OWN = Path(__file__).parent / "specs"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leash.engine.spec", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_spec_cli__all_passing__exit_zero_and_summary() -> None:
    result = _run(*sorted(str(p) for p in OWN.glob("*.json")))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.strip().splitlines()
    assert lines[-1].endswith(" passed, 0 failed")
    assert int(lines[-1].split()[0]) > 100


def test_spec_cli__directory_argument__runs_its_files() -> None:
    result = _run(str(OWN))
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1].endswith(" passed, 0 failed")


def test_spec_cli__failing_case__reported_and_exit_nonzero(tmp_path: Path) -> None:
    spec = {
        "name": "broken",
        "state": {"version": 1, "features": [{"name": "f", "enabled": True, "strategies": []}]},
        "tests": [
            {"description": "right", "context": {}, "toggleName": "f", "expectedResult": True},
            {"description": "wrong", "context": {}, "toggleName": "f", "expectedResult": False},
        ],
        "variantTests": [
            {
                "description": "variant",
                "context": {},
                "toggleName": "f",
                "expectedResult": {"name": "disabled", "enabled": False, "feature_enabled": True},
            }
        ],
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(spec))
    result = _run(str(path))
    assert result.returncode == 1
    assert "broken.json: wrong" in result.stdout
    assert "expected: false" in result.stdout
    assert "got:      true" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "2 passed, 1 failed"


def test_spec_cli__unreadable_file__counts_as_failure(tmp_path: Path) -> None:
    path = tmp_path / "garbage.json"
    path.write_text("{not json")
    result = _run(str(path))
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_spec_cli__no_arguments__usage_error() -> None:
    result = _run()
    assert result.returncode == 2
    assert "usage" in result.stderr
