"""HTTP layer: Cognito's JSON 1.1 protocol, CORS, JWKS and the local /_emulator/ endpoints.

* ``POST /`` with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>``
  and a JSON body; answers JSON (``application/x-amz-json-1.1``).  Errors:
  HTTP 400, ``{"__type": name, "message": ...}``, header ``x-amzn-errortype``.
* ``GET /<poolId>/.well-known/jwks.json`` and ``.../openid-configuration``.
* ``/_emulator/...``: test hooks, answered to loopback clients only.
* CORS on everything (any origin; preflights allowed for any requested header;
  ``x-amzn-errortype`` and ``x-amzn-requestid`` exposed).
"""

from __future__ import annotations

import ipaddress
import json
import sys
import traceback
import uuid

from flask import Flask, Response, request
from flask_cors import CORS

from . import account, admin, auth, devices, errors, mfa, refresh, signup, user_attributes
from . import hosted_ui, user_auth, webauthn

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
OPERATIONS = {**auth.OPERATIONS, **signup.OPERATIONS, **account.OPERATIONS, **mfa.OPERATIONS, **admin.OPERATIONS,
              **user_attributes.OPERATIONS, **devices.OPERATIONS, **refresh.OPERATIONS,
              **webauthn.OPERATIONS,
              **user_auth.OPERATIONS}  # USER_AUTH, its challenges and MFA_SETUP with EMAIL, else auth's
JSON_11 = "application/x-amz-json-1.1"


def _json(body: dict, status: int = 200, content_type: str = JSON_11, headers: dict | None = None) -> Response:
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, content_type=content_type)
    resp.headers["x-amzn-requestid"] = str(uuid.uuid4())
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _error(err: errors.CognitoError) -> Response:
    return _json({"__type": err.name, "message": err.message}, err.status,
                 headers={"x-amzn-errortype": err.name})


def _log(message: str) -> None:
    print(f"[cognito-emulator] {message}", file=sys.stderr, flush=True)


def create_app(emu, config: dict) -> Flask:
    """The Flask app serving ``emu``; ``config`` is the startup JSON (for /_emulator/config)."""
    app = Flask("cognito_emulator")
    CORS(app, origins="*", allow_headers="*", methods=["GET", "POST", "OPTIONS"],
         expose_headers=["x-amzn-errortype", "x-amzn-requestid"], max_age=600)

    @app.post("/")
    def api():
        target = request.headers.get("X-Amz-Target", "")
        op = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target
        try:
            handler = OPERATIONS.get(op)
            if handler is None:
                raise errors.UnknownOperation(f"Operation {op or '(none)'} is not supported by the emulator")
            try:
                body = json.loads(request.get_data() or b"{}")
            except ValueError:
                raise errors.Serialization("Request body is not JSON")
            if not isinstance(body, dict):
                raise errors.Serialization("Request body must be a JSON object")
            context = body.get("UserContextData")
            if context is not None:
                if not isinstance(context, dict) or any(
                        k not in ("IpAddress", "EncodedData") or not isinstance(v, str) for k, v in context.items()):
                    raise errors.Serialization("UserContextData must be {IpAddress?: string, EncodedData?: string}")
            with emu.lock:
                emu.stats.operations[op] += 1
                if context is not None:
                    emu.stats.user_context_data[op] += 1
                    emu.stats.last_user_context_data[op] = context
                if isinstance(body.get("ClientMetadata"), dict):
                    emu.stats.last_client_metadata[op] = body["ClientMetadata"]
                result = handler(emu, body)
            _log(f"{op} -> 200")
            return _json(result)
        except errors.CognitoError as err:
            with emu.lock:
                emu.stats.errors[err.name] += 1
            _log(f"{op} -> {err.status} {err.name}: {err.message}")
            return _error(err)
        except Exception as exc:  # a bug in the emulator, or a moto error
            name = getattr(exc, "error_type", None)
            if name:  # moto's JsonRESTError
                return _error(errors.CognitoError(name, getattr(exc, "message", str(exc))))
            traceback.print_exc(file=sys.stderr)
            return _error(errors.CognitoError("InternalErrorException", f"emulator bug: {exc!r}", 500))

    @app.get("/<pool_id>/.well-known/jwks.json")
    def jwks(pool_id: str):
        keys = emu.tokens.jwks(pool_id)
        if keys is None:
            return _json({"message": f"User pool {pool_id} does not exist."}, 404, "application/json")
        return _json(keys, content_type="application/json")

    @app.get("/<pool_id>/.well-known/openid-configuration")
    def openid_configuration(pool_id: str):
        if emu.tokens.jwks(pool_id) is None:
            return _json({"message": f"User pool {pool_id} does not exist."}, 404, "application/json")
        iss = emu.tokens.issuer(pool_id)
        return _json({"issuer": iss, "jwks_uri": f"{iss}/.well-known/jwks.json",
                      "id_token_signing_alg_values_supported": ["RS256"],
                      "subject_types_supported": ["public"]}, content_type="application/json")

    # --- local-only test hooks -------------------------------------------------
    @app.before_request
    def local_only():
        if request.path.startswith("/_emulator/"):
            try:
                if not ipaddress.ip_address(request.remote_addr or "").is_loopback:
                    return _json({"message": "local only"}, 403, "application/json")
            except ValueError:
                return _json({"message": "local only"}, 403, "application/json")
        return None

    def _params() -> dict:
        body = request.get_json(silent=True, force=True) if request.method == "POST" else None
        return {**request.args.to_dict(), **(body if isinstance(body, dict) else {})}

    @app.get("/_emulator/codes")
    def get_code():
        p = _params()
        with emu.lock:
            username = p.get("username", "")
            try:
                pool = emu.directory.pool(p.get("userPoolId"))
            except errors.CognitoError as err:
                return _json({"message": err.message}, 404, "application/json")
            user = emu.directory.find_user(pool, username) or next(  # also unverified email/phone
                (u for u in pool.users.values()
                 if username and username in (u.attribute_lookup.get("email"), u.attribute_lookup.get("phone_number"))), None)
            code = emu.codes.latest(pool.id, user.username if user else username, p.get("purpose"))
        if code is None:
            return _json({"message": f"no code for {username!r}"}, 404, "application/json")
        return _json(code.to_json(), content_type="application/json")

    @app.post("/_emulator/expire-codes")
    def expire_codes():
        p = _params()
        with emu.lock:
            username = p.get("username")
            if username and p.get("userPoolId") in emu.directory.backend.user_pools:
                user = emu.directory.find_user(emu.directory.pool(p["userPoolId"]), username)
                username = user.username if user else username
            n = emu.codes.expire(p.get("userPoolId"), username)
        return _json({"expired": n}, content_type="application/json")

    @app.route("/_emulator/token-ttl", methods=["GET", "POST"])
    def token_ttl():
        p = _params()
        if request.method == "POST":
            try:
                seconds = int(p.get("seconds"))
                if seconds < 1:
                    raise ValueError
            except (TypeError, ValueError):
                return _json({"message": "seconds must be a positive integer"}, 400, "application/json")
            with emu.lock:
                emu.tokens.ttl = seconds
        return _json({"tokenTtl": emu.tokens.ttl}, content_type="application/json")

    @app.get("/_emulator/stats")
    def stats():
        with emu.lock:
            return _json(emu.stats.to_json(), content_type="application/json")

    @app.post("/_emulator/reset-stats")
    def reset_stats():
        with emu.lock:
            emu.stats.operations.clear()
            emu.stats.auth_flows.clear()
            emu.stats.errors.clear()
            emu.stats.refresh.clear()
            emu.stats.user_context_data.clear()
            emu.stats.last_user_context_data.clear()
            emu.stats.last_client_metadata.clear()
        return _json({"ok": True}, content_type="application/json")

    @app.get("/_emulator/config")
    def get_config():
        return _json(config, content_type="application/json")

    @app.get("/_emulator/health")
    def health():
        return _json({"ok": True}, content_type="application/json")

    hosted_ui.register(app, emu)  # /oauth2/authorize, /oauth2/token, /logout
    webauthn.register(app, emu)  # /_emulator/webauthn-config
    return app
