"""Cognito-shaped errors.

Every failure leaves the server as HTTP 400 (500 for InternalErrorException)
with body ``{"__type": "<Name>", "message": "..."}`` and header
``x-amzn-errortype: <Name>``, which is what real Cognito sends and what
amazon-cognito-identity-js and the AWS SDKs parse.
"""

from __future__ import annotations


class CognitoError(Exception):
    """An error answered to the client as ``{"__type": name, "message": message}``."""

    def __init__(self, name: str, message: str, status: int = 400):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.status = status


def _factory(name: str, default: str):
    def make(message: str = default) -> CognitoError:
        return CognitoError(name, message)
    make.__name__ = name
    return make


NotAuthorized = _factory("NotAuthorizedException", "Incorrect username or password.")
UserNotFound = _factory("UserNotFoundException", "User does not exist.")
UserNotConfirmed = _factory("UserNotConfirmedException", "User is not confirmed.")
UsernameExists = _factory("UsernameExistsException", "User already exists")
AliasExists = _factory("AliasExistsException", "An account with the email already exists.")
InvalidParameter = _factory("InvalidParameterException", "A parameter is specified incorrectly.")
InvalidPassword = _factory("InvalidPasswordException", "Password did not conform with policy")
CodeMismatch = _factory("CodeMismatchException", "Invalid verification code provided, please try again.")
ExpiredCode = _factory("ExpiredCodeException", "Invalid code provided, please request a code again.")
LimitExceeded = _factory("LimitExceededException", "Attempt limit exceeded, please try after some time.")
ResourceNotFound = _factory("ResourceNotFoundException", "Resource not found.")
PasswordResetRequired = _factory("PasswordResetRequiredException", "Password reset required for the user")
EnableSoftwareTokenMFA = _factory("EnableSoftwareTokenMFAException", "Code mismatch")
SoftwareTokenMFANotFound = _factory("SoftwareTokenMFANotFoundException", "Software Token MFA not found")
UnsupportedUserState = _factory("UnsupportedUserStateException", "User is not in FORCE_CHANGE_PASSWORD state")
Unauthorized = _factory("UnauthorizedException", "Unauthorized")
UnsupportedTokenType = _factory("UnsupportedTokenTypeException", "Unsupported token type")
UnknownOperation = _factory("UnknownOperationException", "Unknown operation")
Serialization = _factory("SerializationException", "Could not parse the request body")


def secret_hash_error(client_id: str, missing: bool) -> CognitoError:
    """Cognito's two messages for a missing and for a wrong SECRET_HASH."""
    if missing:
        return NotAuthorized(f"Client {client_id} is configured for secret but secret was not received")
    return NotAuthorized(f"Unable to verify secret hash for client {client_id}")


def require(params: dict, *names: str) -> None:
    """InvalidParameterException for the first missing/empty required parameter."""
    for name in names:
        if params.get(name) in (None, ""):
            raise InvalidParameter(f"Missing required parameter {name}")
