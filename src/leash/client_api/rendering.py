"""Client-features bodies as bytes: a flag's and a segment's JSON as Unleash serves it, the
body of one query with its ETag, and its gzip copy."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

JSON_UTF8 = b"application/json; charset=utf-8"
# Express's compression middleware leaves bodies under 1 kB alone; so do we.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Query:
    environment: str
    projects: tuple[str, ...] | None  # None: every project
    name_prefix: str | None
    tags: tuple[tuple[str, str], ...]
    inline_segments: bool

    def as_json(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        if self.tags:
            query["tag"] = [list(tag) for tag in self.tags]
        if self.projects is not None:
            query["project"] = list(self.projects)
        if self.name_prefix:
            query["namePrefix"] = self.name_prefix
        query["environment"] = self.environment
        query["inlineSegmentConstraints"] = self.inline_segments
        return query

    @property
    def selects_all(self) -> bool:
        return self.projects is None and not self.name_prefix and not self.tags


class Rendered:
    """One query's body as bytes, its ETag, and the ASGI headers to send it with."""

    __slots__ = (
        "_gzip",
        "body",
        "etag",
        "features",
        "gzip_headers",
        "gzip_pending",
        "headers",
        "on_gzip",
        "segments",
    )

    def __init__(
        self,
        *,
        body: bytes,
        etag: str,
        features: dict[str, dict[str, Any]],
        segments: list[dict[str, Any]],
    ) -> None:
        self.body = body
        self.etag = etag
        self.features = features
        self.segments = segments
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-type", JSON_UTF8),
            (b"content-length", str(len(body)).encode()),
            (b"etag", etag.encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        self._gzip: bytes | None = None
        self.gzip_headers: list[tuple[bytes, bytes]] | None = None
        # Set while a rebuild compresses it in the background: serve identity meanwhile.
        self.gzip_pending = False
        # Told when the gzip copy is made, so the cache holding this body counts its bytes.
        self.on_gzip: Callable[[Rendered], None] | None = None

    @property
    def cost(self) -> int:
        """Bytes counted against the render cache: the body and its gzip copy."""
        return len(self.body) + (len(self._gzip) if self._gzip is not None else 0)

    @property
    def compressible(self) -> bool:
        return len(self.body) >= GZIP_MIN_BYTES

    @property
    def gzip_ready(self) -> bool:
        return self._gzip is not None

    def gzip_body(self) -> bytes:
        """The gzip copy, compressed on first use (racing callers compress twice, harmlessly)."""
        found = self._gzip
        if found is None:
            found = gzip.compress(self.body, compresslevel=GZIP_LEVEL, mtime=0)
            self.gzip_headers = [
                (b"content-type", JSON_UTF8),
                (b"content-length", str(len(found)).encode()),
                (b"etag", self.etag.encode()),
                (b"vary", b"Accept-Encoding"),
                (b"content-encoding", b"gzip"),
            ]
            self._gzip = found
            if self.on_gzip is not None:
                self.on_gzip(self)
        return found


def _stringify(parameters: dict[str, Any] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in (parameters or {}).items():
        if isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif value is None:
            result[key] = ""
        else:
            result[key] = value if isinstance(value, str) else orjson.dumps(value).decode()
    return result


def feature_json(
    flag: Any,
    *,
    strategies: Iterable[Any],
    links: Mapping[str, list[int]],
    dependencies: Iterable[Any] | None,
    inline: Mapping[int, list[dict[str, Any]]] | None,
) -> dict[str, Any]:
    """One flag as SDKs are sent it, from its rows: `links` maps its strategies to the ids of
    their segments; given `inline` (segment id -> constraints), the segments' constraints are
    copied into the strategies instead."""
    rendered = []
    for strategy in strategies:
        ids = links.get(strategy.id, [])
        constraints = list(strategy.constraints)
        item: dict[str, Any] = {"name": strategy.strategy_name}
        if inline is not None:
            for segment_id in ids:
                constraints.extend(inline.get(segment_id, []))
        item["constraints"] = constraints
        item["parameters"] = _stringify(strategy.parameters)
        item["variants"] = strategy.variants or []
        if ids and inline is None:
            item["segments"] = ids
        rendered.append(item)
    feature: dict[str, Any] = {
        "name": flag.name,
        "type": flag.type,
        "enabled": bool(flag.env_enabled),
        "project": flag.project,
        "stale": bool(flag.stale),
        "strategies": rendered,
        "variants": flag.env_variants or [],
        "description": flag.description,
        "impressionData": bool(flag.impression_data),
    }
    if dependencies:
        feature["dependencies"] = [
            {
                "feature": d.parent,
                "enabled": bool(d.enabled),
                # As 8.2: an enabled parent's variants are listed, empty or not.
                **({"variants": d.variants or []} if d.enabled else {}),
            }
            for d in dependencies
        ]
    return feature


def render_body(
    query: Query,
    *,
    features: dict[str, dict[str, Any]],
    segments: list[dict[str, Any]],
    revision_id: int,
) -> Rendered:
    """The body of `query` as bytes (its `segments` left out when they are inlined), with the
    ETag naming the query and the content."""
    body: dict[str, Any] = {
        "version": 2,
        "features": list(features.values()),
        "query": query.as_json(),
    }
    if not query.inline_segments:
        body["segments"] = segments
    content = orjson.dumps(body)
    query_hash = hashlib.sha1(orjson.dumps(query.as_json())).hexdigest()[:8]
    content_hash = hashlib.sha1(content).hexdigest()[:12]
    etag = f'"{query_hash}:{content_hash}:v1"'
    meta = {"revisionId": revision_id, "etag": etag, "queryHash": query_hash}
    # The body with "meta" appended is `content` with one more key: splice it in rather
    # than serialize every flag a second time (orjson writes no whitespace either way).
    full = b"".join((content[:-1], b',"meta":', orjson.dumps(meta), b"}"))
    return Rendered(body=full, etag=etag, features=features, segments=segments)
