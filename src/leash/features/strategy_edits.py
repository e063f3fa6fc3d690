"""A strategy changed by JSON patch, and the order of one flag environment's strategies."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection

from leash import validation
from leash.errors import BadDataError, NotFoundError
from leash.features import jsonpatch, repository, schemas
from leash.features.events import record
from leash.features.schemas import PatchOperation, StrategySortOrder, UpdateFeatureStrategy
from leash.features.strategies import Limits, get_strategy, update_strategy
from leash.identity import Actor


def patch_strategy(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    strategy_id: str,
    operations: list[PatchOperation],
    actor: Actor,
    limits: Limits,
) -> dict[str, Any]:
    """Unleash's patchFeatureStrategy: the strategy as GET shows it, patched, checked against
    featureStrategySchema, then written as a PUT of the whole document would write it."""
    document = get_strategy(
        conn, project=project, name=name, environment=environment, strategy_id=strategy_id
    )
    try:
        patched = jsonpatch.apply(document, operations)
    except jsonpatch.PatchFailed as failure:
        # Unleash answers this with a 500 (fast-json-patch's error escapes its handlers);
        # leash answers bad input with a 400, in the words its variants PATCH uses.
        raise BadDataError.single(f"Could not apply provided patch: {failure.message}") from None
    try:
        checked = validation.validate(patched, schemas.FEATURE_STRATEGY, root="")
    except BadDataError as invalid:
        # Checked in Unleash's handler, not its middleware: the body carries no id, and a
        # missing top-level key is named without the leading "/".
        raise BadDataError.many([_top_level(d) for d in invalid.details], with_id=False) from None
    return update_strategy(
        conn,
        project=project,
        name=name,
        environment=environment,
        strategy_id=strategy_id,
        body=cast(UpdateFeatureStrategy, checked),
        actor=actor,
        limits=limits,
    )


def _top_level(detail: dict[str, Any]) -> dict[str, Any]:
    path = str(detail.get("path", ""))
    message = str(detail.get("message", ""))
    if path.count("/") == 1 and "property is required" in message:
        key = path[1:]
        return {"path": key, "message": message.replace(f"`{path}`", f"`{key}`")}
    return detail


def _order(conn: Connection, *, project: str, name: str, environment: str) -> list[str]:
    rows = repository.strategies_of(conn, names=[name], environment=environment, project=project)
    return [row.id for row in sorted(rows, key=lambda row: (row.sort_order, row.id))]


def set_sort_order(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    orders: list[StrategySortOrder],
    actor: Actor,
) -> None:
    # Locked first, as every strategy write of this flag environment takes it.
    if repository.lock_feature_environment(conn, name=name, environment=environment) is None:
        raise NotFoundError(f"Feature {name} does not have environment {environment}")
    before = _order(conn, project=project, name=name, environment=environment)
    if any(order["id"] not in before for order in orders):
        raise BadDataError.single(
            "trying to change strategies for environment via update sortOrder"
        )
    for order in orders:
        repository.update_strategy(
            conn, strategy_id=order["id"], values={"sort_order": int(order["sortOrder"])}
        )
    record(
        conn,
        actor=actor,
        type="strategy-order-changed",
        feature_name=name,
        project=project,
        environment=environment,
        data={"strategyIds": _order(conn, project=project, name=name, environment=environment)},
        pre_data={"strategyIds": before},
    )
