"""The emulator's state: one object that every operation handler receives."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from . import codes, otp
from .directory import Directory
from .sessions import SessionStore
from .tokens import TokenService


@dataclass
class Options:
    region: str = "us-east-1"
    endpoint: str = "http://127.0.0.1:9229/"
    token_ttl: int = 3600
    signup_code_ttl: int = 24 * 3600
    forgot_code_ttl: int = 3600
    max_code_failures: int = 5
    prevent_user_existence_errors: str = "ENABLED"


@dataclass
class Stats:
    operations: Counter = field(default_factory=Counter)
    auth_flows: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    # GetTokensFromRefreshToken: rotated, withinGrace, reused, withDeviceKey.
    refresh: Counter = field(default_factory=Counter)
    # UserContextData sent, per operation, and the last one of each.
    user_context_data: Counter = field(default_factory=Counter)
    last_user_context_data: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"operations": dict(self.operations), "authFlows": dict(self.auth_flows),
                "errors": dict(self.errors), "refresh": dict(self.refresh),
                "userContextData": dict(self.user_context_data),
                "lastUserContextData": dict(self.last_user_context_data),
                "total": sum(self.operations.values())}


class Emulator:
    def __init__(self, options: Options):
        self.options = options
        self.lock = threading.RLock()  # operations run one at a time
        self.directory = Directory(options.region)
        self.codes = codes.CodeStore({codes.SIGN_UP: options.signup_code_ttl,
                                      codes.FORGOT_PASSWORD: options.forgot_code_ttl,
                                      codes.TEMPORARY_PASSWORD: 7 * 86400,
                                      "EMAIL_OTP": otp.TTL_SECONDS, "SMS_OTP": otp.TTL_SECONDS},
                                     max_failures=options.max_code_failures)
        self.tokens = TokenService(options.endpoint, options.token_ttl)
        self.sessions = SessionStore()
        self.stats = Stats()

    def create_pool(self, name: str, config: dict):
        pool = self.directory.create_pool(name, config)
        self.tokens.add_pool(pool.id)
        return pool
