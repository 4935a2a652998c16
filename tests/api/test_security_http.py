"""HTTP edges (issue 15): Reflex's /_upload gets the body limit before anyone signs in
(item 9), CORS answers only the app's own origins (item 10), and a chunked body over the
limit answers 413, not 400 (item 18)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bridge_app.api.middleware import BodyLimitMiddleware
from bridge_app.settings import get_settings, public_origins
from tests.api.support import Org


def _chunks(total: int, size: int = 1024 * 1024) -> Iterator[bytes]:
    yield (
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
    )
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_chunked_body_over_the_limit_is_413(
    client: TestClient, org_a: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "MAX_UPLOAD_BYTES", 1024)
    # /v1/meetings also takes recordings, whose own limit raises the body limit there.
    monkeypatch.setattr(get_settings(), "MAX_RECORDING_BYTES", 1024)
    headers = {
        **org_a.headers("legal"),
        "Content-Type": "multipart/form-data; boundary=xyz",
    }
    response = client.post("/v1/meetings", content=_chunks(3 * 1024 * 1024), headers=headers)
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "too_large"


def _reflex_like_upload_app() -> tuple[Starlette, list[int]]:
    """A stand-in for Reflex's /_upload handler (which reads the whole body), behind the
    same middleware the API puts in front of the Reflex backend."""
    read: list[int] = []

    async def upload(request: Request) -> PlainTextResponse:
        read.append(len(await request.body()))
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/_upload", upload, methods=["POST"])])
    app.add_middleware(BodyLimitMiddleware)
    return app, read


def test_reflex_upload_endpoint_is_bounded_before_sign_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "MAX_UPLOAD_BYTES", 1024)
    app, read = _reflex_like_upload_app()
    with TestClient(app) as plain:
        declared = plain.post("/_upload", content=b"x" * (3 * 1024 * 1024))
        assert declared.status_code == 413
        streamed = plain.post("/_upload", content=_chunks(3 * 1024 * 1024))
        assert streamed.status_code == 413
    assert read == [], "the handler never read an oversized body"


def test_the_api_wraps_the_reflex_backend() -> None:
    """Reflex mounts its backend (/_upload, /_event) inside the API app it is given, so the
    API's middleware, the body limit included, sees those paths."""
    import inspect

    from reflex.app import App

    source = inspect.getsource(App)
    assert 'api_transformer.mount("", asgi_app)' in source


def test_cors_answers_only_the_apps_origins() -> None:
    from reflex.app import App

    import rxconfig

    settings = get_settings()
    assert rxconfig.config.cors_allowed_origins == public_origins(settings)
    assert "*" not in rxconfig.config.cors_allowed_origins

    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hi")

    app = Starlette(routes=[Route("/x", hello)])
    App._add_cors(app)  # exactly what Reflex adds to the backend
    with TestClient(app) as plain:
        evil = plain.get("/x", headers={"Origin": "https://evil.example", "Cookie": "a=b"})
        assert "access-control-allow-origin" not in evil.headers
        preflight = plain.options(
            "/x",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 400
        own = public_origins(settings)[0]
        mine = plain.get("/x", headers={"Origin": own})
        assert mine.headers.get("access-control-allow-origin") == own
