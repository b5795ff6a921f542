"""Entry point: ``python -m cognito_emulator [--port N] ...`` (normally via tests/emulator/start).

Binds 127.0.0.1:<port> (``--port 0`` picks a free one), creates the standard
pools, prints ONE JSON line on stdout, then serves until SIGTERM/SIGINT (exit 0).
Logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time


def _parse(argv):
    env = os.environ.get
    p = argparse.ArgumentParser(prog="tests/emulator/start", description="Cognito User Pools emulator")
    p.add_argument("--port", type=int, default=int(env("COGNITO_EMULATOR_PORT", "9229")), help="0 = any free port")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--region", default=env("COGNITO_EMULATOR_REGION", "us-east-1"))
    p.add_argument("--token-ttl", type=int, default=int(env("COGNITO_EMULATOR_TOKEN_TTL", "3600")),
                   help="lifetime of ID/access tokens in seconds (default 3600)")
    p.add_argument("--signup-code-ttl", type=int, default=24 * 3600, help="seconds (default 86400)")
    p.add_argument("--forgot-code-ttl", type=int, default=3600, help="seconds (default 3600)")
    p.add_argument("--prevent-user-existence-errors", choices=["ENABLED", "LEGACY"],
                   default=env("COGNITO_EMULATOR_PREVENT_USER_EXISTENCE_ERRORS", "ENABLED"),
                   help="setting of the standard app clients (default ENABLED, Cognito's default for new clients)")
    return p.parse_args(argv)


def _stop(signum, frame):
    raise SystemExit(0)


def main(argv=None) -> int:
    started = time.monotonic()
    # First thing: a SIGTERM during startup must also end the process with status 0
    # (and a SIG_IGN inherited from the parent must not make us immortal).
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    args = _parse(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from werkzeug.serving import make_server

    from .bootstrap import bootstrap
    from .server import create_app
    from .state import Emulator, Options

    config: dict = {}
    # Bind first (the real port is needed for the issuer), attach the app afterwards.
    holder = {}
    server = make_server(args.host, args.port, lambda env, start: holder["app"](env, start), threaded=True)
    port = server.server_port
    options = Options(region=args.region, endpoint=f"http://127.0.0.1:{port}/", token_ttl=args.token_ttl,
                      signup_code_ttl=args.signup_code_ttl, forgot_code_ttl=args.forgot_code_ttl,
                      prevent_user_existence_errors=args.prevent_user_existence_errors)
    emu = Emulator(options)
    config.update(bootstrap(emu))
    holder["app"] = create_app(emu, config)

    print(json.dumps(config), flush=True)
    print(f"[cognito-emulator] ready on {options.endpoint} in {time.monotonic() - started:.2f} s",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except SystemExit:
        pass
    finally:
        server.server_close()
        print("[cognito-emulator] stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
