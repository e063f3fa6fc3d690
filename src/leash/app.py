"""create_app(settings) -> FastAPI. Nothing happens at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from leash import __version__, http
from leash.api.write import guard
from leash.config import Settings
from leash.db import create_db_engine
from leash.errors import (
    BadDataError,
    LeashError,
    NotFoundError,
    PlainStatus,
    ServiceUnavailableError,
)

if TYPE_CHECKING:
    from leash.hot_paths import LeashApp

log = logging.getLogger("leash")


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from leash.bootstrap import bootstrap

        bootstrap(app.state.db, settings)
        app.state.revision_watcher.start()
        from leash.addons.delivery import clean_up_job
        from leash.feature_types import staleness as stale
        from leash.metrics import buffer as metrics_buffer
        from leash.metrics import cleanup as metrics_cleanup

        registrations = app.state.metrics_registrations
        flush = metrics_buffer.job(
            app.state.db, registrations, interval=settings.leash_metrics_flush_seconds
        )
        jobs = [stale.job(app.state.db), clean_up_job(app.state.db), flush]
        jobs.append(metrics_cleanup.job(app.state.db))
        for job in jobs:
            job.start()
        yield
        for job in jobs:
            job.stop()
        # What SDKs registered since the last flush is written before the process ends.
        registrations.flush(app.state.db)
        app.state.addon_deliveries.stop()
        app.state.revision_watcher.stop()
        app.state.db.dispose()

    from leash.hot_paths import LeashApp

    app = LeashApp(
        title="Unleash API (leash)",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.db = create_db_engine(settings.database_url)
    # Inside a route, a write outside leash.api.write.unit_of_work is refused (a 500).
    guard(app.state.db)
    app.state.change_listeners = []
    # Called with the event ids of every committed write (integrations deliver them).
    app.state.event_listeners = []

    def changed() -> None:
        """Called after every committed write that may change what SDKs are served."""
        for listener in app.state.change_listeners:
            listener()

    app.state.changed = changed
    from leash.metrics.buffer import Registrations

    # What SDKs register and report, written in batches (leash.metrics.buffer).
    app.state.metrics_registrations = Registrations(max_keys=settings.leash_metrics_buffer_max_keys)

    from leash.client_api.snapshot import ClientSnapshots

    app.state.client_snapshots = ClientSnapshots(
        app.state.db, cache_bytes=settings.leash_render_cache_bytes
    )
    app.state.change_listeners.append(app.state.client_snapshots.invalidate)
    _install_hot_paths(app)
    _install_frontend_cors(app, settings)
    _install_error_handlers(app)
    _include_routers(app)
    _install_web_security(app, settings)
    _install_limits(app, settings)
    return app


def _install_web_security(app: FastAPI, settings: Settings) -> None:
    """CSRF checks on cookie-authenticated writes and security headers (leash.web_security).
    Added before the limits, so it runs inside them: oversized requests are refused first."""
    from leash.web_security import OriginPolicy, WebSecurity, parse_origin

    policy = OriginPolicy(
        trust_proxy=settings.leash_trust_proxy, public_origin=parse_origin(settings.unleash_url)
    )
    app.add_middleware(WebSecurity, policy=policy)


def _install_limits(app: FastAPI, settings: Settings) -> None:
    """Body and header size limits on every request; Unleash's SDK rate limits."""
    from leash.limits import TOO_MANY, RateLimited, RateLimiter, RequestLimits

    app.add_middleware(RequestLimits, max_body_bytes=settings.leash_max_body_bytes)
    app.state.rate_limiters = {
        "client_register": RateLimiter(limit=settings.client_register_max_per_minute),
        "client_metrics": RateLimiter(limit=settings.client_metrics_max_per_minute),
        "frontend_register": RateLimiter(limit=settings.frontend_register_max_per_minute),
        "frontend_metrics": RateLimiter(limit=settings.frontend_metrics_max_per_minute),
        # Unleash's passwordResetMaxPerMinute: one reset e-mail request a minute per address.
        "password_reset": RateLimiter(limit=1),
    }

    @app.exception_handler(RateLimited)
    async def _rate_limited(_request: Request, error: RateLimited) -> Response:
        # express-rate-limit's own answer, not Unleash's error body.
        return Response(
            TOO_MANY, status_code=429, headers=error.headers, media_type="text/html; charset=utf-8"
        )


def _install_hot_paths(app: LeashApp) -> None:
    """Token cache, cross-process revision watcher, and the SDK paths served from memory."""
    from leash.hot_paths import HotPaths
    from leash.revision import RevisionWatcher
    from leash.tokens.cache import TokenCache

    tokens = TokenCache(app.state.db)
    app.state.token_cache = tokens
    # Tokens first: a deleted token must stop working before anything else is rebuilt.
    app.state.change_listeners.insert(0, tokens.clear)
    snapshots = app.state.client_snapshots

    def applied() -> int | None:
        mark = snapshots.view.mark
        return None if mark is None else mark.top

    def resync() -> None:
        # A view without a mark is rebuilt in full by every rebuild until one succeeds, so a
        # failed reload here is retried by the next one, whatever starts it.
        snapshots.distrust_log()
        snapshots.refresh(full=True)

    app.state.revision_watcher = RevisionWatcher(
        app.state.db,
        listeners=[tokens.on_revision, snapshots.on_revision, tokens.recheck_remembered],
        applied=applied,
        resync=resync,
    )
    snapshots.log_trusted = app.state.revision_watcher.live
    app.hot_paths = HotPaths(snapshots=app.state.client_snapshots, tokens=tokens)


def _install_frontend_cors(app: LeashApp, settings: Settings) -> None:
    """CORS on /api/frontend only, and only for UNLEASH_FRONTEND_API_ORIGINS (off when empty)."""
    if not settings.unleash_frontend_api_origins:
        return
    from leash.frontend_api.cors import FrontendCors, FrontendCorsMiddleware

    cors = FrontendCors(origins=settings.unleash_frontend_api_origins)
    app.add_middleware(FrontendCorsMiddleware, cors=cors)
    # The hot path answers GET /api/frontend before any middleware runs.
    if app.hot_paths is not None:
        app.hot_paths.cors = cors


def _include_routers(app: FastAPI) -> None:
    from leash.client_api.router import router as client_router
    from leash.docs.router import mount_static
    from leash.docs.router import router as docs_router
    from leash.events.router import router as events_router
    from leash.health import router as health_router
    from leash.metrics.router import router as metrics_router
    from leash.segments.router import router as segments_router

    for router in (health_router, docs_router, segments_router, events_router, client_router):
        app.include_router(router)
    app.include_router(metrics_router)
    mount_static(app)
    # --- further domain routers are registered below ---
    from leash.signup.router import router as signup_router
    from leash.tokens.router import router as api_tokens_router
    from leash.uiconfig.router import router as ui_config_router
    from leash.users.router import router as users_router

    for router in (api_tokens_router, users_router, signup_router, ui_config_router):
        app.include_router(router)
    from leash.features.router import router as features_router
    from leash.projects.reports_router import router as project_reports_router
    from leash.projects.router import router as projects_router

    for router in (projects_router, features_router):
        app.include_router(router)
    app.include_router(project_reports_router)
    from leash.frontend_api.router import router as frontend_router

    app.include_router(frontend_router)
    from leash.playground.router import router as playground_router

    app.include_router(playground_router)
    from leash.context.router import router as constraints_router
    from leash.tags.router import router as tags_router
    from leash.ui.router import mount_assets
    from leash.ui.router import router as ui_router

    app.include_router(constraints_router)
    app.include_router(tags_router)
    from leash.dependencies.router import router as dependencies_router

    app.include_router(dependencies_router)
    from leash.strategy_definitions.router import router as strategy_definitions_router

    app.include_router(strategy_definitions_router)
    from leash.feature_types.router import router as feature_types_router

    app.include_router(feature_types_router)
    from leash.maintenance.router import router as maintenance_router

    app.include_router(maintenance_router)
    from leash.archive.router import router as archive_router
    from leash.clone.router import router as clone_router
    from leash.favorites.router import router as favorites_router
    from leash.lifecycle.router import router as lifecycle_router
    from leash.search.router import router as search_router

    for router in (archive_router, lifecycle_router, clone_router, search_router):
        app.include_router(router)
    from leash.links.router import router as links_router

    for router in (favorites_router, links_router):
        app.include_router(router)
    from leash.instance_admin.router import router as instance_admin_router

    app.include_router(instance_admin_router)
    from leash.addons.delivery import install as install_addons
    from leash.addons.router import router as addons_router

    app.include_router(addons_router)
    install_addons(app.state)
    from leash.export_import.router import router as export_import_router

    app.include_router(export_import_router)
    # The UI answers its page paths (some with a catch-all tail): after every API route.
    app.include_router(ui_router)
    mount_assets(app)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LeashError)
    async def _leash_error(_request: Request, error: LeashError) -> Response:
        return http.json(error.body(), status_code=error.status_code)

    @app.exception_handler(PlainStatus)
    async def _plain(_request: Request, error: PlainStatus) -> Response:
        if error.message is None:
            return http.empty(error.status_code)
        return http.json({"message": error.message}, status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> Response:
        details = [
            {"message": str(item.get("msg")), "path": "/" + "/".join(str(p) for p in item["loc"])}
            for item in error.errors()
        ]
        return http.json(BadDataError.many(details).body(), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code in (404, 405):
            # Unleash answers an unknown path, or a known path with another method, alike.
            message = f"The path you were looking for ({request.url.path}) is not available."
            return http.json(NotFoundError(message, with_id=True).body(), status_code=404)
        return http.json({"message": str(error.detail)}, status_code=error.status_code)

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, error: OperationalError) -> Response:
        log.error("database unavailable: %s", error.__class__.__name__)
        body = ServiceUnavailableError(
            "The database is not available. Try again shortly.", with_id=True
        )
        return http.json(body.body(), status_code=503)

    @app.exception_handler(DataError)
    async def _bad_value(_request: Request, error: DataError) -> Response:
        # The database refused a value from the request (a NUL in a query parameter, a number
        # out of a column's range): the request is at fault, not the server.
        log.warning("database refused a value: %s", error.orig)
        message = "The request contains a value the database cannot store."
        return http.json(BadDataError.many([{"message": message}]).body(), status_code=400)

    @app.exception_handler(Exception)
    async def _unknown(_request: Request, error: Exception) -> Response:
        log.exception("unhandled error", exc_info=error)
        body = LeashError("Unexpected error", with_id=True)
        return http.json(body.body(), status_code=500)
