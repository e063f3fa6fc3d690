"""GET /health: `{"health": "GOOD"}` as Unleash answers it, or DEGRADED without the database.

Without its database leash still serves SDKs the last good state (client and frontend APIs),
so it is degraded, not dead: the answer stays 200, because the usual reaction of an
orchestrator to a failing health check (restart the process, or take it out of rotation) would
turn a database outage into a flag outage: a restarted leash cannot start without its database.
"""

from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine, text

from leash import http

router = APIRouter()

DEGRADED_MESSAGE = (
    "The database is not available: client and frontend APIs serve the last good state, "
    "admin changes are refused until it is back."
)


@router.get("/health", operation_id="getHealth", tags=["Operational"])
def health(request: Request) -> Response:
    engine: Engine = request.app.state.db
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return http.json(
            {"health": "DEGRADED", "database": "unavailable", "message": DEGRADED_MESSAGE}
        )
    return http.json({"health": "GOOD"})
