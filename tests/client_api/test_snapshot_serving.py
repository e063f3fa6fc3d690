"""How snapshots are served: the in-memory hot path answers exactly as the routes do, gzip
bodies, the token cache, and rebuilds after writes (frontend engines updated by delta)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

import flagkit
from support import ADMIN, CLIENT, FRONTEND

FEATURES = "/api/client/features"
SEGMENTS_MODE = {**CLIENT, "Unleash-Client-Spec": "5.0.0"}


def many_flags(client: TestClient, count: int) -> None:
    for i in range(count):
        flagkit.create_flag(client, f"ss-flag-{i}", description="x" * 40)


def frontend_names(client: TestClient, **params: str) -> list[str]:
    response = client.get("/api/frontend", params=params, headers=FRONTEND)
    assert response.status_code == 200, response.text
    return [toggle["name"] for toggle in response.json()["toggles"]]


def test_client_features__hot_path_after_first_request__same_status_headers_and_body(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "ss-one")
    routed = client.get(FEATURES, headers=SEGMENTS_MODE)  # cold: the route renders it
    assert len(client.app.state.client_snapshots.view.cache)  # type: ignore[attr-defined]
    hot = client.get(FEATURES, headers=SEGMENTS_MODE)
    assert hot.status_code == routed.status_code == 200
    assert hot.content == routed.content
    assert dict(hot.headers) == dict(routed.headers)
    assert hot.headers["vary"] == "Accept-Encoding"


def test_frontend__hot_path_after_first_request__same_headers_and_body(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "ss-front")
    flagkit.add_strategy(client, "ss-front")
    flagkit.switch(client, "ss-front")
    routed = client.get("/api/frontend", params={"userId": "u1"}, headers=FRONTEND)
    hot = client.get("/api/frontend", params={"userId": "u1"}, headers=FRONTEND)
    assert hot.status_code == routed.status_code == 200
    assert hot.content == routed.content
    assert dict(hot.headers) == dict(routed.headers)
    assert hot.json()["toggles"] == [
        {
            "name": "ss-front",
            "enabled": True,
            "variant": {
                "name": "disabled",
                "enabled": False,
                "feature_enabled": True,
                "featureEnabled": True,
            },
            "impressionData": False,
        }
    ]


def test_client_features__accepts_gzip__gzip_body_of_the_same_bytes_and_etag(
    client: TestClient,
) -> None:
    many_flags(client, 12)
    plain = client.get(FEATURES, headers=SEGMENTS_MODE)
    assert len(plain.content) > 1024
    for _ in range(2):  # the route, then the hot path
        zipped = client.get(FEATURES, headers={**SEGMENTS_MODE, "Accept-Encoding": "gzip"})
        assert zipped.status_code == 200
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.headers["etag"] == plain.headers["etag"]
        assert zipped.content == plain.content  # httpx decodes it
        assert int(zipped.headers["content-length"]) < len(plain.content)


def test_client_features__small_body__not_compressed(client: TestClient) -> None:
    response = client.get(FEATURES, headers={**SEGMENTS_MODE, "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


def test_client_features__if_none_match_current_etag__bare_304_on_hot_path(
    client: TestClient,
) -> None:
    etag = client.get(FEATURES, headers=SEGMENTS_MODE).headers["etag"]
    for _ in range(2):
        response = client.get(FEATURES, headers={**SEGMENTS_MODE, "If-None-Match": etag})
        assert response.status_code == 304
        assert response.content == b""
        assert "etag" not in response.headers


def test_frontend__segment_values_changed__served_from_the_new_values_at_once(
    client: TestClient,
) -> None:
    constraint = {"contextName": "userId", "operator": "IN", "values": ["alice"]}
    segment_id = flagkit.create_segment(client, "ss-seg", [constraint])
    flagkit.create_flag(client, "ss-seg-flag")
    flagkit.add_strategy(client, "ss-seg-flag", segments=[segment_id])
    flagkit.create_flag(client, "ss-other")
    flagkit.add_strategy(client, "ss-other")
    flagkit.switch(client, "ss-seg-flag")
    flagkit.switch(client, "ss-other")
    assert frontend_names(client, userId="alice") == ["ss-other", "ss-seg-flag"]
    assert frontend_names(client, userId="bob") == ["ss-other"]
    flagkit.update_segment(client, segment_id, "ss-seg", [{**constraint, "values": ["bob"]}])
    assert frontend_names(client, userId="alice") == ["ss-other"]
    assert frontend_names(client, userId="bob") == ["ss-other", "ss-seg-flag"]


def test_frontend__flag_switched_off_and_archived__dropped_at_once(client: TestClient) -> None:
    for name in ("ss-a", "ss-b"):
        flagkit.create_flag(client, name)
        flagkit.add_strategy(client, name)
        flagkit.switch(client, name)
    assert frontend_names(client) == ["ss-a", "ss-b"]
    flagkit.switch(client, "ss-a", on=False)
    assert frontend_names(client) == ["ss-b"]
    archived = client.delete("/api/admin/projects/default/features/ss-b", headers=ADMIN)
    assert archived.status_code == 202, archived.text
    assert frontend_names(client) == []


def test_client_token__expiry_moved_to_the_past__refused_at_once(client: TestClient) -> None:
    secret = flagkit.create_token(client, type="client", projects=["*"], environment="development")
    token = {"Authorization": secret}
    assert client.get(FEATURES, headers=token).status_code == 200
    assert client.get(FEATURES, headers=token).status_code == 200  # from the token cache
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    response = client.put(
        f"/api/admin/api-tokens/{secret}", headers=ADMIN, json={"expiresAt": past}
    )
    assert response.status_code == 200, response.text
    assert client.get(FEATURES, headers=token).status_code == 401


def test_client_token__cached_then_deleted__refused_at_once(client: TestClient) -> None:
    secret = flagkit.create_token(client, type="client", projects=["*"], environment="development")
    token = {"Authorization": secret}
    assert client.get(FEATURES, headers=token).status_code == 200
    assert client.get(FEATURES, headers=token).status_code == 200
    assert client.delete(f"/api/admin/api-tokens/{secret}", headers=ADMIN).status_code == 200
    assert client.get(FEATURES, headers=token).status_code == 401
