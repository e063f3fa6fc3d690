"""A flag's variants in one environment (Unleash's legacy "environment variants").

Unleash 8.2 deprecates them: PUT and PATCH refuse a flag none of whose environments has any
(InvalidOperationError), while the batch PUT still writes them. SDKs are served them as the
flag's `variants`; a strategy's own variants take precedence in the engines.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import Connection

from leash.errors import BadDataError, InvalidOperationError, NotFoundError
from leash.features import jsonpatch, repository, variant_rules
from leash.features.events import record
from leash.features.flags import in_project
from leash.features.schemas import PatchOperation
from leash.identity import Actor

EVENT = "feature-environment-variants-updated"


def _stored(conn: Connection, *, name: str, environment: str, lock: bool) -> list[Any]:
    row = (
        repository.lock_feature_environment(conn, name=name, environment=environment)
        if lock
        else repository.feature_environment(conn, name=name, environment=environment)
    )
    if row is None:
        raise NotFoundError(f"Could not find {name} in {environment}")
    return list(row.variants or [])


def get_variants(
    conn: Connection, *, project: str, name: str, environment: str
) -> list[dict[str, Any]]:
    in_project(conn, name=name, project=project)
    return _stored(conn, name=name, environment=environment, lock=False)


def _save(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    variants: Any,
    actor: Actor,
    previous: list[Any] | None,
    legacy: bool = False,
) -> list[dict[str, Any]]:
    if not legacy and not repository.has_environment_variants(conn, name=name):
        raise InvalidOperationError(
            f"Environment variants deprecated for feature: {name}. Use strategy variants instead."
        )
    variant_rules.check(variants)
    fixed = variant_rules.fix_weights(copy.deepcopy(variants))
    old = (
        previous
        if previous is not None
        else _stored(conn, name=name, environment=environment, lock=True)
    )
    repository.set_environment_variants(conn, name=name, environments=[environment], variants=fixed)
    record(
        conn,
        actor=actor,
        type=EVENT,
        feature_name=name,
        project=project,
        environment=environment,
        data={"variants": fixed},
        pre_data={"variants": old},
        # Unleash's variant routes run outside a transaction group; its import (legacy) inside.
        grouped=legacy,
    )
    return fixed


def legacy_save_variants(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    variants: list[dict[str, Any]],
    actor: Actor,
) -> list[dict[str, Any]]:
    """Unleash's legacySaveVariantsOnEnv, which its import uses: environment variants saved
    even on a flag that has none yet (the API refuses those, deprecated)."""
    return _save(
        conn,
        project=project,
        name=name,
        environment=environment,
        variants=variants,
        actor=actor,
        previous=None,
        legacy=True,
    )


def overwrite_variants(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    variants: list[dict[str, Any]],
    actor: Actor,
) -> list[dict[str, Any]]:
    in_project(conn, name=name, project=project)
    return _save(
        conn,
        project=project,
        name=name,
        environment=environment,
        variants=variants,
        actor=actor,
        previous=None,
    )


def patch_variants(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    operations: list[PatchOperation],
    actor: Actor,
) -> list[dict[str, Any]]:
    in_project(conn, name=name, project=project)
    old = _stored(conn, name=name, environment=environment, lock=True)
    try:
        patched = jsonpatch.apply(old, operations)
    except jsonpatch.PatchFailed as failure:
        raise BadDataError.single(f"Could not apply provided patch: {failure.message}") from None
    return _save(
        conn,
        project=project,
        name=name,
        environment=environment,
        variants=patched,
        actor=actor,
        previous=old,
    )


def with_defaults(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The batch's variants as Unleash reads them: variable, default stickiness unless said."""
    return [{"weightType": "variable", "stickiness": "default", **v} for v in variants]


def push_variants(
    conn: Connection,
    *,
    project: str,
    name: str,
    environments: list[str],
    variants: list[dict[str, Any]],
    actor: Actor,
) -> list[dict[str, Any]]:
    """Unleash's setVariantsOnEnvs: the same variants in every environment named; the answer
    is the variants as sent (defaults added, weights fixed), in the order sent."""
    in_project(conn, name=name, project=project)
    variant_rules.check(variants)
    fixed = variant_rules.fix_weights(variants)
    # Locked in one order (two batches naming the same environments wait, never deadlock),
    # read in the order sent.
    for environment in sorted(set(environments)):
        repository.lock_feature_environment(conn, name=name, environment=environment)
    old = {env: _stored(conn, name=name, environment=env, lock=False) for env in environments}
    for environment in environments:
        record(
            conn,
            actor=actor,
            type=EVENT,
            feature_name=name,
            project=project,
            environment=environment,
            data={"variants": fixed},
            pre_data={"variants": old[environment]},
            grouped=False,
        )
    repository.set_environment_variants(conn, name=name, environments=list(old), variants=fixed)
    return variants
