"""The compiled-state query a frontend token means: shared by the route and the hot path
(leash.hot_paths)."""

from __future__ import annotations

from leash.client_api.rendering import Query
from leash.identity import Principal


def frontend_query(principal: Principal) -> Query:
    return Query(
        environment=principal.environment,
        projects=None if principal.all_projects else principal.projects,
        name_prefix=None,
        tags=(),
        inline_segments=False,
    )
