"""The FastAPI application: security middleware, error pages without tracebacks, static files
served from the package, and the pages and API routers."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException

from logistics import __version__
from logistics.web.access import SignInRequiredError, authorize
from logistics.web.files import MAX_UPLOAD_BYTES, DataFolder
from logistics.web.jobs import JobManager
from logistics.web.service import Service
from logistics.web.store import Store, sqlite_url

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 2**20
"""Largest request body: the largest workbook plus room for the multipart framing."""
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
log = logging.getLogger("logistics.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class WebConfig:
    """How the server runs: where it keeps its data and how many solves it takes."""

    data_dir: Path = Path("outputs/server")
    workers: int = 1
    """Solves at the same time (local worker processes)."""
    queue_limit: int = 4
    """Solves that may wait beyond those solving."""
    scheduler: str | None = None
    """A Dask scheduler address: solve on that cluster instead of local processes."""
    database_url: str | None = None
    """Where the history is kept (a SQLAlchemy URL); ``None`` is SQLite in ``data_dir``."""


class BodyTooLarge(HTTPException):
    """The request body passed ``MAX_BODY_BYTES`` while it was being received."""

    def __init__(self) -> None:
        super().__init__(413, "the upload is larger than the 50 MB accepted")


class BodyLimit:
    """Refuse request bodies larger than ``limit``: at once when ``Content-Length`` says so,
    and while streaming otherwise (chunked uploads have no length)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await _plain(send, 413, "the upload is larger than the 50 MB accepted")
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """Add the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


async def _plain(send: Send, status: int, text: str) -> None:
    """Send a short plain-text response."""
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def csrf_field(token: str) -> Markup:
    """The hidden field that carries the session's CSRF token in a page's form."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


def wants_json(request: Request) -> bool:
    """Whether the request is an API call (answered in JSON)."""
    return request.url.path.startswith("/api/")


def create_app(config: WebConfig | None = None) -> FastAPI:
    """The application, with its history, data folder and workers under ``config.data_dir``."""
    config = config or WebConfig()
    folder = DataFolder(config.data_dir)
    folder.create()
    store = Store(config.database_url or sqlite_url(folder.database))
    jobs = JobManager(
        store,
        folder,
        workers=config.workers,
        queue_limit=config.queue_limit,
        scheduler=config.scheduler,
    )
    service = Service(store, folder, jobs)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.register_server()
        interrupted = store.mark_interrupted()
        if interrupted:
            log.warning(
                "%d runs were interrupted by the last stop and can be run again", interrupted
            )
        jobs.start()
        yield
        jobs.shutdown()
        store.retire_server()
        store.close()

    app = FastAPI(
        title="Peacekeeping mission logistics planner",
        version=__version__,
        description="Upload a mission workbook, see its problems by cell, solve it, read the plan and ask what-ifs.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(authorize)],
    )
    app.state.service = service
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    app.state.templates.env.globals["csrf_field"] = csrf_field
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _error_handlers(app)

    for router in routers():
        app.include_router(router)
    return app


def routers() -> list[APIRouter]:
    """The application's routers, API first. Their routes carry their whole path (no prefix),
    the path ``access.ROUTES`` names them by."""
    from logistics.web import account_pages, admin, api, pages, replan, share_pages

    return [
        account_pages.api_router,
        api.router,
        share_pages.api_router,
        account_pages.router,
        pages.router,
        share_pages.router,
        replan.router,
        admin.router,
    ]


def _error_handlers(app: FastAPI) -> None:
    """Errors answered in words (JSON for the API, a page otherwise), never with a traceback."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return error_response(
            request, error.status_code, str(error.detail), dict(error.headers or {})
        )

    @app.exception_handler(SignInRequiredError)
    async def sign_in_first(request: Request, error: SignInRequiredError) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": "sign in first (POST /api/login), then send the session cookie"},
                status_code=401,
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in error.errors()
        )
        return error_response(request, 422, f"the request is not as expected: {problems}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        reference = secrets.token_hex(4)
        log.error("unexpected error %s on %s", reference, request.url.path, exc_info=error)
        return error_response(
            request,
            500,
            f"something went wrong on the server (reference {reference}); nothing was lost",
        )


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error in words: JSON ``{"detail": …}`` for the API, a page for people."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )
