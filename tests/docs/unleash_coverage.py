"""Which of Unleash 8.2.0's operations leash answers; writes README.md's "Not answered yet".

    .venv/bin/python tests/docs/unleash_coverage.py     # rewrites the README section

`fixtures/unleash-8.2.0-operations.json` is the operation list of the reference server's
`/docs/openapi.json` (operationId, method, path, tag). The reason an operation is not
answered is data: by operationId first, then by tag.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "unleash-8.2.0-operations.json"
README = ROOT / "README.md"
HEADING = "## Not answered yet"
# Internals of Unleash's own admin UI (feedback, splash screens, UI error reports, CORS
# settings): no tool or script calls them, so they are not counted.
ADMIN_UI_TAG = "Admin UI"
MIGRATION = "applications, metrics views, addons and export/import come with migration (issue 14)"
REASONS_BY_TAG: dict[str, str] = {
    "Addons": MIGRATION,
    "Import/Export": MIGRATION,
    "Metrics": MIGRATION,
    "Unleash Edge": "Unleash Edge's own endpoints: with streaming and delta (issue 15)",
}
REASONS_BY_OPERATION: dict[str, str] = {
    "getRawFeatureMetrics": MIGRATION,
    "getProjectApplications": MIGRATION,
    "getOutdatedProjectSdks": MIGRATION,
    "getUnknownFlags": MIGRATION,
}
NOT_BUILT = "not built yet (issue 13)"


def unleash_operations() -> list[dict[str, Any]]:
    """Unleash 8.2.0's operations, less its admin-UI internals."""
    operations: list[dict[str, Any]] = json.loads(FIXTURE.read_text())["operations"]
    return [op for op in operations if op["tag"] != ADMIN_UI_TAG]


def declared_operations() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_settings
    from leash.api.operation import OPERATIONS
    from leash.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        create_app(make_settings(f"sqlite:///{tmp}/coverage.db"))
    return dict(OPERATIONS)


def reason(op: dict[str, Any]) -> str:
    return REASONS_BY_OPERATION.get(op["operationId"]) or REASONS_BY_TAG.get(op["tag"], NOT_BUILT)


def section(declared: dict[str, Any]) -> str:
    """The README section: the count, then the missing operations grouped by reason."""
    operations = unleash_operations()
    missing = [op for op in operations if op["operationId"] not in declared]
    answered = len(operations) - len(missing)
    lines = [
        HEADING,
        "",
        f"leash answers {answered} of the {len(operations)} operations in Unleash 8.2.0's OpenAPI",
        "document (its admin-UI internals left out). The rest, by reason "
        "(`tests/docs/unleash_coverage.py` writes this list):",
        "",
    ]
    by_reason: dict[str, list[dict[str, Any]]] = {}
    for op in missing:
        by_reason.setdefault(reason(op), []).append(op)
    for why, ops in sorted(by_reason.items()):
        lines.append(f"- {why}:")
        lines.extend(f"  - `{op['operationId']}` ({op['method']} {op['path']})" for op in ops)
    return "\n".join(lines) + "\n"


def readme_section() -> str:
    text = README.read_text()
    start = text.find(HEADING)
    if start < 0:
        return ""
    end = text.find("\n## ", start + len(HEADING))
    return text[start:] if end < 0 else text[start : end + 1]


def write_readme(declared: dict[str, Any]) -> None:
    text, old = README.read_text(), readme_section()
    new = section(declared)
    text = text.replace(old, new) if old else text.rstrip("\n") + "\n\n" + new
    README.write_text(text)


if __name__ == "__main__":
    write_readme(declared_operations())
