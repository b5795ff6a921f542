"""A minimal hosted UI: OAuth 2.0 authorization code grant with PKCE, like a Cognito domain's.

* ``GET /oauth2/authorize?response_type=code&client_id&redirect_uri&state[&code_challenge
  &code_challenge_method=S256][&scope][&identity_provider]`` -> an HTML sign-in form
  (``#username``, ``#password``, ``#submit``).  ``POST /oauth2/authorize`` checks the password
  (against the stored SRP verifier, as USER_PASSWORD_AUTH does) and answers 302 to
  ``redirect_uri?code=…&state=…``; a wrong password shows the form again with an error
  (``#error``).  Users who would get a challenge (new password, MFA) are refused on the form.
* ``POST /oauth2/token`` (form-encoded; client secret by HTTP Basic or ``client_secret``):
  ``authorization_code`` (one-time codes valid 5 minutes, same ``client_id`` and
  ``redirect_uri``, PKCE S256 ``code_verifier`` checked) and ``refresh_token``.  Answers
  ``{access_token, id_token, refresh_token?, expires_in, token_type}`` from the emulator's token
  issuer; errors 400 ``{"error": "invalid_grant" | "invalid_request" | "invalid_client" |
  "unsupported_grant_type"}``.  CORS as everywhere.
* ``GET /logout?client_id&logout_uri`` -> 302 to ``logout_uri``.
* Callback and logout URLs: any ``http://127.0.0.1:<port>/…`` or ``http://localhost:<port>/…``
  is accepted for every app client (real Cognito checks the client's configured lists).
* ``identity_provider`` is accepted and ignored (there are no federated IdPs here).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

from flask import Response, redirect, request

from . import attributes, auth, errors
from .directory import CONFIRMED

CODE_TTL = 300


@dataclass
class AuthorizationCode:
    client_id: str
    pool_id: str
    username: str
    redirect_uri: str
    challenge: str | None
    expires_at: float


def _loopback_url(url: str) -> bool:
    try:
        parts = urlsplit(url or "")
        return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost") and parts.port is not None
    except ValueError:
        return False


def _with_query(url: str, params: dict) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def _oauth_error(error: str, status: int = 400, description: str | None = None) -> Response:
    body = {"error": error, **({"error_description": description} if description else {})}
    return Response(json.dumps(body), status=status, content_type="application/json")


def _page(fields: dict, message: str | None = None, status: int = 200) -> Response:
    hidden = "\n".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                       for k, v in fields.items())
    error = f'<p id="error" role="alert">{html.escape(message)}</p>' if message else ""
    body = f"""<!doctype html><meta charset="utf-8"><title>Sign in</title>
<h1>Sign in</h1>{error}
<form method="post" action="/oauth2/authorize">
{hidden}
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button id="submit" type="submit">Sign in</button>
</form>"""
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def register(app, emu) -> None:
    codes: dict[str, AuthorizationCode] = {}
    fields = ("response_type", "client_id", "redirect_uri", "state", "code_challenge",
              "code_challenge_method", "scope", "identity_provider")

    def check_request(p: dict):
        """The (pool, client) of a valid authorize request, else an error Response."""
        if p.get("response_type") != "code":
            return None, _oauth_error("unsupported_response_type")
        try:
            pool, client = emu.directory.client(p.get("client_id"))
        except errors.CognitoError:
            return None, _oauth_error("invalid_client", description="unknown client_id")
        if not _loopback_url(p.get("redirect_uri", "")):
            return None, _oauth_error("invalid_request", description="redirect_uri is not allowed")
        if p.get("code_challenge") and p.get("code_challenge_method") != "S256":
            return None, _oauth_error("invalid_request", description="only S256 PKCE is supported")
        return (pool, client), None

    @app.get("/oauth2/authorize")
    def authorize_form():
        p = {k: request.args.get(k, "") for k in fields}
        _, problem = check_request(p)
        return problem or _page({k: v for k, v in p.items() if v})

    @app.post("/oauth2/authorize")
    def authorize_submit():
        p = {k: request.form.get(k, "") for k in fields}
        found, problem = check_request(p)
        if problem:
            return problem
        pool, client = found
        keep = {k: v for k, v in p.items() if v}
        with emu.lock:
            user = emu.directory.find_user(pool, request.form.get("username", ""))
            ok = (user is not None and user.enabled
                  and emu.directory.password_matches(pool, user, request.form.get("password", "")))
            if not ok:
                return _page(keep, "Incorrect username or password.", 400)
            if getattr(user.status, "value", user.status) != CONFIRMED or user.software_token_mfa_enabled:
                return _page(keep, "This user needs a step the emulator's hosted UI does not offer.", 400)
            code = secrets.token_urlsafe(24)
            codes[code] = AuthorizationCode(client.id, pool.id, user.username, p["redirect_uri"],
                                            p.get("code_challenge") or None, time.time() + CODE_TTL)
            emu.stats.operations["oauth2/authorize"] += 1
        return redirect(_with_query(p["redirect_uri"], {"code": code, "state": p.get("state", "")}), 302)

    def client_of_token_request():
        """(pool, client) authenticated by Basic auth or the form, else an error Response."""
        client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                user, _, pw = base64.b64decode(header[6:]).decode().partition(":")
                client_id, secret = unquote(user), unquote(pw)
            except (ValueError, UnicodeDecodeError):
                return None, _oauth_error("invalid_client")
        try:
            pool, client = emu.directory.client(client_id)
        except errors.CognitoError:
            return None, _oauth_error("invalid_client")
        if client.secret and not hmac.compare_digest(client.secret, secret or ""):
            return None, _oauth_error("invalid_client")
        return (pool, client), None

    def answer(result: dict) -> Response:
        body = {"access_token": result["AccessToken"], "id_token": result["IdToken"],
                "expires_in": result["ExpiresIn"], "token_type": "Bearer"}
        if "RefreshToken" in result:
            body["refresh_token"] = result["RefreshToken"]
        return Response(json.dumps(body), content_type="application/json",
                        headers={"Cache-Control": "no-store"})

    @app.post("/oauth2/token")
    def token():
        found, problem = client_of_token_request()
        if problem:
            return problem
        pool, client = found
        grant = request.form.get("grant_type")
        with emu.lock:
            emu.stats.operations[f"oauth2/token:{grant}"] += 1
            if grant == "authorization_code":
                record = codes.pop(request.form.get("code", ""), None)  # one use, even when refused
                if (record is None or record.client_id != client.id or time.time() > record.expires_at
                        or record.redirect_uri != request.form.get("redirect_uri")):
                    return _oauth_error("invalid_grant")
                if record.challenge is not None:
                    verifier = request.form.get("code_verifier", "")
                    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                    if not hmac.compare_digest(digest, record.challenge):
                        return _oauth_error("invalid_grant")
                user = pool.users.get(record.username)
                if user is None or not user.enabled:
                    return _oauth_error("invalid_grant")
                return answer(auth.issue_tokens(emu, pool, client, user)["AuthenticationResult"])
            if grant == "refresh_token":
                try:
                    origin = emu.tokens.origin_for_refresh(request.form.get("refresh_token", ""), client.id)
                except errors.CognitoError:
                    return _oauth_error("invalid_grant")
                user = pool.users.get(origin.username)
                if user is None or not user.enabled:
                    return _oauth_error("invalid_grant")
                return answer(emu.tokens.mint(origin, emu.directory.sub(user),
                                              attributes.id_token_claims(user.attribute_lookup), with_refresh=False))
        return _oauth_error("unsupported_grant_type")

    @app.get("/logout")
    def logout():
        try:
            emu.directory.client(request.args.get("client_id"))
        except errors.CognitoError:
            return _oauth_error("invalid_client")
        logout_uri = request.args.get("logout_uri", "")
        if not _loopback_url(logout_uri):
            return _oauth_error("invalid_request", description="logout_uri is not allowed")
        return redirect(logout_uri, 302)
