"""The export/import API's rules: export, validate and import, as Unleash 8.2's
export-import service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.config import Settings
from leash.errors import BadDataError
from leash.export_import import checks, importing
from leash.export_import.exporting import export
from leash.export_import.schemas import ImportToggles
from leash.features import strategies
from leash.identity import Principal

__all__ = ["export", "import_toggles", "refuse_admin_token", "validate"]

ADMIN_TOKEN_REFUSED = (
    "You can't use an admin token to import features. Please use either a personal access "
    "token (https://docs.getunleash.io/concepts/api-tokens-and-client-keys#personal-access-"
    "tokens) or a service account (https://docs.getunleash.io/concepts/service-accounts)."
)


def validate(conn: Connection, *, body: ImportToggles, principal: Principal) -> dict[str, Any]:
    findings = checks.find(conn, body=body)
    missing = checks.missing_permissions(conn, body=body, principal=principal)
    return checks.validation(findings, project=body["project"], missing=missing)


def refuse_admin_token(principal: Principal) -> None:
    if principal.kind == "admin":
        raise BadDataError.single(ADMIN_TOKEN_REFUSED)


def import_toggles(
    conn: Connection, *, body: ImportToggles, principal: Principal, settings: Settings
) -> None:
    importing.import_toggles(
        conn,
        body=body,
        principal=principal,
        strategy_limits=strategies.Limits(strategy_segments=settings.strategy_segments_limit),
    )
