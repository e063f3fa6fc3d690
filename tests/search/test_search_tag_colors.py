"""GET /api/admin/search/features gives each tag its tag type's color, null when the type has
none, as Unleash 8.2.0 does (its search joins tag_types.color)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support import ADMIN


def test_search__tags__their_tag_types_color_or_null(client: TestClient) -> None:
    assert (
        client.post("/api/admin/tag-types", headers=ADMIN, json={"name": "team"}).status_code == 201
    )
    assert (
        client.post(
            "/api/admin/projects/default/features", headers=ADMIN, json={"name": "painted"}
        ).status_code
        == 201
    )
    for tag in ({"type": "team", "value": "core"}, {"type": "simple", "value": "web"}):
        response = client.post("/api/admin/features/painted/tags", headers=ADMIN, json=tag)
        assert response.status_code == 201, response.text

    found = client.get("/api/admin/search/features?query=painted", headers=ADMIN).json()

    assert found["features"][0]["tags"] == [
        {"value": "core", "type": "team", "color": None},
        {"value": "web", "type": "simple", "color": "#FFFFFF"},
    ]
