from fastapi import APIRouter, Request, Response
from sqlalchemy import Engine, text

from leash import http

router = APIRouter()


@router.get("/health", operation_id="getHealth", tags=["Operational"])
def health(request: Request) -> Response:
    engine: Engine = request.app.state.db
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return http.json({"health": "BAD"}, status_code=500)
    return http.json({"health": "GOOD"})
