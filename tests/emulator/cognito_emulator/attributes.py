"""User attributes: schema validation, masking of delivery destinations, token claims."""

from __future__ import annotations

import re

from . import errors

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_RE = re.compile(r"\+[0-9]{4,15}")
BOOLEAN_ATTRIBUTES = {"email_verified", "phone_number_verified"}
NOT_WRITABLE = {"sub"}
HIDDEN_IN_CHALLENGE = {"sub", "email_verified", "phone_number_verified"}


def flatten(attrs) -> dict:
    """[{Name, Value}] -> {name: value}; InvalidParameterException on a malformed list."""
    if attrs is None:
        return {}
    if not isinstance(attrs, list):
        raise errors.InvalidParameter("UserAttributes must be a list")
    out = {}
    for item in attrs:
        if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
            raise errors.InvalidParameter("Each attribute needs a Name")
        value = item.get("Value", "")
        out[item["Name"]] = value if isinstance(value, str) else str(value)
    return out


def validate(pool, attrs: dict) -> None:
    """Names must exist in the pool schema (standard or ``custom:``), ``sub`` is not
    writable, email and phone_number must be well formed."""
    known = set(pool.schema_attributes)
    for name, value in attrs.items():
        if name in NOT_WRITABLE:
            raise errors.InvalidParameter(f"Attributes did not conform to the schema: {name}: Attribute cannot be updated. (changing an immutable attribute)")
        if name not in known and not name.startswith("custom:"):
            raise errors.InvalidParameter(f"Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined")
        if name == "email" and not EMAIL_RE.fullmatch(value):
            raise errors.InvalidParameter("Invalid email address format.")
        if name == "phone_number" and not PHONE_RE.fullmatch(value):
            raise errors.InvalidParameter("Invalid phone number format.")
        if name in BOOLEAN_ATTRIBUTES and value not in ("true", "false"):
            raise errors.InvalidParameter(f"Attributes did not conform to the schema: {name}: must be true or false")


def required_names(pool) -> list[str]:
    """Schema attributes marked Required (except sub, which Cognito fills in)."""
    return [a.name for a in pool.schema_attributes.values() if a.required and a.name != "sub"]


def missing_required(pool, attrs: dict) -> list[str]:
    return [name for name in required_names(pool) if not attrs.get(name)]


def mask_email(email: str) -> str:
    """Cognito's masked destination: first character of each side + ``***`` (a***@e***)."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def mask_phone(phone: str) -> str:
    """+*******1234: everything but the leading + and the last 4 digits masked."""
    return "+" + "*" * max(0, len(phone) - 5) + phone[-4:]


def delivery_details(attrs: dict) -> dict | None:
    """CodeDeliveryDetails for a user: email if present, else phone, else None."""
    if attrs.get("email"):
        return {"Destination": mask_email(attrs["email"]), "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    if attrs.get("phone_number"):
        return {"Destination": mask_phone(attrs["phone_number"]), "DeliveryMedium": "SMS",
                "AttributeName": "phone_number"}
    return None


def id_token_claims(attrs: dict) -> dict:
    """Attributes as ID-token claims: *_verified become booleans; sub is added by the minter."""
    claims = {}
    for name, value in attrs.items():
        if name == "sub":
            continue
        claims[name] = (value == "true") if name in BOOLEAN_ATTRIBUTES else value
    return claims


def as_list(attrs: dict, hide=()) -> list[dict]:
    return [{"Name": k, "Value": v} for k, v in attrs.items() if k not in hide]
