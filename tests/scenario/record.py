"""Record the scenario against a running server (normally the reference Unleash, fresh DB).

/work/shared/tools/reference-unleash --fresh
.venv/bin/python tests/scenario/record.py [--base-url http://127.0.0.1:4243] [--out FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _load_compare() -> ModuleType:
    spec = importlib.util.spec_from_file_location("leash_scenario_compare", HERE / "compare.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    cmp = _load_compare()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:4243")
    parser.add_argument("--out", type=Path, default=cmp.REFERENCE_FILE)
    args = parser.parse_args(argv)

    send = cmp.http_sender(args.base_url)
    status, _, raw = send(
        "GET", "/api/admin/ui-config", {"Authorization": cmp.DEFAULT_TOKENS["admin"]}, None
    )
    version = None
    if status == 200:
        ui = json.loads(raw)
        version = ui.get("versionInfo", {}).get("current", {}).get("oss") or ui.get("version")
    records = cmp.run_steps(send)
    document = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_url": args.base_url,
        "server_version": version,
        "tokens": cmp.DEFAULT_TOKENS,
        "steps": records,
    }
    args.out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    statuses: dict[int, int] = {}
    for r in records:
        statuses[r["response"]["status"]] = statuses.get(r["response"]["status"], 0) + 1
    print(f"recorded {len(records)} steps from {args.base_url} (version {version}) -> {args.out}")
    print("statuses:", dict(sorted(statuses.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
