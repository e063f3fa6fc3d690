"""Fill a server (leash or Unleash) through its admin API with a sized, repeatable workload.

Flags get a flexibleRollout strategy with constraints and up to two segments; segments hold
many values. The same requests work against leash and the reference Unleash.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Size:
    flags: int
    segments: int
    values_per_segment: int


SMALL = Size(flags=5, segments=2, values_per_segment=10)
LARGE = Size(flags=200, segments=20, values_per_segment=40)


def fill(*, base_url: str, admin_token: str, size: Size, prefix: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": admin_token}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
        segment_ids: list[int] = []
        for s in range(size.segments):
            values = [f"user-{rng.randrange(1_000_000)}" for _ in range(size.values_per_segment)]
            body = {
                "name": f"{prefix}-seg-{s}",
                "constraints": [
                    {"contextName": "userId", "operator": "IN", "values": values},
                    {"contextName": "appVersion", "operator": "SEMVER_GT", "value": "1.0.0"}
                    if s % 2
                    else {"contextName": "country", "operator": "NOT_IN", "values": ["XX", "YY"]},
                ],
            }
            response = http.post("/api/admin/segments", json=body)
            response.raise_for_status()
            segment_ids.append(response.json()["id"])
        for f in range(size.flags):
            name = f"{prefix}-flag-{f}"
            http.post("/api/admin/projects/default/features", json={"name": name}).raise_for_status()
            strategy = {
                "name": "flexibleRollout",
                "parameters": {"rollout": str(rng.choice([10, 50, 100])), "stickiness": "default", "groupId": name},
                "constraints": [
                    {"contextName": "appName", "operator": "IN", "values": ["web", "api", "worker"]},
                    {"contextName": "plan", "operator": "STR_STARTS_WITH", "values": ["pro", "ent"], "caseInsensitive": True},
                ],
                "segments": rng.sample(segment_ids, k=min(2, len(segment_ids))) if f % 3 else [],
            }
            path = f"/api/admin/projects/default/features/{name}/environments/development/strategies"
            http.post(path, json=strategy).raise_for_status()
            on = f"/api/admin/projects/default/features/{name}/environments/development/on"
            http.post(on).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin-token", required=True)
    parser.add_argument("--flags", type=int, default=LARGE.flags)
    parser.add_argument("--segments", type=int, default=LARGE.segments)
    parser.add_argument("--values", type=int, default=LARGE.values_per_segment)
    parser.add_argument("--prefix", default="bench")
    args = parser.parse_args()
    fill(
        base_url=args.url,
        admin_token=args.admin_token,
        size=Size(flags=args.flags, segments=args.segments, values_per_segment=args.values),
        prefix=args.prefix,
    )


if __name__ == "__main__":
    main()
