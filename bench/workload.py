"""Fill a server (leash or Unleash) through its admin API with a sized, repeatable workload.

Flags get a flexibleRollout strategy with constraints and up to two segments; segments hold
many values. The same requests work against leash and the reference Unleash.
"""

from __future__ import annotations

import argparse
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Size:
    flags: int
    segments: int
    values_per_segment: int


SMALL = Size(flags=5, segments=2, values_per_segment=10)
LARGE = Size(flags=200, segments=20, values_per_segment=40)
# The scale target: 5,000 flags, 300 segments of 1,000 values each.
HUGE = Size(flags=5000, segments=300, values_per_segment=1000)
# Unleash (and leash) refuse a segment with more values than this across its constraints.
SEGMENT_VALUES_LIMIT = 1000


def fill(
    *, base_url: str, admin_token: str, size: Size, prefix: str, seed: int = 7, parallel: int = 4
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": admin_token}
    limits = httpx.Limits(max_connections=parallel, max_keepalive_connections=parallel)
    with httpx.Client(base_url=base_url, headers=headers, timeout=120, limits=limits) as http:
        segment_ids: list[int] = []
        for s in range(size.segments):
            other = (
                {"contextName": "appVersion", "operator": "SEMVER_GT", "value": "1.0.0"}
                if s % 2
                else {"contextName": "country", "operator": "NOT_IN", "values": ["XX", "YY"]}
            )
            # The second constraint's values count towards the segment's limit too.
            room = SEGMENT_VALUES_LIMIT - len(other.get("values", [1]))
            count = min(size.values_per_segment, room)
            values = [f"user-{rng.randrange(1_000_000)}" for _ in range(count)]
            body = {
                "name": f"{prefix}-seg-{s}",
                "constraints": [
                    {"contextName": "userId", "operator": "IN", "values": values},
                    other,
                ],
            }
            response = http.post("/api/admin/segments", json=body)
            response.raise_for_status()
            segment_ids.append(response.json()["id"])
        flag_rngs = [random.Random(seed * 1_000_003 + f) for f in range(size.flags)]

        def add_flag(f: int) -> None:
            rng = flag_rngs[f]
            name = f"{prefix}-flag-{f}"
            created = http.post("/api/admin/projects/default/features", json={"name": name})
            created.raise_for_status()
            strategy = {
                "name": "flexibleRollout",
                "parameters": {
                    "rollout": str(rng.choice([10, 50, 100])),
                    "stickiness": "default",
                    "groupId": name,
                },
                "constraints": [
                    {"contextName": "appName", "operator": "IN",
                     "values": ["web", "api", "worker"]},
                    {"contextName": "plan", "operator": "STR_STARTS_WITH", "values": ["pro", "ent"],
                     "caseInsensitive": True},
                ],
                "segments": rng.sample(segment_ids, k=min(2, len(segment_ids))) if f % 3 else [],
            }  # fmt: skip
            base = f"/api/admin/projects/default/features/{name}/environments/development"
            http.post(f"{base}/strategies", json=strategy).raise_for_status()
            http.post(f"{base}/on").raise_for_status()

        # A few writers at once, as several admins or a script would; same result every run.
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            list(pool.map(add_flag, range(size.flags)))


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
