"""Signing in and out, on the page and through the API.

A session is a random token in an HttpOnly, SameSite=Strict cookie (Secure when the request
came over HTTPS), made new at every sign-in so no token chosen before signing in is ever
trusted. The sign-in form carries its own double-submit token, as there is no session yet."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from logistics.web import audit
from logistics.web.access import SESSION_COOKIE, viewer_of
from logistics.web.accounts import (
    SESSION_LIFETIME,
    SignInRefusedError,
    Viewer,
    sign_in,
    sign_out,
)
from logistics.web.pages import address_of, render, service_of

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["accounts"])

SIGN_IN_COOKIE = "logistics_sign_in"
"""The sign-in form's double-submit token (the form's hidden field must match it)."""


class Credentials(BaseModel):
    """An account's name and password."""

    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    """Set a cookie no script can read and no other site's request carries."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def _next_page(target: str) -> str:
    """Where to go after signing in: a path of this site only (never another site)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _sign_in_page(
    request: Request, status: int = 200, problem: str | None = None, next_page: str = "/"
) -> Response:
    """The sign-in form, with a fresh double-submit token."""
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        status=status,
        problem=problem,
        form_token=token,
        next_page=_next_page(next_page),
    )
    _cookie(response, request, SIGN_IN_COOKIE, token, 3600)
    return response


def _start_session(request: Request, name: str, password: str) -> tuple[str, Viewer]:
    """Sign in, ending the session the request carried (if any) only once signed in anew;
    audit either way."""
    store = service_of(request).store
    address = address_of(request)
    try:
        token, viewer = sign_in(store, name, password, address)
    except SignInRefusedError as error:
        audit.record(store, name[:64], address, "sign-in refused", ("account", name[:64]))
        raise error
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        sign_out(store, old)
    audit.record(store, viewer.name, address, "sign-in", ("account", viewer.user_id))
    return token, viewer


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return _sign_in_page(request, next_page=next)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    form_token: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Sign in and go on to the page asked for."""
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(form_token.encode(), expected.encode()):
        return _sign_in_page(
            request, 400, "the sign-in form had expired: sign in again", next_page=next
        )
    try:
        token, _ = _start_session(request, name, password)
    except SignInRefusedError as error:
        return _sign_in_page(request, error.status, error.message, next_page=next)
    response = RedirectResponse(_next_page(next), status_code=303)
    _cookie(response, request, SESSION_COOKIE, token, int(SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """Sign out: the session ends on the server, the cookie is removed."""
    _end_session(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _end_session(request: Request) -> None:
    """End the request's session and audit it."""
    store = service_of(request).store
    viewer = viewer_of(request)
    sign_out(store, request.cookies.get(SESSION_COOKIE, ""))
    audit.record(store, viewer.name, address_of(request), "sign-out", ("account", viewer.user_id))


def _me(viewer: Viewer) -> dict[str, Any]:
    """The signed-in account as the API shows it, with its CSRF token for changes."""
    return {
        "name": viewer.name,
        "role": viewer.role.value,
        "missions": sorted(viewer.missions),
        "team_id": viewer.team_id,
        "csrf_token": viewer.csrf_token,
    }


@api_router.post("/api/login")
def api_login(request: Request, credentials: Credentials) -> Response:
    """Sign in: the session cookie is set, and the answer holds the CSRF token to send in the
    ``X-CSRF-Token`` header of every change (POST)."""
    try:
        token, viewer = _start_session(request, credentials.name, credentials.password)
    except SignInRefusedError as error:
        raise HTTPException(error.status, error.message) from None
    response = JSONResponse(_me(viewer))
    _cookie(response, request, SESSION_COOKIE, token, int(SESSION_LIFETIME.total_seconds()))
    return response


@api_router.post("/api/logout")
def api_logout(request: Request) -> Response:
    """Sign out (the session ends on the server)."""
    _end_session(request)
    response = JSONResponse({"signed_out": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@api_router.get("/api/me")
def me(request: Request) -> dict[str, Any]:
    """Who is signed in, their role, missions, team and CSRF token."""
    return _me(viewer_of(request))
