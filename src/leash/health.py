"""GET /health: `{"health": "GOOD"}` as Unleash answers it, or DEGRADED with what is wrong.

Without its database leash still serves SDKs the last good state (client and frontend APIs),
so it is degraded, not dead: the answer stays 200, because the usual reaction of an
orchestrator to a failing health check (restart the process, or take it out of rotation) would
turn a database outage into a flag outage: a restarted leash cannot start without its database.

The same holds when SDKs are served less than what is stored: the last snapshot rebuild failed
(the state before it is served), or some flags could not be rendered or compiled (the others
are served). Restarting would not help either; the answer names the flags to fix.
"""

from typing import Any, Final

from fastapi import APIRouter, Response
from sqlalchemy import Engine, text

from leash import http
from leash.api.call import Call
from leash.api.openapi import STRING, obj
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.client_api.snapshot import ClientSnapshots
from leash.revision import UNKNOWN
from leash.validation import Schema

router = APIRouter()

# Unleash's healthCheckSchema; a degraded leash adds what is wrong (see the module docstring).
HEALTH: Final[Schema] = obj(["health"], health=STRING)

DEGRADED_MESSAGE = (
    "The database is not available: client and frontend APIs serve the last good state, "
    "admin changes are refused until it is back."
)
STALE_MESSAGE = (
    "The last snapshot rebuild failed ({error}): SDKs are served the state before it, so the "
    "changes since are not served yet; the rebuild is tried again."
)
PARTIAL_MESSAGE = (
    "Some flags cannot be served as stored (see flags, and the log): a flag that failed to "
    "render is left out of the client API; one that failed to compile is sent to backend SDKs "
    "as stored and is off in the frontend API."
)


def _database_available(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


@route(
    router,
    Operation(
        operation_id="getHealth",
        method="GET",
        path="/health",
        tag="Operational",
        auth=Auth.NONE,
        answer=Answer(200, HEALTH),
    ),
)
def health(call: Call[None]) -> Response:
    answer: dict[str, Any] = {}
    messages: list[str] = []
    if not _database_available(call.db):
        answer["database"] = "unavailable"
        messages.append(DEGRADED_MESSAGE)
    snapshots: ClientSnapshots = call.state.client_snapshots
    unserved = snapshots.unserved()
    if unserved is not None:
        if unserved.rebuild_error is not None:
            answer["snapshot"] = "stale"
            messages.append(STALE_MESSAGE.format(error=unserved.rebuild_error))
        else:
            answer["snapshot"] = "partial"
        if unserved.flags:
            messages.append(PARTIAL_MESSAGE)
        answer["flags"] = unserved.flags
    if not messages:
        return http.json({"health": "GOOD"})
    return http.json({"health": "DEGRADED", **answer, "message": " ".join(messages)})


@route(
    router,
    Operation(
        operation_id="getReady",
        method="GET",
        path="/ready",
        tag="Operational",
        auth=Auth.NONE,
        answer=Answer(200, HEALTH),
        # Unleash's res.status(503).end() while it cannot serve yet.
        bare={503: None},
    ),
)
def ready(call: Call[None]) -> Response:
    """Ready when SDKs can be served: a state is loaded already (served even without the
    database, see the module docstring), or the database is there to load one from. Unleash
    answers 503 until its frontend cache has loaded once."""
    snapshots: ClientSnapshots = call.state.client_snapshots
    if snapshots.view.revision != UNKNOWN or _database_available(call.db):
        return http.json({"health": "GOOD"})
    return http.empty(503)
