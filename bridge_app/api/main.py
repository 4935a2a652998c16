"""The FastAPI app mounted on the Reflex backend: /health, /metrics and /v1."""

from __future__ import annotations

from fastapi import FastAPI

from bridge_app.api.deps import install_error_handlers
from bridge_app.api.middleware import (
    BodyLimitMiddleware,
    ConcurrencyLimitMiddleware,
    DependencyDownMiddleware,
    InternalOnlyMiddleware,
    MetricsMiddleware,
    OIDCStateMiddleware,
)
from bridge_app.api.routes import (
    admin,
    audit,
    auth,
    corrections,
    decisions,
    drafts,
    exports,
    health,
    meetings,
    monitoring,
    playbooks,
    recordings,
    terms,
)


def create_api() -> FastAPI:
    """Build the API application: routers, problem+json errors, metrics and body limits."""
    api = FastAPI(
        title="AI Meeting Contract Bridge API",
        version="1",
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
        description="Meetings in, traceable contracts out. Errors are application/problem+json.",
    )

    @api.get("/health", tags=["health"])
    def liveness() -> dict[str, str]:
        """Liveness: the process answers. Cheap on purpose; /v1/health checks dependencies."""
        return {"status": "ok"}

    for module in (
        auth,
        meetings,
        corrections,
        recordings,
        decisions,
        terms,
        drafts,
        exports,
        audit,
        monitoring,
        admin,
        health,
        playbooks,
    ):
        api.include_router(module.router)
    api.include_router(admin.invitations_router)
    install_error_handlers(api)
    # Added innermost first: metrics see every response, including a refused body.
    api.add_middleware(DependencyDownMiddleware)
    api.add_middleware(ConcurrencyLimitMiddleware)
    api.add_middleware(OIDCStateMiddleware)
    api.add_middleware(BodyLimitMiddleware)
    api.add_middleware(InternalOnlyMiddleware)
    api.add_middleware(MetricsMiddleware)
    return api


api = create_api()
