"""A leash database's whole state, read in one transaction, as a leash-state document."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from leash.context.models import context_fields
from leash.db.base import iso
from leash.features.models import (
    feature_dependencies,
    feature_environments,
    feature_strategies,
    feature_strategy_segment,
    feature_tags,
    features,
)
from leash.links.models import feature_link
from leash.projects.models import environments, project_environments, projects
from leash.segments.models import segments
from leash.strategy_definitions.models import strategies
from leash.tags.models import tag_types, tags
from leash.tokens.models import api_tokens
from leash.transfer import state as st
from leash.users.models import roles, users


def export_state(conn: Connection, *, segments_only: bool = False) -> st.State:
    state = st.empty()
    state["segments"] = _segments(conn)
    if segments_only:
        return state
    state["environments"] = _environments(conn)
    state["projects"] = _projects(conn)
    state["contextFields"] = _context_fields(conn)
    state["strategyDefinitions"] = _strategy_definitions(conn)
    state["tagTypes"] = [
        st.TagType(name=r.name, description=r.description, icon=r.icon, color=r.color)
        for r in conn.execute(select(tag_types).order_by(tag_types.c.name))
    ]
    state["tags"] = [
        st.Tag(type=r.type, value=r.value, createdAt=iso(r.created_at))
        for r in conn.execute(select(tags).order_by(tags.c.type, tags.c.value))
    ]
    state["flags"] = _flags(conn)
    state["apiTokens"] = [
        st.ApiToken(
            tokenName=r.token_name,
            type=r.type,
            environment=r.environment,
            projects=list(r.projects),
            secretHash=r.secret_hash,
            displayPrefix=r.display_prefix,
            expiresAt=iso(r.expires_at),
            createdAt=iso(r.created_at),
        )
        for r in conn.execute(
            select(api_tokens).order_by(api_tokens.c.token_name, api_tokens.c.secret_hash)
        )
    ]
    state["users"] = [
        st.User(
            username=r.username,
            email=r.email,
            name=r.name,
            rootRole=r.role_name,
            createdAt=iso(r.created_at),
        )
        for r in conn.execute(
            select(users, roles.c.name.label("role_name"))
            .join(roles, roles.c.id == users.c.root_role_id)
            .order_by(users.c.id)
        )
    ]
    return state


def _segments(conn: Connection) -> list[st.Segment]:
    return [
        st.Segment(
            id=r.id,
            name=r.name,
            description=r.description,
            project=r.segment_project_id,
            constraints=list(r.constraints),
            createdBy=r.created_by,
            createdAt=iso(r.created_at),
        )
        for r in conn.execute(select(segments).order_by(segments.c.id))
    ]


def _environments(conn: Connection) -> list[st.Environment]:
    return [
        st.Environment(
            name=r.name,
            type=r.type,
            enabled=bool(r.enabled),
            protected=bool(r.protected),
            sortOrder=r.sort_order,
        )
        for r in conn.execute(
            select(environments).order_by(environments.c.sort_order, environments.c.name)
        )
    ]


def _projects(conn: Connection) -> list[st.Project]:
    by_project: dict[str, list[st.ProjectEnvironment]] = defaultdict(list)
    for r in conn.execute(
        select(project_environments).order_by(
            project_environments.c.project_id, project_environments.c.environment_name
        )
    ):
        by_project[r.project_id].append(
            st.ProjectEnvironment(
                environment=r.environment_name, defaultStrategy=r.default_strategy
            )
        )
    return [
        st.Project(
            id=r.id,
            name=r.name,
            description=r.description,
            mode=r.mode,
            createdAt=iso(r.created_at),
            environments=by_project.get(r.id, []),
        )
        for r in conn.execute(select(projects).order_by(projects.c.id))
    ]


def _context_fields(conn: Connection) -> list[st.ContextField]:
    return [
        st.ContextField(
            name=r.name,
            description=r.description,
            sortOrder=r.sort_order,
            legalValues=list(r.legal_values),
            stickiness=bool(r.stickiness),
            project=r.project,
            createdAt=iso(r.created_at),
        )
        for r in conn.execute(
            select(context_fields).order_by(context_fields.c.sort_order, context_fields.c.name)
        )
    ]


def _strategy_definitions(conn: Connection) -> list[st.StrategyDefinition]:
    """Custom definitions only: built-in ones come with every leash."""
    return [
        st.StrategyDefinition(
            name=r.name,
            displayName=r.display_name,
            description=r.description,
            title=r.title,
            parameters=list(r.parameters),
            deprecated=bool(r.deprecated),
            sortOrder=r.sort_order,
        )
        for r in conn.execute(
            select(strategies).where(strategies.c.built_in.is_(False)).order_by(strategies.c.name)
        )
    ]


def _flags(conn: Connection) -> list[st.Flag]:
    segment_ids: dict[str, list[int]] = defaultdict(list)
    for r in conn.execute(
        select(feature_strategy_segment).order_by(
            feature_strategy_segment.c.feature_strategy_id, feature_strategy_segment.c.segment_id
        )
    ):
        segment_ids[r.feature_strategy_id].append(r.segment_id)
    by_env: dict[tuple[str, str], list[st.Strategy]] = defaultdict(list)
    for r in conn.execute(
        select(feature_strategies).order_by(
            feature_strategies.c.feature_name,
            feature_strategies.c.environment,
            feature_strategies.c.sort_order,
            feature_strategies.c.created_at,
            feature_strategies.c.id,
        )
    ):
        by_env[(r.feature_name, r.environment)].append(
            st.Strategy(
                id=r.id,
                name=r.strategy_name,
                title=r.title,
                disabled=bool(r.disabled),
                parameters=dict(r.parameters),
                constraints=list(r.constraints),
                variants=list(r.variants),
                sortOrder=r.sort_order,
                segments=segment_ids.get(r.id, []),
            )
        )
    envs: dict[str, list[st.FlagEnvironment]] = defaultdict(list)
    for r in conn.execute(
        select(feature_environments).order_by(
            feature_environments.c.feature_name, feature_environments.c.environment
        )
    ):
        envs[r.feature_name].append(
            st.FlagEnvironment(
                name=r.environment,
                enabled=bool(r.enabled),
                variants=list(r.variants),
                strategies=by_env.get((r.feature_name, r.environment), []),
            )
        )
    flag_tags: dict[str, list[st.Tag]] = defaultdict(list)
    for r in conn.execute(
        select(feature_tags).order_by(
            feature_tags.c.feature_name, feature_tags.c.tag_type, feature_tags.c.tag_value
        )
    ):
        flag_tags[r.feature_name].append(st.Tag(type=r.tag_type, value=r.tag_value))
    deps: dict[str, list[st.Dependency]] = defaultdict(list)
    for r in conn.execute(
        select(feature_dependencies).order_by(
            feature_dependencies.c.child, feature_dependencies.c.parent
        )
    ):
        deps[r.child].append(
            st.Dependency(
                feature=r.parent, enabled=bool(r.enabled), variants=list(r.variants or [])
            )
        )
    links: dict[str, list[st.Link]] = defaultdict(list)
    for r in conn.execute(
        select(feature_link).order_by(
            feature_link.c.feature_name, feature_link.c.created_at, feature_link.c.id
        )
    ):
        links[r.feature_name].append(st.Link(id=r.id, url=r.url, title=r.title))
    result: list[st.Flag] = []
    for r in conn.execute(select(features).order_by(features.c.name)):
        result.append(
            st.Flag(
                name=r.name,
                project=r.project,
                type=r.type,
                description=r.description,
                stale=bool(r.stale),
                impressionData=bool(r.impression_data),
                createdAt=iso(r.created_at),
                archivedAt=iso(r.archived_at),
                environments=envs.get(r.name, []),
                tags=flag_tags.get(r.name, []),
                dependencies=deps.get(r.name, []),
                links=links.get(r.name, []),
            )
        )
    return result


def as_json_ready(state: st.State) -> dict[str, Any]:
    return dict(state)
