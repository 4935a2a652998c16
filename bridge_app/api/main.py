"""The FastAPI app mounted on the Reflex backend: /health, /metrics and /v1."""

from __future__ import annotations

from fastapi import FastAPI


def create_api() -> FastAPI:
    """Build the API application (routers are added by their modules)."""
    api = FastAPI(
        title="AI Meeting Contract Bridge API",
        version="1",
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
    )

    @api.get("/health", tags=["health"])
    def liveness() -> dict[str, str]:
        """Liveness: the process answers. Cheap on purpose; /v1/health checks dependencies."""
        return {"status": "ok"}

    return api


api = create_api()
